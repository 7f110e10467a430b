#!/usr/bin/env node
// `npm run start:cluster [-- <processes>]`: the showcase in distributed mode, as it would run on several machines —
// Debian's redis-server (scripts/setup.sh installs it) on a free loopback port, N showcase processes (default 3,
// or CLUSTER_SIZE) on free ports sharing it and one upload folder, and a plain round-robin proxy on PORT (default
// 7860) in front of them, with no sticky sessions. GRADIO_REDIS_URL set: that Redis is used instead of a new one.
// Ctrl-C stops everything. `--no-build` skips the build (the Python compatibility suite runs it on a built tree).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';
import { startRoundRobinProxy } from './round-robin-proxy.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const sizeArgument = args.find((arg) => arg !== '--no-build');
const size = Number(sizeArgument ?? process.env.CLUSTER_SIZE ?? 3);
const port = Number(process.env.PORT ?? process.env.GRADIO_SERVER_PORT ?? 7860);
const host = process.env.HOST ?? process.env.GRADIO_SERVER_NAME ?? '127.0.0.1';
if (!Number.isInteger(size) || size < 1) {
  console.error(
    `The number of processes must be a whole number ≥ 1; got "${sizeArgument ?? process.env.CLUSTER_SIZE}".`,
  );
  process.exit(1);
}
if (!noBuild && !ensureInstalled()) {
  console.error('npm ci failed; see its output above.');
  process.exit(1);
}
// `npm run build` (the library, then `nest build` with the compiler plugin, which records the handlers' types).
const build = noBuild ? undefined : spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build && build.status !== 0) {
  console.error('The build failed; see the compiler output above.');
  process.exit(1);
}

const children = [];
const uploads = mkdtempSync(join(tmpdir(), 'nest-gradio-cluster-uploads-'));
let stopping = false;

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  rmSync(uploads, { recursive: true, force: true });
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}

function watch(child, name) {
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping the cluster.`);
    stop(1);
  });
  return child;
}

async function answers(url) {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within a minute.`);
}

let redisUrl = process.env.GRADIO_REDIS_URL;
if (!redisUrl) {
  const redisPort = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  redis.once('error', (error) => {
    console.error(`Cannot start redis-server (run scripts/setup.sh, or set GRADIO_REDIS_URL): ${error.message}`);
    stop(1);
  });
  watch(redis, 'redis-server');
  redisUrl = `redis://127.0.0.1:${redisPort}`;
}

const backends = [];
for (let index = 0; index < size; index++) {
  const backendPort = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      GRADIO_REDIS_URL: redisUrl,
      GRADIO_TEMP_DIR: uploads,
      PORT: String(backendPort),
      HOST: '127.0.0.1',
    },
  });
  watch(child, `showcase process ${index + 1}`);
  backends.push(`http://127.0.0.1:${backendPort}`);
}
await Promise.all(backends.map((backend) => answers(`${backend}/config`)));
const proxy = await startRoundRobinProxy(backends, { port, host });
console.log(`Redis: ${redisUrl}`);
console.log(`${size} showcase processes: ${backends.join(', ')}`);
console.log(`Round-robin proxy (no sticky sessions) in front of them.`);
// The line launch() prints, which scripts and the Python compatibility suite look for.
console.log(`* Running on local URL:  ${proxy.url}`);
