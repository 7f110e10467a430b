import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startShowcase, type RunningApp } from './support/start-app.js';

/**
 * A smoke run of the benchmark load generator (bench/load.mjs), a few seconds in all, with no timing assertions:
 * it must complete verified calls against the showcase over each protocol and load mode, and it must count every
 * wrong answer as a failure (checked against the bench's bare-Node floor server made to answer a + b + 1).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT = 60_000;

interface LoadResult {
  ok: number;
  failures: number;
  errors: string[];
  callsPerSecond: number;
  unitsPerSecond: number;
  latencyMs: { p50: number; p99: number } | null;
  dispatchMs: { p50: number } | null;
  mode: string;
}

/** Runs the load generator's CLI and parses the JSON it prints. */
function runLoadGenerator(args: string[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/load.mjs', '--duration', '1', '--warmup', '0.2', ...args], {
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as LoadResult);
      } catch {
        reject(new Error(`load generator printed no JSON: ${stdout} ${stderr}`));
      }
    });
  });
}

/** Starts one of the bench's peer servers with the given environment on a free port; resolves with its URL. */
function startFloor(
  env: Record<string, string>,
  script = 'bench/peers/floor-server.mjs',
): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', ...env },
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      const match = /Running on local URL:\s+(\S+)/.exec(String(chunk));
      if (match) resolve({ url: match[1] as string, child });
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('bench load generator (smoke)', () => {
  let showcase: RunningApp;

  beforeAll(async () => {
    showcase = await startShowcase();
  });

  afterAll(async () => {
    await showcase?.close();
  });

  it(
    'completes verified add calls through queue/join + queue/data (closed loop)',
    async () => {
      const result = await runLoadGenerator(['--url', showcase.url, '--workload', 'add', '--concurrency', '4']);
      expect(result.errors).toEqual([]);
      expect(result.failures).toBe(0);
      expect(result.ok).toBeGreaterThan(0);
      expect(result.latencyMs).not.toBeNull();
      expect(result.dispatchMs).not.toBeNull();
    },
    TIMEOUT,
  );

  it(
    'completes verified add calls at a fixed arrival rate (open loop)',
    async () => {
      const result = await runLoadGenerator([
        '--url',
        showcase.url,
        '--workload',
        'add',
        '--mode',
        'open',
        '--rate',
        '40',
        '--concurrency',
        '4',
      ]);
      expect(result.mode).toBe('open');
      expect(result.failures).toBe(0);
      expect(result.ok).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'rebuilds every step of a generator from its diffs (count over the queue)',
    async () => {
      const result = await runLoadGenerator([
        '--url',
        showcase.url,
        '--workload',
        'count',
        '--n',
        '20',
        '--concurrency',
        '2',
      ]);
      expect(result.errors).toEqual([]);
      expect(result.failures).toBe(0);
      expect(result.ok).toBeGreaterThan(0);
      // 20 generator steps and the completion per call.
      expect(result.unitsPerSecond).toBeCloseTo(result.callsPerSecond * 21, 0);
    },
    TIMEOUT,
  );

  it(
    'completes verified calls over the curl protocol (call/{name} POST + GET)',
    async () => {
      const result = await runLoadGenerator([
        '--url',
        showcase.url,
        '--protocol',
        'call',
        '--workload',
        'count',
        '--n',
        '5',
        '--concurrency',
        '4',
      ]);
      expect(result.errors).toEqual([]);
      expect(result.failures).toBe(0);
      expect(result.ok).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  describe('against a server that answers a + b + 1', () => {
    let floor: { url: string; child: ChildProcess } | undefined;

    beforeAll(async () => {
      floor = await startFloor({ FLOOR_FAULT: 'off-by-one' });
    });

    afterAll(async () => {
      await stop(floor?.child);
    });

    it.each(['queue', 'call', 'mcp'])(
      'counts every fast wrong answer over %s as a failure',
      async (protocol) => {
        const result = await runLoadGenerator([
          '--url',
          floor!.url,
          '--protocol',
          protocol,
          '--workload',
          'add',
          '--concurrency',
          '2',
        ]);
        expect(result.ok).toBe(0);
        expect(result.failures).toBeGreaterThan(0);
        expect(result.errors[0]).toMatch(/wrong (tool )?result/);
      },
      TIMEOUT,
    );
  });

  describe('against the honest floor', () => {
    let floor: { url: string; child: ChildProcess } | undefined;

    beforeAll(async () => {
      floor = await startFloor({});
    });

    afterAll(async () => {
      await stop(floor?.child);
    });

    it.each(['queue', 'call', 'mcp'])(
      'accepts its right answers over %s',
      async (protocol) => {
        const result = await runLoadGenerator([
          '--url',
          floor!.url,
          '--protocol',
          protocol,
          '--workload',
          'add',
          '--concurrency',
          '2',
        ]);
        expect(result.errors).toEqual([]);
        expect(result.failures).toBe(0);
        expect(result.ok).toBeGreaterThan(0);
      },
      TIMEOUT,
    );
  });

  describe('against the MCP-Nest peer (@rekog/mcp-nest)', () => {
    let peer: { url: string; child: ChildProcess } | undefined;

    beforeAll(async () => {
      peer = await startFloor({}, 'bench/peers/mcp-nest-server.mjs');
    }, TIMEOUT);

    afterAll(async () => {
      await stop(peer?.child);
    });

    it(
      'completes verified add calls over MCP tools/call',
      async () => {
        const result = await runLoadGenerator([
          '--url',
          peer!.url,
          '--protocol',
          'mcp',
          '--workload',
          'add',
          '--concurrency',
          '2',
        ]);
        expect(result.errors).toEqual([]);
        expect(result.failures).toBe(0);
        expect(result.ok).toBeGreaterThan(0);
      },
      TIMEOUT,
    );
  });
});
