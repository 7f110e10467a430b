#!/usr/bin/env node
// `npm run bench`: the whole benchmark suite, bounded to about fourteen minutes.
//   node bench/run.mjs [--quick] [--rounds 3] [--duration 2.5] [--warmup 0.75]
//        [--peers gradio,floor,nest,nest-fastify,mcpnest]
//        [--phases throughput,fairness,streams,leak] [--budget 600] [--leak-calls 100000]
//        [--stream-levels 1000,10000] [--no-build] [--no-setup] [--readme]
// Builds the showcase, installs the Python peer (test/parity/requirements.txt into .venv), then starts the peers one
// after another, in alternation (A B C A B C …), each on its own free port, and measures them with the same load
// generator. Writes bench/results/<time>.json, <time>.md and <time>.svg; with --readme, also replaces the table
// between the bench markers in README.md. --quick is a smoke-sized run (about a minute).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { queueFairness } from './lib/fairness.mjs';
import { idleStreams } from './lib/idle-streams.mjs';
import { leakCheck } from './lib/leak.mjs';
import { probeMcp, runLoad } from './lib/load-test.mjs';
import { machineInfo } from './lib/machine.mjs';
import { PEERS, peerServes, peerUnavailable, peerVersions, ROOT, startPeer } from './lib/peers.mjs';
import { fdLimits } from './lib/proc.mjs';
import { chartSvg, markdownReport, readmeBlock } from './lib/report.mjs';
import { evaluateTargets, median, summarizeThroughput } from './lib/summary.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    peers: { type: 'string', default: 'gradio,floor,nest,nest-fastify,mcpnest' },
    phases: { type: 'string', default: 'throughput,fairness,streams,leak' },
    budget: { type: 'string' },
    'leak-calls': { type: 'string' },
    'stream-levels': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench', 'results') },
  },
});

const quick = values.quick;
const options = {
  rounds: Number(values.rounds ?? (quick ? 1 : 3)),
  durationS: Number(values.duration ?? (quick ? 1 : 2)),
  warmupS: Number(values.warmup ?? (quick ? 0.3 : 0.75)),
  // A fourth of the time again for the fourth peer (nest-gradio on Fastify).
  budgetS: Number(values.budget ?? (quick ? 300 : 860)),
  leakCalls: Number(values['leak-calls'] ?? (quick ? 3000 : 100_000)),
  streamLevels: (values['stream-levels'] ?? (quick ? '100,300' : '1000,10000')).split(',').map(Number),
};
const peers = values.peers.split(',').filter(Boolean);
const phases = new Set(values.phases.split(','));
const started = performance.now();
const deadline = started + options.budgetS * 1000;
const remainingS = () => (deadline - performance.now()) / 1000;
const notes = [];
const labels = Object.fromEntries(Object.entries(PEERS).map(([name, peer]) => [name, peer.label]));
const log = (...parts) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...parts);

/** Shortest warm-up of the c=256 cells (see where it is used). */
const ADAPTIVE_WARMUP_MIN_S = 3;

/** Sessions whose messages Python Gradio keeps (its `pending_messages_per_session` is an LRUCache(2000)). */
const GRADIO_MAX_SESSIONS = 2000;

