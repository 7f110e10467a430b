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
  /** For `joined`: the event's 0-based place in its concurrency group's waiting list (none for `run/` calls). */
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
  /**
   * Set when another process of a distributed deployment made the entry (the join, start or end happened there):
   * what is counted per process (the metrics) skips it, what covers the deployment (`/monitoring`) keeps it.
   */
  elsewhere?: boolean;
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
  /** Runs every handler this process starts from now on inside `wrap` (see {@link HandlerWrap}). */
  wrapHandlers(wrap: HandlerWrap): void;
  /** Whether the store the queue keeps its state in answers (Redis in distributed mode); undefined in memory. */
  checkStore(): Promise<StoreHealth | undefined>;
}

/** How the queue's store answered a health check. */
export interface StoreHealth {
  /** What the store is (`redis`). */
  store: string;
  up: boolean;
  /** Milliseconds the store took to answer, when it did. */
  latencyMs?: number;
  /** Why it is down. */
  error?: string;
}

/**
 * Runs a handler, given the id of its job's first event: an observer's way to put the handler's work inside an async
 * context of its own (the tracer's `gradio.run` span, so that the spans the handler opens are children of it).
 */
export type HandlerWrap = <T>(eventId: string, run: () => T) => T;

/** DI token of the {@link QueueMonitor}. */
export const QUEUE_MONITOR = Symbol('QUEUE_MONITOR');

/**
 * The queue's side of the lifecycle stream. Each report costs one property read while nobody observes; times are
 * taken only for observed events, on the events themselves.
 */
export class QueueLifecycle {
  private readonly subject = new Subject<QueueLifecycleEvent>();
  readonly events$: Observable<QueueLifecycleEvent> = this.subject.asObservable();

  /** The event joined at `rank`, or ran at once outside the queue (no rank). */
  joined(event: QueueEvent, rank?: number): void {
    if (!this.subject.observed) return;
    event.joinedAt = performance.now();
    const entry = this.base('joined', event);
    if (rank !== undefined) entry.rank = rank;
    this.subject.next(entry);
  }

  started(event: QueueEvent): void {
    if (!this.subject.observed) return;
    const now = performance.now();
    event.startedAt = now;
    const entry = this.base('started', event);
    if (event.joinedAt !== undefined) entry.waitSeconds = (now - event.joinedAt) / 1000;
    this.subject.next(entry);
  }

  /** The event's completion was published; `timedOut` when its job's time limit produced it. */
  completed(event: QueueEvent, success: boolean, timedOut = false): void {
    if (!this.subject.observed) return;
    this.end(event, 'completed', success ? 'success' : timedOut ? 'timeout' : 'error', success);
  }

  cancelled(event: QueueEvent): void {
    if (this.subject.observed) this.end(event, 'cancelled', 'cancelled');
  }

  /** The event's client left. */
  dropped(event: QueueEvent): void {
    if (this.subject.observed) this.end(event, 'dropped', 'disconnected');
  }

  // Entries are built by assignment: an object spread here cost more than everything else together (~1 µs).
  private base(type: QueueLifecycleEvent['type'], event: QueueEvent): QueueLifecycleEvent {
    return { type, eventId: event.id, endpoint: event.endpoint, request: event.input.request };
  }

  /** The last entry of an event, with the run's duration when it started (else the wait's), and the whole stay. */
  private end(event: QueueEvent, type: QueueLifecycleEvent['type'], outcome: QueueOutcome, success?: boolean): void {
    const entry: QueueLifecycleEvent = this.base(type, event);
    entry.outcome = outcome;
    if (success !== undefined) entry.success = success;
    const now = performance.now();
    const { joinedAt, startedAt } = event;
    if (joinedAt !== undefined) entry.totalSeconds = (now - joinedAt) / 1000;
    if (startedAt !== undefined) entry.runSeconds = (now - startedAt) / 1000;
    else entry.waitSeconds = entry.totalSeconds;
    this.subject.next(entry);
  }
}
