// Server-side queue-dispatch timer, preloaded into a Node peer with `node --import ./bench/peers/dispatch-probe.mjs`
// (the floor and nest-gradio alike; Python Gradio has no equivalent, so its dispatch stays client-side).
// It measures what the target means — join → `process_starts` inside the server — without the client or the
// network: from the moment a `POST …/queue/join` request has arrived (Node's `http.server.request.start`
// diagnostics channel: headers parsed, body not yet read) to the moment the server hands the bytes carrying that
// event's `process_starts` to the socket (`ServerResponse#write`/`end` of its SSE stream). Everything the server
// does in between counts: body parsing, routing, validation, queueing, dispatch and any write batching. Only joins
// whose session stream was already open count (a stream opened after its join holds the message until the client
// comes for it — a client round trip); the others are only counted ("lateStream").
// Control: SIGWINCH toggles recording (ignored by a process without the probe; Nest's shutdown hooks own SIGUSR2). Starting clears the samples and writes {"recording":true} to
// $BENCH_PROBE_FILE; stopping writes {"recording":false,"samplesMs":[…]} there. Idle cost: one boolean check per
// response write.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';

const FILE = process.env.BENCH_PROBE_FILE;
let recording = false;
let samples = [];
/** Joins whose stream opened only after them (not counted in the samples). */
let lateStream = 0;
/** Join responses in flight: their arrival time. */
const joins = new WeakMap();
/** Per event id, whichever of the two ends was seen first: { joinedAt } or { startsAt }. */
const seen = new Map();
const EVENT_ID = /"event_id":\s*"([^"]+)"/;
const STARTS = /"msg":\s*"process_starts",\s*"event_id":\s*"([^"]+)"/g;

/** When each response's request arrived (for streams: to tell whether the stream was open before the join). */
const arrivals = new WeakMap();

subscribe('http.server.request.start', ({ request, response }) => {
  if (!recording) return;
  const at = performance.now();
  arrivals.set(response, at);
  if (request.method === 'POST' && request.url.includes('/queue/join')) joins.set(response, at);
});

function match(eventId, side, at, streamOpenedAt) {
  const other = seen.get(eventId);
  if (!other) {
    seen.set(eventId, { [side]: at, streamOpenedAt });
    return;
  }
  seen.delete(eventId);
  const joinedAt = side === 'joinedAt' ? at : other.joinedAt;
  const startsAt = side === 'startsAt' ? at : other.startsAt;
  const opened = streamOpenedAt ?? other.streamOpenedAt;
  if (joinedAt === undefined || startsAt === undefined) return;
  // A stream that opened after the join held the message until the client came for it: that wait is the client's
  // round trip, not dispatch, so such samples are kept apart.
  // (A stream whose arrival is unknown opened before recording began, so before the join.)
  if (opened === undefined || opened < joinedAt) samples.push(startsAt - joinedAt);
  else lateStream++;
}

function inspect(response, chunk) {
  const at = performance.now();
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  const joinedAt = joins.get(response);
  if (joinedAt !== undefined) {
    joins.delete(response);
    const id = EVENT_ID.exec(String(chunk))?.[1];
    if (id) match(id, 'joinedAt', joinedAt);
    return;
  }
  // Any other response: an SSE stream carrying process_starts (the floor sets its headers with writeHead, so they
  // cannot be read back; the text itself tells).
  const text = String(chunk);
  if (!text.includes('process_starts')) return;
  for (const [, id] of text.matchAll(STARTS)) match(id, 'startsAt', at, arrivals.get(response));
}

const { write, end } = ServerResponse.prototype;
ServerResponse.prototype.write = function probedWrite(chunk, ...rest) {
  if (recording) inspect(this, chunk);
  return write.call(this, chunk, ...rest);
};
ServerResponse.prototype.end = function probedEnd(chunk, ...rest) {
  if (recording) inspect(this, chunk);
  return end.call(this, chunk, ...rest);
};

process.on('SIGWINCH', () => {
  recording = !recording;
  if (recording) {
    samples = [];
    lateStream = 0;
    seen.clear();
  }
  if (FILE)
    writeFileSync(FILE, JSON.stringify(recording ? { recording } : { recording, samplesMs: samples, lateStream }));
});
