#!/usr/bin/env node
// Memory soak: runs the built showcase in its own process, makes N calls of `add` through the queue protocol
// (queue/join + queue/data, as both official clients do) and samples the server's memory as it goes, to show
// that completed events leave nothing behind. Each sample forces a full GC in the server through the inspector
// protocol and reads its live heap, so garbage not yet collected does not pass for a leak (RSS is shown too).
//   node bench/soak.mjs [calls=100000] [concurrency=32]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool, WebSocket } from 'undici';

const total = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 32);

const server = spawn(process.execPath, ['--inspect=127.0.0.1:0', 'dist/src/main.js'], {
  env: { ...process.env, PORT: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const inspectorUrl = new Promise((resolve) => {
  server.stderr.on('data', (chunk) => {
    const match = /Debugger listening on (ws:\S+)/.exec(String(chunk));
    if (match) resolve(match[1]);
  });
});
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => {
    const match = /Running on local URL:\s+(\S+)/.exec(String(chunk));
    if (match) resolve(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const inspector = new WebSocket(await inspectorUrl);
await new Promise((resolve) => inspector.addEventListener('open', resolve, { once: true }));
let nextId = 0;
function inspect(method, params = {}) {
  const id = ++nextId;
  inspector.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve) => {
    const onMessage = (event) => {
      const reply = JSON.parse(String(event.data));
      if (reply.id !== id) return;
      inspector.removeEventListener('message', onMessage);
      resolve(reply.result);
    };
    inspector.addEventListener('message', onMessage);
  });
}
/** The server's live heap after a full GC, in MB. */
async function liveHeapMb() {
  await inspect('HeapProfiler.collectGarbage');
  const { result } = await inspect('Runtime.evaluate', {
    expression: 'process.memoryUsage().heapUsed',
    returnByValue: true,
  });
  return Number((result.value / 1024 / 1024).toFixed(2));
}
const pool = new Pool(url, { connections: concurrency * 2, pipelining: 1 });
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;

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
inspector.close();
server.kill();

const report = { calls: total, concurrency, seconds: Number(seconds.toFixed(1)), before, samples, queueAfter: status };
console.log(JSON.stringify(report, null, 2));
