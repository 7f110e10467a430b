// From the raw runs of a suite to what the report shows: medians over rounds per workload and peer, the median of
// each round's ratio per pair of peers (a ratio is only taken between runs of the same round, so that the machine's
// state drifts out), and the targets with pass/fail.

export function median(values) {
  const numbers = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (numbers.length === 0) return null;
  const middle = Math.floor(numbers.length / 2);
  return numbers.length % 2 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
}

const round3 = (value) => (value === null ? null : Number(value.toPrecision(4)));

/** Medians per cell and peer. */
export function summarizeThroughput(runs, cells, peers) {
  const summary = {};
  for (const cell of cells) {
    summary[cell.id] = {};
    for (const peer of peers) {
      const results = runs.filter((run) => run.cell === cell.id && run.peer === peer).map((run) => run.result);
      if (results.length === 0) continue;
      summary[cell.id][peer] = {
        rounds: results.length,
        callsPerSecond: round3(median(results.map((result) => result.callsPerSecond))),
        unitsPerSecond: round3(median(results.map((result) => result.unitsPerSecond))),
        p50: round3(median(results.map((result) => result.latencyMs?.p50))),
        p99: round3(median(results.map((result) => result.latencyMs?.p99))),
        dispatchP50: round3(median(results.map((result) => result.dispatchMs?.p50))),
        serverDispatchP50: round3(median(results.map((result) => result.serverDispatchMs?.p50))),
        serverCpuMsPerCall: round3(median(results.map((result) => result.serverCpuMsPerCall))),
        clientCpuPercent: round3(median(results.map((result) => result.clientCpuPercent))),
        messagesPerCall: round3(median(results.map((result) => result.messagesPerCall))),
        failures: results.reduce((sum, result) => sum + result.failures, 0),
        errors: [...new Set(results.flatMap((result) => result.errors))].slice(0, 3),
      };
    }
  }
  return summary;
}

/** Median over rounds of `numerator / denominator` of a metric, between two peers' runs of the same round. */
export function ratio(runs, cellId, numeratorPeer, denominatorPeer, metric) {
  const rounds = [...new Set(runs.map((run) => run.round))];
  const ratios = [];
  for (const round of rounds) {
    const top = runs.find((run) => run.round === round && run.cell === cellId && run.peer === numeratorPeer);
    const bottom = runs.find((run) => run.round === round && run.cell === cellId && run.peer === denominatorPeer);
    const a = metric(top?.result);
    const b = metric(bottom?.result);
    if (typeof a === 'number' && typeof b === 'number' && b > 0) ratios.push(a / b);
  }
  return ratios.length ? round3(median(ratios)) : null;
}

export const METRICS = {
  callsPerSecond: (result) => result?.callsPerSecond,
  unitsPerSecond: (result) => result?.unitsPerSecond,
  p99: (result) => result?.latencyMs?.p99,
  p50: (result) => result?.latencyMs?.p50,
};

/**
 * The targets, each with what was measured and whether it holds (null: not measured in this run). The
 * throughput and latency targets are evaluated for nest-gradio on Express (the default, unlabelled) and, when it ran,
 * on Fastify (labelled); memory targets for the default peer.
 */
export function evaluateTargets({ runs, throughput, streams, leak }) {
  const targets = [];
  const add = (target, measured, pass, note = '') => targets.push({ target, measured, pass, note });
  for (const [peer, label] of [
    ['nest', ''],
    ['nest-fastify', ' (on Fastify)'],
  ]) {
    if (!runs.some((run) => run.peer === peer)) continue;
    throughputTargets(runs, throughput, peer, label, add);
  }
  const tenK = streams?.nest?.levels?.find((level) => level.level === 10_000);
  add(
    '10 000 idle data streams < 300 MB RSS',
    tenK ? `${tenK.loaded.rssMb} MB with ${tenK.streamsOpenAtMeasure} open (${tenK.rssKbPerStream} KB each)` : null,
    tenK ? tenK.loaded.rssMb < 300 && tenK.streamsOpenAtMeasure >= 10_000 : null,
    tenK && tenK.streamsOpenAtMeasure < 10_000
      ? `${tenK.failures} sessions could not open a stream (${tenK.firstError})`
      : '',
  );
  const nestLeak = leak?.nest;
  if (nestLeak) {
    const heapOk = nestLeak.liveHeapGrowthMb === null || nestLeak.liveHeapGrowthMb <= 1;
    const first = nestLeak.checkpoints[0]?.rssMb;
    const rssOk = nestLeak.rssGrowthMb <= Math.max(5, (first ?? 0) * 0.1);
    add(
      `no RSS growth after ${nestLeak.requested} calls (live heap ≤ +1 MB, RSS ≤ +10 %)`,
      `${nestLeak.calls} calls: live heap ${signed(nestLeak.liveHeapGrowthMb)} MB, RSS ${signed(nestLeak.rssGrowthMb)} MB (from the first sample)`,
      nestLeak.calls >= nestLeak.requested ? heapOk && rssOk : null,
      nestLeak.calls < nestLeak.requested ? 'time-limited: fewer calls than asked' : '',
    );
  } else {
    add('no RSS growth after 100 000 calls', null, null);
  }
  return targets;
}

