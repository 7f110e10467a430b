// The markdown report of a suite run and its SVG chart, and the short table the README quotes.
import { ratio, METRICS } from './summary.mjs';
import { svgDocument } from './svg-chart.mjs';

const show = (value, suffix = '') => (value === null || value === undefined ? '–' : `${value}${suffix}`);
const verdict = (pass) => (pass === null ? 'not measured' : pass ? '✅ met' : '❌ missed');

export function machineLine(results) {
  const { machine, versions } = results;
  return (
    `${machine.cores} cores (${machine.cpuModel ?? 'unknown CPU'}), ${machine.memoryGb} GB RAM, Linux ${machine.kernel}; ` +
    `Node ${versions.node}, Python ${versions.python ?? '–'}, Gradio ${versions.gradio ?? '–'}; ` +
    `load average at start ${machine.loadAverageAtStart.join(' / ')}`
  );
}

export function targetsTable(targets) {
  return [
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map(
      (target) =>
        `| ${target.target} | ${show(target.measured)}${target.note ? ` — ${target.note}` : ''} | ${verdict(target.pass)} |`,
    ),
  ].join('\n');
}

/** The throughput table: one row per workload and peer, medians over rounds. */
export function throughputTable(results, { compact = false } = {}) {
  const { cells, peers, throughput, runs, labels } = results;
  const rows = compact
    ? ['| workload | peer | calls/s | p50 ms | p99 ms | nest ÷ peer, calls/s |', '|---|---|---:|---:|---:|---:|']
    : [
        '| workload | peer | calls/s | msgs/s | p50 ms | p99 ms | dispatch p50 ms (client) | dispatch p50 ms (server) | server CPU ms/call | load-gen CPU % | msgs/call | failures |',
        '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ];
  for (const cell of cells) {
    for (const peer of peers) {
      const row = throughput[cell.id]?.[peer];
      if (!row) continue;
      if (compact) {
        const vs = peer === 'nest' ? '' : show(ratio(runs, cell.id, 'nest', peer, METRICS.callsPerSecond), '×');
        rows.push(
          `| ${cell.title} | ${labels[peer]} | ${show(row.callsPerSecond)} | ${show(row.p50)} | ${show(row.p99)} | ${vs} |`,
        );
      } else {
        rows.push(
          `| ${cell.title} | ${labels[peer]} | ${show(row.callsPerSecond)} | ${cell.workload === 'count' ? show(row.unitsPerSecond) : ''} | ${show(row.p50)} | ${show(row.p99)} | ${show(row.dispatchP50)} | ${show(row.serverDispatchP50)} | ${show(row.serverCpuMsPerCall)} | ${show(row.clientCpuPercent)} | ${show(row.messagesPerCall)} | ${row.failures} |`,
        );
      }
    }
  }
  return rows.join('\n');
}

function ratiosTable(results) {
  const { cells, runs } = results;
  const rows = [
    '| workload | nest ÷ Gradio calls/s | nest ÷ Gradio p99 | nest ÷ floor calls/s | nest ÷ floor p99 | nest ÷ MCP-Nest calls/s |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const cell of cells) {
    const speedMetric = cell.workload === 'count' ? METRICS.unitsPerSecond : METRICS.callsPerSecond;
    const values = [
      ratio(runs, cell.id, 'nest', 'gradio', speedMetric),
      ratio(runs, cell.id, 'nest', 'gradio', METRICS.p99),
      ratio(runs, cell.id, 'nest', 'floor', speedMetric),
      ratio(runs, cell.id, 'nest', 'floor', METRICS.p99),
      ratio(runs, cell.id, 'nest', 'mcpnest', speedMetric),
    ];
    if (values.every((value) => value === null)) continue;
    rows.push(`| ${cell.title} | ${values.map((value) => show(value, '×')).join(' | ')} |`);
  }
  return rows.join('\n');
}

export function chartSvg(results) {
  const { cells, peers, throughput, labels } = results;
  const shown = cells.filter((cell) => peers.some((peer) => throughput[cell.id]?.[peer]));
  const groups = shown.map((cell) => cell.short);
  const series = (pick) =>
    peers.map((peer) => ({
      label: labels[peer],
      values: shown.map((cell) => {
        const row = throughput[cell.id]?.[peer];
        return row ? pick(row, cell) : null;
      }),
    }));
  return svgDocument([
    {
      title: 'Throughput (calls/s; count: result messages/s) — higher is better',
      unit: 'per second',
      groups,
      series: series((row, cell) => (cell.workload === 'count' ? row.unitsPerSecond : row.callsPerSecond)),
    },
    { title: 'p99 latency (ms) — lower is better', unit: 'ms', groups, series: series((row) => row.p99) },
  ]);
}

function fairnessSection(results) {
  const { fairness, labels } = results;
  if (!fairness || Object.keys(fairness).length === 0) return '_not run_';
  const rows = [
    '| limit | peer | events × s | makespan s (ideal) | FIFO inversions | wait p50 / max ms | rank_eta: n, median abs error ms, median rel. error, mean signed error ms | process_starts.eta median abs error ms | failures |',
    '|---|---|---|---:|---:|---:|---|---:|---:|',
  ];
  for (const [limit, perPeer] of Object.entries(fairness)) {
    for (const [peer, row] of Object.entries(perPeer)) {
      if (row.skipped) {
        rows.push(`| ${limit} | ${labels[peer]} | ${row.skipped} | | | | | | |`);
        continue;
      }
      const ideal = Math.ceil(row.events / Number(limit)) * row.seconds;
      rows.push(
        `| ${limit} | ${labels[peer]} | ${row.events} × ${row.seconds} | ${(row.makespanMs / 1000).toFixed(2)} (${ideal.toFixed(2)}) | ${row.fifoInversions} | ${show(row.waitMs.p50)} / ${show(row.waitMs.max)} | ${row.rankEta.count}, ${show(row.rankEta.medianAbsErrorMs)}, ${show(row.rankEta.medianRelativeErrorPercent, ' %')}, ${show(row.rankEta.meanSignedErrorMs)} (${row.nullEtas} null of ${row.estimations}) | ${show(row.startsEta.medianAbsErrorMs)} | ${row.failures} |`,
      );
    }
  }
  return rows.join('\n');
}

function streamsSection(results) {
  const { streams, labels } = results;
  if (!streams || Object.keys(streams).length === 0) return '_not run_';
  const rows = [
    '| peer | streams asked | opened (s) | open at measure | RSS base → loaded MB | KB RSS / stream | KB live heap / stream | hang-up: queue empty after | RSS after MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [peer, entry] of Object.entries(streams)) {
    if (entry.error) {
      rows.push(`| ${labels[peer]} | | | | | | | ${entry.error} | |`);
      continue;
    }
    for (const level of entry.levels) {
      rows.push(
        `| ${labels[peer]} | ${level.level} | ${level.opened} (${level.openSeconds}) | ${level.streamsOpenAtMeasure} | ${level.baseline.rssMb} → ${level.loaded.rssMb} | ${show(level.rssKbPerStream)} | ${show(level.heapKbPerStream)} | ${level.hangUp.drained ? `${level.hangUp.drainMs} ms` : `not within ${level.hangUp.drainMs} ms`}${level.hangUp.abortLoopMs !== undefined ? ` (client hang-up loop ${level.hangUp.abortLoopMs} ms)` : ''} | ${show(level.hangUp.after.rssMb)} |`,
      );
    }
  }
  return rows.join('\n');
}

function leakSection(results) {
  const { leak, labels } = results;
  if (!leak || Object.keys(leak).length === 0) return '_not run_';
  const rows = [
    '| peer | calls (s) | calls/s | failures | RSS MB: before → first sample → last → idle | live heap MB: before → first → last → idle | growth first → last |',
    '|---|---:|---:|---:|---|---|---|',
  ];
  for (const [peer, row] of Object.entries(leak)) {
    if (row.error) {
      rows.push(`| ${labels[peer]} | ${row.error} | | | | | |`);
      continue;
    }
    const first = row.checkpoints[0] ?? {};
    const last = row.checkpoints[row.checkpoints.length - 1] ?? {};
    rows.push(
      `| ${labels[peer]} | ${row.calls}${row.timeLimited ? ' (time-limited)' : ''} (${row.seconds}) | ${row.callsPerSecond} | ${row.failures} | ${row.before.rssMb} → ${show(first.rssMb)} → ${show(last.rssMb)} → ${row.idle.rssMb} | ${show(row.before.liveHeapMb)} → ${show(first.liveHeapMb)} → ${show(last.liveHeapMb)} → ${show(row.idle.liveHeapMb)} | RSS ${show(row.rssGrowthMb)} MB, heap ${show(row.liveHeapGrowthMb)} MB |`,
    );
  }
  return rows.join('\n');
}

function coldStartSection(results) {
  const { coldStart, labels } = results;
  return [
    '| peer | cold start → first served call, ms (median) | all runs |',
    '|---|---:|---|',
    ...Object.entries(coldStart).map(
      ([peer, entry]) => `| ${labels[peer]} | ${show(entry.median)} | ${entry.runs.join(', ')} |`,
    ),
  ].join('\n');
}

export function markdownReport(results, chartFile) {
  return [
    `# nest-gradio benchmarks — ${results.startedAt}`,
    '',
    `Machine: ${machineLine(results)}.`,
    '',
    `Command: \`${results.command}\` — ${results.rounds} round(s) of A B C alternation (${results.peers.map((peer) => results.labels[peer]).join(', ')}), ` +
      `${results.options.durationS} s measured per workload after ${results.options.warmupS} s of warm-up; whole run ${results.durationS} s.`,
    '',
    'Every call is verified (value, and for generators every step rebuilt from its diffs); failures are counted, never timed. ' +
      'Both real servers run with the same limits: default concurrency limit 1 (add, slow_echo), none for count, 40 jobs at once. ' +
      'The floor has no queue and no limits. The load generator shares the machine with the servers (its CPU use is shown).',
    '',
    '## Targets',
    '',
    targetsTable(results.targets),
    '',
    `## Throughput and latency (medians over rounds)`,
    '',
    throughputTable(results),
    '',
    '## Ratios (median of per-round ratios)',
    '',
    ratiosTable(results),
    '',
    `![throughput and p99 latency per peer](${chartFile})`,
    '',
    '## Cold start',
    '',
    coldStartSection(results),
    '',
    '## Queue fairness and ETA accuracy (slow_echo)',
    '',
    fairnessSection(results),
    '',
    '## Idle data streams (memory per stream)',
    '',
    'Each session joins a long `slow_echo` (limit 1: one runs, the rest wait) and keeps its stream open. Per-stream cost = ' +
      'growth over the server\'s baseline ÷ open streams. Then every client hangs up at once; "queue empty after" is the time ' +
      "until `queue/status` reports no waiting event (the floor, which has no queue, shows this measurement's own floor).",
    '',
    streamsSection(results),
    '',
    '## Leak check (RSS over many calls)',
    '',
    leakSection(results),
    '',
    '## Notes',
    '',
    ...(results.notes.length ? results.notes.map((note) => `- ${note}`) : ['- none']),
    '',
  ].join('\n');
}

/** What the README quotes: the machine, the targets and the compact table. */
export function readmeBlock(results, reportPath) {
  return [
    `Latest run (${results.startedAt}, \`${results.command}\`, full report: [${reportPath}](${reportPath})) on ${machineLine(results)}:`,
    '',
    targetsTable(results.targets),
    '',
    throughputTable(results, { compact: true }),
  ].join('\n');
}
