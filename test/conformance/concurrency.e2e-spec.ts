// concurrency limits and groups, queue status and max size (docs/protocol.md#queue-semantics).
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import {
  eventually,
  expectPlacesOnJoin,
  fnIndexes,
  getJson,
  join,
  messagesOf,
  newSessionHash,
  readSession,
  StreamRecorder,
  waitFor,
  waitingCount,
} from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, testCluster, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

/** Every endpoint waits at the gate for the key it is called with. */
@Injectable()
class LimitProbe {
  @GradioApi({ name: 'default_limit', returns: String })
  async defaultLimit(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'other_default_limit', returns: String })
  async otherDefaultLimit(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'limit_two', returns: String, concurrencyLimit: 2 })
  async limitTwo(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'unlimited', returns: String, concurrencyLimit: null })
  async unlimited(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'gpu_a', returns: String, concurrencyLimit: 3, concurrencyId: 'gpu' })
  async gpuA(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'gpu_b', returns: String, concurrencyLimit: 1, concurrencyId: 'gpu' })
  async gpuB(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

const IDLE_STATUS = { msg: 'estimation', event_id: null, rank: null, queue_size: 0, rank_eta: null };

describe('conformance: concurrency and queue size', () => {
  let app: RunningApp;
  let fn: Record<string, number>;
  let lifecycle: LifecycleLog;

  /** Joins one event per key in a fresh session, in order; returns the session, ids and its open stream. */
  async function joinAll(api: string, keys: string[]): Promise<{ ids: string[]; stream: StreamRecorder }> {
    const session = newSessionHash();
    const ids: string[] = [];
    for (const key of keys) ids.push(await join(app.url, fn[api] as number, [key], session));
    return { ids, stream: StreamRecorder.forSession(app.url, session) };
  }

  /** Lets every key through, one after another, and waits for the session's stream to end. */
  async function drain(keys: string[], stream: StreamRecorder): Promise<void> {
    gate.release(...keys);
    await stream.done;
  }

  beforeAll(async () => {
    app = await startGradioApp({}, [LimitProbe]);
    fn = await fnIndexes(app.url);
    lifecycle = new LifecycleLog(app.app);
  });

  afterAll(async () => {
    gate.releaseAll();
    lifecycle?.stop();
    await app?.close();
  });

  afterEach(async () => {
    await waitFor(
      () => app.processes.every((process) => queueOf(process).snapshot().liveEvents === 0),
      'the queue to empty',
    );
  });

  it('the default concurrency limit is 1 per endpoint (test_default_concurrency_limits)', async () => {
    const keys = ['d1', 'd2', 'd3'];
    const { ids, stream } = await joinAll('default_limit', keys);
    const other = await joinAll('other_default_limit', ['o1']);
    try {
      // The queue decides synchronously on join, so this is the state once the joins are answered.
      await eventually(() => expect(ids.filter((id) => lifecycle.has('started', id))).toEqual([ids[0]]));
      await eventually(async () => {
        expect({ running: lifecycle.running(), waiting: await waitingCount(app.url) }).toEqual({
          running: 2,
          waiting: 2,
        });
      });
      // Another endpoint with the default limit has its own group: it runs meanwhile.
      await gate.arrived('o1');
      await gate.arrived('d1');
      expect(gate.arrivals).not.toContain('d2');
      await stream.until(
        (message) => message.event_id === ids[0] && message.msg === 'process_starts',
        'the first start',
      );
      for (const id of ids.slice(1)) {
        const kinds = messagesOf(stream.messages, id).map((message) => message.msg);
        // In a cluster the first job may start after the others joined: a rank update follows their estimation.
        expect(testCluster() === 1 ? kinds : [...new Set(kinds)]).toEqual(['estimation']);
      }
    } finally {
      await drain(keys, stream);
      await drain(['o1'], other.stream);
    }
    expect(lifecycle.ids('started', 'default_limit').filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('limit 2 runs two at once; limit null runs all', async () => {
    const two = await joinAll('limit_two', ['t1', 't2', 't3']);
    const all = await joinAll('unlimited', ['u1', 'u2', 'u3']);
    try {
      await eventually(() => {
        expect(two.ids.map((id) => lifecycle.has('started', id))).toEqual([true, true, false]);
        expect(all.ids.map((id) => lifecycle.has('started', id))).toEqual([true, true, true]);
      });
      await Promise.all(['t1', 't2', 'u1', 'u2', 'u3'].map((key) => gate.arrived(key)));
      expect(gate.arrivals).not.toContain('t3');
    } finally {
      await drain(['t1', 't2', 't3'], two.stream);
      await drain(['u1', 'u2', 'u3'], all.stream);
    }
  });

  it('endpoints sharing a concurrency_id share one FIFO and the lowest limit', async () => {
    const session = newSessionHash();
    const a1 = await join(app.url, fn['gpu_a'] as number, ['g1'], session);
    const b1 = await join(app.url, fn['gpu_b'] as number, ['g2'], session);
    const a2 = await join(app.url, fn['gpu_a'] as number, ['g3'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      // gpu_a alone would allow 3; the group takes gpu_b's limit of 1.
      await eventually(() =>
        expect([a1, b1, a2].map((id) => lifecycle.has('started', id))).toEqual([true, false, false]),
      );
      await stream.until((message) => message.event_id === a2 && message.msg === 'estimation', 'the third estimation');
      expect([a1, b1, a2].map((id) => messagesOf(stream.messages, id)[0]?.msg)).toEqual([
        'estimation',
        'estimation',
        'estimation',
      ]);
      expectPlacesOnJoin(
        stream.messages,
        [a1, b1, a2],
        [
          [0, 1],
          [0, 1],
          [1, 2],
        ],
      );
      gate.release('g1');
      await gate.arrived('g2');
      expect(lifecycle.has('started', a2)).toBe(false);
      gate.release('g2', 'g3');
      await stream.done;
    } finally {
      await stream.abort();
    }
    expect(lifecycle.ids('started').filter((id) => [a1, b1, a2].includes(id))).toEqual([a1, b1, a2]);
  });

  it('GET queue/status reports the waiting count and returns to 0 when idle', async () => {
    expect(await getJson(`${app.url}/gradio_api/queue/status`)).toMatchObject({ status: 200, json: IDLE_STATUS });
    const { stream } = await joinAll('default_limit', ['s1', 's2', 's3']);
    const status = async () => (await getJson(`${app.url}/gradio_api/queue/status`)).json;
    try {
      await eventually(async () => expect(await status()).toEqual({ ...IDLE_STATUS, queue_size: 2 }));
      gate.release('s1');
      await gate.arrived('s2');
      await eventually(async () => expect(await status()).toEqual({ ...IDLE_STATUS, queue_size: 1 }));
    } finally {
      await drain(['s1', 's2', 's3'], stream);
    }
    await eventually(async () => expect(await status()).toEqual(IDLE_STATUS));
  });
});

describe('conformance: a full queue', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ maxSize: 1 }, [LimitProbe]);
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
  });

  it('a full queue rejects joins with 503 and a detail string', async () => {
    const fn = await fnIndexes(app.url);
    const session = newSessionHash();
    await join(app.url, fn['default_limit'] as number, ['f1'], session); // runs
    await gate.arrived('f1');
    await join(app.url, fn['default_limit'] as number, ['f2'], session); // waits: the queue holds 1
    // In a cluster the join is answered before its job is in Redis.
    await eventually(async () => expect(await waitingCount(app.url)).toBe(1));
    const full = { detail: 'Queue is full. Max size is 1 and size is 1.' };
    const body = { data: ['f3'], fn_index: fn['default_limit'], session_hash: session };
    expect(await postJson(`${app.url}/gradio_api/queue/join`, body)).toEqual({ status: 503, json: full });
    expect(await postJson(`${app.url}/gradio_api/call/default_limit`, { data: ['f3'] })).toEqual({
      status: 503,
      json: full,
    });
    gate.release('f1', 'f2');
    const { messages } = await readSession(app.url, session);
    expect(messages.filter((message) => message.msg === 'process_completed')).toHaveLength(2);
    expect(gate.arrivals).not.toContain('f3');
    // Room again: a join is accepted.
    const again = newSessionHash();
    await join(app.url, fn['default_limit'] as number, ['f4'], again);
    gate.release('f4');
    expect((await readSession(app.url, again)).messages.at(-1)).toEqual({ msg: 'close_stream', event_id: null });
  });
});
