import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, toArray } from 'rxjs';
import { Ctx } from '../decorators/ctx.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { GradioError } from '../kernel/gradio.error.js';
import { resolveGradioOptions } from '../options/gradio-options.js';
import type { EventContext } from '../options/event-context.interface.js';
import type { GradioModuleOptions } from '../options/gradio-module-options.interface.js';
import { Int } from '../schema/type-spec.js';
import { endpointNamed, registryOf } from '../testing/endpoint-fixtures.js';
import { currentEvent } from './event-context.js';
import { MemorySessionStore } from './memory-session.store.js';
import type { QueueEvent } from './queue-event.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import { QueueService } from './queue.service.js';

const seen: string[] = [];
let release: (() => void) | undefined;

class Handlers {
  @GradioApi()
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ returns: String, concurrencyLimit: null })
  async *spell(text: string): AsyncGenerator<string> {
    for (let i = 1; i <= text.length; i++) yield text.slice(0, i);
  }

  /** Runs until released or aborted, recording what happened to it. */
  @GradioApi({ returns: String })
  async block(label: string, @Ctx() ctx: EventContext): Promise<string> {
    seen.push(`start ${label}`);
    await new Promise<void>((resolve) => {
      release = resolve;
      ctx.signal.addEventListener('abort', () => {
        seen.push(`abort ${label} (${String(ctx.signal.reason)})`);
        resolve();
      });
    });
    return label;
  }

  @GradioApi({ timeLimit: 0.05 })
  async forever(@Ctx() ctx: EventContext): Promise<void> {
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
  }

  @GradioApi()
  hidden(): never {
    throw new Error('secret details');
  }

  @GradioApi()
  userFacing(): never {
    throw new GradioError('Try again later', { title: 'Busy', duration: null });
  }

  @GradioApi({ returns: String })
  async chatty(@Ctx() ctx: EventContext): Promise<string> {
    ctx.info('one');
    ctx.warning('two', { duration: 5 });
    for (let step = 1; step <= 100; step++) ctx.progress(step, 100);
    ctx.success('three', { title: 'Done!' });
    await sleep(30);
    return currentEvent() === ctx ? 'context found' : 'context lost';
  }

  /** A batch endpoint that waits to be released, to cancel one member while its batch runs. */
  @GradioApi({ batch: true, maxBatchSize: 3, outputs: [[String]] })
  async slowBatch(texts: string[]): Promise<[string[]]> {
    await new Promise<void>((resolve) => (release = resolve));
    return [texts.map((text) => text.toUpperCase())];
  }

  @GradioApi({ batch: true, maxBatchSize: 3, outputs: [[String]] })
  async shout(texts: string[]): Promise<[string[]]> {
    seen.push(`batch ${texts.join(',')}`);
    return [texts.map((text) => text.toUpperCase())];
  }
}

const registry = registryOf(new Handlers());

function queueWith(options: GradioModuleOptions = {}): QueueService {
  const resolved = resolveGradioOptions({ heartbeatInterval: 60, ...options });
  return new QueueService(registry, resolved, new MemorySessionStore(resolved.maxSessions));
}

function join(queue: QueueService, name: string, data: unknown[], sessionHash = 's1', simpleFormat = false) {
  return queue.join(endpointNamed(registry, name), { sessionHash, data, simpleFormat, request: {} as never });
}

function messagesOf(queue: QueueService, sessionHash = 's1'): Promise<QueueMessage[]> {
  return firstValueFrom(queue.openStream(sessionHash).pipe(toArray()));
}

const kinds = (messages: QueueMessage[]) => messages.map((message) => message.msg);
const completionOf = (messages: QueueMessage[], eventId: string) =>
  messages.find((message) => message.msg === 'process_completed' && message.event_id === eventId);

beforeEach(() => {
  seen.length = 0;
  release = undefined;
});

