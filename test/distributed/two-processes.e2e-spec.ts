import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Ctx, GradioApi, Int, type EventContext } from 'nest-gradio';
import { QueueService } from 'nest-gradio/testing';
import { applyDiff, type Edit } from '../support/apply-diff.js';
import { Gate } from '../support/gate.js';
import {
  fnIndexes,
  join,
  newSessionHash,
  readCallStream,
  readSession,
  type QueueMessage,
  waitFor,
} from '../support/protocol.js';
import { scrape } from '../production/scrape.js';
import { postJson } from '../support/sse.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
/** How many `hold` calls ran at once at most, over both apps. */
/** The texts of each batch `shout` ran, on either process. */
const batches: string[][] = [];
let holding = 0;
let mostHeldAtOnce = 0;

@Injectable()
class Work {
  /** Counts to n with progress, one value per step. */
  @GradioApi({ name: 'count', returns: Int, stream: true, concurrencyLimit: null })
  async *count(n: Int, @Ctx() ctx: EventContext): AsyncGenerator<number> {
    for (let i = 1; i <= n; i++) {
      ctx.progress(i, n);
      yield i;
    }
  }

  /** Waits at the gate `key`, but may take only 0.2 s. */
  @GradioApi({ name: 'brief', returns: String, concurrencyLimit: null, timeLimit: 0.2 })
  async brief(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return 'in time';
  }

  /** Returns n (a call for the usage analytics to count). */
  @GradioApi({ name: 'tally', returns: Int, concurrencyLimit: null })
  tally(n: Int): number {
    return n;
  }

  /** Upper-cases a batch of texts; a batch holding "gate" first waits at the gate of that name. */
  @GradioApi({ name: 'shout', batch: true, maxBatchSize: 3, outputs: [[String]] })
  async shout(texts: string[], @Ctx() ctx: EventContext): Promise<[string[]]> {
    batches.push([...texts]);
    if (texts.includes('gate')) await gate.pass('shout-gate', ctx.signal);
    return [texts.map((text) => text.toUpperCase())];
  }

  /** Served by run/ at once, outside the shared queue. */
  @GradioApi({ name: 'direct', returns: Int, queue: false })
  direct(n: Int): number {
    return n;
  }

  /** Waits at the gate `key`; at most one runs at a time over every process. */
  @GradioApi({ name: 'hold', returns: String, concurrencyLimit: 1 })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    holding++;
    mostHeldAtOnce = Math.max(mostHeldAtOnce, holding);
    try {
      await gate.pass(key, ctx.signal);
      return `held ${key}`;
    } finally {
      holding--;
    }
  }
}