/** The throughput/latency workloads, run for every peer in every round. */
const CELLS = [
  { id: 'add-c1', short: 'add c=1', title: 'add, queue, c=1', workload: 'add', protocol: 'queue', concurrency: 1 },
  { id: 'add-c16', short: 'add c=16', title: 'add, queue, c=16', workload: 'add', protocol: 'queue', concurrency: 16 },
  {
    id: 'add-c256',
    short: 'add c=256',
    title: 'add, queue, c=256',
    workload: 'add',
    protocol: 'queue',
    concurrency: 256,
    adaptiveWarmup: true,
  },
  // 4 clients: each calls every 160 ms, within the 200 ms a stream lingers, so joins find their stream open (as a
  // busy client's do) and the dispatch time is the server's alone, not a stream being opened after the join.
  {
    id: 'add-open',
    short: 'add 25/s open',
    title: 'add, queue, open loop 25 calls/s (4 clients)',
    workload: 'add',
    protocol: 'queue',
    mode: 'open',
    rate: 25,
    concurrency: 4,
    durationScale: 2,
    serverDispatch: true,
  },
  {
    id: 'add-call-c16',
    short: 'add call/ c=16',
    title: 'add, call/ (curl protocol), c=16',
    workload: 'add',
    protocol: 'call',
    concurrency: 16,
  },
  {
    id: 'count-c4',
    short: 'count n=100 c=4',
    title: 'count n=100, queue, c=4 (msgs/s = result messages)',
    workload: 'count',
    protocol: 'queue',
    concurrency: 4,
    n: 100,
  },
  {
    id: 'add-mcp-c16',
    short: 'add MCP c=16',
    title: 'add, MCP tools/call, c=16',
    workload: 'add',
    protocol: 'mcp',
    concurrency: 16,
    mcp: true,
  },
];

// ---- preparation -------------------------------------------------------------------------------------------------

