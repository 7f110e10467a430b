// Leak check: `calls` verified `add` calls through the queue by `concurrency` virtual clients, each starting a new
// session every `sessionCalls` calls (so sessions come and go as well as events), with the server's memory sampled
// `samples` times on the way: RSS, and for Node servers the live heap after a forced GC (garbage not yet collected
// must not pass for a leak). Samples are taken every `calls / samples` calls and, for a server too slow to finish
// within `timeLimitS`, every `timeLimitS / samples` seconds as well. Growth is measured from the first sample
// (after the warm-up share) to the last.
import { createPools, fnIndexOf, QueueSession } from './queue-client.mjs';
import { verifyQueueTrace, WORKLOADS } from './workloads.mjs';

export async function leakCheck(
  peer,
  { calls = 100_000, concurrency = 32, sessionCalls = 50, samples = 10, timeLimitS = 150 } = {},
) {
  const pools = createPools(peer.url, { requestConnections: concurrency });
  const fnIndex = await fnIndexOf(pools, 'add');
  const checkpoints = [];
  const sample = async (calls) => {
    const liveHeapMb = await peer.liveHeapMb();
    return { calls, rssMb: peer.rssMb(), liveHeapMb };
  };
  const before = await sample(0);
  const sampleEvery = Math.max(1, Math.floor(calls / samples));
  let next = 0;
  let completed = 0;
  let failures = 0;
  const errors = [];
  let sampling = Promise.resolve();
  const began = performance.now();
  const deadline = began + timeLimitS * 1000;
  const takeSample = () => {
    const at = completed;
    sampling = sampling.then(async () => {
      if (peer.alive && !checkpoints.some((checkpoint) => checkpoint.calls === at)) checkpoints.push(await sample(at));
    });
  };
  const timer = setInterval(takeSample, (timeLimitS * 1000) / samples);
  const worker = async () => {
    let session = new QueueSession(pools);
    let sessionUsed = 0;
    while (next < calls && performance.now() < deadline) {
      const seq = next++;
      if (sessionUsed++ >= sessionCalls) {
        session = new QueueSession(pools);
        sessionUsed = 1;
      }
      const args = WORKLOADS.add.args(seq);
      try {
        const trace = await session.submit(fnIndex, args).done;
        const error = verifyQueueTrace(WORKLOADS.add, args, trace);
        if (error) throw new Error(error);
      } catch (error) {
        failures++;
        if (errors.length < 3) errors.push(String(error.message));
      }
      completed++;
      if (completed % sampleEvery === 0) takeSample();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(timer);
  await sampling;
  checkpoints.sort((left, right) => left.calls - right.calls);
  const seconds = (performance.now() - began) / 1000;
  // Idle again (the last streams close 200 ms after their last call): the state left behind.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await pools.close();
  if (!peer.alive) throw new Error(`the server died after ${completed} calls:\n${peer.logTail(15)}`);
  const idle = await sample(completed);
  const first = checkpoints[0] ?? before;
  const last = checkpoints[checkpoints.length - 1] ?? before;
  const growth = (key) =>
    first[key] === null || last[key] === null ? null : Number((last[key] - first[key]).toFixed(2));
  return {
    calls: completed,
    requested: calls,
    timeLimited: completed < calls,
    failures,
    errors,
    seconds: Number(seconds.toFixed(1)),
    callsPerSecond: Number((completed / seconds).toFixed(1)),
    before,
    checkpoints,
    idle,
    rssGrowthMb: growth('rssMb'),
    liveHeapGrowthMb: growth('liveHeapMb'),
  };
}