/** The targets on calls/s, p99 and dispatch for one nest-gradio peer; `label` follows each target's name. */
function throughputTargets(runs, throughput, peer, label, add) {
  for (const cell of ['add-c16', 'add-c256']) {
    const speed = ratio(runs, cell, peer, 'gradio', METRICS.callsPerSecond);
    add(
      `${cell}: calls/s ≥ 10× Python Gradio${label}`,
      speed === null ? null : `${speed}×`,
      speed === null ? null : speed >= 10,
    );
    const p99 = ratio(runs, cell, peer, 'gradio', METRICS.p99);
    add(
      `${cell}: p99 ≤ 1/5 of Python Gradio's${label}`,
      p99 === null ? null : `${p99}× (≤ 0.2 needed)`,
      p99 === null ? null : p99 <= 0.2,
    );
    const floor = ratio(runs, cell, peer, 'floor', METRICS.callsPerSecond);
    add(
      `${cell}: calls/s ≥ 50 % of the bare-Node floor${label}`,
      floor === null ? null : `${Math.round(floor * 100)} %`,
      floor === null ? null : floor >= 0.5,
    );
  }
  for (const [cell, share] of [
    ['add-call-c16', 0.35],
    ['add-mcp-c16', 0.25],
  ]) {
    const floor = ratio(runs, cell, peer, 'floor', METRICS.callsPerSecond);
    add(
      `${cell}: calls/s ≥ ${Math.round(share * 100)} % of the bare-Node floor${label}`,
      floor === null ? null : `${Math.round(floor * 100)} %`,
      floor === null ? null : floor >= share,
    );
  }
  const mcpNest = ratio(runs, 'add-mcp-c16', peer, 'mcpnest', METRICS.callsPerSecond);
  add(
    `add-mcp-c16: calls/s ahead of MCP-Nest (@rekog/mcp-nest, no queue)${label}`,
    mcpNest === null ? null : `${mcpNest}×`,
    mcpNest === null ? null : mcpNest > 1,
  );
  // Server-side (bench/peers/dispatch-probe.mjs): from the join request's arrival to its process_starts written to
  // the stream socket — the queue's dispatch, without the client and the network. The client's view (join sent →
  // process_starts read) is kept beside it, and stands in when the probe did not run.
  const server = throughput['add-open']?.[peer]?.serverDispatchP50 ?? null;
  const client = throughput['add-open']?.[peer]?.dispatchP50 ?? null;
  const floorServer = throughput['add-open']?.floor?.serverDispatchP50 ?? null;
  const floorClient = throughput['add-open']?.floor?.dispatchP50 ?? null;
  const low = server ?? client;
  add(
    `queue dispatch (join → process_starts) p50 < 1 ms at low load${label}`,
    low === null
      ? null
      : `${low} ms ${server !== null ? 'in the server' : 'seen by the client'}, open loop at 25 calls/s ` +
          `(client's view incl. the join round trip: ${client ?? '–'} ms; the floor: ${floorServer ?? '–'} ms in the server, ${floorClient ?? '–'} ms seen by the client)`,
    low === null ? null : low < 1,
    server !== null
      ? 'server side: join request arrived (headers parsed) → the bytes of its process_starts handed to the socket'
      : "measured by the client, so it includes the join's HTTP round trip and the stream read",
  );
}

function signed(value) {
  return value === null || value === undefined ? 'n/a' : `${value >= 0 ? '+' : ''}${value}`;
}
