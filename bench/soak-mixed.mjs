#!/usr/bin/env node
// Mixed soak (`npm run soak`; not part of CI): runs the built showcase (`npm run build`) in its own process and, for
// a few minutes, mixes every showcase endpoint over queue/join + queue/data, call/ and MCP tools/call — streams,
// progress and alerts, files, errors, bad input — with clients that misbehave: cancels, crashes mid-stream (socket
// destroyed), streams read halfway and then left unread. The load stops at the end of each round until the queue is
// idle; then it checks that every event that joined ended exactly once (the server's own counters in /metrics:
// calls that joined against calls that ended, per endpoint and surface), and samples the server's live heap after a
// full GC (through the inspector, as bench/soak.mjs does), its RSS and its open file descriptors. It ends with a
// table and a verdict: flat (nothing grows round after round) or not; it exits non-zero unless flat.
//   npm run soak -- [--minutes 4] [--round-seconds 20] [--workers 16]
//   GRADIO_HTTP_ADAPTER=fastify npm run soak     (the same on Fastify)
// With --heap-snapshots it also writes the server's heap after round 2 and after the last round to
// bench/results/tmp/ and names the kinds of objects that grew most between them (to find what a growing heap holds).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Agent, setGlobalDispatcher } from 'undici';
import { startInspectedServer } from './inspected-server.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const minutes = option('minutes', 4);
const roundSeconds = option('round-seconds', 20);
const workers = option('workers', 16);
const heapSnapshots = process.argv.includes('--heap-snapshots');

// ---------------------------------------------------------------------------------------------------------------
// The server, and what can be read of it from outside: its inspector (heap), /proc (RSS, descriptors), /metrics.

const { server, url, inspector, inspect, liveHeapMb, rssMb, openFds, close } = await startInspectedServer({
  HOST: '127.0.0.1',
});
const { port } = new URL(url);
/** Writes a heap snapshot of the server; answers the count and bytes of its objects per constructor (or type). */
async function heapSnapshot(label) {
  const chunks = [];
  const onChunk = (event) => {
    const message = JSON.parse(String(event.data));
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params.chunk);
  };
  inspector.addEventListener('message', onChunk);
  await inspect('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  inspector.removeEventListener('message', onChunk);
  const text = chunks.join('');
  mkdirSync('bench/results/tmp', { recursive: true });
  writeFileSync(`bench/results/tmp/soak-mixed-${label}.heapsnapshot`, text);
  const { snapshot, nodes, strings } = JSON.parse(text);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const kinds = new Map();
  for (let at = 0; at < nodes.length; at += fields.length) {
    const kind = types[nodes[at + type]];
    const key = kind === 'object' || kind === 'closure' ? `${strings[nodes[at + name]]}` : `(${kind})`;
    const entry = kinds.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += nodes[at + size];
    kinds.set(key, entry);
  }
  return kinds;
}
let earlySnapshot;

/** The server's Prometheus counters and gauges, summed per metric and label set. */
/** The connection /metrics is read on: closed before descriptors are counted. */
let measuring = new Agent();
async function metrics() {
  const text = await (await fetch(`${url}/metrics`, { dispatcher: measuring })).text();
  const values = new Map();
  for (const line of text.split('\n')) {
    const match = /^(gradio_\w+?)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match) values.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  const sum = (prefix) => [...values].filter(([key]) => key.startsWith(prefix)).reduce((all, [, v]) => all + v, 0);
  /** Per `{api_name,surface}`: joins (calls_total) and ends (total_seconds_count: one per ended event). */
  const labels = new Map();
  for (const [key, value] of values) {
    const match = /^gradio_(calls_total|total_seconds_count)(\{.*\})$/.exec(key);
    if (!match) continue;
    const entry = labels.get(match[2]) ?? { joined: 0, ended: 0 };
    entry[match[1] === 'calls_total' ? 'joined' : 'ended'] = value;
    labels.set(match[2], entry);
  }
  return {
    running: sum('gradio_running_jobs'),
    waiting: sum('gradio_waiting_events'),
    openStreams: sum('gradio_open_streams'),
    sessions: sum('gradio_sessions'),
    failures: sum('gradio_failures_total'),
    cancels: sum('gradio_cancels_total'),
    labels,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Clients. Each operation checks what it gets; a wrong answer is counted as a problem, with its first few shown.

const config = await (await fetch(`${url}/config`)).json();
const fn = Object.fromEntries(config.dependencies.map((dependency) => [dependency.api_name, dependency.id]));
const problems = [];
const problem = (what) => {
  problems.push(what);
  if (problems.length <= 10) console.error(`problem: ${what}`);
};
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const int = (low, high) => low + Math.floor(Math.random() * (high - low + 1));
const session = () => randomBytes(8).toString('hex');

async function postJson(path, body) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** A whole SSE response, read until the server ends it. */
async function readAll(path) {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(60_000) });
  return response.text();
}
const queueMessages = (body) =>
  body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)));

