#!/usr/bin/env node
// The floor: the fastest this protocol goes in Node on this machine. A bare `node:http` server with no framework,
// no queue and no validation answers the routes the benchmarks use, byte-for-byte in Gradio's wire format:
//   GET  /config                                   the endpoint names and fn_index ids (as the clients read them)
//   POST /gradio_api/queue/join, GET /gradio_api/queue/data   (sse_v3; a stream lingers 200 ms after its session's
//                                                  last completion, like nest-gradio's, so clients reuse it)
//   POST /gradio_api/call/{name}, GET /gradio_api/call/{name}/{event_id}
//   POST /gradio_api/mcp/                          JSON-RPC: initialize, tools/list, tools/call (JSON answers)
// Endpoints: add, count (a generator: full first value, then diffs), slow_echo (a timer; no concurrency limit).
// Env: PORT (0 = any), HOST. FLOOR_FAULT=off-by-one makes `add` answer a + b + 1 (to prove the load generator
// catches fast wrong answers).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const LINGER_MS = 200;
const FAULT = process.env.FLOOR_FAULT === 'off-by-one' ? 1 : 0;
const ENDPOINTS = [
  { id: 1, name: 'add', run: ([a, b]) => ({ value: a + b + FAULT }) },
  {
    id: 4,
    name: 'count',
    run: ([n]) => ({ steps: Array.from({ length: n }, (_unused, index) => index + 1), value: n }),
  },
  { id: 6, name: 'slow_echo', run: ([text, seconds = 1]) => ({ value: text, delayMs: seconds * 1000 }) },
];
const BY_ID = new Map(ENDPOINTS.map((endpoint) => [endpoint.id, endpoint]));
const BY_NAME = new Map(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint]));
const CONFIG = JSON.stringify({
  protocol: 'sse_v3',
  api_prefix: '/gradio_api',
  mode: 'server',
  dependencies: ENDPOINTS.map((endpoint) => ({ id: endpoint.id, api_name: endpoint.name, queue: true })),
});
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** Sessions of the queue protocol: pending event ids, messages not yet read, the open stream. */
const sessions = new Map();
/** Results of curl-protocol calls, until their GET. */
const calls = new Map();

const eventId = () => randomBytes(16).toString('hex');
const data = (message) => `data: ${JSON.stringify(message)}\n\n`;

function output(value, generating, duration) {
  return {
    data: [value],
    is_generating: generating,
    duration,
    average_duration: duration,
    render_config: null,
    changed_state_ids: [],
    used_cache: null,
  };
}

/** The messages of one event, from `estimation` to `process_completed`, as one string. */
function eventMessages(id, result) {
  let text = data({ msg: 'estimation', event_id: id, rank: 0, queue_size: 1, rank_eta: null });
  text += data({ msg: 'process_starts', event_id: id, eta: null });
  if (result.steps) {
    result.steps.forEach((step, index) => {
      const value = index === 0 ? step : [['replace', [], step]];
      text += data({
        msg: 'process_generating',
        event_id: id,
        output: output(value, true, 0),
        success: true,
        time_limit: null,
      });
    });
  }
  const out = output(result.value, false, 0);
  return {
    head: text,
    completion: data({
      msg: 'process_completed',
      event_id: id,
      output: out,
      success: true,
      title: null,
      used_cache: null,
      cache_duration: 0,
      avg_time: 0,
    }),
  };
}

function session(hash) {
  let current = sessions.get(hash);
  if (!current) sessions.set(hash, (current = { pending: new Set(), buffer: '', stream: null, linger: null }));
  return current;
}

function send(current, text) {
  if (current.stream) current.stream.write(text);
  else current.buffer += text;
}

function completed(hash, current, id) {
  current.pending.delete(id);
  if (current.pending.size > 0 || !current.stream || current.linger) return;
  current.linger = setTimeout(() => {
    current.linger = null;
    if (current.pending.size > 0 || !current.stream) return;
    current.stream.end(data({ msg: 'close_stream', event_id: null }));
    current.stream = null;
    sessions.delete(hash);
  }, LINGER_MS);
}

function join(body, response) {
  const endpoint = BY_ID.get(body.fn_index);
  if (!endpoint || typeof body.session_hash !== 'string' || !Array.isArray(body.data))
    return json(response, 422, { detail: 'bad join' });
  const id = eventId();
  const current = session(body.session_hash);
  current.pending.add(id);
  if (current.linger) {
    clearTimeout(current.linger);
    current.linger = null;
  }
  const result = endpoint.run(body.data);
  const { head, completion } = eventMessages(id, result);
  json(response, 200, { event_id: id });
  send(current, head);
  const finish = () => {
    // The session may be gone (its client left); then there is no one to tell.
    if (sessions.get(body.session_hash) !== current) return;
    send(current, completion);
    if (current.stream) completed(body.session_hash, current, id);
  };
  if (result.delayMs) setTimeout(finish, result.delayMs);
  else finish();
}