describe('QueueService', () => {
  it('reports estimation, process_starts and one completion, then closes the stream', async () => {
    const queue = queueWith();
    const event = join(queue, 'add', [3, 5]);
    const messages = await messagesOf(queue);
    expect(kinds(messages)).toEqual(['estimation', 'process_starts', 'process_completed', 'close_stream']);
    expect(messages[0]).toEqual({ msg: 'estimation', event_id: event.id, rank: 0, queue_size: 1, rank_eta: null });
    expect(completionOf(messages, event.id)).toMatchObject({
      success: true,
      output: { data: [8], is_generating: false },
    });
    expect(queue.snapshot()).toEqual({ waiting: 0, running: 0, liveEvents: 0, sessions: 0, openStreams: 0 });
  });

  it('streams a generator: the first step in full, then diffs, then the full last value', async () => {
    const queue = queueWith();
    join(queue, 'spell', ['abc']);
    const generating = (await messagesOf(queue)).filter((message) => message.msg !== 'estimation');
    expect(
      generating.map((message) => ('output' in message ? (message.output as { data?: unknown }).data : message.msg)),
    ).toEqual(['process_starts', ['a'], [[['append', [], 'b']]], [[['append', [], 'c']]], ['abc'], 'close_stream']);
  });

  it('sends full values to simple-format (curl) callers', async () => {
    const queue = queueWith();
    join(queue, 'spell', ['ab'], 's1', true);
    const data = (await messagesOf(queue)).flatMap((message) =>
      message.msg === 'process_generating' ? [message.output.data] : [],
    );
    expect(data).toEqual([['a'], ['ab']]);
  });

  it('multiplexes the events of one session and closes only after the last one', async () => {
    const queue = queueWith();
    const first = join(queue, 'add', [1, 1]);
    const second = join(queue, 'spell', ['xy']);
    const messages = await messagesOf(queue);
    expect(completionOf(messages, first.id)).toBeDefined();
    expect(completionOf(messages, second.id)).toBeDefined();
    expect(kinds(messages).at(-1)).toBe('close_stream');
    expect(kinds(messages).filter((kind) => kind === 'close_stream')).toHaveLength(1);
  });

  it('with a linger, keeps the stream open for a call that joins right after the last one completed', async () => {
    const queue = queueWith();
    const first = join(queue, 'add', [1, 1]);
    const received: QueueMessage[] = [];
    let second: { id: string } | undefined;
    const closed = new Promise<void>((resolve) =>
      queue.openStream('s1', { lingerMs: 100 }).subscribe({
        next: (message) => {
          received.push(message);
          // The next call of a client arrives just after the previous result, before the linger ends.
          if (message.msg === 'process_completed' && message.event_id === first.id) second = join(queue, 'add', [2, 2]);
        },
        complete: resolve,
      }),
    );
    await closed;
    expect(completionOf(received, second!.id)).toMatchObject({ output: { data: [4] } });
    expect(kinds(received).filter((kind) => kind === 'close_stream')).toHaveLength(1);
    expect(kinds(received).at(-1)).toBe('close_stream');
  });

  it('with a linger, counts it from the last completion: back-to-back calls keep one stream open', async () => {
    const queue = queueWith();
    const ids = [join(queue, 'add', [0, 0]).id];
    const received: QueueMessage[] = [];
    const calls = 6;
    const closed = new Promise<void>((resolve) =>
      queue.openStream('s1', { lingerMs: 60 }).subscribe({
        next: (message) => {
          received.push(message);
          // Each next call joins 25 ms after the previous result: within the linger of that result, but the six
          // together last well beyond the linger counted from the first result.
          if (message.msg === 'process_completed' && ids.length < calls) {
            setTimeout(() => ids.push(join(queue, 'add', [ids.length, 1]).id), 25);
          }
        },
        complete: resolve,
      }),
    );
    await closed;
    expect(ids).toHaveLength(calls);
    for (const [index, id] of ids.entries()) {
      expect(completionOf(received, id)).toMatchObject({ output: { data: [index === 0 ? 0 : index + 1] } });
    }
    expect(kinds(received).filter((kind) => kind === 'close_stream')).toHaveLength(1);
    expect(kinds(received).at(-1)).toBe('close_stream');
  });

  it('answers a stream for an unknown session with unexpected_error', async () => {
    const messages = await messagesOf(queueWith(), 'nobody');
    expect(messages).toEqual([
      { msg: 'unexpected_error', event_id: null, message: '404: Not Found', session_not_found: true, success: false },
    ]);
  });

  it('cancels a waiting event: it never runs, gets one cancel completion, and the next one moves up', async () => {
    const queue = queueWith();
    const running = join(queue, 'block', ['a']);
    const waiting = join(queue, 'block', ['b']);
    const third = join(queue, 'block', ['c']);
    const stream = messagesOf(queue);
    await sleep(10);
    queue.cancel('s1', waiting.id);
    // Ranks go out at the end of the turn: c hears it moved up before a finishes and lets it start.
    await sleep(10);
    release?.();
    await sleep(10);
    release?.();
    const messages = await stream;
    expect(seen).toEqual(['start a', 'start c']);
    expect(
      messages.filter((message) => message.msg === 'process_completed' && message.event_id === waiting.id),
    ).toEqual([
      expect.objectContaining({ output: { error: 'Cancelled.', visible: false, title: 'Cancelled' }, success: false }),
    ]);
    expect(completionOf(messages, running.id)).toMatchObject({ success: true });
    expect(completionOf(messages, third.id)).toMatchObject({ success: true });
    // After the cancel, c was told it is now first in line.
    expect(messages).toContainEqual(
      expect.objectContaining({ msg: 'estimation', event_id: third.id, rank: 0, queue_size: 1 }),
    );
  });

  it('cancels a running event through its AbortSignal, acknowledges it once, and frees its slot', async () => {
    const queue = queueWith();
    const running = join(queue, 'block', ['a']);
    const next = join(queue, 'block', ['b']);
    const stream = messagesOf(queue);
    await sleep(10);
    queue.cancel('s1', running.id);
    queue.cancel('s1', running.id); // a second cancel must not send a second completion
    await sleep(10);
    release?.();
    const messages = await stream;
    expect(seen).toEqual(['start a', 'abort a (cancelled)', 'start b']);
    expect(
      messages.filter((message) => message.msg === 'process_completed' && message.event_id === running.id),
    ).toHaveLength(1);
    expect(completionOf(messages, next.id)).toMatchObject({ success: true, output: { data: ['b'] } });
  });

  it('ignores a cancel with the wrong session, and a cancel after completion', async () => {
    const queue = queueWith();
    const event = join(queue, 'add', [1, 2]);
    queue.cancel('someone-else', event.id);
    const messages = await messagesOf(queue);
    queue.cancel('s1', event.id);
    expect(messages.filter((message) => message.msg === 'process_completed')).toEqual([
      expect.objectContaining({ success: true, output: expect.objectContaining({ data: [3] }) }),
    ]);
  });

  it('fails an event that passes its time limit and aborts its handler', async () => {
    const queue = queueWith();
    const event = join(queue, 'forever', []);
    const completion = completionOf(await messagesOf(queue), event.id);
    expect(completion).toMatchObject({
      success: false,
      output: {
        error: 'The event took longer than its time limit of 0.05 s and was stopped.',
        title: 'Time limit exceeded',
      },
    });
  });

  it('hides the text of unexpected errors unless showError is on', async () => {
    const hidden = queueWith();
    const event = join(hidden, 'hidden', []);
    expect(completionOf(await messagesOf(hidden), event.id)).toMatchObject({
      success: false,
      title: 'Error',
      output: { error: null },
    });
    const shown = queueWith({ showError: true });
    const other = join(shown, 'hidden', []);
    expect(completionOf(await messagesOf(shown), other.id)).toMatchObject({
      output: { error: 'secret details', visible: true },
    });
  });

  it('always shows a GradioError with its title, duration and visibility', async () => {
    const queue = queueWith();
    const event = join(queue, 'userFacing', []);
    expect(completionOf(await messagesOf(queue), event.id)).toMatchObject({
      success: false,
      title: 'Busy',
      output: { error: 'Try again later', duration: null, visible: true, title: 'Busy' },
    });
  });

  it('fails only the event with an invalid argument', async () => {
    const queue = queueWith();
    const bad = join(queue, 'add', [1, 'x']);
    const good = join(queue, 'add', [1, 2]);
    const messages = await messagesOf(queue);
    expect(completionOf(messages, bad.id)).toMatchObject({
      success: false,
      output: { error: 'Invalid argument for /add: b must be an integer, got "x".' },
    });
    expect(completionOf(messages, good.id)).toMatchObject({ success: true, output: { data: [3] } });
  });

  it('sends alerts in order, throttles progress to the latest state, and keeps the context in async code', async () => {
    const queue = queueWith({ asyncEventContext: true });
    const event = join(queue, 'chatty', []);
    const messages = await messagesOf(queue);
    const logs = messages.filter((message) => message.msg === 'log');
    expect(logs).toEqual([
      { msg: 'log', event_id: event.id, log: 'one', level: 'info', duration: 10, visible: true, title: 'Info' },
      { msg: 'log', event_id: event.id, log: 'two', level: 'warning', duration: 5, visible: true, title: 'Warning' },
      { msg: 'log', event_id: event.id, log: 'three', level: 'success', duration: 10, visible: true, title: 'Done!' },
    ]);
    const progress = messages.filter((message) => message.msg === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThan(100);
    expect(progress.at(-1)).toEqual({
      msg: 'progress',
      event_id: event.id,
      progress_data: [{ index: 100, length: 100, unit: 'steps', progress: null, desc: null }],
    });
    expect(completionOf(messages, event.id)).toMatchObject({ output: { data: ['context found'] } });
  });

  it('batches waiting events of a batch endpoint into one call and answers each its own result', async () => {
    const queue = queueWith();
    join(queue, 'block', ['hold']); // a different endpoint, so the batch endpoint's own group is free
    const events = ['a', 'b', 'c', 'd'].map((text) => join(queue, 'shout', [text]));
    const messages = await new Promise<QueueMessage[]>((resolve) => {
      const received: QueueMessage[] = [];
      queue.openStream('s1').subscribe({
        next: (message) => {
          received.push(message);
          if (received.filter((item) => item.msg === 'process_completed').length === 4) release?.();
        },
        complete: () => resolve(received),
      });
    });
    // Shout's group was free at once for "a"; "b", "c" and "d" waited and then ran as one batch.
    expect(seen).toContain('batch a');
    expect(seen).toContain('batch b,c,d');
    events.forEach((event, index) => {
      expect(completionOf(messages, event.id)).toMatchObject({
        success: true,
        output: { data: [['A', 'B', 'C', 'D'][index]] },
      });
    });
  });

  it('gives each member of a batch its own result after another member was cancelled', async () => {
    const queue = queueWith();
    const gate = join(queue, 'slowBatch', ['gate']); // occupies the group so that the next three form one batch
    const [a, b, c] = ['a', 'b', 'c'].map((text) => join(queue, 'slowBatch', [text])) as [
      QueueEvent,
      QueueEvent,
      QueueEvent,
    ];
    const stream = messagesOf(queue);
    await sleep(10);
    release?.(); // the gate's batch ends; a, b and c start as one batch
    await sleep(10);
    queue.cancel('s1', a.id);
    release?.();
    const messages = await stream;
    expect(completionOf(messages, gate.id)).toMatchObject({ output: { data: ['GATE'] } });
    expect(completionOf(messages, b.id)).toMatchObject({ success: true, output: { data: ['B'] } });
    expect(completionOf(messages, c.id)).toMatchObject({ success: true, output: { data: ['C'] } });
  });

  it('drops waiting events and aborts running ones when the client leaves (docs/protocol.md#disconnects)', async () => {
    const queue = queueWith();
    join(queue, 'block', ['a']);
    join(queue, 'block', ['b']);
    const subscription = queue.openStream('s1').subscribe();
    await sleep(10);
    subscription.unsubscribe();
    await sleep(10);
    expect(seen).toEqual(['start a', 'abort a (disconnected)']);
    expect(queue.snapshot()).toMatchObject({ waiting: 0, running: 0, liveEvents: 0, sessions: 0, openStreams: 0 });
  });

  it('tells every event of a burst its rank before it starts, with rank updates coalesced per turn', async () => {
    const queue = queueWith();
    const burst = 60;
    const sessions = Array.from({ length: burst }, (_unused, index) => `burst-${index}`);
    // All the joins in one turn; each session keeps its messages, in order, until its stream reads them.
    const events = sessions.map((sessionHash, index) => join(queue, 'add', [index, 1], sessionHash));
    const streams = sessions.map((sessionHash) => messagesOf(queue, sessionHash));
    const perSession = await Promise.all(streams);
    perSession.forEach((messages, index) => {
      const own = messages.filter((message) => 'event_id' in message && message.event_id === events[index].id);
      const starts = own.findIndex((message) => message.msg === 'process_starts');
      expect(own[0]).toMatchObject({ msg: 'estimation' });
      expect(starts).toBeGreaterThan(0);
      // No rank arrives once it runs, and every rank it heard was one of the waiting line's.
      expect(own.slice(starts).some((message) => message.msg === 'estimation')).toBe(false);
      for (const message of own.slice(0, starts)) {
        if (message.msg === 'estimation') expect(message.rank).toBeLessThan(burst);
      }
      expect(completionOf(messages, events[index].id)).toMatchObject({ success: true, output: { data: [index + 1] } });
    });
    // Told at once on every start, the waiting events would hear burst²/2 ranks; coalesced, a few per event.
    const ranks = perSession.flat().filter((message) => message.msg === 'estimation').length;
    expect(ranks).toBeLessThanOrEqual(burst * 3);
  });

  it('refuses joins beyond maxSize waiting events', () => {
    const queue = queueWith({ maxSize: 1 });
    join(queue, 'block', ['a']);
    join(queue, 'block', ['b']);
    expect(() => join(queue, 'block', ['c'])).toThrow('Queue is full. Max size is 1 and size is 1.');
    release?.();
  });

  it('tells a stream the server is stopping', async () => {
    const queue = queueWith();
    join(queue, 'block', ['a']);
    const stream = messagesOf(queue);
    await sleep(10);
    queue.beforeApplicationShutdown();
    expect((await stream).at(-1)).toEqual({
      msg: 'unexpected_error',
      event_id: null,
      message: 'Server stopped unexpectedly.',
      session_not_found: false,
      success: false,
    });
  });

  it('sends heartbeats on an idle stream', async () => {
    const queue = queueWith({ heartbeatInterval: 0.02 });
    join(queue, 'block', ['a']);
    const heartbeats = await new Promise<QueueMessage[]>((resolve) => {
      const received: QueueMessage[] = [];
      const subscription = queue.openStream('s1').subscribe((message) => {
        if (message.msg === 'heartbeat') received.push(message);
        if (received.length === 2) {
          subscription.unsubscribe();
          resolve(received);
        }
      });
    });
    expect(heartbeats).toEqual([
      { msg: 'heartbeat', event_id: null },
      { msg: 'heartbeat', event_id: null },
    ]);
  });

  it('sends no heartbeats on a stream opened without them (a reader in this process)', async () => {
    const queue = queueWith({ heartbeatInterval: 0.02 });
    join(queue, 'block', ['a']);
    const received: QueueMessage[] = [];
    const subscription = queue.openStream('s1', { heartbeats: false }).subscribe((message) => received.push(message));
    // Five heartbeat intervals: a stream with heartbeats has sent some by then (the test above).
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.unsubscribe();
    expect(kinds(received)).toEqual(['estimation', 'process_starts']);
  });

  it('leaves nothing behind after many calls', async () => {
    const queue = queueWith();
    for (let round = 0; round < 200; round++) {
      join(queue, 'add', [round, 1], `session-${round}`);
      join(queue, 'spell', ['abc'], `session-${round}`);
      await messagesOf(queue, `session-${round}`);
    }
    expect(queue.snapshot()).toEqual({ waiting: 0, running: 0, liveEvents: 0, sessions: 0, openStreams: 0 });
  });
});