// The load generator holds one socket per stream, and so does the server (a process of its own).
const maxStreams = Math.max(...options.streamLevels);
const limits = fdLimits();
const needFds = maxStreams + 2048;
if (limits.soft < needFds && limits.hard >= needFds && !process.env.BENCH_FD_RAISED) {
  // Node cannot raise its own limit: run again under a shell that does (children inherit it).
  log(`raising the open-files limit from ${limits.soft} to ${needFds} and restarting`);
  const again = spawnSync(
    'bash',
    ['-c', `ulimit -n ${needFds} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_FD_RAISED: '1' },
    },
  );
  process.exit(again.status ?? 1);
}
if (limits.soft < needFds) {
  const fit = limits.soft - 2048;
  notes.push(
    `open-files limit ${limits.soft} (hard ${limits.hard}) is below the ${needFds} needed; stream levels capped at ${fit}`,
  );
  options.streamLevels = options.streamLevels.map((level) => Math.min(level, fit));
}

function run(command, args, what) {
  log(what);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status})`);
}
if (!values['no-build']) run('npm', ['run', 'build', '--silent'], 'building the showcase (npm run build)');
if (!values['no-setup'] && peers.includes('gradio')) {
  run(
    'bash',
    ['scripts/setup-python.sh', 'test/parity/requirements.txt'],
    'installing the Python peer (test/parity/requirements.txt)',
  );
}
for (const peer of [...peers]) {
  const reason = peerUnavailable(peer);
  if (reason) {
    notes.push(`${labels[peer]} left out: ${reason}`);
    peers.splice(peers.indexOf(peer), 1);
  }
}

// MCP: each peer is asked once (in the first round) whether it answers `initialize` at /gradio_api/mcp/.
const mcp = {};

// ---- phases ------------------------------------------------------------------------------------------------------

const runs = [];
const coldStart = Object.fromEntries(peers.map((peer) => [peer, { runs: [] }]));
const results = {
  startedAt: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: machineInfo(),
  versions: peerVersions(),
  options,
  peers,
  labels,
  rounds: 0,
  cells: CELLS,
  runs,
  coldStart,
  mcp,
  fairness: {},
  streams: {},
  leak: {},
  notes,
};

/** Runs `body` with a started peer; records the cold start; always stops it. A peer that died is an error. */
async function withPeer(phase, peer, startOptions, body) {
  const instance = await startPeer(peer, startOptions);
  // A server under the inspector starts slower; only plain starts count as cold starts.
  if (!startOptions.inspect) coldStart[peer].runs.push(instance.coldStartMs);
  try {
    const result = await body(instance);
    if (!instance.alive) throw new Error(`${labels[peer]} died during the run:\n${instance.logTail(15)}`);
    return result;
  } finally {
    const stopped = await instance.stop();
    if (stopped.killed)
      notes.push(`${labels[peer]} had to be killed, still running ${stopped.stopMs} ms after SIGTERM (${phase})`);
  }
}

/**
 * Reads the server's CPU time at the window's edges (CPU ms per successful call); with `dispatch`, also records the
 * server-side dispatch times of the window (Node peers, through bench/peers/dispatch-probe.mjs).
 */
function serverCpuHooks(instance, { dispatch = false } = {}) {
  if (!dispatch || !instance.probed) {
    return {
      windowStart: () => instance.cpuSeconds(),
      windowEnd: (cpuAtStart) => ({ serverCpuSeconds: instance.cpuSeconds() - cpuAtStart }),
    };
  }
  return {
    windowStart: async () => {
      const cpuAtStart = instance.cpuSeconds();
      await instance.probeStart();
      return cpuAtStart;
    },
    windowEnd: async (cpuAtStart) => {
      const serverCpuSeconds = instance.cpuSeconds() - cpuAtStart;
      const probe = await instance.probeStop();
      const serverDispatchMs = percentiles(probe?.samplesMs);
      return {
        serverCpuSeconds,
        serverDispatchMs: serverDispatchMs && { ...serverDispatchMs, lateStream: probe.lateStream },
      };
    },
  };
}

function percentiles(samples) {
  if (!samples?.length) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3));
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function throughputPhase() {
  for (let round = 1; round <= options.rounds; round++) {
    if (round > 1 && remainingS() < 300) {
      notes.push(`throughput: stopped after ${round - 1} round(s) to stay within the ${options.budgetS} s budget`);
      break;
    }
    results.rounds = round;
    for (const peer of peers) {
      log(`round ${round}: ${labels[peer]}`);
      // Node peers carry the server-side dispatch probe (idle except in the cells that record with it).
      await withPeer(`throughput round ${round}`, peer, { probe: true }, async (instance) => {
        if (!mcp[peer]) {
          mcp[peer] = await probeMcp(instance.url);
          if (!mcp[peer].available)
            notes.push(
              `MCP workload skipped for ${labels[peer]}: /gradio_api/mcp/ did not answer (${mcp[peer].reason})`,
            );
        }
        let c16 = null;
        for (const cell of CELLS) {
          if (!instance.alive) {
            notes.push(
              `${labels[peer]} died in round ${round}; its remaining workloads were skipped:\n${instance.logTail(15)}`,
            );
            break;
          }
          if (cell.mcp && !mcp[peer]?.available) continue;
          if (!peerServes(peer, cell.protocol)) continue;
          let warmupS = options.warmupS;
          // At c=256 every call waits for the 255 ahead of it: warm up for one full turn of the queue first, and at
          // least 3 s, so that the stragglers of the opening burst (256 sessions connecting at once) end before the
          // window whose latencies are recorded.
          if (cell.adaptiveWarmup) {
            const turnS = c16?.callsPerSecond ? (cell.concurrency / c16.callsPerSecond) * 1.2 : 0;
            warmupS = Math.min(8, Math.max(warmupS, ADAPTIVE_WARMUP_MIN_S, turnS));
          }
          const result = await runLoad({
            url: instance.url,
            workload: cell.workload,
            protocol: cell.protocol,
            mode: cell.mode ?? 'closed',
            concurrency: cell.concurrency,
            rate: cell.rate,
            n: cell.n,
            durationS: options.durationS * (cell.durationScale ?? 1),
            warmupS,
            hooks: serverCpuHooks(instance, { dispatch: cell.serverDispatch }),
          }).catch((error) => ({
            failures: 1,
            errors: [String(error.message)],
            callsPerSecond: 0,
            unitsPerSecond: 0,
            ok: 0,
          }));
          result.serverCpuMsPerCall =
            result.serverCpuSeconds && result.ok
              ? Number(((result.serverCpuSeconds * 1000) / result.ok).toFixed(3))
              : null;
          if (cell.id === 'add-c16') c16 = result;
          runs.push({ round, peer, cell: cell.id, result });
          log(
            `  ${cell.short.padEnd(16)} ${String(result.callsPerSecond).padStart(8)} calls/s  p50 ${result.latencyMs?.p50 ?? '–'} ms  p99 ${result.latencyMs?.p99 ?? '–'} ms  failures ${result.failures}`,
          );
        }
      });
    }
  }
}

