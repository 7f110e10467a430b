// The servers compared, each started as its own process on a free loopback port with the same endpoint settings:
//   gradio — Python Gradio (gradio.Server) serving the showcase's endpoints (test/parity/showcase_server.py, venv)
//   floor  — bare node:http, no framework, no queue (bench/peers/floor-server.mjs)
//   nest   — the nest-gradio showcase as `npm start` runs it (dist/src/main.js, or $BENCH_NEST_ENTRY; needs a build)
//   nest-fastify — the same build on Fastify (GRADIO_HTTP_ADAPTER=fastify) instead of Express
//   mcpnest — a minimal NestJS app on @rekog/mcp-nest with the same `add` tool, stateless Streamable HTTP, no queue
//            (bench/peers/mcp-nest-server.mjs); it serves MCP only, so it joins the MCP workloads alone
// Both real servers take their default concurrency limit from GRADIO_DEFAULT_CONCURRENCY_LIMIT (1 when unset) and
// cap running jobs at 40 (Gradio's max_threads, nest-gradio's maxThreads); per-endpoint limits are the same on both
// (add, slow_echo: the default; count: none). Cold start = spawn → the first verified `add` through the queue.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inspector } from './inspector.mjs';
import { McpSession } from './mcp-client.mjs';
import { createPools, fnIndexOf, QueueSession } from './queue-client.mjs';
import { cpuSeconds, freePort, openFds, rssMb } from './proc.mjs';
import { verifyMcpResult, verifyQueueTrace, WORKLOADS } from './workloads.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VENV_PYTHON = join(ROOT, '.venv', 'bin', 'python');

export const PEERS = {
  gradio: {
    label: 'Python Gradio',
    command: () => [VENV_PYTHON, ['test/parity/showcase_server.py']],
    node: false,
  },
  floor: {
    label: 'Node floor',
    command: (nodeFlags) => [process.execPath, [...nodeFlags, 'bench/peers/floor-server.mjs']],
    node: true,
  },
  nest: {
    label: 'nest-gradio',
    // BENCH_NEST_ENTRY runs another build of the showcase (say, a copy with a change to compare).
    command: (nodeFlags) => [process.execPath, [...nodeFlags, process.env.BENCH_NEST_ENTRY ?? 'dist/src/main.js']],
    node: true,
  },
  'nest-fastify': {
    label: 'nest-gradio on Fastify',
    command: (nodeFlags) => [process.execPath, [...nodeFlags, process.env.BENCH_NEST_ENTRY ?? 'dist/src/main.js']],
    env: { GRADIO_HTTP_ADAPTER: 'fastify' },
    node: true,
  },
  mcpnest: {
    label: 'MCP-Nest 2.0.5',
    command: (nodeFlags) => [process.execPath, [...nodeFlags, 'bench/peers/mcp-nest-server.mjs']],
    node: true,
    protocols: ['mcp'],
  },
};

/** Whether a peer serves a protocol (queue, call, mcp): all do except the MCP-only ones. */
export function peerServes(name, protocol) {
  return !PEERS[name].protocols || PEERS[name].protocols.includes(protocol);
}

const QUIET_ENV = {
  GRADIO_ANALYTICS_ENABLED: 'False',
  HF_HUB_OFFLINE: '1',
  HF_HUB_DISABLE_TELEMETRY: '1',
  GRADIO_SSR_MODE: 'False',
  PYTHONUNBUFFERED: '1',
  HOST: '127.0.0.1',
};

