// the `GET /gradio_api/queue/data` stream (docs/protocol.md#queue-protocol).
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Any, Ctx, GradioApi, GradioError, Int, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog } from '../support/lifecycle.js';
import {
  expectPlacesOnJoin,
  fnIndexes,
  join,
  messagesOf,
  newSessionHash,
  readSession,
  StreamRecorder,
  waitFor,
  type QueueMessage,
} from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, testCluster, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class StreamProbe {
  @GradioApi({ name: 'add' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'echo' })
  echo(value: Any): Any {
    return value;
  }

  /** Unlimited concurrency: every call runs at once and waits for its key. */
  @GradioApi({ name: 'hold', concurrencyLimit: null, returns: String })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  /** The default limit (1): one call runs, the others wait. */
  @GradioApi({ name: 'hold_one', returns: String })
  async holdOne(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  /** Like hold_one; used by one test only, so that its timing statistics start empty. */
  @GradioApi({ name: 'hold_fresh', returns: String })
  async holdFresh(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'chatty', returns: String })
  async *chatty(text: string, @Ctx() ctx: EventContext): AsyncGenerator<string> {
    ctx.progress(1, 2, { desc: 'half' });
    ctx.info(`starting ${text}`);
    yield text;
    ctx.warning('almost');
    yield `${text}!`;
  }

  @GradioApi({ name: 'broken' })
  broken(): string {
    throw new Error('not for the client');
  }

  @GradioApi({ name: 'refuse' })
  refuse(): string {
    throw new GradioError('refused');
  }
}

const EVENT_MESSAGES = ['estimation', 'process_starts', 'process_generating', 'process_completed', 'progress', 'log'];
const CLOSE_STREAM_BLOCK = 'data: {"msg":"close_stream","event_id":null}';

