// A join's answer means its event is in the shared queue: a client that joins again afterwards, on any process, is
// behind it (docs/distributed.md#shape), even when the process that answered first talks to Redis slowly. And the
// waiting events hear their ranks fall as the jobs ahead start, however the broadcasts were coalesced.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { fnIndexes, join, messagesOf, newSessionHash, readSession, StreamRecorder } from '../support/protocol.js';
import { startLaggingProxy, startRedis, type LaggingProxy, type RedisServer } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class InOrder {
  /** Waits at the gate `key`; one at a time over every process. */
  @GradioApi({ name: 'hold', returns: String, concurrencyLimit: 1 })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

describe('distributed mode: the order of joins and the ranks they are told', () => {
  let redis: RedisServer;
  let lagging: LaggingProxy;
  let far: RunningApp;
  let near: RunningApp;
  let fn: Record<string, number>;

  beforeAll(async () => {
    redis = await startRedis();
    // Each command of the far process reaches Redis 25 ms after it was sent.
    lagging = await startLaggingProxy(redis.port, 25);
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    far = await startGradioApp({ redis: lagging.url, distributed: { prefix, processName: 'far' } }, [InOrder]);
    near = await startGradioApp({ redis: redis.url, distributed: { prefix, processName: 'near' } }, [InOrder]);
    fn = await fnIndexes(near.url);
  }, 60_000);

  afterAll(async () => {
    gate.releaseAll();
    await far?.close();
    await near?.close();
    await lagging?.close();
    await redis?.stop();
  });

  it('a join answered by the far process is ahead of the next one, answered by the near process', async () => {
    const session = newSessionHash();
    await join(near.url, fn['hold'] as number, ['first'], session);
    await gate.arrived('first');
    const keys = Array.from({ length: 6 }, (_, index) => `key-${index}`);
    gate.release(...keys);
    for (const [index, key] of keys.entries()) {
      await join((index % 2 === 0 ? far : near).url, fn['hold'] as number, [key], session);
    }
    const stream = readSession(near.url, session);
    gate.release('first');
    const { messages } = await stream;
    expect(messages.filter((message) => message.msg === 'process_completed')).toHaveLength(keys.length + 1);
    expect(gate.arrivals.filter((key) => keys.includes(key))).toEqual(keys);
  }, 30_000);

  it('tells the waiting events their new ranks as the jobs ahead start, the last change too', async () => {
    const session = newSessionHash();
    await join(near.url, fn['hold'] as number, ['rank-first'], session);
    await gate.arrived('rank-first');
    const waiting: string[] = [];
    for (const key of ['rank-1', 'rank-2', 'rank-3']) {
      waiting.push(await join(far.url, fn['hold'] as number, [key], session));
    }
    const stream = StreamRecorder.forSession(near.url, session);
    try {
      const last = waiting[2] as string;
      const rankOfLast = (): unknown =>
        messagesOf(stream.messages, last)
          .filter((message) => message.msg === 'estimation')
          .at(-1)?.['rank'];
      await stream.until((message) => message.event_id === last && message.msg === 'estimation', 'its estimation');
      expect(rankOfLast()).toBe(2);
      // Two starts in quick succession: the ranks of the second reach the last event, however they were coalesced.
      gate.release('rank-first', 'rank-1');
      await gate.arrived('rank-2');
      await stream.untilBlocks(() => rankOfLast() === 0, 'the last event to be told it is next');
      gate.release('rank-2', 'rank-3');
      await stream.done;
    } finally {
      await stream.abort();
    }
  }, 30_000);
});
