#!/usr/bin/env node
// What an idle stream holds in the server's heap, by constructor: heap snapshots of a peer before and after opening
// N idle `queue/data` streams (each session waits behind a long `slow_echo`, as in the suite's idle-streams phase),
// then the objects the second has and the first has not, per stream.
//   node bench/stream-heap.mjs [--peer nest|nest-fastify] [--streams 2000] [--keep <path prefix>]
// `--keep` leaves the two .heapsnapshot files (open them in Chrome DevTools' Memory tab, "Comparison" view).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPeer } from './lib/peers.mjs';
import { createPools, fnIndexOf, QueueSession } from './lib/queue-client.mjs';

const { values } = parseArgs({
  options: {
    peer: { type: 'string', default: 'nest' },
    streams: { type: 'string', default: '2000' },
    keep: { type: 'string' },
  },
});
const streams = Number(values.streams);
const prefix = values.keep ?? join(mkdtempSync(join(tmpdir(), 'nest-gradio-stream-heap-')), 'heap');

const peer = await startPeer(values.peer, { inspect: true });
const pools = createPools(peer.url, { requestConnections: 64 });
const sessions = [];
try {
  await settle();
  await snapshot(`${prefix}-before.heapsnapshot`);
  const fnIndex = await fnIndexOf(pools, 'slow_echo');
  let next = 0;
  const opener = async () => {
    while (next < streams) {
      next++;
      const session = new QueueSession(pools);
      await session.submit(fnIndex, ['idle', 3600]).firstMessage;
      sessions.push(session);
    }
  };
  await Promise.all(Array.from({ length: 64 }, opener));
  await settle();
  const open = sessions.filter((session) => session.streamOpen).length;
  await snapshot(`${prefix}-after.heapsnapshot`);
  const rows = perStream(countsOf(`${prefix}-before.heapsnapshot`), countsOf(`${prefix}-after.heapsnapshot`), open);
  const total = rows.reduce((sum, row) => sum + row.bytes, 0);
  console.log(`${peer.label}: ${open} idle streams, ${total.toFixed(0)} bytes of live heap per stream`);
  console.log('bytes/stream  objects/stream  constructor');
  for (const row of rows.slice(0, 30)) {
    console.log(`${row.bytes.toFixed(0).padStart(12)}  ${row.count.toFixed(2).padStart(14)}  ${row.name}`);
  }
} finally {
  for (const session of sessions) session.abort();
  await pools.close();
  await peer.stop(2_000);
  if (values.keep === undefined) rmSync(join(prefix, '..'), { recursive: true, force: true });
}

/** A full GC, then a heap snapshot written by the server itself. */
async function snapshot(file) {
  await peer.inspector.send('HeapProfiler.collectGarbage');
  await peer.inspector.send('Runtime.evaluate', {
    expression: `process.getBuiltinModule('v8').writeHeapSnapshot(${JSON.stringify(file)})`,
    returnByValue: true,
  });
}

/** Objects and self bytes per constructor (or internal type) in a snapshot. */
function countsOf(file) {
  const heap = JSON.parse(readFileSync(file, 'utf8'));
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const counts = new Map();
  for (let index = 0; index < heap.nodes.length; index += fields.length) {
    const kind = types[heap.nodes[index + type]];
    const named = kind === 'object' || kind === 'closure';
    const key = named
      ? `${kind === 'closure' ? 'closure ' : ''}${heap.strings[heap.nodes[index + name]]}`
      : `(${kind})`;
    const entry = counts.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += heap.nodes[index + size];
    counts.set(key, entry);
  }
  return counts;
}

function perStream(before, after, open) {
  return [...after]
    .map(([name, { count, bytes }]) => {
      const base = before.get(name) ?? { count: 0, bytes: 0 };
      return { name, count: (count - base.count) / open, bytes: (bytes - base.bytes) / open };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function settle(ms = 1000) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