/** Why a peer cannot run here, or null. */
export function peerUnavailable(name) {
  if (name === 'gradio' && !existsSync(VENV_PYTHON))
    return 'no Python venv (bash scripts/setup-python.sh test/parity/requirements.txt)';
  if (name === 'gradio') {
    const check = spawnSync(VENV_PYTHON, ['-c', 'import gradio; print(gradio.__version__)'], { encoding: 'utf8' });
    if (check.status !== 0) return 'gradio is not installed in .venv';
  }
  if ((name === 'nest' || name === 'nest-fastify') && !existsSync(join(ROOT, 'dist', 'src', 'main.js')))
    return 'dist/src/main.js missing (npm run build)';
  if (name === 'mcpnest' && !existsSync(join(ROOT, 'node_modules', '@rekog', 'mcp-nest')))
    return '@rekog/mcp-nest is not installed (npm install)';
  return null;
}

/** Versions for the report. */
export function peerVersions() {
  const python = spawnSync(
    VENV_PYTHON,
    ['-c', 'import sys, gradio; print(sys.version.split()[0], gradio.__version__)'],
    { encoding: 'utf8' },
  );
  const [pythonVersion, gradioVersion] = python.status === 0 ? python.stdout.trim().split(' ') : [null, null];
  return { node: process.version, python: pythonVersion, gradio: gradioVersion };
}

export class Peer {
  inspector = null;
  #log = [];
  #exited;