/** Calls with a known answer: [endpoint, data, expected final data, whether it fails]. */
function quickCall() {
  const a = int(-50, 50);
  const b = int(0, 50);
  const text = randomBytes(int(1, 12)).toString('hex');
  return pick([
    ['hello', [text], [`Hello, ${text}!`]],
    ['add', [a, b], [a + b]],
    ['multiply', [a, b], [a * b]],
    ['add_and_slice', [1, 3, ['p', 'q', 'r', 's']], [4, ['q', 'r']]],
    ['echo_json', [{ text, list: [a, b], nested: { ok: true } }], [{ text, list: [a, b], nested: { ok: true } }]],
    ['count', [int(1, 30)], null],
    ['spell', [text], [text]],
    ['slow_echo', [text, 0.1], [text]],
    ['fail', [`no ${text}`], null, true],
  ]);
}

/** The final data a `count` or other call must end with. */
function expectedFinal([name, data, expected]) {
  return name === 'count' ? [data[0]] : expected;
}

const operations = {
  /** queue/join + queue/data, read to the end: exactly one completion for the event, with the right answer. */
  async join() {
    const call = quickCall();
    const [name, data, , fails] = call;
    const hash = session();
    const { status, json } = await postJson('/gradio_api/queue/join', { data, fn_index: fn[name], session_hash: hash });
    if (status !== 200) return problem(`join ${name} answered ${status}`);
    const own = queueMessages(await readAll(`/gradio_api/queue/data?session_hash=${hash}`)).filter(
      (message) => message.event_id === json.event_id && message.msg === 'process_completed',
    );
    if (own.length !== 1) return problem(`join ${name}: ${own.length} completions`);
    if (fails) {
      if (own[0].success !== false) problem(`join ${name}: succeeded`);
    } else if (JSON.stringify(own[0].output?.data) !== JSON.stringify(expectedFinal(call))) {
      problem(`join ${name}: ${JSON.stringify(own[0].output)}`);
    }
  },

  /** call/ + its GET: exactly one `complete` (or `error`) event, with the right answer. */
  async call() {
    const call = quickCall();
    const [name, data, , fails] = call;
    const { status, json } = await postJson(`/gradio_api/call/${name}`, { data });
    if (status !== 200) return problem(`call/${name} answered ${status}`);
    const body = await readAll(`/gradio_api/call/${name}/${json.event_id}`);
    const ends = body.split('\n\n').filter((block) => /^event: (complete|error)\n/.test(block));
    if (ends.length !== 1) return problem(`call/${name}: ${ends.length} ends`);
    const [kind, payload] = ends[0].split('\n');
    const answer = JSON.stringify(JSON.parse(payload.slice('data: '.length)));
    if (fails ? kind !== 'event: error' : answer !== JSON.stringify(expectedFinal(call))) {
      problem(`call/${name}: ${ends[0].slice(0, 200)}`);
    }
  },

  /** MCP tools/call on a session of its own: the tool's answer, or an error result for `fail`. */
  async mcp(client) {
    const a = int(0, 99);
    const b = int(0, 99);
    const [name, args, expected, fails] = pick([
      ['add', { a, b }, String(a + b)],
      ['multiply', { a, b }, String(a * b)],
      ['hello', { name: 'agent' }, 'Hello, agent!'],
      ['slow_echo', { text: 'mcp', seconds: 0.1 }, 'mcp'],
      ['word_count', { text: 'one two three' }, '3'],
      ['fail', { message: 'mcp failure' }, 'mcp failure', true],
    ]);
    const result = await client.callTool({ name, arguments: args }).catch((error) => {
      throw new Error(`${name}: ${error.message}`);
    });
    const text = result.content?.map((part) => part.text).join('');
    if (Boolean(result.isError) !== Boolean(fails) || text !== expected)
      problem(`mcp ${name}: ${JSON.stringify(result).slice(0, 200)}`);
  },

  /** An MCP call cancelled by its agent while it runs (or waits). */
  async mcpCancel(client) {
    const controller = new AbortController();
    const pending = client.callTool({ name: 'slow_echo', arguments: { text: 'x', seconds: 2 } }, undefined, {
      signal: controller.signal,
    });
    await sleep(int(20, 300));
    controller.abort();
    await pending.then(
      () => undefined,
      () => undefined,
    );
  },

  /** A long stream cancelled (POST cancel) after a few messages, its stream read to the end: one completion. */
  async cancel() {
    const hash = session();
    const { json } = await postJson('/gradio_api/queue/join', {
      data: [1_000_000],
      fn_index: fn.count,
      session_hash: hash,
    });
    const response = await fetch(`${url}/gradio_api/queue/data?session_hash=${hash}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let body = '';
    let cancelled = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      body += decoder.decode(value, { stream: true });
      if (!cancelled && body.split('process_generating').length > int(2, 20)) {
        cancelled = true;
        await postJson('/gradio_api/cancel', { session_hash: hash, fn_index: fn.count, event_id: json.event_id });
        // Keep only what follows: the count's messages before the cancel are many.
        body = '';
      } else if (cancelled && body.length > 100_000) {
        body = body.slice(-50_000);
      }
    }
    const completions = body.split('"msg":"process_completed"').length - 1;
    if (completions !== 1) problem(`cancel: ${completions} completions after the cancel`);
  },

  /** A client that crashes mid-stream: its socket destroyed after a few messages of a long stream. */
  async crash() {
    const viaCall = Math.random() < 0.5;
    await rawStream(viaCall, 1_000_000, (socket, text) => {
      if (text.split(viaCall ? 'event: generating' : 'process_generating').length > int(2, 30)) socket.destroy();
    });
  },

  /** A client that reads half a stream, stops reading for a while (its socket fills), then goes away. */
  async halfRead() {
    const viaCall = Math.random() < 0.5;
    await rawStream(viaCall, 200_000, (socket, text) => {
      if (text.length > 20_000 && !socket.isPaused()) {
        socket.pause();
        setTimeout(() => socket.destroy(), int(500, 2_000));
      }
    });
  },

  /** A file uploaded, then its size (call/) and its reversal (queue/join), the reversed file downloaded. */
  async file() {
    const bytes = randomBytes(int(1, 64 * 1024));
    const form = new FormData();
    form.append('files', new Blob([bytes]), 'soak.bin');
    const uploaded = await (await fetch(`${url}/gradio_api/upload`, { method: 'POST', body: form })).json();
    const file = { path: uploaded[0], orig_name: 'soak.bin', meta: { _type: 'gradio.FileData' } };
    const { json } = await postJson('/gradio_api/call/file_size', { data: [file] });
    const sized = await readAll(`/gradio_api/call/file_size/${json.event_id}`);
    if (!sized.includes(`event: complete\ndata: [${bytes.length}]`)) problem(`file_size: ${sized.slice(-200)}`);
    const hash = session();
    const joined = await postJson('/gradio_api/queue/join', {
      data: [file],
      fn_index: fn.reverse_file,
      session_hash: hash,
    });
    const done = queueMessages(await readAll(`/gradio_api/queue/data?session_hash=${hash}`)).find(
      (message) => message.event_id === joined.json.event_id && message.msg === 'process_completed',
    );
    const output = done?.output?.data?.[0];
    if (!output?.url) return problem(`reverse_file: ${JSON.stringify(done).slice(0, 200)}`);
    const reversed = Buffer.from(await (await fetch(output.url)).arrayBuffer());
    if (!reversed.equals(Buffer.from(bytes).reverse())) problem('reverse_file: wrong bytes');
  },

  /** Bad input: refused before queueing (call/, 422), or failed as an event (queue/join): one completion. */
  async badInput() {
    const refused = await postJson('/gradio_api/call/add', { data: ['two', 2] });
    if (refused.status !== 422) problem(`call/add with a string answered ${refused.status}`);
    const hash = session();
    const { json } = await postJson('/gradio_api/queue/join', { data: [1.5, 2], fn_index: fn.add, session_hash: hash });
    const own = queueMessages(await readAll(`/gradio_api/queue/data?session_hash=${hash}`)).filter(
      (message) => message.event_id === json.event_id && message.msg === 'process_completed',
    );
    if (own.length !== 1 || own[0].success !== false) problem(`join add 1.5: ${JSON.stringify(own).slice(0, 200)}`);
  },
};

/** Opens a `count` stream on a raw socket (queue/join + queue/data, or call/ + GET); `onText` may end it. */
function rawStream(viaCall, n, onText) {
  return new Promise((resolve) => {
    const hash = session();
    const socket = connect(Number(port), '127.0.0.1');
    const body = JSON.stringify(viaCall ? { data: [n] } : { data: [n], fn_index: fn.count, session_hash: hash });
    const path = viaCall ? '/gradio_api/call/count' : '/gradio_api/queue/join';
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    let text = '';
    let streaming = false;
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (!streaming) {
        const headEnd = text.indexOf('\r\n\r\n');
        const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? NaN);
        if (headEnd < 0 || text.length < headEnd + 4 + length) return;
        const eventId = JSON.parse(text.slice(headEnd + 4, headEnd + 4 + length)).event_id;
        streaming = true;
        text = '';
        const stream = viaCall ? `/gradio_api/call/count/${eventId}` : `/gradio_api/queue/data?session_hash=${hash}`;
        socket.write(`GET ${stream} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        return;
      }
      onText(socket, text);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    // Never longer than a round: a stream that never ends is destroyed anyway.
    setTimeout(() => socket.destroy(), 30_000).unref();
  });
}

