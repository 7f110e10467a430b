// A virtual client of Gradio's queue protocol (sse_v3), calling the way both official clients do: one session
// hash per client; each call POSTs `queue/join`, then — if this client has no data stream open — opens
// `GET queue/data?session_hash=…`, which then carries the messages of every call of the session until the server
// sends `close_stream`. A call's result is its `process_completed`; the stream is not waited for. Messages that
// arrive before the join's answer names their event are kept until it does (the server may answer on the stream
// first).
import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { parseDataBlock, SseSplitter } from './sse.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Connection pools to one server: short requests (joins, call POSTs) and long-lived streams. */
export function createPools(url, { requestConnections = 16 } = {}) {
  const base = new URL(url);
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, '');
  const requests = new Pool(origin, { connections: requestConnections, pipelining: 1 });
  // Each open stream holds a connection for as long as it lasts, so this pool grows as needed.
  const streams = new Pool(origin, { connections: null, pipelining: 1 });
  return {
    prefix,
    requests,
    streams,
    async close() {
      await Promise.all([requests.destroy(), streams.destroy()]);
    },
  };
}

/** The `fn_index` of an API name, read from `/config` as the official clients do. */
export async function fnIndexOf(pools, apiName) {
  const response = await pools.requests.request({ path: `${pools.prefix}/config`, method: 'GET' });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`/config answered ${response.statusCode}`);
  const config = JSON.parse(text);
  const dependency = (config.dependencies ?? []).find((candidate) => candidate.api_name === apiName);
  if (!dependency) throw new Error(`no endpoint named ${apiName} in /config`);
  return dependency.id;
}

/** A session hash like the clients' (random, short). */
export function newSessionHash() {
  return randomBytes(8).toString('hex');
}

/** What one call saw: its messages, with arrival times (performance.now() ms). */
export class EventTrace {
  eventId = null;
  sentAt = performance.now();
  joinedAt = 0;
  startsAt = 0;
  completedAt = 0;
  /** @type {object[]} */
  messages = [];
  /** Arrival time of each message in `messages`. */
  times = [];
  completion = null;
  #resolve;
  #reject;
  #firstMessage;
  #joined;
  /** Resolves when the join has been answered (with the event id). */
  joined = new Promise((resolve) => {
    this.#joined = resolve;
  });
  done = new Promise((resolve, reject) => {
    this.#resolve = resolve;
    this.#reject = reject;
  });
  /** Resolves when the first message of this event arrives on the stream (the stream is open and serving it). */
  firstMessage = new Promise((resolve) => {
    this.#firstMessage = resolve;
  });

  constructor() {
    // A call nobody awaits any more (a client that hung up) must not crash the generator with an unhandled rejection.
    this.done.catch(() => undefined);
  }

  markJoined(eventId) {
    this.eventId = eventId;
    this.joinedAt = performance.now();
    this.#joined(eventId);
  }

  deliver(message, at) {
    if (this.messages.length === 0) this.#firstMessage(at);
    this.messages.push(message);
    this.times.push(at);
    if (message.msg === 'process_starts' && this.startsAt === 0) this.startsAt = at;
    if (message.msg === 'process_completed') {
      this.completedAt = at;
      this.completion = message;
      this.#resolve(this);
      return true;
    }
    return false;
  }

  fail(error) {
    this.#joined(null);
    this.#reject(error);
  }
}

export class QueueSession {
  /** @type {Map<string, EventTrace>} */
  #pending = new Map();
  /** Messages of events whose join has not been answered yet. */
  #early = new Map();
  #epoch = 0;
  #abort = new AbortController();
  #streamEnded = Promise.resolve();
  streamOpen = false;
  streamsOpened = 0;
  /** Streams reopened because `close_stream` crossed a join (the Python client would have lost that call). */
  reopens = 0;
  /** Messages read from the data streams, heartbeats excepted. */
  messagesReceived = 0;

  constructor(pools, sessionHash = newSessionHash()) {
    this.pools = pools;
    this.sessionHash = sessionHash;
  }

  get pendingCount() {
    return this.#pending.size;
  }

  /** Joins one event; resolves with its trace at `process_completed`, rejects if the join or the stream fails. */
  submit(fnIndex, data, { simpleFormat = false, trace = new EventTrace() } = {}) {
    this.#join(fnIndex, data, simpleFormat, trace).catch((error) => trace.fail(error));
    return trace;
  }

  /** Resolves once the current stream (if any) has ended, e.g. after `close_stream`. */
  streamEnded() {
    return this.#streamEnded;
  }

  /** Hangs up like a client that leaves: the stream is dropped and pending calls fail. */
  abort() {
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  async #join(fnIndex, data, simpleFormat, trace) {
    const body = { data, fn_index: fnIndex, session_hash: this.sessionHash, event_data: null, trigger_id: null };
    if (simpleFormat) body.simple_format = true;
    const response = await this.pools.requests.request({
      path: `${this.pools.prefix}/gradio_api/queue/join`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200)
      throw new Error(`queue/join answered ${response.statusCode}: ${text.slice(0, 200)}`);
    const eventId = JSON.parse(text).event_id;
    if (typeof eventId !== 'string') throw new Error(`queue/join answered no event_id: ${text.slice(0, 200)}`);
    this.#pending.set(eventId, trace);
    trace.markJoined(eventId);
    const early = this.#early.get(eventId);
    if (early) {
      this.#early.delete(eventId);
      for (const [message, at] of early) this.#route(message, at);
    }
    if (!this.streamOpen) this.#openStream();
  }

  #openStream() {
    this.streamOpen = true;
    this.streamsOpened++;
    const epoch = ++this.#epoch;
    this.#streamEnded = this.#readStream(epoch, this.#abort.signal).catch((error) => this.#failAll(error));
  }

  async #readStream(epoch, signal) {
    let closed = false;
    try {
      const response = await this.pools.streams.request({
        path: `${this.pools.prefix}/gradio_api/queue/data?session_hash=${this.sessionHash}`,
        method: 'GET',
        signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        throw new Error(`queue/data answered ${response.statusCode}: ${text.slice(0, 200)}`);
      }
      const splitter = new SseSplitter();
      for await (const chunk of response.body) {
        const at = performance.now();
        for (const block of splitter.push(chunk)) {
          const message = parseDataBlock(block);
          if (message.msg === 'heartbeat') continue;
          this.messagesReceived++;
          if (message.msg === 'close_stream') {
            closed = true;
            if (epoch === this.#epoch) this.streamOpen = false;
          } else if (message.msg === 'unexpected_error') {
            this.#failAll(new Error(`unexpected_error: ${message.message}`));
          } else {
            this.#route(message, at);
          }
        }
      }
    } finally {
      if (epoch === this.#epoch) this.streamOpen = false;
    }
    if (!closed) {
      if (this.#pending.size > 0) throw new Error('queue/data ended without close_stream');
    } else if (this.#pending.size > 0 && !this.streamOpen) {
      // A join crossed the server's close_stream; its messages wait in the session for a new stream.
      this.reopens++;
      this.#openStream();
    }
  }

  #route(message, at) {
    const trace = this.#pending.get(message.event_id);
    if (!trace) {
      let early = this.#early.get(message.event_id);
      if (!early) this.#early.set(message.event_id, (early = []));
      early.push([message, at]);
      return;
    }
    if (trace.deliver(message, at)) this.#pending.delete(message.event_id);
  }

  #failAll(error) {
    for (const trace of this.#pending.values()) trace.fail(error);
    this.#pending.clear();
    this.#early.clear();
  }
}