describe('conformance: queue/data stream', () => {
  let app: RunningApp;
  let fn: Record<string, number>;
  let lifecycle: LifecycleLog;

  beforeAll(async () => {
    app = await startGradioApp({}, [StreamProbe]);
    fn = await fnIndexes(app.url);
    lifecycle = new LifecycleLog(app.app);
  });

  afterAll(async () => {
    gate.releaseAll();
    lifecycle?.stop();
    await app?.close();
  });

  it('queue/data emits only `data: <compact JSON>\\n\\n` blocks: no other SSE fields, LF only, raw UTF-8', async () => {
    const session = newSessionHash();
    const value = { text: 'héllo ✓ 日本', quote: '"', newline: 'a\nb', nested: [1, 2.5, null, true, { e: [] }] };
    await join(app.url, fn['echo'] as number, [value], session);
    const response = await fetch(`${app.url}/gradio_api/queue/data?session_hash=${session}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await response.text();
    expect(body).toMatch(/^(data: [^\n\r]+\n\n)+$/);
    for (const block of body.slice(0, -2).split('\n\n')) {
      const json = block.slice('data: '.length);
      // Compact (no spaces after separators) and raw UTF-8 (no \u escapes of printable characters): what orjson writes.
      expect(JSON.stringify(JSON.parse(json))).toBe(json);
    }
    expect(body).toContain('"héllo ✓ 日本"');
    const compact =
      '"data":[{"text":"héllo ✓ 日本","quote":"\\"","newline":"a\\nb","nested":[1,2.5,null,true,{"e":[]}]}]';
    expect(body).toContain(compact);
  });

  it('every queued event receives estimation (rank, queue_size, rank_eta) before process_starts (eta)', async () => {
    const session = newSessionHash();
    const ids = [];
    for (const key of ['e22a', 'e22b', 'e22c'])
      ids.push(await join(app.url, fn['hold_fresh'] as number, [key], session));
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('e22a');
      gate.release('e22a');
      await gate.arrived('e22b');
      // Ranks go out at the end of the turn in which the queue moved (coalesced), and the handlers here run in the
      // test's own process: let that turn end before b is let go, as any real job's own run time does.
      await new Promise((resolve) => setImmediate(resolve));
      gate.release('e22b', 'e22c');
      await stream.done;
    } finally {
      await stream.abort();
    }
    const messages = stream.messages;
    for (const id of ids) {
      const own = messagesOf(messages, id);
      const firstStart = own.findIndex((message) => message.msg === 'process_starts');
      expect(firstStart).toBeGreaterThan(0);
      expect(own[0]?.msg).toBe('estimation');
      for (const estimation of own.slice(0, firstStart)) {
        expect(estimation.msg).toBe('estimation');
        expect(Object.keys(estimation)).toEqual(['msg', 'event_id', 'rank', 'queue_size', 'rank_eta']);
        expect(typeof estimation['rank']).toBe('number');
        expect(typeof estimation['queue_size']).toBe('number');
        expect(estimation['rank_eta'] === null || typeof estimation['rank_eta'] === 'number').toBe(true);
      }
      const starts = own[firstStart] as QueueMessage;
      expect(Object.keys(starts)).toEqual(['msg', 'event_id', 'eta']);
      expect(starts['eta'] === null || typeof starts['eta'] === 'number').toBe(true);
    }
    // On join, each event is told its own place in the group's waiting list (the first one left it at once).
    expectPlacesOnJoin(messages, ids, [
      [0, 1],
      [0, 1],
      [1, 2],
    ]);
    const firstEstimates = ids.map((id) => messagesOf(messages, id)[0]);
    // When the running job ends and the next starts, the one still waiting hears its new rank.
    const third = messagesOf(messages, ids[2] as string);
    const beforeStart = third.slice(
      0,
      third.findIndex((message) => message.msg === 'process_starts'),
    );
    expect(beforeStart.at(-1)).toMatchObject({ msg: 'estimation', rank: 0, queue_size: 1 });
    // ETAs (docs/protocol.md#queue-messages, docs/protocol.md#eta): unknown before the endpoint's first job finished; then eta is its mean job time, and the
    // rank_eta of the event waiting behind a running job is that mean plus the time until a slot frees up.
    const startOf = (id: string): QueueMessage =>
      messagesOf(messages, id).find((message) => message.msg === 'process_starts') as QueueMessage;
    expect(startOf(ids[0] as string)['eta']).toBeNull();
    expect(firstEstimates.map((message) => message?.['rank_eta'])).toEqual([null, null, null]);
    const mean = startOf(ids[1] as string)['eta'];
    expect(typeof mean).toBe('number');
    expect(beforeStart.at(-1)?.['rank_eta']).toEqual(expect.any(Number));
    // In a cluster, ETAs come from the job times each process heard so far (README, distributed mode): positive.
    expect(beforeStart.at(-1)?.['rank_eta'] as number).toBeGreaterThanOrEqual(
      testCluster() === 1 ? (mean as number) : 0,
    );
  });

  it('a successful call ends with one process_completed, then close_stream, then the end of the response', async () => {
    const session = newSessionHash();
    const id = await join(app.url, fn['add'] as number, [3, 5], session);
    const { body, messages } = await readSession(app.url, session);
    expect(messages.map((message) => message.msg)).toEqual([
      'estimation',
      'process_starts',
      'process_completed',
      'close_stream',
    ]);
    const completed = messages.filter((message) => message.msg === 'process_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ event_id: id, success: true, output: { data: [8] } });
    expect(body.endsWith(`\n\n${CLOSE_STREAM_BLOCK}\n\n`)).toBe(true);
  });

  it('process_completed has output {data, is_generating, …, used_cache}, title, cache_duration, avg_time', async () => {
    const session = newSessionHash();
    await join(app.url, fn['add'] as number, [1, 2], session);
    const { messages } = await readSession(app.url, session);
    const completed = messages.find((message) => message.msg === 'process_completed') as QueueMessage;
    expect(Object.keys(completed)).toEqual([
      'msg',
      'event_id',
      'output',
      'success',
      'title',
      'used_cache',
      'cache_duration',
      'avg_time',
    ]);
    const output = completed['output'] as Record<string, unknown>;
    expect(Object.keys(output)).toEqual([
      'data',
      'is_generating',
      'duration',
      'average_duration',
      'render_config',
      'changed_state_ids',
      'used_cache',
    ]);
    expect(output).toMatchObject({
      data: [3],
      is_generating: false,
      render_config: null,
      changed_state_ids: [],
      used_cache: null,
    });
    expect(typeof output['duration']).toBe('number');
    expect(typeof output['average_duration']).toBe('number');
    expect(completed).toMatchObject({ success: true, title: null, used_cache: null });
    expect(completed['cache_duration']).toBe(output['duration']);
    expect(completed['avg_time']).toBe(output['average_duration']);
  });

  it('events of one session interleave on one stream, each tagged; the stream closes after the last one', async () => {
    const session = newSessionHash();
    const first = await join(app.url, fn['hold'] as number, ['e27a'], session);
    const second = await join(app.url, fn['hold'] as number, ['e27b'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await Promise.all([gate.arrived('e27a'), gate.arrived('e27b')]);
      await stream.until((message) => message.event_id === second && message.msg === 'process_starts', 'second start');
      gate.release('e27a');
      await stream.until(
        (message) => message.event_id === first && message.msg === 'process_completed',
        'first completion',
      );
      expect(stream.blocks).not.toContain(CLOSE_STREAM_BLOCK);
      gate.release('e27b');
      // Delivered on the same response: the stream did not end with the first completion.
      await stream.until(
        (message) => message.event_id === second && message.msg === 'process_completed',
        'second completion',
      );
      await stream.done;
    } finally {
      await stream.abort();
    }
    const messages = stream.messages;
    const tag = (eventId: string | null): string => (eventId === first ? '1' : eventId === second ? '2' : '-');
    const order = messages.map((message) => `${message.msg}:${tag(message.event_id)}`);
    expect(order.indexOf('process_starts:2')).toBeLessThan(order.indexOf('process_completed:1'));
    expect(order.indexOf('process_completed:1')).toBeLessThan(order.indexOf('process_completed:2'));
    expect(order.filter((entry) => entry === 'close_stream:-')).toHaveLength(1);
    expect(order.at(-1)).toBe('close_stream:-');
    expect(order.filter((entry) => entry.endsWith(':-'))).toEqual(['close_stream:-']);
  });

  it('messages produced before the data stream opens are delivered once it opens', async () => {
    const session = newSessionHash();
    const id = await join(app.url, fn['add'] as number, [20, 22], session);
    await waitFor(() => lifecycle.has('completed', id), 'the event to complete');
    const { messages } = await readSession(app.url, session);
    expect(messages.map((message) => message.msg)).toEqual([
      'estimation',
      'process_starts',
      'process_completed',
      'close_stream',
    ]);
    expect(messages[2]).toMatchObject({ event_id: id, success: true, output: { data: [42] } });
  });

  /** Reads a session's stream on a raw connection kept open after the response ended, as a client not yet scheduled. */
  async function readUntilClosed(session: string): Promise<Socket> {
    const { port } = new URL(app.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.includes('close_stream') && received.endsWith('\r\n0\r\n\r\n')) resolve();
      });
      socket.write(`GET /gradio_api/queue/data?session_hash=${session} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    });
    return socket;
  }

  it('a join after close_stream is answered once the client hung up the closed stream, so it opens a new one', async () => {
    const session = newSessionHash();
    await join(app.url, fn['add'] as number, [1, 2], session);
    const socket = await readUntilClosed(session);
    let answered = false;
    const second = join(app.url, fn['add'] as number, [3, 4], session).then((id) => {
      answered = true;
      return id;
    });
    await sleep(100);
    // The client has not hung up: it may not have read close_stream yet, and would file the call under that stream.
    expect(answered).toBe(false);
    socket.destroy();
    const id = await second;
    // The call was queued at once, only its answer waited: a new stream gets its result.
    const { messages } = await readSession(app.url, session);
    expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      event_id: id,
      output: { data: [7] },
    });
  });

  it('a client that keeps the connection of its closed stream alive gets its join answered shortly anyway', async () => {
    const session = newSessionHash();
    await join(app.url, fn['add'] as number, [1, 2], session);
    const socket = await readUntilClosed(session);
    try {
      const id = await join(app.url, fn['add'] as number, [5, 6], session);
      const { messages } = await readSession(app.url, session);
      expect(messages.find((message) => message.event_id === id && message.msg === 'process_completed')).toMatchObject({
        output: { data: [11] },
      });
    } finally {
      socket.destroy();
    }
  });

  it('a data stream for an unknown session yields unexpected_error with session_not_found and closes', async () => {
    const response = await fetch(`${app.url}/gradio_api/queue/data?session_hash=never-joined-${newSessionHash()}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      'data: {"msg":"unexpected_error","event_id":null,"message":"404: Not Found","session_not_found":true,"success":false}\n\n',
    );
    // Without any session_hash the route itself refuses (docs/protocol.md#routes: 422).
    expect((await fetch(`${app.url}/gradio_api/queue/data`)).status).toBe(422);
  });
});

describe('conformance: queue/data heartbeats and message kinds', () => {
  let app: RunningApp;
  let fn: Record<string, number>;

  beforeAll(async () => {
    app = await startGradioApp({ heartbeatInterval: 0.2 }, [StreamProbe]);
    fn = await fnIndexes(app.url);
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
  });

  it('an idle data stream carries {"msg":"heartbeat","event_id":null} every heartbeat interval', async () => {
    const session = newSessionHash();
    await join(app.url, fn['hold'] as number, ['e30'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('e30');
      const heartbeats = (blocks: string[]): number => blocks.filter((block) => block.includes('"heartbeat"')).length;
      await stream.untilBlocks((blocks) => heartbeats(blocks) >= 3, 'three heartbeats');
      gate.release('e30');
      await stream.done;
    } finally {
      await stream.abort();
    }
    const heartbeats = stream.blocks.filter((block) => block.includes('"heartbeat"'));
    expect(heartbeats.length).toBeGreaterThanOrEqual(3);
    for (const block of heartbeats) expect(block).toBe('data: {"msg":"heartbeat","event_id":null}');
    expect(stream.blocks.at(-1)).toBe(CLOSE_STREAM_BLOCK);
  });

  it('event messages use only the six event kinds; heartbeat, close_stream, unexpected_error have no event_id', async () => {
    const session = newSessionHash();
    const stream = StreamRecorder.forSession(app.url, session);
    await stream.done; // an unknown session: unexpected_error
    const ids = [
      await join(app.url, fn['hold_one'] as number, ['e31'], session),
      await join(app.url, fn['hold_one'] as number, ['e31-cancelled'], session),
      await join(app.url, fn['chatty'] as number, ['hi'], session),
      await join(app.url, fn['broken'] as number, [], session),
      await join(app.url, fn['refuse'] as number, [], session),
      await join(app.url, fn['add'] as number, ['not a number', 1], session),
    ];
    const live = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('e31');
      await live.untilBlocks((blocks) => blocks.some((block) => block.includes('"heartbeat"')), 'a heartbeat');
      const cancel = { session_hash: session, fn_index: fn['hold_one'], event_id: ids[1] };
      expect(await postJson(`${app.url}/gradio_api/cancel`, cancel)).toEqual({ status: 200, json: { success: true } });
      gate.release('e31');
      await live.done;
    } finally {
      await live.abort();
    }
    const messages = [...stream.messages, ...live.messages];
    expect(new Set(messages.map((message) => message.msg))).toEqual(
      new Set([...EVENT_MESSAGES, 'heartbeat', 'close_stream', 'unexpected_error']),
    );
    for (const message of messages) {
      if (message.event_id === null) expect(['heartbeat', 'close_stream', 'unexpected_error']).toContain(message.msg);
      else expect(EVENT_MESSAGES).toContain(message.msg);
    }
    for (const id of ids) {
      expect(messagesOf(messages, id).filter((message) => message.msg === 'process_completed')).toHaveLength(1);
    }
  });
});
