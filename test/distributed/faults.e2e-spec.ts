import { randomBytes } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, GradioApi, GradioModule, Int, type EventContext } from 'nest-gradio';
import { QueueService } from 'nest-gradio/testing';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { Gate } from '../support/gate.js';
import { fnIndexes, join, newSessionHash, readSession, waitFor, type QueueMessage } from '../support/protocol.js';
import { openStream, parseQueueData, postJson } from '../support/sse.js';
import { freePort, startRedis, type RedisServer } from '../support/redis.js';
import { startShowcaseProcess, type ShowcaseProcess } from '../support/showcase-process.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class Held {
  /** Waits at the gate `key`. */
  @GradioApi({ name: 'hold', returns: String, concurrencyLimit: null })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return `held ${key}`;
  }
}

/** How `stall` calls ended: 'aborted' when their signal stopped them at the gate. */
const stallEndings: string[] = [];

@Injectable()
class Stalling {
  /** Blocks its process's event loop for `blockMs` (a handler that never yields), then waits at the gate `key`. */
  @GradioApi({ name: 'stall', returns: String, concurrencyLimit: 1 })
  async stall(blockMs: Int, key: string, @Ctx() ctx: EventContext): Promise<string> {
    const until = Date.now() + blockMs;
    while (Date.now() < until) {
      // Busy: no timer of this process runs meanwhile, BullMQ's lock renewal included.
    }
    try {
      await gate.pass(key, ctx.signal);
      stallEndings.push('passed');
      return key;
    } catch (error) {
      stallEndings.push(ctx.signal.aborted ? 'aborted' : 'failed');
      throw error;
    }
  }
}

@Injectable()
class HeldBatch {
  /** Runs a batch of keys once each has passed its gate. */
  @GradioApi({ name: 'hold_batch', batch: true, maxBatchSize: 3, outputs: [[String]] })
  async holdBatch(keys: string[]): Promise<[string[]]> {
    await Promise.all(keys.map((key) => gate.pass(key)));
    return [keys];
  }
}

/**
 * A process that dies stops renewing its jobs' locks. A test cannot SIGKILL its own process, so it closes the app's
 * BullMQ workers without a word (no job finished, failed or handed back) — what the other processes then see.
 */
async function silenceWorkers(app: RunningApp): Promise<void> {
  const queue = app.app.get(QueueService) as unknown as {
    groups: Map<string, { worker?: { close(force: boolean): Promise<void> } }>;
  };
  await Promise.all([...queue.groups.values()].map((group) => group.worker?.close(true)));
}

@Injectable()
class Other {
  /** Another endpoint: an app with only this one runs no job of `hold`. */
  @GradioApi({ name: 'ping', returns: String })
  ping(): string {
    return 'pong';
  }
}

function completionOf(messages: QueueMessage[], eventId: string): QueueMessage | undefined {
  return messages.find((message) => message.msg === 'process_completed' && message.event_id === eventId);
}

/** A session's stream read as it comes: `seen` resolves once a message matches, `done` when the server ends it. */
function watchSession(
  url: string,
  session: string,
): { seen(match: (message: QueueMessage) => boolean): Promise<void>; done: Promise<QueueMessage[]> } {
  const messages: QueueMessage[] = [];
  const waiters: { match: (message: QueueMessage) => boolean; resolve: () => void }[] = [];
  const stream = openStream(`${url}/gradio_api/queue/data?session_hash=${session}`, (block) => {
    const [message] = parseQueueData(`${block}\n\n`) as QueueMessage[];
    messages.push(message as QueueMessage);
    for (const waiter of waiters) if (waiter.match(message as QueueMessage)) waiter.resolve();
  });
  return {
    seen: (match) =>
      messages.some(match) ? Promise.resolve() : new Promise((resolve) => waiters.push({ match, resolve })),
    done: stream.done.then(() => messages),
  };
}

