#!/usr/bin/env node
// CPU profile of a peer's hot path under load (what `node --cpu-prof` records, taken through the inspector so the
// window is exactly the measured one, after the warm-up):
//   node bench/profile.mjs [--peer nest] [--workload add] [--protocol queue] [--concurrency 16] [--duration 8]
//        [--warmup 2] [--interval 100] [--out bench/results/profiles]
// Writes <out>/<peer>-<workload>-c<N>-<time>.cpuprofile (open it in Chrome DevTools or VS Code) and a .md summary
// beside it: self time by function and by package, inclusive time by function, and the load's numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load-test.mjs';
import { ROOT, startPeer } from './lib/peers.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';

const { values } = parseArgs({
  options: {
    peer: { type: 'string', default: 'nest' },
    workload: { type: 'string', default: 'add' },
    protocol: { type: 'string', default: 'queue' },
    concurrency: { type: 'string', default: '16' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    interval: { type: 'string', default: '100' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'profiles') },
  },
});

const peer = await startPeer(values.peer, { inspect: true });
if (!peer.inspector) throw new Error(`${values.peer} is not a Node peer; only Node peers can be profiled here`);
let profile;
let serverCpuSeconds;
try {
  const result = await runLoad({
    url: peer.url,
    workload: values.workload,
    protocol: values.protocol,
    concurrency: Number(values.concurrency),
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    hooks: {
      windowStart: async () => {
        const cpu = peer.cpuSeconds();
        await peer.inspector.startProfiling(Number(values.interval));
        return cpu;
      },
      windowEnd: async (cpuAtStart) => {
        serverCpuSeconds = peer.cpuSeconds() - cpuAtStart;
        profile = await peer.inspector.stopProfiling();
        return {};
      },
    },
  });
  const summary = summarizeProfile(profile);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = join(values.out, `${values.peer}-${values.workload}-${values.protocol}-c${values.concurrency}-${stamp}`);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
  const serverCpuMsPerCall = (serverCpuSeconds * 1000) / Math.max(1, result.ok);
  const lines = [
    `# CPU profile: ${peer.label}, ${values.workload} over ${values.protocol}, concurrency ${values.concurrency}`,
    '',
    `Load while profiling (${result.seconds} s, sampling every ${values.interval} µs — the profiler slows the server): ` +
      `${result.callsPerSecond} calls/s, p50 ${result.latencyMs?.p50} ms, p99 ${result.latencyMs?.p99} ms, ` +
      `${result.failures} failures; server CPU ${serverCpuSeconds.toFixed(2)} s = ${serverCpuMsPerCall.toFixed(3)} ms per call; ` +
      `load generator CPU ${result.clientCpuPercent} % of a core.`,
    '',
    `Sampled ${summary.sampledMs} ms, idle ${summary.idlePercent} %. Percentages below are of the busy time (${summary.busyMs} ms).`,
    '',
    '## Self time by package',
    '',
    table(summary.selfByPackage),
    '## Self time by function',
    '',
    table(summary.selfByFunction),
    '## Inclusive time by function',
    '',
    table(summary.inclusiveByFunction),
  ];
  writeFileSync(`${base}.md`, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`\nwrote ${base}.cpuprofile and .md`);
} finally {
  await peer.stop();
}

function table(rows) {
  return [
    '| % busy | ms | function / package |',
    '|---:|---:|---|',
    ...rows.map((row) => `| ${row.percent} | ${row.ms} | \`${row.name}\` |`),
    '',
  ].join('\n');
}
