import { GradioApi } from '../decorators/gradio-api.decorator.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { endpointNamed, registryOf } from '../testing/endpoint-fixtures.js';
import { QueueEvent } from './queue-event.js';
import { QueueScheduler } from './queue.scheduler.js';

class Jobs {
  @GradioApi()
  single(): void {}
  @GradioApi({ concurrencyLimit: 2 })
  double(): void {}
  @GradioApi({ concurrencyLimit: null })
  unlimited(): void {}
  @GradioApi({ concurrencyId: 'gpu', concurrencyLimit: 3 })
  gpuA(): void {}
  @GradioApi({ concurrencyId: 'gpu', concurrencyLimit: 2 })
  gpuB(): void {}
  @GradioApi({ concurrencyId: 'gpu', concurrencyLimit: null })
  gpuC(): void {}
  @GradioApi({ batch: true, maxBatchSize: 3, concurrencyId: 'mixed' })
  batched(): void {}
  @GradioApi({ concurrencyId: 'mixed' })
  other(): void {}
}

const registry = registryOf(new Jobs());
const endpoint = (name: string): Endpoint => endpointNamed(registry, name);
let counter = 0;
const eventOf = (name: string): QueueEvent =>
  new QueueEvent(
    endpoint(name),
    { sessionHash: 's', data: [], simpleFormat: false, request: {} as never },
    `e${++counter}`,
  );

function startAll(scheduler: QueueScheduler): QueueEvent[][] {
  const started: QueueEvent[][] = [];
  for (let job = scheduler.next(0); job; job = scheduler.next(0)) started.push(job.events);
  return started;
}

describe('QueueScheduler', () => {
  it('runs one job at a time by default and keeps the rest waiting in FIFO order', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    const events = [eventOf('single'), eventOf('single'), eventOf('single')];
    expect(events.map((event) => scheduler.enqueue(event))).toEqual([
      { rank: 0, queueSize: 1 },
      { rank: 1, queueSize: 2 },
      { rank: 2, queueSize: 3 },
    ]);
    expect(startAll(scheduler)).toEqual([[events[0]]]);
    expect(scheduler.waitingCount).toBe(2);
  });

  it('runs up to the limit at once, and an unlimited endpoint runs everything', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    for (let i = 0; i < 3; i++) scheduler.enqueue(eventOf('double'));
    for (let i = 0; i < 5; i++) scheduler.enqueue(eventOf('unlimited'));
    const started = startAll(scheduler);
    expect(started.filter(([event]) => event?.endpoint.apiName === 'double')).toHaveLength(2);
    expect(started.filter(([event]) => event?.endpoint.apiName === 'unlimited')).toHaveLength(5);
  });

  it('gives endpoints that share a concurrency id one queue with the lowest limit of its members', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    const events = [eventOf('gpuA'), eventOf('gpuC'), eventOf('gpuA'), eventOf('gpuB')];
    for (const event of events) scheduler.enqueue(event);
    expect(scheduler.groupOf(endpoint('gpuC')).limit).toBe(2);
    expect(startAll(scheduler)).toEqual([[events[0]], [events[1]]]);
    expect(scheduler.groupOf(endpoint('gpuA')).waiting).toEqual([events[2], events[3]]);
  });

  it('starts the next waiting event when a job is released', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    const events = [eventOf('single'), eventOf('single')];
    for (const event of events) scheduler.enqueue(event);
    const first = scheduler.next(0);
    expect(scheduler.next(0)).toBeUndefined();
    scheduler.release(first!);
    scheduler.release(first!); // releasing twice must not free a second slot
    expect(scheduler.next(0)?.events).toEqual([events[1]]);
    expect(scheduler.runningCount).toBe(1);
  });

  it('never runs more jobs than the global cap, across groups', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 3);
    for (let i = 0; i < 10; i++) scheduler.enqueue(eventOf('unlimited'));
    expect(startAll(scheduler)).toHaveLength(3);
    expect(scheduler.runningCount).toBe(3);
    expect(scheduler.waitingCount).toBe(7);
  });

  it('starts groups in the order their heads joined', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 1);
    const first = eventOf('unlimited');
    const second = eventOf('double');
    scheduler.enqueue(first);
    scheduler.enqueue(second);
    expect(scheduler.next(0)?.events.map((event) => event.id)).toEqual([first.id]);
    expect(scheduler.next(0)).toBeUndefined();
  });

  it('batches up to maxBatchSize waiting events of the same endpoint, skipping others, in order (docs/protocol.md#batching)', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    const events = [eventOf('batched'), eventOf('other'), eventOf('batched'), eventOf('batched'), eventOf('batched')];
    for (const event of events) scheduler.enqueue(event);
    const batch = scheduler.next(0);
    expect(batch?.events).toEqual([events[0], events[2], events[3]]);
    expect(scheduler.groupOf(endpoint('other')).waiting).toEqual([events[1], events[4]]);
    expect(scheduler.waitingCount).toBe(2);
  });

  it('removes a waiting event (cancel) and reports false for one that is not waiting', () => {
    const scheduler = new QueueScheduler(() => registry.all(), 40);
    const events = [eventOf('single'), eventOf('single'), eventOf('single')];
    for (const event of events) scheduler.enqueue(event);
    scheduler.next(0);
    expect(scheduler.remove(events[2]!)).toBe(true);
    expect(scheduler.remove(events[0]!)).toBe(false);
    expect(scheduler.groupOf(endpoint('single')).waiting).toEqual([events[1]]);
    expect(scheduler.waitingCount).toBe(1);
  });
});
