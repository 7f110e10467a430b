import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog } from '../support/lifecycle.js';
import { fnIndexes, join, newSessionHash, readSession, waitFor } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class Held {
  /** Waits at the gate `key`, one at a time over every process. */
  @GradioApi({ name: 'hold', returns: String, concurrencyLimit: 1 })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return `held ${key}`;
  }
}

async function queueSize(url: string): Promise<number> {
  return ((await (await fetch(`${url}/gradio_api/queue/status`)).json()) as { queue_size: number }).queue_size;
}

describe('distributed mode: maxSize counts the waiting events of every process', () => {
  let redis: RedisServer;
  let a: RunningApp;
  let b: RunningApp;
  let options: Record<string, unknown>;

  beforeAll(async () => {
    redis = await startRedis();
    options = { redis: redis.url, maxSize: 1, distributed: { prefix: `size-${randomBytes(4).toString('hex')}` } };
    a = await startGradioApp(options, [Held]);
    b = await startGradioApp(options, [Held]);
  });

  afterAll(async () => {
    gate.releaseAll();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('refuses a join on B with 503 while one event waits on A, and on a process that has just started', async () => {
    const fn = (await fnIndexes(a.url))['hold'] as number;
    const log = new LifecycleLog(a.app);
    const running = newSessionHash();
    await join(a.url, fn, ['running'], running);
    const runningStream = readSession(a.url, running);
    await gate.arrived('running');
    const waiting = newSessionHash();
    const waitingId = await join(a.url, fn, ['waiting'], waiting);
    const waitingStream = readSession(a.url, waiting);
    // In the shared queue (`joined` comes once the job is in Redis), where B counts it.
    await waitFor(() => log.has('joined', waitingId), 'the waiting event to join');
    await waitFor(async () => (await queueSize(b.url)) === 1, 'B to count the waiting event');
    expect(
      await postJson(`${b.url}/gradio_api/queue/join`, {
        data: ['refused'],
        fn_index: fn,
        session_hash: newSessionHash(),
      }),
    ).toEqual({
      status: 503,
      json: { detail: 'Queue is full. Max size is 1 and size is 1.' },
    });
    // A process that has not counted yet (just started) counts before it answers: 503 too, on every route that joins.
    const c = await startGradioApp(options, [Held]);
    const d = await startGradioApp(options, [Held]);
    try {
      expect(
        await postJson(`${c.url}/gradio_api/queue/join`, { data: ['refused'], fn_index: fn, session_hash: 'late' }),
      ).toEqual({ status: 503, json: { detail: 'Queue is full. Max size is 1 and size is 1.' } });
      expect(await postJson(`${d.url}/gradio_api/call/v2/hold`, { key: 'refused' })).toEqual({
        status: 503,
        json: { detail: 'Queue is full. Max size is 1 and size is 1.' },
      });
    } finally {
      await c.close();
      await d.close();
    }
    gate.release('running', 'waiting');
    const [first, second] = await Promise.all([runningStream, waitingStream]);
    expect(first.messages.find((message) => message.msg === 'process_completed')).toMatchObject({ success: true });
    expect(second.messages.find((message) => message.msg === 'process_completed')).toMatchObject({ success: true });
    log.stop();
  });
});
