// cancel, nothing retained after events finish, and what a dropped data
// stream does (docs/protocol.md#disconnects, docs/protocol.md#cancellation).
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, GradioError, Int, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import {
  call,
  eventually,
  fnIndexes,
  join,
  messagesOf,
  newSessionHash,
  readCallStream,
  readSession,
  StreamRecorder,
  waitFor,
  waitingCount,
} from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, testCluster, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
/** How many times the `ticker` generator was left (its `finally` ran), however it ended. */
let tickersClosed = 0;

@Injectable()
class LifecycleProbe {
  @GradioApi({ name: 'hold', returns: String })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'hold_two', returns: String, concurrencyLimit: 2 })
  async holdTwo(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'add', concurrencyLimit: null })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'ticker', returns: Int, concurrencyLimit: null })
  async *ticker(n: Int, key: string, @Ctx() ctx: EventContext): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= n; i++) {
        if (i === 2 && key) await gate.pass(key, ctx.signal);
        yield i;
      }
      if (key === 'refuse') throw new GradioError('refused', { printException: false });
    } finally {
      tickersClosed++;
    }
  }
}

// Gradio acknowledges with `output: {}`, which the JS client cannot read (it then closes its shared stream); we
// acknowledge with an error payload both clients handle (see processCancelled).
const cancelAck = (eventId: string): string =>
  `data: {"msg":"process_completed","event_id":"${eventId}","output":{"error":"Cancelled.","visible":false,"title":"Cancelled"},` +
  '"success":false,"title":"Cancelled","used_cache":null,"cache_duration":null,"avg_time":null}';