/** Three endpoints in three groups, each unlimited: only the deployment's maxThreads holds them back. */
@Injectable()
class Groups {
  @GradioApi({ name: 'hold_one', returns: String, concurrencyLimit: null, concurrencyId: 'one' })
  async holdOne(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'hold_two', returns: String, concurrencyLimit: null, concurrencyId: 'two' })
  async holdTwo(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'hold_three', returns: String, concurrencyLimit: null, concurrencyId: 'three' })
  async holdThree(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

/** Resolves when one of the apps ran the event to its end (whichever process took it). */
function completedOnEither(apps: RunningApp[], eventId: string): Promise<void> {
  return new Promise((resolve) => {
    const subscriptions = apps.map((running) =>
      running.app.get(QueueService).lifecycle$.subscribe((entry) => {
        if (entry.type !== 'completed' || entry.eventId !== eventId) return;
        for (const subscription of subscriptions) subscription.unsubscribe();
        resolve();
      }),
    );
  });
}

/**
 * Distributed mode with two apps — two Nest applications, each with its own HTTP server, in this test process — on
 * one real redis-server: the process boundary is Redis, as between machines (they share no queue state in memory).
 */
describe('distributed mode: two app processes on one Redis', () => {
  let redis: RedisServer;
  let a: RunningApp;
  let b: RunningApp;
  let fn: Record<string, number>;

  beforeAll(async () => {
    redis = await startRedis();
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const options = (processName: string) => ({
      redis: redis.url,
      distributed: { prefix, stalledTimeout: 2000, processName },
      metrics: true,
    });
    a = await startGradioApp(options('proc-a'), [Work]);
    b = await startGradioApp(options('proc-b'), [Work]);
    fn = await fnIndexes(a.url);
  });

  afterAll(async () => {
    gate.releaseAll();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('delivers every message of a call joined on A to a data stream opened on B, in order', async () => {
    const session = newSessionHash();
    const eventId = await join(a.url, fn['count'] as number, [3], session);
    const { messages } = await readSession(b.url, session);
    const kinds = messages.filter((message) => message.msg !== 'heartbeat').map((message) => message.msg);
    // Progress is throttled (the latest every 10 ms), so how many progress messages arrive may vary.
    expect(kinds.filter((kind) => kind !== 'progress')).toEqual([
      'estimation',
      'process_starts',
      'process_generating',
      'process_generating',
      'process_generating',
      'process_completed',
      'close_stream',
    ]);
    expect(kinds).toContain('progress');
    const steps = messages.filter((message) => message.msg === 'process_generating');
    // The first step carries the value, the next ones diffs against it (what the clients apply).
    let value: unknown;
    const values = steps.map((message, index) => {
      const [output] = (message['output'] as { data: unknown[] }).data;
      value = index === 0 ? output : applyDiff(value, output as Edit[]);
      return value;
    });
    expect(values).toEqual([1, 2, 3]);
    const completed = messages.find((message) => message.msg === 'process_completed') as QueueMessage;
    expect(completed.event_id).toBe(eventId);
    expect(completed).toMatchObject({ success: true, output: { data: [3] } });
  });

  it('keeps the messages for a reader that comes late, on the other process', async () => {
    const session = newSessionHash();
    const eventId = await join(b.url, fn['count'] as number, [2], session);
    await completedOnEither([a, b], eventId);
    const { messages } = await readSession(a.url, session);
    const data = messages.filter((message) => message.msg === 'process_completed');
    expect(data).toEqual([expect.objectContaining({ success: true, output: expect.objectContaining({ data: [2] }) })]);
  });

  it('holds a concurrency limit of 1 across both processes, first come first served', async () => {
    const first = newSessionHash();
    const second = newSessionHash();
    await join(a.url, fn['hold'] as number, ['one'], first);
    const firstStream = readSession(a.url, first);
    await gate.arrived('one');
    await join(b.url, fn['hold'] as number, ['two'], second);
    const secondStream = readSession(b.url, second);
    gate.release('one');
    await gate.arrived('two');
    gate.release('two');
    const [one, two] = await Promise.all([firstStream, secondStream]);
    expect(one.messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      success: true,
      output: { data: ['held one'] },
    });
    expect(two.messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      success: true,
      output: { data: ['held two'] },
    });
    expect(gate.arrivals.indexOf('one')).toBeLessThan(gate.arrivals.indexOf('two'));
    expect(mostHeldAtOnce).toBe(1);
  });

  it('cancels from B a call that runs on whichever process took it', async () => {
    const session = newSessionHash();
    const eventId = await join(a.url, fn['hold'] as number, ['cancel-me'], session);
    const stream = readSession(a.url, session);
    await gate.arrived('cancel-me');
    const { status } = await postJson(`${b.url}/gradio_api/cancel`, {
      session_hash: session,
      event_id: eventId,
      fn_index: fn['hold'],
    });
    expect(status).toBe(200);
    const { messages } = await stream;
    const completions = messages.filter((message) => message.msg === 'process_completed');
    expect(completions).toEqual([expect.objectContaining({ event_id: eventId, success: false, title: 'Cancelled' })]);
    // The handler's signal fired where it ran, which freed the group's only slot: a next call runs.
    const next = newSessionHash();
    await join(b.url, fn['hold'] as number, ['after-cancel'], next);
    const after = readSession(b.url, next);
    await gate.arrived('after-cancel');
    gate.release('after-cancel');
    expect((await after).messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      success: true,
    });
  });

  it('streams a call/ made with a session hash on A from B', async () => {
    const { status, json } = await postJson(`${a.url}/gradio_api/call/count`, {
      data: [2],
      session_hash: newSessionHash(),
    });
    expect(status).toBe(200);
    const body = await readCallStream(b.url, 'count', (json as { event_id: string }).event_id);
    expect(body.trim().split('\n\n').at(-1)).toBe('event: complete\ndata: [2]');
  });

  it('counts in /monitoring/summary on B the calls joined on A, wherever they ran', async () => {
    for (const n of [1, 2, 3]) {
      const session = newSessionHash();
      await join(a.url, fn['tally'] as number, [n], session);
      await readSession(a.url, session);
    }
    let tally: Record<string, unknown> | undefined;
    await waitFor(async () => {
      const summary = (await (await fetch(`${b.url}/monitoring/summary`)).json()) as {
        functions: Record<string, Record<string, unknown>>;
      };
      tally = summary.functions['tally'];
      return tally?.['total_requests'] === 3 && tally['success_rate'] === 1;
    }, 'B to count the three calls');
    expect(tally).toMatchObject({ total_requests: 3, success_rate: 1 });
    expect((tally?.['process_time_percentiles'] as Record<string, unknown>)['50th']).toEqual(expect.any(Number));
  });

  it('runs waiting calls of a batch endpoint as batches, whichever process joined them, each answered its own', async () => {
    const texts = ['a', 'b', 'c', 'd'];
    const gateSession = newSessionHash();
    await join(a.url, fn['shout'] as number, ['gate'], gateSession);
    await gate.arrived('shout-gate');
    const sessions = texts.map(() => newSessionHash());
    for (const [index, text] of texts.entries()) {
      await join((index % 2 === 0 ? a : b).url, fn['shout'] as number, [text], sessions[index] as string);
    }
    // A join is answered before its job is in Redis: wait until all four are (the group's limit is 1, so they wait).
    await waitFor(async () => {
      const status = (await (await fetch(`${b.url}/gradio_api/queue/status`)).json()) as { queue_size: number };
      return status.queue_size === texts.length;
    }, 'the four calls to wait in the shared queue');
    gate.release('shout-gate');

    const completionOf = async (url: string, session: string) =>
      (await readSession(url, session)).messages.find((message) => message.msg === 'process_completed');
    expect(await completionOf(a.url, gateSession)).toMatchObject({ success: true, output: { data: ['GATE'] } });
    for (const [index, text] of texts.entries()) {
      // Read from the other process than the one that joined it.
      const url = (index % 2 === 0 ? b : a).url;
      expect(await completionOf(url, sessions[index] as string)).toMatchObject({
        success: true,
        output: { data: [text.toUpperCase()] },
      });
    }
    // The oldest waiting three ran as one batch (one slot of the limit), the last one alone.
    expect(batches.slice(-3)).toEqual([['gate'], ['a', 'b', 'c'], ['d']]);
  });

  it('counts each call once over the processes in /metrics, labelled with the process that counted it', async () => {
    const runs = async () => {
      const scrapes = await Promise.all([a, b].map((app) => scrape(`${app.url}/metrics`)));
      return scrapes.map((metrics, index) =>
        metrics.value('gradio_run_seconds_count', {
          api_name: 'tally',
          surface: 'api',
          process: `proc-${'ab'[index]}`,
        }),
      );
    };
    const ranBefore = (await runs()).reduce((sum: number, count) => sum + (count ?? 0), 0);
    const joinedBefore = (await scrape(`${a.url}/metrics`)).value('gradio_calls_total', {
      api_name: 'tally',
      surface: 'api',
      process: 'proc-a',
    });
    for (const n of [1, 2, 3, 4]) {
      const session = newSessionHash();
      await join(a.url, fn['tally'] as number, [n], session);
      await readSession(b.url, session);
    }
    // Joined on A: counted there only. Run wherever a worker took them: each run counted by that process alone.
    const [onA, onB] = await Promise.all([a, b].map((app) => scrape(`${app.url}/metrics`)));
    const joined = { api_name: 'tally', surface: 'api' };
    expect(onA?.value('gradio_calls_total', { ...joined, process: 'proc-a' })).toBe((joinedBefore ?? 0) + 4);
    expect(onB?.value('gradio_calls_total', { ...joined, process: 'proc-b' })).toBeUndefined();
    await waitFor(async () => {
      const ran = (await runs()).reduce((sum: number, count) => sum + (count ?? 0), 0);
      return ran === ranBefore + 4;
    }, 'the four runs to be counted once over both processes');
    expect(onA?.value('gradio_running_jobs', { process: 'proc-a' })).toBe(0);
  });

  /** Two more apps on a prefix of their own, serving the three `Groups` endpoints with the given maxThreads. */
  async function cappedPair(maxThreads: number): Promise<{
    apps: RunningApp[];
    started: string[];
    fn: Record<string, number>;
    close: () => Promise<void>;
  }> {
    const options = { redis: redis.url, distributed: { prefix: `cap-${randomBytes(4).toString('hex')}` }, maxThreads };
    const apps = [await startGradioApp(options, [Groups]), await startGradioApp(options, [Groups])];
    const started: string[] = [];
    const seen = apps.map((running) =>
      running.app.get(QueueService).lifecycle$.subscribe((entry) => {
        if (entry.type === 'started' && !entry.elsewhere) started.push(entry.endpoint.apiName);
      }),
    );
    return {
      apps,
      started,
      fn: await fnIndexes(apps[0]!.url),
      close: async () => {
        for (const subscription of seen) subscription.unsubscribe();
        for (const running of apps) await running.close();
      },
    };
  }

  it('runs at most maxThreads jobs at once over both processes and all groups', async () => {
    const pair = await cappedPair(2);
    try {
      const sessions = ['one', 'two', 'three'].map(() => newSessionHash());
      for (const [index, name] of ['one', 'two', 'three'].entries()) {
        const url = pair.apps[index % 2]!.url;
        await join(url, pair.fn[`hold_${name}`] as number, [`cap-${name}`], sessions[index] as string);
      }
      await Promise.all([gate.arrived('cap-one'), gate.arrived('cap-two')]);
      // Three groups, each unlimited, on two processes with a worker each: the deployment's two slots are taken, so
      // the third waits for one (N processes do not make N × maxThreads).
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect([...pair.started].sort()).toEqual(['hold_one', 'hold_two']);
      gate.release('cap-one');
      await gate.arrived('cap-three');
      gate.release('cap-two', 'cap-three');
      for (const [index, session] of sessions.entries()) {
        const { messages } = await readSession(pair.apps[(index + 1) % 2]!.url, session);
        expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({ success: true });
      }
    } finally {
      await pair.close();
    }
  });

  it('gives a freed slot to the oldest waiting join, whichever process and group holds it', async () => {
    const pair = await cappedPair(1);
    try {
      const [first, second, third] = ['one', 'two', 'three'].map(() => newSessionHash()) as [string, string, string];
      await join(pair.apps[0]!.url, pair.fn['hold_one'] as number, ['fifo-one'], first);
      await gate.arrived('fifo-one');
      // Joined in this order on alternate processes, each in its own group; both taken by a worker and waiting for
      // the deployment's one slot before it frees.
      await join(pair.apps[1]!.url, pair.fn['hold_three'] as number, ['fifo-three'], third);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await join(pair.apps[0]!.url, pair.fn['hold_two'] as number, ['fifo-two'], second);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(pair.started).toEqual(['hold_one']);
      gate.release('fifo-one');
      await gate.arrived('fifo-three');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pair.started).toEqual(['hold_one', 'hold_three']);
      gate.release('fifo-three', 'fifo-two');
      await readSession(pair.apps[1]!.url, second);
      expect(pair.started).toEqual(['hold_one', 'hold_three', 'hold_two']);
    } finally {
      await pair.close();
    }
  });

  it('a stopping process hands a job waiting for a slot back to the queue, for another process to run', async () => {
    const options = {
      redis: redis.url,
      distributed: { prefix: `hand-${randomBytes(4).toString('hex')}` },
      maxThreads: 1,
    };
    const stopping = await startGradioApp({ ...options, shutdownTimeout: 60 }, [Groups]);
    let other: RunningApp | undefined;
    try {
      const fnGroups = await fnIndexes(stopping.url);
      const running = newSessionHash();
      const waiting = newSessionHash();
      await join(stopping.url, fnGroups['hold_one'] as number, ['hand-running'], running);
      await gate.arrived('hand-running');
      // The only process takes the second job and holds it, waiting for the slot its first job has.
      const waitingId = await join(stopping.url, fnGroups['hold_two'] as number, ['hand-waiting'], waiting);
      await new Promise((resolve) => setTimeout(resolve, 300));
      other = await startGradioApp(options, [Groups]);
      const ranOn: string[] = [];
      const seen = other.app.get(QueueService).lifecycle$.subscribe((entry) => {
        if (entry.type === 'started' && !entry.elsewhere) ranOn.push(entry.eventId);
      });
      const closed = stopping.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gate.release('hand-running', 'hand-waiting');
      await closed;
      const { messages } = await readSession(other.url, waiting);
      seen.unsubscribe();
      expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
        event_id: waitingId,
        success: true,
        output: { data: ['hand-waiting'] },
      });
      expect(ranOn).toEqual([waitingId]);
    } finally {
      await other?.close();
    }
  });

  it("holds for a moment the answer to a join on A whose session's stream on B just closed", async () => {
    const session = newSessionHash();
    await join(a.url, fn['tally'] as number, [1], session);
    // The stream closes on B (close_stream sent); the client's next join goes to A, which cannot see B's connection.
    expect((await readSession(b.url, session)).messages.at(-1)?.msg).toBe('close_stream');
    let answered = false;
    const next = join(a.url, fn['tally'] as number, [2], session).then((id) => {
      answered = true;
      return id;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A client thread that has not read close_stream yet would file this call under the closed stream.
    expect(answered).toBe(false);
    const id = await next;
    const { messages } = await readSession(b.url, session);
    expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      event_id: id,
      output: { data: [2] },
    });
  });

  it('has marked the close where A sees it by the time close_stream leaves B', async () => {
    const session = newSessionHash();
    await join(a.url, fn['tally'] as number, [1], session);
    // B's stream is read as queue/data reads it. A join on A whose event became pending just after that stream found
    // none asks A for the mark at this moment: when the mark came only after close_stream, that join was answered at
    // once and its call lost.
    const onA = await new Promise<{ handover: Promise<void> | undefined }>((resolve, reject) => {
      b.app
        .get(QueueService)
        .openStream(session, { closeHandover: true })
        .subscribe({
          next: (message) => {
            if (message.msg === 'close_stream')
              resolve({ handover: a.app.get(QueueService).closedStreamHandover(session) });
          },
          error: reject,
        });
    });
    const held = await Promise.race([
      Promise.resolve(onA.handover).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('held'), 100)),
    ]);
    expect(held).toBe('held');
  });

  it('counts in /monitoring/summary on B the run/ calls served by A outside the queue', async () => {
    for (const n of [1, 2]) {
      expect(await postJson(`${a.url}/gradio_api/run/direct`, { data: [n] })).toMatchObject({ json: { data: [n] } });
    }
    await waitFor(async () => {
      const summary = (await (await fetch(`${b.url}/monitoring/summary`)).json()) as {
        functions: Record<string, Record<string, unknown>>;
      };
      return summary.functions['direct']?.['total_requests'] === 2;
    }, 'B to count the two run/ calls');
  });

  it('stops a call at its time limit on the process running it, and says so to the client on the other', async () => {
    const session = newSessionHash();
    const eventId = await join(a.url, fn['brief'] as number, ['never-released'], session);
    const { messages } = await readSession(b.url, session);
    expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      event_id: eventId,
      success: false,
      title: 'Time limit exceeded',
    });
  });

  it('leaves no key of a finished session behind in Redis', async () => {
    const session = newSessionHash();
    const eventId = await join(a.url, fn['count'] as number, [2], session);
    await readSession(b.url, session);
    const client = new Redis(redis.url);
    try {
      // The reader drops the session once its stream has closed, just after the client read the end.
      await waitFor(async () => (await client.keys(`*:session:${session}:*`)).length === 0, 'the session to go');
      expect(await client.keys(`*${session}*`)).toEqual([]);
      expect(await client.keys(`*${eventId}*`)).toEqual([]);
    } finally {
      client.disconnect();
    }
  });
});