describe('distributed mode: faults', () => {
  it('refuses to start when Redis cannot be reached, naming the URL', async () => {
    const port = await freePort();
    @Module({ imports: [GradioModule.forRoot({ redis: `redis://127.0.0.1:${port}` })], providers: [Held] })
    class UnreachableModule {}
    await expect(NestFactory.create(UnreachableModule, { logger: false, abortOnError: false })).rejects.toThrow(
      `Distributed mode (GradioModule option redis, or GRADIO_REDIS_URL) cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED`,
    );
  });

  describe('with a real redis-server', () => {
    let redis: RedisServer;
    const prefix = `faults-${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      redis = await startRedis();
    });

    afterAll(async () => {
      gate.releaseAll();
      await redis?.stop();
    });

    it('ends a call whose process was killed mid-job with a visible error, and runs the waiting ones elsewhere', async () => {
      // The showcase's slow_echo allows one call at a time over all processes, and the deployment one job at a time
      // (maxThreads 1). The child runs the first call: it is the only process while that call starts.
      const env = {
        GRADIO_REDIS_URL: redis.url,
        GRADIO_REDIS_PREFIX: prefix,
        GRADIO_REDIS_STALLED_TIMEOUT: '1000',
        GRADIO_MAX_THREADS: '1',
      };
      let child: ShowcaseProcess | undefined = await startShowcaseProcess(env);
      let survivor: RunningApp | undefined;
      try {
        const fn = await fnIndexes(child.url);
        const first = newSessionHash();
        const firstId = await join(child.url, fn['slow_echo'] as number, ['lost', 600], first);
        survivor = await startGradioApp(
          { redis: redis.url, distributed: { prefix, stalledTimeout: 1000 }, maxThreads: 1 },
          SHOWCASE_PROVIDERS,
        );
        const lostCall = watchSession(survivor.url, first);
        await lostCall.seen((message) => message.msg === 'process_starts');
        const second = newSessionHash();
        const secondId = await join(survivor.url, fn['slow_echo'] as number, ['next', 0.05], second);
        // Another group, no limit of its own in the way: it waits for the dead process's slot to lapse.
        const third = newSessionHash();
        const thirdId = await join(survivor.url, fn['add'] as number, [2, 3], third);
        await child.kill();
        child = undefined;
        const [lost, next, sum] = await Promise.all([
          lostCall.done,
          readSession(survivor.url, second),
          readSession(survivor.url, third),
        ]);
        expect(completionOf(lost, firstId)).toMatchObject({
          success: false,
          title: 'Server process lost',
          output: { error: expect.stringContaining('stopped answering') },
        });
        expect(completionOf(next.messages, secondId)).toMatchObject({ success: true, output: { data: ['next'] } });
        expect(completionOf(sum.messages, thirdId)).toMatchObject({ success: true, output: { data: [5] } });
      } finally {
        await child?.kill();
        await survivor?.close();
      }
    });

    it('stops a handler whose job its process lost while its event loop was blocked, and frees its slot', async () => {
      const app = await startGradioApp(
        { redis: redis.url, distributed: { prefix: `${prefix}-stall`, stalledTimeout: 1000 } },
        [Stalling],
      );
      try {
        const fn = await fnIndexes(app.url);
        const session = newSessionHash();
        // Blocked past the 1 s lock: the stalled-job check fails the job and tells the client, and this process
        // cannot renew the lock once it runs again.
        const lostId = await join(app.url, fn['stall'] as number, [2500, 'stall-lost'], session);
        const lost = await readSession(app.url, session);
        expect(completionOf(lost.messages, lostId)).toMatchObject({ success: false, title: 'Server process lost' });
        // The handler, still waiting at its gate, is stopped rather than left running for nobody.
        await waitFor(() => stallEndings.length > 0, 'the lost handler to end', 10_000);
        expect(stallEndings).toEqual(['aborted']);
        // Its slot (a limit of 1) is free: the next call runs.
        gate.release('stall-next');
        const next = newSessionHash();
        const nextId = await join(app.url, fn['stall'] as number, [0, 'stall-next'], next);
        const { messages } = await readSession(app.url, next);
        expect(completionOf(messages, nextId)).toMatchObject({ success: true, output: { data: ['stall-next'] } });
      } finally {
        await app.close();
      }
    });

    it('ends every member of a batch whose process died mid-run, each for its own client', async () => {
      const options = { redis: redis.url, distributed: { prefix: `${prefix}-batch`, stalledTimeout: 1000 } };
      const dying = await startGradioApp(options, [HeldBatch]);
      let survivor: RunningApp | undefined;
      try {
        const fnBatch = (await fnIndexes(dying.url))['hold_batch'] as number;
        // A first batch holds the group's one slot while three more calls wait: they then start as one batch.
        await join(dying.url, fnBatch, ['batch-first'], newSessionHash());
        await gate.arrived('batch-first');
        const members = ['batch-a', 'batch-b', 'batch-c'];
        const sessions = members.map(() => newSessionHash());
        const ids: string[] = [];
        for (const [index, key] of members.entries()) {
          ids.push(await join(dying.url, fnBatch, [key], sessions[index] as string));
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        gate.release('batch-first');
        await Promise.all(members.map((key) => gate.arrived(key)));
        // One job runs the three events (the `gradio_running_jobs` gauge reads this).
        expect(dying.app.get(QueueService).snapshot()).toMatchObject({ running: 1, liveEvents: 3 });
        await silenceWorkers(dying);
        survivor = await startGradioApp(options, [HeldBatch]);
        const reads = sessions.map((session) => readSession(survivor!.url, session));
        for (const [index, read] of reads.entries()) {
          expect(completionOf((await read).messages, ids[index] as string)).toMatchObject({
            success: false,
            title: 'Server process lost',
          });
        }
      } finally {
        gate.release('batch-a', 'batch-b', 'batch-c');
        await survivor?.close();
        await dying.close();
      }
    });

    it('fails calls in flight clearly when Redis restarts, and takes new calls once it is back', async () => {
      const app = await startGradioApp({ redis: redis.url, distributed: { prefix: `${prefix}-restart` } }, [Held]);
      try {
        const fn = await fnIndexes(app.url);
        const session = newSessionHash();
        await join(app.url, fn['hold'] as number, ['in-flight'], session);
        const stream = readSession(app.url, session);
        await gate.arrived('in-flight');
        await redis.restart();
        const { messages } = await stream;
        expect(messages).toContainEqual(
          expect.objectContaining({
            msg: 'unexpected_error',
            message: expect.stringContaining('lost its connection to Redis'),
          }),
        );
        // Back: the clients reconnect on their own (a few attempts while they notice).
        let result: QueueMessage | undefined;
        for (let attempt = 0; attempt < 50 && !result?.['success']; attempt++) {
          const again = newSessionHash();
          const key = `after-restart-${attempt}`;
          gate.release(key);
          const eventId = await join(app.url, fn['hold'] as number, [key], again);
          result = completionOf((await readSession(app.url, again)).messages, eventId);
        }
        expect(result).toMatchObject({
          success: true,
          output: { data: [expect.stringMatching(/^held after-restart/)] },
        });
      } finally {
        await app.close();
      }
    });

    it('a process that stops (a rolling deploy) lets its running call finish, refusing new joins meanwhile', async () => {
      const options = { redis: redis.url, distributed: { prefix: `${prefix}-drain` } };
      const stopping = await startGradioApp({ ...options, shutdownTimeout: 60 }, [Held]);
      const reader = await startGradioApp(options, [Other]);
      try {
        const session = newSessionHash();
        const holdIndex = (await fnIndexes(stopping.url))['hold'] as number;
        const eventId = await join(stopping.url, holdIndex, ['drain'], session);
        const stream = readSession(reader.url, session);
        await gate.arrived('drain');
        const closed = stopping.close();
        const refused = await postJson(`${stopping.url}/gradio_api/queue/join`, {
          data: ['late'],
          fn_index: holdIndex,
          session_hash: newSessionHash(),
        });
        expect(refused).toEqual({
          status: 503,
          json: { detail: 'The server is shutting down and takes no new calls; try again in a moment.' },
        });
        gate.release('drain');
        await closed;
        expect(completionOf((await stream).messages, eventId)).toMatchObject({
          success: true,
          output: { data: ['held drain'] },
        });
      } finally {
        await reader.close();
      }
    });

    it('a process whose running call outlasts the shutdown deadline tells its client, wherever it reads', async () => {
      const options = { redis: redis.url, distributed: { prefix: `${prefix}-stop` } };
      const stopping = await startGradioApp({ ...options, shutdownTimeout: 1 }, [Held]);
      const reader = await startGradioApp(options, [Other]);
      try {
        const session = newSessionHash();
        const eventId = await join(stopping.url, (await fnIndexes(stopping.url))['hold'] as number, ['stop'], session);
        const stream = readSession(reader.url, session);
        await gate.arrived('stop');
        await stopping.close();
        expect(completionOf((await stream).messages, eventId)).toMatchObject({
          success: false,
          title: 'Server stopped',
          output: { error: expect.stringContaining('stopped') },
        });
      } finally {
        await reader.close();
      }
    });
  });
});