async function fairnessPhase() {
  for (const limit of [1, 8]) {
    results.fairness[limit] = {};
    for (const peer of peers) {
      if (peer === 'floor' || !peerServes(peer, 'queue')) {
        results.fairness[limit][peer] = { skipped: 'no queue (n/a)' };
        continue;
      }
      if (remainingS() < 120) {
        notes.push(`fairness (limit ${limit}) skipped for ${labels[peer]}: time budget`);
        continue;
      }
      log(`fairness: limit ${limit}, ${labels[peer]}`);
      const events = quick ? (limit === 1 ? 4 : 16) : limit === 1 ? 12 : 32;
      const seconds = quick ? 0.1 : 0.25;
      results.fairness[limit][peer] = await withPeer(
        `fairness, limit ${limit}`,
        peer,
        { env: { GRADIO_DEFAULT_CONCURRENCY_LIMIT: String(limit) } },
        (instance) => queueFairness(instance.url, { events, seconds }),
      ).catch((error) => ({ skipped: `error: ${error.message}` }));
    }
  }
}

async function streamsPhase() {
  for (const peer of peers.filter((name) => peerServes(name, 'queue'))) {
    if (remainingS() - leakReserveS() < 60) {
      notes.push(`idle streams skipped for ${labels[peer]}: time budget`);
      continue;
    }
    let levels = options.streamLevels;
    if (peer === 'gradio' && levels.some((level) => level > GRADIO_MAX_SESSIONS)) {
      // Gradio keeps the message queues of at most 2000 sessions (an LRU cache): a stream whose session was evicted
      // ends with a 404 error within 10 s, so larger levels cannot hold; they would only cost minutes.
      levels = levels.filter((level) => level <= GRADIO_MAX_SESSIONS);
      notes.push(
        `idle streams: ${labels[peer]} measured at ${levels.join(', ') || 'no level'} only — it holds at most ${GRADIO_MAX_SESSIONS} sessions (LRU), so more streams cannot stay open`,
      );
    }
    if (levels.length === 0) continue;
    log(`idle streams: ${labels[peer]} (${levels.join(', ')})`);
    results.streams[peer] = await withPeer('idle streams', peer, { inspect: true }, async (instance) => ({
      levels: await idleStreams(instance, {
        levels,
        openTimeoutMs: quick ? 30_000 : 60_000,
        drainTimeoutMs: quick ? 10_000 : 15_000,
      }),
    })).catch((error) => ({ error: String(error.message).split('\n')[0] }));
    for (const level of results.streams[peer].levels ?? []) {
      log(
        `  ${level.level}: ${level.streamsOpenAtMeasure} open (${level.failures} failed${level.firstError ? `: ${level.firstError}` : ''}), ` +
          `RSS ${level.baseline.rssMb} → ${level.loaded.rssMb} MB, ${level.rssKbPerStream} KB/stream; hang-up drained: ${level.hangUp.drained} in ${level.hangUp.drainMs} ms`,
      );
    }
  }
}

/** Seconds the leak phase may spend on a peer: nest-gradio gets what 100 000 calls need; the others a short look. */
const LEAK_SECONDS = { nest: 200, 'nest-fastify': 15, floor: 15, gradio: 15 };
/**
 * Seconds a peer's leak run will take: its share, or for nest-gradio what the asked calls take at the rate it showed
 * in the throughput phase (add, c=16; the leak check runs at c=32), plus a start and a stop.
 */
