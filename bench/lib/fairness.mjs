// Queue fairness and ETA accuracy: `events` clients (one session each) join `slow_echo(seconds)` one after another,
// all waiting on the same concurrency group. Fair = started in join order (FIFO). ETA accuracy = each `estimation`
// message's `rank_eta` (seconds from that message until the event's result) against the time the result actually
// took from that message; and `process_starts.eta` against the actual run time. The endpoint's mean is primed with
// a few calls first, so that estimates exist (the first join after start has none).
import { createPools, fnIndexOf, QueueSession } from './queue-client.mjs';
import { verifyQueueTrace, WORKLOADS } from './workloads.mjs';

export async function queueFairness(url, { events = 16, seconds = 0.25, primeCalls = 2 } = {}) {
  const pools = createPools(url, { requestConnections: Math.min(events, 64) });
  try {
    const fnIndex = await fnIndexOf(pools, 'slow_echo');
    for (let index = 0; index < primeCalls; index++) {
      await new QueueSession(pools).submit(fnIndex, [`prime ${index}`, seconds]).done;
    }
    const traces = [];
    const argsList = [];
    const begin = performance.now();
    for (let index = 0; index < events; index++) {
      const args = [`fair ${index}`, seconds];
      argsList.push(args);
      const trace = new QueueSession(pools).submit(fnIndex, args);
      traces.push(trace);
      // Join strictly one after another, so that the join order is known.
      await trace.joined;
    }
    const settled = await Promise.allSettled(traces.map((trace) => trace.done));
    const makespanMs = performance.now() - begin;
    const failures = settled
      .map((outcome, index) =>
        outcome.status === 'rejected'
          ? String(outcome.reason?.message ?? outcome.reason)
          : verifyQueueTrace(WORKLOADS.slow_echo, argsList[index], traces[index]),
      )
      .filter(Boolean);
    return {
      events,
      seconds,
      makespanMs: round(makespanMs),
      failures: failures.length,
      errors: failures.slice(0, 3),
      ...analyse(traces),
    };
  } finally {
    await pools.close();
  }
}

function analyse(traces) {
  const done = traces.filter((trace) => trace.completedAt > 0 && trace.startsAt > 0);
  // FIFO: pairs (i joined before j) where j started first.
  let inversions = 0;
  for (let i = 0; i < done.length; i++) {
    for (let j = i + 1; j < done.length; j++) if (done[j].startsAt < done[i].startsAt) inversions++;
  }
  const waits = done.map((trace) => trace.startsAt - trace.sentAt);
  const etaErrors = [];
  const etaRelative = [];
  let estimations = 0;
  let nullEtas = 0;
  const runErrors = [];
  for (const trace of done) {
    trace.messages.forEach((message, index) => {
      if (message.msg === 'estimation') {
        estimations++;
        if (message.rank_eta === null || message.rank_eta === undefined) {
          nullEtas++;
          return;
        }
        const actual = trace.completedAt - trace.times[index];
        etaErrors.push(message.rank_eta * 1000 - actual);
        if (actual > 0) etaRelative.push(Math.abs(message.rank_eta * 1000 - actual) / actual);
      } else if (message.msg === 'process_starts' && typeof message.eta === 'number') {
        runErrors.push(message.eta * 1000 - (trace.completedAt - trace.startsAt));
      }
    });
  }
  const absolute = etaErrors.map(Math.abs);
  return {
    completed: done.length,
    fifoInversions: inversions,
    waitMs: { p50: round(quantile(waits, 0.5)), max: round(Math.max(...waits, 0)) },
    estimations,
    nullEtas,
    rankEta: {
      count: etaErrors.length,
      medianAbsErrorMs: round(quantile(absolute, 0.5)),
      p90AbsErrorMs: round(quantile(absolute, 0.9)),
      meanSignedErrorMs: round(mean(etaErrors)),
      medianRelativeErrorPercent: round(quantile(etaRelative, 0.5) * 100),
    },
    startsEta: { count: runErrors.length, medianAbsErrorMs: round(quantile(runErrors.map(Math.abs), 0.5)) },
  };
}

function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function mean(values) {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value) {
  return value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value * 10) / 10;
}