function queueData(hash, response) {
  const current = sessions.get(hash);
  response.writeHead(200, SSE_HEADERS);
  if (!current)
    return response.end(
      data({
        msg: 'unexpected_error',
        event_id: null,
        message: '404: Not Found',
        session_not_found: true,
        success: false,
      }),
    );
  current.stream?.end();
  current.stream = response;
  response.socket?.setNoDelay(true);
  const buffered = current.buffer;
  current.buffer = '';
  if (buffered) response.write(buffered);
  // Completions delivered from the buffer count now.
  for (const id of [...current.pending])
    if (buffered.includes(`"msg":"process_completed","event_id":"${id}"`)) completed(hash, current, id);
  response.on('close', () => {
    if (current.stream !== response) return;
    current.stream = null;
    clearTimeout(current.linger);
    sessions.delete(hash);
  });
}

function callPost(name, body, response) {
  const endpoint = BY_NAME.get(name);
  if (!endpoint || !Array.isArray(body?.data)) return json(response, 422, { detail: 'bad call' });
  const id = eventId();
  const result = endpoint.run(body.data);
  let text = '';
  for (const step of result.steps ?? []) text += `event: generating\ndata: [${JSON.stringify(step)}]\n\n`;
  text += `event: complete\ndata: [${JSON.stringify(result.value)}]\n\n`;
  calls.set(id, { text, readyAt: Date.now() + (result.delayMs ?? 0) });
  json(response, 200, { event_id: id });
}

function callGet(id, response) {
  const call = calls.get(id);
  calls.delete(id);
  response.writeHead(200, SSE_HEADERS);
  if (!call) return response.end('event: error\ndata: "404: Not Found"\n\n');
  const delay = call.readyAt - Date.now();
  if (delay <= 0) response.end(call.text);
  else setTimeout(() => response.end(call.text), delay);
}

const ADD_TOOL = {
  name: 'add',
  description: 'Add two numbers together.',
  inputSchema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] },
};

function mcp(body, response) {
  if (body.id === undefined) {
    response.writeHead(202).end();
    return;
  }
  const reply = (result) => json(response, 200, { jsonrpc: '2.0', id: body.id, result }, { 'mcp-session-id': 'floor' });
  switch (body.method) {
    case 'initialize':
      return reply({
        protocolVersion: body.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'floor', version: '1.0.0' },
      });
    case 'tools/list':
      return reply({ tools: [ADD_TOOL] });
    case 'tools/call': {
      const { a, b } = body.params.arguments;
      return reply({ content: [{ type: 'text', text: String(a + b + FAULT) }], isError: false });
    }
    default:
      return json(response, 200, { jsonrpc: '2.0', id: body.id, error: { code: -32601, message: 'Method not found' } });
  }
}

function json(response, status, value, headers = {}) {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function readJson(request) {
  return new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://floor');
  const path = url.pathname;
  if (request.method === 'GET' && path === '/config') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(CONFIG) });
    return response.end(CONFIG);
  }
  if (request.method === 'GET' && path === '/gradio_api/queue/data')
    return queueData(url.searchParams.get('session_hash'), response);
  if (request.method === 'GET' && path === '/gradio_api/queue/status') {
    return json(response, 200, { msg: 'estimation', event_id: null, rank: null, queue_size: 0, rank_eta: null });
  }
  const callStream = /^\/gradio_api\/call\/([^/]+)\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && callStream) return callGet(callStream[2], response);
  if (request.method !== 'POST') return json(response, 404, { detail: 'Not Found' });
  const body = await readJson(request);
  if (body === undefined) return json(response, 422, { detail: 'invalid JSON' });
  if (path === '/gradio_api/queue/join') return join(body, response);
  if (path === '/gradio_api/mcp/' || path === '/gradio_api/mcp') return mcp(body, response);
  const call = /^\/gradio_api\/call\/([^/]+)$/.exec(path);
  if (call) return callPost(call[1], body, response);
  return json(response, 404, { detail: 'Not Found' });
});

const host = process.env.HOST ?? '127.0.0.1';
server.listen(Number(process.env.PORT ?? 7862), host, () => {
  console.log(`* Running on local URL:  http://${host}:${server.address().port}`);
});
// Like the other peers, stop on SIGTERM/SIGINT.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