function leakSecondsOf(peer) {
  const rates = runs
    .filter((run) => run.peer === peer && run.cell === 'add-c16')
    .map((run) => run.result.callsPerSecond);
  const rate = median(rates);
  const need = peer === 'nest' && rate ? options.leakCalls / (rate * 0.9) + 5 : LEAK_SECONDS[peer];
  return Math.min(LEAK_SECONDS[peer], need) + 12;
}

/** Time the leak phase needs after the streams phase, so that the streams do not eat it. */
function leakReserveS() {
  return phases.has('leak')
    ? peers.filter((peer) => peer in LEAK_SECONDS).reduce((sum, peer) => sum + leakSecondsOf(peer), 0)
    : 0;
}

async function leakPhase() {
  // nest-gradio first (the one the check is for), as its own bounded run: it stops at the asked number of calls or
  // at its time share, whichever comes first. The others get a short time-limited run (the calls they managed are
  // reported).
  const rank = { nest: 0, 'nest-fastify': 1, floor: 2, gradio: 3 };
  const order = peers.filter((name) => name in rank).sort((left, right) => rank[left] - rank[right]);
  for (const [index, peer] of order.entries()) {
    // What the peers after this one need at least (each run also costs a start and a stop).
    const reserve = order.slice(index + 1).reduce((sum, later) => sum + leakSecondsOf(later), 0);
    const share = Math.min(LEAK_SECONDS[peer], remainingS() - reserve - 10);
    if (share < 10) {
      notes.push(`leak check skipped for ${labels[peer]}: time budget`);
      continue;
    }
    log(`leak check: ${labels[peer]} (${options.leakCalls} calls, at most ${Math.round(share)} s)`);
    results.leak[peer] = await withPeer('leak check', peer, { inspect: true }, (instance) =>
      leakCheck(instance, { calls: options.leakCalls, timeLimitS: share }),
    ).catch((error) => ({ error: String(error.message).split('\n')[0] }));
    const row = results.leak[peer];
    if (!row.error)
      log(
        `  ${row.calls} calls in ${row.seconds} s; RSS growth ${row.rssGrowthMb} MB, live heap growth ${row.liveHeapGrowthMb} MB`,
      );
  }
}

try {
  if (phases.has('throughput')) await throughputPhase();
  if (phases.has('fairness')) await fairnessPhase();
  if (phases.has('streams')) await streamsPhase();
  if (phases.has('leak')) await leakPhase();
} catch (error) {
  notes.push(`the run stopped early: ${error.message.split('\n')[0]}`);
  console.error(error);
}

// ---- results -----------------------------------------------------------------------------------------------------

for (const entry of Object.values(coldStart)) entry.median = median(entry.runs);
results.throughput = summarizeThroughput(runs, CELLS, peers);
results.targets = evaluateTargets({
  runs,
  throughput: results.throughput,
  streams: results.streams,
  leak: results.leak,
});
results.durationS = Math.round((performance.now() - started) / 1000);
results.finishedAt = new Date().toISOString();

const stamp = results.startedAt.replace(/:/g, '-').replace(/\..*/, '');
mkdirSync(values.out, { recursive: true });
const base = join(values.out, `${stamp}${quick ? '-quick' : ''}`);
const chartName = `${stamp}${quick ? '-quick' : ''}.svg`;
writeFileSync(`${base}.json`, JSON.stringify(results, null, 2));
writeFileSync(join(values.out, chartName), chartSvg(results));
writeFileSync(`${base}.md`, markdownReport(results, chartName));
log(`wrote ${relative(ROOT, base)}.json, .md and .svg`);

if (values.readme) {
  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const begin = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) {
    notes.push('README.md has no bench markers; not updated');
  } else {
    const block = readmeBlock(results, relative(ROOT, `${base}.md`));
    writeFileSync(readmePath, `${readme.slice(0, from + begin.length)}\n${block}\n${readme.slice(to)}`);
    log('updated the table in README.md');
  }
}
console.log(readFileSync(`${base}.md`, 'utf8').split('\n## Cold start')[0]);
