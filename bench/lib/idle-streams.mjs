// Memory per idle stream: sessions each join a long `slow_echo` (the endpoint's limit is 1, so one runs and the
// rest wait) and keep their `queue/data` stream open, as a client waiting in a queue does. A session counts as open
// once its stream has delivered its first message. The server's RSS (and live heap after a forced GC, for Node) is
// read at each level; the per-stream cost is the growth over the server's baseline divided by the streams.
// Then every client hangs up at once, and the time until the server's queue is empty again is measured.
import { Client } from 'undici';
import { createPools, fnIndexOf, QueueSession } from './queue-client.mjs';

const HOLD_SECONDS = 3600;

export async function idleStreams(
  peer,
  { levels = [1000, 10000], parallel = 128, openTimeoutMs = 120_000, drainTimeoutMs = 30_000 } = {},
) {
  const results = [];
  for (const level of levels) {
    results.push(await oneLevel(peer, level, { parallel, openTimeoutMs, drainTimeoutMs }));
  }
  return results;
}

async function oneLevel(peer, level, { parallel, openTimeoutMs, drainTimeoutMs }) {
  const pools = createPools(peer.url, { requestConnections: parallel });
  const sessions = [];
  try {
    await settle();
    const baseline = await memory(peer);
    const fnIndex = await fnIndexOf(pools, 'slow_echo');
    const began = performance.now();
    let next = 0;
    let failures = 0;
    let firstError = null;
    // Each opener joins, waits for the stream to serve its first message, then takes the next session: at most
    // `parallel` sessions are between join and open at any time (a server may evict sessions nobody reads).
    const opener = async () => {
      while (next < level && performance.now() - began < openTimeoutMs) {
        next++;
        const session = new QueueSession(pools);
        const trace = session.submit(fnIndex, ['idle', HOLD_SECONDS]);
        const opened = await Promise.race([
          trace.firstMessage.then(() => true),
          trace.done.then(
            () => true,
            () => false,
          ),
        ]);
        if (opened) sessions.push(session);
        else {
          failures++;
          firstError ??= await trace.done.catch((error) => String(error.message));
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, opener));
    const openMs = performance.now() - began;
    await settle();
    const open = sessions.filter((session) => session.streamOpen).length;
    const loaded = await memory(peer);
    const perStream = (key, unit) =>
      loaded[key] === null || baseline[key] === null || open === 0
        ? null
        : Number((((loaded[key] - baseline[key]) * unit) / open).toFixed(2));
    // Streams may have been dropped by the server meanwhile (a session cap); count what is still open.
    const stillOpen = sessions.filter((session) => session.streamOpen).length;
    // Everyone hangs up; the server should forget the waiting events.
    const hangUp = performance.now();
    for (const session of sessions) session.abort();
    const abortLoopMs = performance.now() - hangUp;
    const drained = await waitForEmptyQueue(peer.url, drainTimeoutMs);
    const drainMs = performance.now() - hangUp;
    await settle();
    const after = drained ? await memory(peer) : { rssMb: peer.rssMb(), liveHeapMb: null, fds: peer.openFds() };
    return {
      level,
      opened: sessions.length,
      failures,
      firstError,
      openSeconds: Number((openMs / 1000).toFixed(1)),
      streamsOpenAtMeasure: open,
      streamsOpenAfterMeasure: stillOpen,
      baseline,
      loaded,
      rssKbPerStream: perStream('rssMb', 1024),
      heapKbPerStream: perStream('liveHeapMb', 1024),
      hangUp: { drained, drainMs: Math.round(drainMs), abortLoopMs: Math.round(abortLoopMs), after },
    };
  } finally {
    for (const session of sessions) session.abort();
    await pools.close();
  }
}

/** The server's memory: a forced GC first (Node peers), so that RSS is read with the garbage gone too. */
async function memory(peer) {
  const liveHeapMb = await peer.liveHeapMb();
  return { rssMb: peer.rssMb(), liveHeapMb, fds: peer.openFds() };
}

/**
 * Polls `queue/status` on a connection of its own (the pools' idle keep-alive connections may be stale by now)
 * until no event waits, or the timeout passes; false on timeout.
 */
async function waitForEmptyQueue(url, timeoutMs) {
  const client = new Client(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const started = performance.now();
  try {
    while (performance.now() - started < timeoutMs) {
      try {
        const response = await client.request({
          path: `${new URL(url).pathname.replace(/\/+$/, '')}/gradio_api/queue/status`,
          method: 'GET',
        });
        const status = JSON.parse(await response.body.text());
        if (status.queue_size === 0) return true;
      } catch {
        // the server may be too busy to answer; keep polling
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  } finally {
    await client.destroy();
  }
}

function settle(ms = 1000) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
