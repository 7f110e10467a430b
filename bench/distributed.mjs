#!/usr/bin/env node
// Distributed mode's cost: the built showcase (`npm run build` first) as one process with the in-memory queue, the
// same behind the round-robin proxy (the proxy's own cost), one process on Redis, and two processes on Redis
// behind the proxy — one after another on this machine, with the same load generator as `npm run bench`
// (one session per virtual client, `queue/join` + the session's `queue/data` stream, every answer verified).
//   node bench/distributed.mjs [--duration 5] [--warmup 1] [--main dist/src/main.js]
// On Redis, also the Redis commands (and of them `XADD`s, the session messages) per successful call over the
// measured window (`INFO commandstats`). `--main` serves another build (e.g. one kept by bench/snapshot-build.mjs).
// Prints a Markdown table and writes it to bench/results/distributed-<time>.md. Needs Debian's redis-server.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startRoundRobinProxy } from '../scripts/round-robin-proxy.mjs';
import { runLoad } from './lib/load-test.mjs';
import { freePort } from './lib/proc.mjs';
import { ROOT } from './lib/peers.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    main: { type: 'string', default: join('dist', 'src', 'main.js') },
  },
});
const main = resolve(ROOT, values.main);
const run = promisify(execFile);
const durationS = Number(values.duration);
const warmupS = Number(values.warmup);

const WORKLOADS = [
  { label: 'add, c=1', workload: 'add', concurrency: 1 },
  { label: 'add, c=16', workload: 'add', concurrency: 16 },
  { label: 'count n=20, c=16', workload: 'count', concurrency: 16, n: 20 },
];

const SCENARIOS = [
  { label: '1 process, in memory', processes: 1, redis: false, proxy: false },
  { label: '1 process, in memory, behind the proxy', processes: 1, redis: false, proxy: true },
  { label: '1 process on Redis', processes: 1, redis: true, proxy: false },
  { label: '2 processes on Redis, behind the proxy', processes: 2, redis: true, proxy: true },
];

const children = [];
function stopAll() {
  for (const child of children.splice(0)) child.kill('SIGTERM');
}
process.on('exit', stopAll);

async function answers(url) {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within a minute`);
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  children.push(child);
  for (let attempt = 0; attempt < 100; attempt++) {
    const probe = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
    if ((await new Promise((resolve) => probe.once('exit', resolve))) === 0) return `redis://127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not start');
}

/** Window hooks counting the commands Redis served meanwhile: all of them, and the `XADD`s. */
function redisCommandHooks(redisUrl) {
  const port = new URL(redisUrl).port;
  return {
    windowStart: () => run('redis-cli', ['-p', port, 'config', 'resetstat']),
    windowEnd: async () => {
      const { stdout } = await run('redis-cli', ['-p', port, 'info', 'commandstats']);
      let redisCommands = 0;
      let redisXadds = 0;
      for (const [, command, calls] of stdout.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        redisCommands += Number(calls);
        if (command === 'xadd') redisXadds += Number(calls);
      }
      // `config resetstat` counts itself (`info` is counted only after it answers): not the app's.
      return { redisCommands: redisCommands - 1, redisXadds };
    },
  };
}

async function startShowcase(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await answers(`${url}/config`);
  return url;
}

const rows = [];
for (const scenario of SCENARIOS) {
  const env = {};
  if (scenario.redis) {
    env.GRADIO_REDIS_URL = await startRedis();
    env.GRADIO_REDIS_PREFIX = `bench-${Date.now()}`;
  }
  const backends = [];
  for (let index = 0; index < scenario.processes; index++) backends.push(await startShowcase(env));
  const proxy = scenario.proxy ? await startRoundRobinProxy(backends) : undefined;
  const url = proxy?.url ?? backends[0];
  for (const { label, workload, concurrency, n } of WORKLOADS) {
    const hooks = env.GRADIO_REDIS_URL ? redisCommandHooks(env.GRADIO_REDIS_URL) : undefined;
    const result = await runLoad({ url, workload, concurrency, n, durationS, warmupS, hooks });
    rows.push({ scenario: scenario.label, workload: label, result });
    console.error(`${scenario.label} — ${label}: ${result.callsPerSecond} calls/s, ${result.failures} failed`);
  }
  await proxy?.close();
  stopAll();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** A count of the window per successful call, or a dash without Redis. */
function perCall(result, field) {
  return result[field] === undefined || result.ok === 0 ? '–' : (result[field] / result.ok).toFixed(1);
}

const lines = [
  `Distributed mode, ${new Date().toISOString()}, ${durationS} s per cell after ${warmupS} s of warm-up (\`node bench/distributed.mjs${process.argv
    .slice(2)
    .map((arg) => ` ${arg}`)
    .join('')}\`):`,
  '',
  '| workload | setup | calls/s | p50 ms | p99 ms | failed | Redis commands per call | of them XADD |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
  ...WORKLOADS.flatMap(({ label }) =>
    rows
      .filter((row) => row.workload === label)
      .map(
        ({ scenario, result }) =>
          `| ${label} | ${scenario} | ${result.callsPerSecond} | ${result.latencyMs.p50} | ${result.latencyMs.p99} | ${result.failures} | ${perCall(result, 'redisCommands')} | ${perCall(result, 'redisXadds')} |`,
      ),
  ),
];
const table = lines.join('\n');
console.log(table);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `distributed-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(file, `${table}\n`);
console.error(`Written to ${file}`);
