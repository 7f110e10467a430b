#!/usr/bin/env node
// Memory soak: runs the built showcase in its own process, makes N calls of `add` through the queue protocol
// (queue/join + queue/data, as both official clients do) and samples the server's memory as it goes, to show
// that completed events leave nothing behind. Each sample forces a full GC in the server through the inspector
// protocol and reads its live heap, so garbage not yet collected does not pass for a leak (RSS is shown too).
//   node bench/soak.mjs [calls=100000] [concurrency=32]
import { Pool } from 'undici';
import { startInspectedServer } from './inspected-server.mjs';

const total = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 32);

const { url, liveHeapMb: heapMb, rssMb, close } = await startInspectedServer();
/** The server's live heap after a full GC, in MB. */
const liveHeapMb = async () => Number((await heapMb()).toFixed(2));
const pool = new Pool(url, { connections: concurrency * 2, pipelining: 1 });

async function call(index) {
  const session = `soak-${index}`;
  const join = await pool.request({
    path: '/gradio_api/queue/join',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: [index, 1], fn_index: 1, session_hash: session }),
  });
  await join.body.json();
  // Like both official clients, take the result from process_completed without waiting for the stream to end
  // (the server keeps a data stream open a little while for the session's next call), then hang up.
  const stream = await pool.request({ path: `/gradio_api/queue/data?session_hash=${session}`, method: 'GET' });
  let text = '';
  for await (const chunk of stream.body) {
    text += chunk;
    if (text.includes('"msg":"process_completed"') && text.endsWith('\n\n')) break;
  }
  stream.body.destroy();
  if (!text.includes(`"output":{"data":[${index + 1}]`)) throw new Error(`wrong answer for ${index}: ${text}`);
}

const samples = [];
let next = 0;
const started = performance.now();
const sampleEvery = Math.max(1, Math.floor(total / 10));
async function worker() {
  while (next < total) {
    const index = next++;
    await call(index);
    if ((index + 1) % sampleEvery === 0) {
      samples.push({ calls: index + 1, liveHeapMb: await liveHeapMb(), rssMb: Number(rssMb().toFixed(1)) });
    }
  }
}
const before = { liveHeapMb: await liveHeapMb(), rssMb: Number(rssMb().toFixed(1)) };
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const status = await (await pool.request({ path: '/gradio_api/queue/status', method: 'GET' })).body.json();
await pool.close();
close();

const report = { calls: total, concurrency, seconds: Number(seconds.toFixed(1)), before, samples, queueAfter: status };
console.log(JSON.stringify(report, null, 2));
