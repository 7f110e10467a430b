import { type Observable, Subject } from 'rxjs';
import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { ProcessTimeStats } from '../queue/process-time.stats.js';
import type { QueueEvent } from '../queue/queue-event.js';
import type { QueueOutcome } from '../queue/queue-lifecycle.js';
import type { QueueLifecycleEvent } from '../queue/queue.service.js';
import type { Redis } from './redis-packages.js';

/**
 * The deployment's lifecycle channel (pub/sub): every process tells its events' joins, starts and ends, and hears
 * every process's, its own included — so `lifecycle$` (and through it `/monitoring/summary` and the metrics) covers
 * the deployment since this process started, and every process's ETAs learn from every job's time. Durations are
 * measured where the event is (the join's time comes with the job), and only the parts of the request that observers
 * read travel: its URL (the surface) and its trace context.
 */
export class LifecycleChannel {
  private readonly events = new Subject<QueueLifecycleEvent>();
  readonly lifecycle$: Observable<QueueLifecycleEvent> = this.events.asObservable();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    /** Tells this process's entries from the others'. */
    private readonly processId: string,
    private readonly endpoints: EndpointRegistry,
    /** The job times behind this process's ETAs. */
    private readonly stats: ProcessTimeStats,
  ) {}

  tell(type: QueueLifecycleEvent['type'], event: QueueEvent, success?: boolean, rank?: number): void {
    const now = performance.now();
    const { joinedAt } = event;
    if (type === 'started') event.startedAt = now;
    const traceparent = event.input.request.headers['traceparent'];
    const entry: LifecycleEntry = {
      type,
      origin: this.processId,
      eventId: event.id,
      endpointId: event.endpoint.id,
      url: event.input.request.url,
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
      ...(success === undefined ? {} : { success }),
      ...(rank === undefined ? {} : { rank }),
    };
    if (type === 'started' && joinedAt !== undefined) entry.waitSeconds = (now - joinedAt) / 1000;
    if (type === 'completed' || type === 'cancelled' || type === 'dropped') {
      entry.outcome = OUTCOME_OF[type] ?? (success ? 'success' : event.timedOut ? 'timeout' : 'error');
      if (joinedAt !== undefined) entry.totalSeconds = (now - joinedAt) / 1000;
      if (event.startedAt !== undefined) entry.runSeconds = (now - event.startedAt) / 1000;
      else if (type !== 'completed') entry.waitSeconds = entry.totalSeconds;
    }
    this.redis.publish(this.channel, JSON.stringify(entry)).catch(() => undefined);
  }

  /** An entry the subscriber received on the channel. */
  heard(message: string): void {
    const { origin, endpointId, url, traceparent, ...entry } = JSON.parse(message) as LifecycleEntry;
    // Every process's job times feed every process's ETAs, as one queue's would.
    if (origin !== this.processId && entry.outcome === 'success' && entry.runSeconds !== undefined) {
      this.stats.recordJob(endpointId, entry.runSeconds);
    }
    if (!this.events.observed) return;
    const endpoint = this.endpoints.getQueueable(endpointId);
    if (!endpoint) return;
    const request = {
      headers: traceparent ? { traceparent } : {},
      clientAddress: undefined,
      url,
      username: null,
      root: '',
    };
    this.events.next({ ...entry, endpoint, request, ...(origin === this.processId ? {} : { elsewhere: true }) });
  }
}

/** The outcome of the lifecycle entries that end an event without a completion, as in memory. */
const OUTCOME_OF: Partial<Record<QueueLifecycleEvent['type'], QueueOutcome>> = {
  cancelled: 'cancelled',
  dropped: 'disconnected',
};

/** A lifecycle entry as it travels between processes. */
type LifecycleEntry = Omit<QueueLifecycleEvent, 'endpoint' | 'request'> & {
  /** The process that sent it: it hears its own entries too. */
  origin: string;
  endpointId: number;
  url: string;
  traceparent?: string;
};
