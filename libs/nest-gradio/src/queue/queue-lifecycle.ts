import { type Observable, Subject } from 'rxjs';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import type { QueueEvent } from './queue-event.js';

/**
 * How an event ended: its handler returned (`success`) or failed (`error`), its time limit passed (`timeout`), it
 * was cancelled (`cancelled`), or its client left (`disconnected`).
 */
export type QueueOutcome = 'success' | 'error' | 'timeout' | 'cancelled' | 'disconnected';

/** What happened to an event, for observers such as monitoring, metrics and traces. */
export interface QueueLifecycleEvent {
  type: 'joined' | 'started' | 'completed' | 'cancelled' | 'dropped';
  eventId: string;
  endpoint: Endpoint;
  /** The request that submitted the event (its headers carry a trace context, its URL the surface). */
  request: GradioRequest;
  /** For `completed`: whether the event succeeded. */
  success?: boolean;
  /** For `joined`: the event's 0-based place in its concurrency group's waiting list. */
  rank?: number;
  /** For the last entry of an event (`completed`, `cancelled`, `dropped`): how it ended. */
  outcome?: QueueOutcome;
  /**
   * Seconds between joining and starting: on `started`, and on the last entry of an event that never started.
   * Absent when nobody observed the join.
   */
  waitSeconds?: number;
  /** Seconds between starting and ending, on the last entry of an event that started (when the start was observed). */
  runSeconds?: number;
  /** Seconds between joining and ending, on the last entry of an event (when the join was observed). */
  totalSeconds?: number;
}

/** How much the queue holds right now (for monitoring, and for tests that check nothing is left behind). */
export interface QueueSnapshot {
  /** Events waiting to start. */
  waiting: number;
  /** Jobs running (a batch counts once). */
  running: number;
  /** Events that joined and have not completed. */
  liveEvents: number;
  /** Sessions with undelivered messages, pending events or an open stream. */
  sessions: number;
  /** Open `queue/data` and `call/…` streams. */
  openStreams: number;
}

/**
 * What the queue tells its observers, whatever runs it (in memory here, another backend elsewhere): every event's
 * way through the queue as it happens, and gauges read on demand. Metrics, traces and health checks depend on this
 * port (inject {@link QUEUE_MONITOR}), not on the queue's implementation.
 */
export interface QueueMonitor {
  readonly lifecycle$: Observable<QueueLifecycleEvent>;
  snapshot(): QueueSnapshot;
  /** Events waiting per concurrency group (`concurrency_id`); groups appear once an event joined them. */
  waitingByGroup(): ReadonlyMap<string, number>;
  /** Whether a join would be accepted now (false when the queue is full or the server is stopping). */
  acceptsJoins(): boolean;
}

/** DI token of the {@link QueueMonitor}. */
export const QUEUE_MONITOR = Symbol('QUEUE_MONITOR');

interface EventTimes {
  joinedAt?: number;
  startedAt?: number;
}

/**
 * The queue's side of the lifecycle stream. Each report costs one property read while nobody observes; times are
 * taken only for observed events and kept beside them (a WeakMap), so an observer that leaves mid-way leaks nothing.
 */
export class QueueLifecycle {
  private readonly subject = new Subject<QueueLifecycleEvent>();
  private readonly times = new WeakMap<QueueEvent, EventTimes>();
  readonly events$: Observable<QueueLifecycleEvent> = this.subject.asObservable();

  joined(event: QueueEvent, rank: number): void {
    if (!this.subject.observed) return;
    this.times.set(event, { joinedAt: performance.now() });
    this.emit({ ...this.base('joined', event), rank });
  }

  started(event: QueueEvent): void {
    if (!this.subject.observed) return;
    const now = performance.now();
    const times = this.times.get(event);
    const waitSeconds = times?.joinedAt === undefined ? undefined : (now - times.joinedAt) / 1000;
    this.times.set(event, { ...times, startedAt: now });
    this.emit({ ...this.base('started', event), waitSeconds });
  }

  /** The event's completion was published; `timedOut` when its job's time limit produced it. */
  completed(event: QueueEvent, success: boolean, timedOut = false): void {
    if (!this.subject.observed) return;
    const outcome: QueueOutcome = success ? 'success' : timedOut ? 'timeout' : 'error';
    this.emit({ ...this.base('completed', event), success, outcome, ...this.durations(event) });
  }

  cancelled(event: QueueEvent): void {
    if (!this.subject.observed) return;
    this.emit({ ...this.base('cancelled', event), outcome: 'cancelled', ...this.durations(event) });
  }

  /** The event's client left. */
  dropped(event: QueueEvent): void {
    if (!this.subject.observed) return;
    this.emit({ ...this.base('dropped', event), outcome: 'disconnected', ...this.durations(event) });
  }

  private base(type: QueueLifecycleEvent['type'], event: QueueEvent): QueueLifecycleEvent {
    return { type, eventId: event.id, endpoint: event.endpoint, request: event.input.request };
  }

  /** The final durations: the run's when the event started, else the wait's; and the whole stay. */
  private durations(event: QueueEvent): Pick<QueueLifecycleEvent, 'waitSeconds' | 'runSeconds' | 'totalSeconds'> {
    const times = this.times.get(event);
    this.times.delete(event);
    if (!times) return {};
    const now = performance.now();
    const totalSeconds = times.joinedAt === undefined ? undefined : (now - times.joinedAt) / 1000;
    if (times.startedAt !== undefined) return { runSeconds: (now - times.startedAt) / 1000, totalSeconds };
    return { waitSeconds: totalSeconds, totalSeconds };
  }

  private emit(entry: QueueLifecycleEvent): void {
    this.subject.next(entry);
  }
}