const WEIGHTS = {
  join: 25,
  call: 20,
  mcp: 15,
  cancel: 6,
  crash: 10,
  halfRead: 6,
  mcpCancel: 4,
  file: 8,
  badInput: 6,
};
const weighted = Object.entries(WEIGHTS).flatMap(([name, weight]) => Array(weight).fill(name));
const done = Object.fromEntries(Object.keys(WEIGHTS).map((name) => [name, 0]));
/** The longest run of each operation, in ms. */
const longest = {};

let agents = 0;
async function mcpClient() {
  const client = new Client({ name: 'soak-mixed', version: '1.0.0' });
  // Stateless streamable HTTP finds the call a cancel names by its JSON-RPC id and by who sent it (address,
  // credentials, user agent): every worker here shares the address, and the SDK numbers every client's requests
  // from 0, so each worker is an agent with its own user agent, or their cancels would be ambiguous and do nothing.
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/gradio_api/mcp/`), {
    requestInit: { headers: { 'user-agent': `soak-mixed-agent-${++agents}` } },
  });
  await client.connect(transport);
  return { client, transport };
}

async function worker(until) {
  const { client, transport } = await mcpClient();
  try {
    while (performance.now() < until) {
      const name = pick(weighted);
      try {
        const opStarted = performance.now();
        await operations[name](client);
        longest[name] = Math.max(longest[name] ?? 0, Math.round(performance.now() - opStarted));
        done[name]++;
      } catch (error) {
        problem(`${name} threw: ${error?.message ?? error}`);
      }
    }
  } finally {
    // Ends the agent's MCP session on the server (DELETE), as a well-behaved agent does when it leaves.
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}

/** Waits until the server runs, holds and streams nothing: the end of a round. */
async function idle() {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const now = await metrics();
    if (now.running === 0 && now.waiting === 0 && now.openStreams === 0 && now.sessions === 0) return now;
    if (performance.now() > deadline) {
      problem(`not idle after 60 s: ${JSON.stringify({ ...now, labels: undefined })}`);
      return now;
    }
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rounds until the time is up, then the table and the verdict.

const rows = [];
const started = performance.now();
const end = started + minutes * 60_000;
const before = { heapMb: await liveHeapMb(), rssMb: rssMb(), fds: openFds() };
console.log(
  `soak-mixed: ${minutes} min, rounds of ${roundSeconds} s, ${workers} workers, server pid ${server.pid}; ` +
    `before: heap ${before.heapMb.toFixed(1)} MB, rss ${before.rssMb.toFixed(0)} MB, ${before.fds} fds`,
);
console.log('round  min   ops    joined   ended  failed cancels  heap MB  rss MB  fds  problems  idle s');
for (let round = 1; performance.now() < end; round++) {
  const until = Math.min(end, performance.now() + roundSeconds * 1000);
  // Each round's keep-alive connections are closed at its end, so that the server's descriptors are its own.
  const agent = new Agent();
  setGlobalDispatcher(agent);
  await Promise.all(Array.from({ length: workers }, () => worker(until)));
  await agent.close();
  const idleFrom = performance.now();
  const now = await idle();
  const idleSeconds = (performance.now() - idleFrom) / 1000;
  await measuring.close();
  measuring = new Agent();
  let joined = 0;
  let ended = 0;
  for (const [labels, counts] of now.labels) {
    joined += counts.joined;
    ended += counts.ended;
    if (counts.joined !== counts.ended)
      problem(`round ${round} ${labels}: ${counts.joined} joined, ${counts.ended} ended`);
  }
  const row = {
    round,
    minutes: (performance.now() - started) / 60_000,
    ops: Object.values(done).reduce((all, count) => all + count, 0),
    joined,
    ended,
    failures: now.failures,
    cancels: now.cancels,
    heapMb: await liveHeapMb(),
    rssMb: rssMb(),
    fds: openFds(),
    problems: problems.length,
    idleSeconds,
  };
  rows.push(row);
  if (heapSnapshots && round === 2) earlySnapshot = await heapSnapshot('round-2');
  console.log(
    [
      String(row.round).padStart(5),
      row.minutes.toFixed(1).padStart(4),
      String(row.ops).padStart(6),
      String(row.joined).padStart(8),
      String(row.ended).padStart(7),
      String(row.failures).padStart(7),
      String(row.cancels).padStart(7),
      row.heapMb.toFixed(1).padStart(8),
      row.rssMb.toFixed(0).padStart(7),
      String(row.fds).padStart(4),
      String(row.problems).padStart(9),
      row.idleSeconds.toFixed(1).padStart(7),
    ].join(' '),
  );
}

if (heapSnapshots && earlySnapshot) {
  const late = await heapSnapshot(`round-${rows.length}`);
  const growth = [...late]
    .map(([key, entry]) => {
      const early = earlySnapshot.get(key) ?? { count: 0, bytes: 0 };
      return { key, count: entry.count - early.count, bytes: entry.bytes - early.bytes };
    })
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 15);
  console.log(`heap growth from round 2 to round ${rows.length}, by constructor (bench/results/tmp/):`);
  for (const { key, count, bytes } of growth)
    console.log(
      `  ${(bytes / 1024).toFixed(1).padStart(9)} KB ${String(count).padStart(7)} objects  ${key.slice(0, 80)}`,
    );
}
close();

// Flat: after the first round (which loads code and fills caches once), the live heap of the last rounds is within
// a few MB of the early ones and the descriptors are back to the same count; and every check held.
const settled = rows.slice(1);
const early = settled.slice(0, 2);
const late = settled.slice(-2);
const mean = (list, key) => list.reduce((all, row) => all + row[key], 0) / list.length;
const heapGrowth = settled.length >= 2 ? mean(late, 'heapMb') - mean(early, 'heapMb') : NaN;
const fdGrowth =
  settled.length >= 2 ? Math.max(...late.map((row) => row.fds)) - Math.min(...early.map((row) => row.fds)) : NaN;
const flat = heapGrowth < 5 && fdGrowth <= 2;
console.log(`operations: ${JSON.stringify(done)}`);
console.log(`longest, ms: ${JSON.stringify(longest)}`);
console.log(
  `heap after GC, last two rounds against rounds 2–3: ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(2)} MB; ` +
    `descriptors: ${fdGrowth >= 0 ? '+' : ''}${fdGrowth}; every event ended exactly once: ${
      rows.every((row) => row.joined === row.ended) ? 'yes' : 'NO'
    }; problems: ${problems.length}`,
);
const verdict = flat && problems.length === 0 ? 'FLAT' : 'NOT FLAT';
console.log(`verdict: ${verdict}${settled.length < 2 ? ' (too few rounds to tell)' : ''}`);
process.exit(verdict === 'FLAT' && settled.length >= 2 ? 0 : 1);
