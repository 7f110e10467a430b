// The two ways of offering load. Closed loop: N workers, each starting its next call when the previous one ends
// (throughput at a fixed concurrency). Open loop: calls arrive at a fixed rate whatever the server does, and each
// latency counts from the call's scheduled time, so a stalled server cannot hide its queueing (no coordinated
// omission). Throughput and latencies (HDR histograms, microseconds) count the calls that end inside the measurement
// window, after a warm-up that lets the start-up burst drain. A call that started before the window still counts:
// when one call takes longer than the window (Python Gradio at c=256 takes seconds), requiring both ends inside it
// would leave the slowest peer with no latency at all.
import hdr from 'hdr-histogram-js';

export function newHistogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** Percentiles of a microsecond histogram, in milliseconds (null when empty). */
export function summarizeHistogram(histogram) {
  if (histogram.totalCount === 0) return null;
  const ms = (us) => Number((us / 1000).toFixed(3));
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

/**
 * Collects what calls report: `{ error }` for a failure, else `{ completedAt, units, dispatchMs }` (units = result
 * messages, dispatchMs = join → process_starts). Failures are counted whenever they happen (warm-up included);
 * successes only inside the window.
 */
class Recorder {
  latency = newHistogram();
  dispatch = newHistogram();
  ok = 0;
  units = 0;
  failures = 0;
  errors = [];
  windowStart = Infinity;
  windowEnd = Infinity;

  record(startedAt, result) {
    const endedAt = performance.now();
    if (result.error) {
      this.failures++;
      if (this.errors.length < 5) this.errors.push(result.error);
      return;
    }
    if (endedAt < this.windowStart || endedAt > this.windowEnd) return;
    this.ok++;
    this.units += result.units ?? 1;
    this.latency.recordValue(Math.max(1, Math.round((result.completedAt - startedAt) * 1000)));
    if (result.dispatchMs !== undefined) this.dispatch.recordValue(Math.max(1, Math.round(result.dispatchMs * 1000)));
  }

  summary(extra) {
    const seconds = (this.windowEnd - this.windowStart) / 1000;
    return {
      ok: this.ok,
      failures: this.failures,
      errors: this.errors,
      seconds: Number(seconds.toFixed(3)),
      callsPerSecond: Number((this.ok / seconds).toFixed(1)),
      unitsPerSecond: Number((this.units / seconds).toFixed(1)),
      latencyMs: summarizeHistogram(this.latency),
      dispatchMs: summarizeHistogram(this.dispatch),
      ...extra,
    };
  }
}

/** Wraps a call so that a thrown error becomes a failure record. */
async function attempt(operation, ...args) {
  try {
    return await operation(...args);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
}

/**
 * Closed loop: `concurrency` workers call `operation(worker, seq)` back to back for `warmupMs + durationMs`.
 * `hooks.windowStart/windowEnd` run at the window's edges (e.g. to read the server's CPU time).
 */
export async function closedLoop({ concurrency, warmupMs, durationMs, operation, hooks = {} }) {
  const recorder = new Recorder();
  const begin = performance.now();
  recorder.windowStart = begin + warmupMs;
  recorder.windowEnd = recorder.windowStart + durationMs;
  const window = measureWindow(recorder, hooks, begin);
  let seq = 0;
  const worker = async (index) => {
    while (performance.now() < recorder.windowEnd) {
      const startedAt = performance.now();
      recorder.record(startedAt, await attempt(operation, index, seq++, startedAt));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_unused, index) => worker(index)));
  return recorder.summary({ mode: 'closed', concurrency, ...(await window.finish()) });
}

/**
 * Open loop: one call every `1000 / rate` ms for `warmupMs + durationMs`, each latency measured from its scheduled
 * start. Calls beyond `maxInFlight` are not sent and are reported as `shed` (the server could not keep up).
 */
export async function openLoop({ rate, warmupMs, durationMs, maxInFlight = 10_000, operation, hooks = {} }) {
  const recorder = new Recorder();
  const begin = performance.now();
  recorder.windowStart = begin + warmupMs;
  recorder.windowEnd = recorder.windowStart + durationMs;
  const window = measureWindow(recorder, hooks, begin);
  const interval = 1000 / rate;
  const inFlight = new Set();
  let shed = 0;
  let seq = 0;
  for (;;) {
    const due = begin + seq * interval;
    if (due >= recorder.windowEnd) break;
    const wait = due - performance.now();
    if (wait > 0.5) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= maxInFlight) {
      shed++;
    } else {
      const call = attempt(operation, seq % Number.MAX_SAFE_INTEGER, seq, due).then((result) => {
        recorder.record(due, result);
        inFlight.delete(call);
      });
      inFlight.add(call);
    }
    seq++;
  }
  // The window ends at its time, not at the last send: its edge hooks (server CPU, dispatch probe) run then.
  const rest = recorder.windowEnd - performance.now();
  if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest + 1));
  await Promise.all(inFlight);
  return recorder.summary({ mode: 'open', rate, offered: seq, shed, ...(await window.finish()) });
}

/**
 * At the window's edges: reads this process's CPU time (is the load generator itself the bottleneck?) and runs the
 * caller's hooks (e.g. the server's CPU time). `finish` returns `{ clientCpuPercent, ...hooks.windowEnd() }`.
 */
function measureWindow(recorder, hooks, begin) {
  let cpuAtStart;
  let startResult;
  let endResult;
  let clientCpuPercent = null;
  const startTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    startResult = hooks.windowStart?.();
  }, recorder.windowStart - begin);
  const endTimer = setTimeout(() => {
    const cpu = process.cpuUsage(cpuAtStart);
    const windowUs = (recorder.windowEnd - recorder.windowStart) * 1000;
    clientCpuPercent = Number((((cpu.user + cpu.system) / windowUs) * 100).toFixed(1));
    endResult = Promise.resolve(startResult).then((started) => hooks.windowEnd?.(started));
  }, recorder.windowEnd - begin);
  return {
    async finish() {
      clearTimeout(startTimer);
      clearTimeout(endTimer);
      return { clientCpuPercent, ...((await endResult) ?? {}) };
    },
  };
}
