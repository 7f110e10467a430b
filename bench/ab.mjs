#!/usr/bin/env node
// A/B of two builds of the showcase on a busy machine: both run at once (each idle while the other is measured), and
// the same load runs against them in short alternating windows (A B, B A, A B, …), so that the machine's drift hits
// both alike. Reports, per window pair, B ÷ A of calls/s, of server CPU ms per call and of p99, and their medians.
//   node bench/ab.mjs --a <dist/src/main.js of build A> --b <of build B> [--protocol queue|call|mcp]
//        [--workload add] [--concurrency 16] [--windows 8] [--duration 1.5] [--warmup 3] [--floor]
//        [--mcpnest] [--adapter express|fastify] [--dispatch]
// Snapshot a build first (the entry's `nest-gradio` must resolve to that build's library): `npm run build && node
// bench/snapshot-build.mjs A` copies it to bench/results/tmp/A/.
// With --floor, the bare-Node floor runs in the same alternation and the ratios to it are shown too; with --mcpnest
// (MCP only), MCP-Nest 2.0.5 likewise (bench/peers/mcp-nest-server.mjs). With --adapter
// fastify both builds serve on Fastify. With --dispatch the load is the suite's low-load dispatch cell instead (queue
// protocol, open loop, 25 calls/s from 4 clients, windows of 4 s) and the server-side dispatch p50 is compared
// (bench/peers/dispatch-probe.mjs: join arrival → process_starts written).
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load-test.mjs';
import { startPeer } from './lib/peers.mjs';
import { median } from './lib/summary.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    protocol: { type: 'string', default: 'queue' },
    workload: { type: 'string', default: 'add' },
    concurrency: { type: 'string', default: '16' },
    windows: { type: 'string', default: '8' },
    duration: { type: 'string', default: '1.5' },
    warmup: { type: 'string', default: '3' },
    floor: { type: 'boolean', default: false },
    mcpnest: { type: 'boolean', default: false },
    adapter: { type: 'string', default: 'express' },
    dispatch: { type: 'boolean', default: false },
  },
});
if (!values.a || !values.b) throw new Error('--a and --b name the two builds (their dist/src/main.js)');

const dispatch = values.dispatch;
const nestPeer = values.adapter === 'fastify' ? 'nest-fastify' : 'nest';

async function start(label, name, entry) {
  if (entry) process.env.BENCH_NEST_ENTRY = entry;
  return { label, peer: await startPeer(name, { probe: dispatch }) };
}

const servers = [await start('A', nestPeer, values.a), await start('B', nestPeer, values.b)];
if (values.floor) servers.push(await start('floor', 'floor'));
if (values.mcpnest) servers.push(await start('mcpnest', 'mcpnest'));
const load = (server, durationS, warmupS) =>
  runLoad({
    url: server.peer.url,
    workload: values.workload,
    ...(dispatch
      ? { protocol: 'queue', mode: 'open', rate: 25, concurrency: 4, durationS: durationS * 2.5 }
      : { protocol: values.protocol, concurrency: Number(values.concurrency), durationS }),
    warmupS,
    hooks: {
      windowStart: async () => {
        if (dispatch) await server.peer.probeStart();
        return server.peer.cpuSeconds();
      },
      windowEnd: async (cpuAtStart) => ({
        serverCpuSeconds: server.peer.cpuSeconds() - cpuAtStart,
        probe: dispatch ? await server.peer.probeStop() : null,
      }),
    },
  });

try {
  for (const server of servers) await load(server, 0.5, Number(values.warmup));
  const rows = [];
  for (let window = 0; window < Number(values.windows); window++) {
    const order = window % 2 ? [...servers].reverse() : servers;
    const row = {};
    for (const server of order) {
      const result = await load(server, Number(values.duration), 0.25);
      if (result.failures) throw new Error(`${server.label}: ${result.failures} failed calls: ${result.errors[0]}`);
      row[server.label] = {
        callsPerSecond: result.callsPerSecond,
        cpuMsPerCall: (result.serverCpuSeconds * 1000) / result.ok,
        p99: result.latencyMs?.p99 ?? null,
        dispatchP50: result.probe?.samplesMs.length ? median(result.probe.samplesMs) : null,
      };
    }
    rows.push(row);
    console.log(
      `window ${window + 1}: ` +
        Object.entries(row)
          .map(
            ([label, r]) =>
              `${label} ${r.callsPerSecond.toFixed(0)}/s ${r.cpuMsPerCall.toFixed(3)} ms CPU/call p99 ${r.p99} ms` +
              (r.dispatchP50 === null ? '' : ` dispatch p50 ${r.dispatchP50.toFixed(3)} ms`),
          )
          .join(', '),
    );
  }
  const ratio = (top, bottom, metric) => median(rows.map((row) => row[top][metric] / row[bottom][metric]));
  const summary = {
    protocol: values.protocol,
    workload: values.workload,
    concurrency: Number(values.concurrency),
    windows: rows.length,
    medianCallsPerSecond: Object.fromEntries(
      servers.map((server) => [server.label, median(rows.map((row) => row[server.label].callsPerSecond))]),
    ),
    medianCpuMsPerCall: Object.fromEntries(
      servers.map((server) => [server.label, median(rows.map((row) => row[server.label].cpuMsPerCall))]),
    ),
    medianDispatchP50Ms: dispatch
      ? Object.fromEntries(
          servers.map((server) => [server.label, median(rows.map((row) => row[server.label].dispatchP50))]),
        )
      : undefined,
    medianP99Ms: Object.fromEntries(
      servers.map((server) => [server.label, median(rows.map((row) => row[server.label].p99))]),
    ),
    bOverA: {
      callsPerSecond: ratio('B', 'A', 'callsPerSecond'),
      cpuMsPerCall: ratio('B', 'A', 'cpuMsPerCall'),
      p99: ratio('B', 'A', 'p99'),
      dispatchP50: dispatch ? ratio('B', 'A', 'dispatchP50') : undefined,
    },
  };
  if (values.floor) {
    summary.ofFloor = { A: ratio('A', 'floor', 'callsPerSecond'), B: ratio('B', 'floor', 'callsPerSecond') };
  }
  if (values.mcpnest) {
    summary.ofMcpNest = { A: ratio('A', 'mcpnest', 'callsPerSecond'), B: ratio('B', 'mcpnest', 'callsPerSecond') };
  }
  console.log(JSON.stringify(summary, null, 2));
} finally {
  for (const server of servers) await server.peer.stop();
}
