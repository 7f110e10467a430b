import { firstValueFrom, toArray } from 'rxjs';
import { Ctx } from '../decorators/ctx.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { GradioError } from '../kernel/gradio.error.js';
import type { EventContext } from '../options/event-context.interface.js';
import { resolveGradioOptions } from '../options/gradio-options.js';
import { endpointNamed, registryOf } from '../testing/endpoint-fixtures.js';
import { MemorySessionStore } from './memory-session.store.js';
import type { QueueLifecycleEvent } from './queue-lifecycle.js';
import { QueueService } from './queue.service.js';

class Handlers {
  @GradioApi()
  echo(text: string): string {
    return text;
  }

  @GradioApi()
  refuse(): never {
    throw new GradioError('No');
  }

  /** Runs until aborted. */
  @GradioApi({ returns: String, concurrencyId: 'slow' })
  async hold(@Ctx() ctx: EventContext): Promise<string> {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    return 'released';
  }

  @GradioApi({ timeLimit: 0.05 })
  async forever(@Ctx() ctx: EventContext): Promise<void> {
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
  }
}

const registry = registryOf(new Handlers());

function observedQueue(options = {}): { queue: QueueService; entries: QueueLifecycleEvent[] } {
  const resolved = resolveGradioOptions({ heartbeatInterval: 60, ...options });
  const queue = new QueueService(registry, resolved, new MemorySessionStore(resolved.maxSessions));
  const entries: QueueLifecycleEvent[] = [];
  queue.lifecycle$.subscribe((entry) => entries.push(entry));
  return { queue, entries };
}

const request = { headers: { traceparent: 'x' }, url: '/gradio_api/queue/join' } as never;

function join(queue: QueueService, name: string, data: unknown[], sessionHash = 's1') {
  return queue.join(endpointNamed(registry, name), { sessionHash, data, simpleFormat: false, request });
}

const drain = (queue: QueueService, sessionHash = 's1') =>
  firstValueFrom(queue.openStream(sessionHash).pipe(toArray()));
const summary = (entries: QueueLifecycleEvent[]) =>
  entries.map((entry) => `${entry.type} ${entry.outcome ?? ''}`.trim());

describe('the queue lifecycle port', () => {
  it('reports join (with the rank and request), start (with the wait) and a successful end (with the run time)', async () => {
    const { queue, entries } = observedQueue();
    const event = join(queue, 'echo', ['hi']);
    await drain(queue);
    expect(summary(entries)).toEqual(['joined', 'started', 'completed success']);
    const [joined, started, completed] = entries as [QueueLifecycleEvent, QueueLifecycleEvent, QueueLifecycleEvent];
    expect(joined).toMatchObject({ eventId: event.id, rank: 0, request });
    expect(joined.endpoint.apiName).toBe('echo');
    expect(started.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(completed.success).toBe(true);
    expect(completed.runSeconds).toBeGreaterThanOrEqual(0);
    expect(completed.totalSeconds).toBeGreaterThanOrEqual(completed.runSeconds as number);
  });

  it('tells a handler error from a time limit', async () => {
    const { queue, entries } = observedQueue();
    join(queue, 'refuse', []);
    join(queue, 'forever', [], 's2');
    await Promise.all([drain(queue), drain(queue, 's2')]);
    expect(
      entries
        .filter((entry) => entry.type === 'completed')
        .map((entry) => entry.outcome)
        .sort(),
    ).toEqual(['error', 'timeout']);
  });

  it('reports a cancelled running event with its run time, and a cancelled waiting one with its wait', async () => {
    const { queue, entries } = observedQueue();
    const running = join(queue, 'hold', []);
    const waiting = join(queue, 'hold', [], 's2');
    expect(queue.waitingByGroup().get('slow')).toBe(1);
    queue.cancel('s2', waiting.id);
    queue.cancel('s1', running.id);
    const cancelled = entries.filter((entry) => entry.type === 'cancelled');
    expect(cancelled.map((entry) => [entry.eventId, entry.outcome])).toEqual([
      [waiting.id, 'cancelled'],
      [running.id, 'cancelled'],
    ]);
    expect(cancelled[0]?.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(cancelled[0]?.runSeconds).toBeUndefined();
    expect(cancelled[1]?.runSeconds).toBeGreaterThanOrEqual(0);
    expect(queue.waitingByGroup().get('slow')).toBe(0);
  });

  it('reports the events of a client that left as disconnected', async () => {
    const { queue, entries } = observedQueue();
    join(queue, 'hold', []);
    const subscription = queue.openStream('s1').subscribe();
    subscription.unsubscribe();
    expect(summary(entries)).toEqual(['joined', 'started', 'dropped disconnected']);
  });

  it('accepts joins until the queue is full, and none once the server stops', () => {
    const { queue } = observedQueue({ maxSize: 1 });
    const running = join(queue, 'hold', []);
    expect(queue.acceptsJoins()).toBe(true);
    const waiting = join(queue, 'hold', [], 's2');
    expect(queue.acceptsJoins()).toBe(false);
    queue.cancel('s2', waiting.id);
    queue.cancel('s1', running.id);
    expect(queue.acceptsJoins()).toBe(true);
    const other = observedQueue().queue;
    other.beforeApplicationShutdown();
    expect(other.acceptsJoins()).toBe(false);
  });

  it('takes no times for events joined while nobody observed', async () => {
    const resolved = resolveGradioOptions({ heartbeatInterval: 60 });
    const queue = new QueueService(registry, resolved, new MemorySessionStore(resolved.maxSessions));
    join(queue, 'echo', ['unseen']);
    const entries: QueueLifecycleEvent[] = [];
    queue.lifecycle$.subscribe((entry) => entries.push(entry));
    await drain(queue);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'completed', outcome: 'success' });
    expect(entries[0]?.runSeconds).toBeUndefined();
  });
});