  constructor(name, child, url) {
    this.name = name;
    this.label = PEERS[name].label;
    this.child = child;
    this.pid = child.pid;
    this.url = url;
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const keep = (chunk) => {
      this.#log.push(String(chunk));
      if (this.#log.length > 200) this.#log.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get exited() {
    return this.#exited;
  }

  logTail(lines = 30) {
    return this.#log.join('').split('\n').slice(-lines).join('\n');
  }

  rssMb() {
    return rssMb(this.pid);
  }

  cpuSeconds() {
    return cpuSeconds(this.pid);
  }

  openFds() {
    return openFds(this.pid);
  }

  /** Live heap after a forced GC (Node peers started with `inspect`), else null. */
  async liveHeapMb() {
    return this.inspector && this.alive ? this.inspector.liveHeapMb() : null;
  }

  /** Whether the server-side dispatch probe (bench/peers/dispatch-probe.mjs) is loaded. */
  get probed() {
    return Boolean(this.probeFile);
  }

  /** Starts recording server-side dispatch times (join arrival → process_starts written). */
  async probeStart() {
    if (!this.probed) return;
    await this.#probeToggle(true);
  }

  /**
   * Stops recording; returns { samplesMs, lateStream } (dispatch times of joins whose stream was open, and the count
   * of the others), or null without a probe or when it did not answer.
   */
  async probeStop() {
    if (!this.probed) return null;
    const state = await this.#probeToggle(false);
    return state ? { samplesMs: state.samplesMs, lateStream: state.lateStream } : null;
  }

  async #probeToggle(recording) {
    rmSync(this.probeFile, { force: true });
    this.child.kill('SIGWINCH');
    for (let waited = 0; waited < 3000; waited += 10) {
      try {
        const state = JSON.parse(readFileSync(this.probeFile, 'utf8'));
        if (state.recording === recording) return state;
      } catch {
        // not written (completely) yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Returns how long it took and whether it had to be killed. */
  async stop(graceMs = 10_000) {
    this.inspector?.close();
    const started = performance.now();
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      this.#removeUploads();
      return { stopMs: 0, killed: false };
    }
    if (this.probeFile) rmSync(this.probeFile, { force: true });
    this.child.kill('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    const killed = (await Promise.race([this.#exited, timeout])) === 'timeout';
    if (killed) {
      this.child.kill('SIGKILL');
      await this.#exited;
    }
    this.#removeUploads();
    return { stopMs: Math.round(performance.now() - started), killed };
  }

  #removeUploads() {
    if (this.uploadDir) rmSync(this.uploadDir, { recursive: true, force: true });
  }
}

/**
 * Starts a peer and waits for its first served call. `env` adds variables (e.g. GRADIO_DEFAULT_CONCURRENCY_LIMIT);
 * `inspect` opens the V8 inspector of a Node peer (live heap, CPU profiles); `probe` preloads the server-side
 * dispatch probe into a Node peer.
 */
export async function startPeer(name, { env = {}, inspect = false, probe = false, timeoutMs = 120_000 } = {}) {
  const port = await freePort();
  const nodeFlags = inspect && PEERS[name].node ? ['--inspect=127.0.0.1:0'] : [];
  const probeFile =
    probe && PEERS[name].node ? join(tmpdir(), `nest-gradio-bench-probe-${process.pid}-${port}.json`) : null;
  if (probeFile) nodeFlags.push('--import', join(ROOT, 'bench', 'peers', 'dispatch-probe.mjs'));
  if (probeFile) env = { ...env, BENCH_PROBE_FILE: probeFile };
  // A fresh upload folder for each server: the default one (<temp>/gradio) is shared with every test run and app on
  // the machine, and a server's start-up clean-up walking thousands of old files would run during the measurement.
  const uploadDir = mkdtempSync(join(tmpdir(), `nest-gradio-bench-files-${name}-`));
  const [command, args] = PEERS[name].command(nodeFlags);
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...QUIET_ENV,
      ...PEERS[name].env,
      PORT: String(port),
      GRADIO_SERVER_PORT: String(port),
      GRADIO_TEMP_DIR: uploadDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const peer = new Peer(name, child, url);
  peer.probeFile = probeFile;
  peer.uploadDir = uploadDir;
  const inspectorUrl = nodeFlags.includes('--inspect=127.0.0.1:0')
    ? new Promise((resolve) => {
        child.stderr.on('data', (chunk) => {
          const match = /Debugger listening on (ws:\S+)/.exec(String(chunk));
          if (match) resolve(match[1]);
        });
      })
    : null;
  try {
    const served = peerServes(name, 'queue') ? firstServedCall : firstServedToolCall;
    peer.coldStartMs = Math.round((await served(url, peer, started, timeoutMs)) * 10) / 10;
    if (inspectorUrl) peer.inspector = await Inspector.connect(await inspectorUrl);
  } catch (error) {
    await peer.stop(2_000);
    throw new Error(`${name} did not start: ${error.message}\n${peer.logTail()}`, { cause: error });
  }
  return peer;
}

/** Retries a verified `add` through the queue until one succeeds; returns ms since `started`. */
async function firstServedCall(url, peer, started, timeoutMs) {
  const pools = createPools(url, { requestConnections: 1 });
  let exit;
  peer.exited.then((status) => (exit = status));
  try {
    for (;;) {
      if (exit) throw new Error(`exited with ${exit.code ?? exit.signal}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no served call within ${timeoutMs} ms`);
      try {
        const fnIndex = await fnIndexOf(pools, 'add');
        const args = [2, 3];
        const trace = await new QueueSession(pools).submit(fnIndex, args).done;
        const error = verifyQueueTrace(WORKLOADS.add, args, trace);
        if (error) throw new Error(`first call: ${error}`);
        return trace.completedAt - started;
      } catch (error) {
        if (String(error.message).startsWith('first call:')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  } finally {
    await pools.close();
  }
}

/** The same for an MCP-only peer: retries a verified `add` through MCP `tools/call` until one succeeds. */
async function firstServedToolCall(url, peer, started, timeoutMs) {
  const pools = createPools(url, { requestConnections: 1 });
  let exit;
  peer.exited.then((status) => (exit = status));
  try {
    for (;;) {
      if (exit) throw new Error(`exited with ${exit.code ?? exit.signal}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no served call within ${timeoutMs} ms`);
      try {
        const session = new McpSession(pools);
        await session.initialize();
        const args = [2, 3];
        const result = await session.callTool('add', WORKLOADS.add.mcpArguments(args));
        const error = verifyMcpResult(WORKLOADS.add, args, result);
        if (error) throw new Error(`first call: ${error}`);
        return performance.now() - started;
      } catch (error) {
        if (String(error.message).startsWith('first call:')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  } finally {
    await pools.close();
  }
}