describe('conformance: cancel, cleanup and dropped streams', () => {
  let app: RunningApp;
  let fn: Record<string, number>;
  let lifecycle: LifecycleLog;

  const cancel = (body: Record<string, unknown>): Promise<{ status: number; json: unknown }> =>
    postJson(`${app.url}/gradio_api/cancel`, body);

  beforeAll(async () => {
    app = await startGradioApp({}, [LifecycleProbe]);
    fn = await fnIndexes(app.url);
    lifecycle = new LifecycleLog(app.app);
  });

  afterAll(async () => {
    gate.releaseAll();
    lifecycle?.stop();
    await app?.close();
  });

  it('cancel of a waiting event removes it and its stream gets a process_completed; reply {"success":true}', async () => {
    const session = newSessionHash();
    const running = await join(app.url, fn['hold'] as number, ['c57-run'], session);
    const waiting = await join(app.url, fn['hold'] as number, ['c57-wait'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('c57-run');
      await stream.until(
        (message) => message.event_id === waiting && message.msg === 'estimation',
        'the waiting estimation',
      );
      expect(await cancel({ session_hash: session, fn_index: fn['hold'], event_id: waiting })).toEqual({
        status: 200,
        json: { success: true },
      });
      await stream.until(
        (message) => message.event_id === waiting && message.msg === 'process_completed',
        'the cancel ack',
      );
      expect(stream.blocks).toContain(cancelAck(waiting));
      await eventually(async () => expect(await waitingCount(app.url)).toBe(0));
      gate.release('c57-run', 'c57-wait');
      await stream.done;
    } finally {
      await stream.abort();
    }
    expect(lifecycle.has('started', waiting)).toBe(false);
    expect(gate.arrivals).not.toContain('c57-wait');
    const kinds = messagesOf(stream.messages, waiting).map((message) => message.msg);
    // In a cluster the first job may start after the second joined: a rank update follows its estimation.
    expect(testCluster() === 1 ? kinds : [...new Set(kinds)]).toEqual(['estimation', 'process_completed']);
    expect(messagesOf(stream.messages, running).at(-1)).toMatchObject({
      msg: 'process_completed',
      success: true,
      output: { data: ['c57-run'] },
    });
    expect(stream.blocks.at(-1)).toBe('data: {"msg":"close_stream","event_id":null}');
  });

  it('on the curl stream a cancelled event prints an error (ours; Gradio prints event: complete / data: null)', async () => {
    const running = await call(app.url, 'hold', { data: ['c57-curl-run'] });
    const waiting = await call(app.url, 'hold', { data: ['c57-curl-wait'] });
    await gate.arrived('c57-curl-run');
    // Without a session_hash, an event's session is its own id (docs/protocol.md#identities).
    expect((await cancel({ session_hash: waiting, fn_index: fn['hold'], event_id: waiting })).json).toEqual({
      success: true,
    });
    expect(await readCallStream(app.url, 'hold', waiting)).toBe(
      'event: error\ndata: {"error": "Cancelled.", "visible": false, "title": "Cancelled"}\n\n',
    );
    gate.release('c57-curl-run');
    expect(await readCallStream(app.url, 'hold', running)).toBe('event: complete\ndata: ["c57-curl-run"]\n\n');
    expect(gate.arrivals).not.toContain('c57-curl-wait');
  });

  it('cancel answers {"success":true} for unknown ids too, and 422 when a field is missing or of the wrong type', async () => {
    const success = { status: 200, json: { success: true } };
    expect(await cancel({ session_hash: 'nobody', fn_index: 0, event_id: 'unknown' })).toEqual(success);
    expect((await cancel({ session_hash: 'nobody', fn_index: 0 })).status).toBe(422);
    // Gradio's typed fields: strings that name something, an integer (or its digits) for fn_index.
    for (const body of [
      { session_hash: 'nobody', fn_index: 0, event_id: 7 },
      { session_hash: 'nobody', fn_index: 0, event_id: '' },
      { session_hash: null, fn_index: 0, event_id: 'unknown' },
      { session_hash: 'nobody', fn_index: 'first', event_id: 'unknown' },
    ]) {
      const refused = await cancel(body);
      expect({ body, status: refused.status }).toEqual({ body, status: 422 });
      expect((refused.json as { detail: { loc: string[] }[] }).detail[0]?.loc[0]).toBe('body');
    }
    expect(await cancel({ session_hash: 'nobody', fn_index: '0', event_id: 'unknown' })).toEqual(success);
    expect((await postJson(`${app.url}/gradio_api/reset`, { event_id: null })).status).toBe(422);
    expect(await postJson(`${app.url}/gradio_api/reset`, { event_id: 'unknown' })).toEqual(success);
  });

  // Gradio cancels every running job of the endpoint in the session; nest-gradio only the event named.
  it('cancel of a running event stops only that event (nest-gradio scopes cancel to event_id)', async () => {
    const session = newSessionHash();
    const cancelled = await join(app.url, fn['hold_two'] as number, ['c57-a'], session);
    const kept = await join(app.url, fn['hold_two'] as number, ['c57-b'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await Promise.all([gate.arrived('c57-a'), gate.arrived('c57-b')]);
      const reply = await cancel({ session_hash: session, fn_index: fn['hold_two'], event_id: cancelled });
      expect(reply.json).toEqual({ success: true });
      await stream.until(
        (message) => message.event_id === cancelled && message.msg === 'process_completed',
        'the cancel ack',
      );
      gate.release('c57-b', 'c57-a');
      await stream.done;
    } finally {
      await stream.abort();
    }
    const completions = stream.messages.filter((message) => message.msg === 'process_completed');
    expect(completions.map((message) => message.event_id)).toEqual([cancelled, kept]);
    expect(stream.blocks).toContain(cancelAck(cancelled));
    expect(completions[1]).toMatchObject({ success: true, output: { data: ['c57-b'] } });
  });

  it('finished events, tasks and iterators are not retained (TestQueueDoesNotAccumulate)', async () => {
    const closedBefore = tickersClosed;
    let tickers = 0;
    // Queued calls that complete, fail and stream, over several sessions.
    for (let round = 0; round < 10; round++) {
      const session = newSessionHash();
      await join(app.url, fn['add'] as number, [round, 1], session);
      await join(app.url, fn['add'] as number, ['bad', 1], session);
      await join(app.url, fn['ticker'] as number, [3, ''], session);
      await join(app.url, fn['ticker'] as number, [1, 'refuse'], session);
      tickers += 2;
      const { messages } = await readSession(app.url, session);
      expect(messages.filter((message) => message.msg === 'process_completed')).toHaveLength(4);
    }
    // The curl protocol, with and without a session hash, and direct runs.
    for (let round = 0; round < 5; round++) {
      expect(await readCallStream(app.url, 'add', await call(app.url, 'add', { data: [round, 2] }))).toContain(
        'event: complete',
      );
      const ticker = await call(app.url, 'ticker', { data: [2, ''], session_hash: newSessionHash() });
      expect(await readCallStream(app.url, 'ticker', ticker)).toContain('event: complete');
      tickers++;
      expect((await postJson(`${app.url}/gradio_api/run/add`, { data: [round, 3] })).status).toBe(200);
    }
    // Generators cancelled mid-stream, and generators whose client went away.
    for (let round = 0; round < 3; round++) {
      const session = newSessionHash();
      const key = `c58-cancel-${round}`;
      const id = await join(app.url, fn['ticker'] as number, [5, key], session);
      const stream = StreamRecorder.forSession(app.url, session);
      await gate.arrived(key);
      await cancel({ session_hash: session, fn_index: fn['ticker'], event_id: id });
      await stream.done;
      tickers++;
      const dropped = newSessionHash();
      const dropKey = `c58-drop-${round}`;
      await join(app.url, fn['ticker'] as number, [5, dropKey], dropped);
      const leaving = StreamRecorder.forSession(app.url, dropped);
      await gate.arrived(dropKey);
      await leaving.abort();
      tickers++;
    }
    const idle = { waiting: 0, running: 0, liveEvents: 0, sessions: 0, openStreams: 0 };
    const snapshots = () => app.processes.map((process) => queueOf(process).snapshot());
    await waitFor(
      () => JSON.stringify(snapshots()) === JSON.stringify(app.processes.map(() => idle)),
      'the queue to hold nothing',
    );
    expect(snapshots()).toEqual(app.processes.map(() => idle));
    await waitFor(() => tickersClosed - closedBefore === tickers, 'every generator to be closed');
    expect(tickersClosed - closedBefore).toBe(tickers);
  }, 60_000);

  it("dropping the data stream removes the session's waiting events; they never run", async () => {
    const session = newSessionHash();
    const running = await join(app.url, fn['hold'] as number, ['d59-run'], session);
    const waiting = [
      await join(app.url, fn['hold'] as number, ['d59-wait-1'], session),
      await join(app.url, fn['hold'] as number, ['d59-wait-2'], session),
    ];
    const stream = StreamRecorder.forSession(app.url, session);
    await gate.arrived('d59-run');
    await stream.until(
      (message) => message.event_id === waiting[1] && message.msg === 'estimation',
      'the last estimation',
    );
    await eventually(async () => expect(await waitingCount(app.url)).toBe(2));
    await stream.abort();
    await waitFor(() => waiting.every((id) => lifecycle.has('dropped', id)), 'the waiting events to be dropped');
    await eventually(async () => expect(await waitingCount(app.url)).toBe(0));
    // The running one was told to stop (its signal fired), and the endpoint's slot is free again for others.
    await waitFor(() => lifecycle.running() === 0, 'the running job to stop');
    gate.release('d59-wait-1', 'd59-wait-2', 'd59-run');
    const other = newSessionHash();
    await join(app.url, fn['hold'] as number, ['d59-other'], other);
    gate.release('d59-other');
    const { messages } = await readSession(app.url, other);
    const completed = messages.find((message) => message.msg === 'process_completed');
    expect(completed).toMatchObject({ success: true, output: { data: ['d59-other'] } });
    expect(gate.arrivals.filter((key) => key.startsWith('d59-wait'))).toEqual([]);
    expect(lifecycle.has('completed', running)).toBe(false);
    // Not even dispatched: a dropped event must not take a slot or be reported as started.
    expect(waiting.filter((id) => lifecycle.has('started', id))).toEqual([]);
  });
});
