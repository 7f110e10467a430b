import { randomBytes, randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { EVENT_FILES, type EventFiles } from './event-files.port.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { ConcurrencyGroup, QueueJob } from './concurrency-group.js';
import { trackEventContext } from './event-context.js';
import { JobExecution } from './job.execution.js';
import { ProcessTimeStats } from './process-time.stats.js';
import { MAX_UNREAD_MESSAGES, QueueEvent, type EventRequest } from './queue-event.js';
import { QueueClosedError, QueueFullError } from './queue-refused.error.js';
import {
  type HandlerWrap,
  QueueLifecycle,
  type QueueMonitor,
  type QueueSnapshot,
  type StoreHealth,
} from './queue-lifecycle.js';
import type { EstimationMessage, ProcessCompletedMessage, QueueMessage } from '../wire/queue-message.interface.js';
import { estimation, processCancelled, processFailed, processStarts, unexpectedError } from '../wire/queue-messages.js';
import { errorPayload, errorTitle } from '../wire/error-payload.js';
import { GradioError } from '../kernel/gradio.error.js';
import { shutdownBeforeStartMessage } from '../kernel/gradio.messages.js';
import { Drain } from './drain.js';
import { QueueScheduler } from './queue.scheduler.js';
import { rankEtas } from './rank-eta.js';
import { SessionStreams, type StreamOptions } from './session-streams.js';
import { SESSION_STORE, type SessionStore } from './session.store.js';
import type { RequestFacet } from './request-facet.js';

export type { QueueLifecycleEvent, QueueSnapshot } from './queue-lifecycle.js';

/**
 * The queue: events join per concurrency group, start when their group and the global cap allow, report through
 * their session's stream, and end with exactly one `process_completed` (or silently, when their client left).
 * Everything is driven by what happens — a join, a finished job, a cancel, a stream opening or closing — never by
 * polling.
 */
@Injectable()
export class QueueService implements BeforeApplicationShutdown, QueueMonitor {
  private readonly logger = new Logger('GradioQueue');
  private readonly scheduler: QueueScheduler;
  private readonly stats = new ProcessTimeStats();
  /** Events that joined and have not completed (waiting or running), by id and by session. */
  private readonly live = new Map<string, QueueEvent>();
  private readonly liveBySession = new Map<string, Set<QueueEvent>>();
  private readonly streams: SessionStreams;
  private readonly lifecycle = new QueueLifecycle();
  /** What {@link listen} registered, by topic. */
  private readonly hearers = new Map<string, Set<(message: string) => void>>();
  /** Set by an observer that runs handlers in its own async context (the tracer). */
  protected handlerWrap: HandlerWrap | undefined;
  /** Live parts of requests that features carry to other processes (see {@link addRequestFacet}). */
  protected readonly requestFacets: RequestFacet[] = [];
  /** Groups whose waiting events get fresh ranks and ETAs at the end of this turn of the event loop. */
  private readonly estimationsDue = new Set<ConcurrencyGroup>();
  private stopping = false;
  /** A graceful stop's wait for the running jobs (see {@link stop}). */
  private readonly drain = new Drain();
  private stopped: Promise<void> | undefined;
  /** Every event's way through the queue, as it happens. */
  readonly lifecycle$ = this.lifecycle.events$;

  constructor(
    registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Optional() @Inject(EVENT_FILES) private readonly files?: EventFiles,
  ) {
    this.scheduler = new QueueScheduler(() => registry.queueable(), options.maxThreads);
    this.streams = new SessionStreams(store, options.heartbeatInterval, (sessionHash) => this.clientLeft(sessionHash));
    if (options.asyncEventContext) trackEventContext();
  }

  /**
   * Queues an event and tells its session where it stands (`estimation`, always before `process_starts`).
   * @throws QueueFullError when `maxSize` events already wait, QueueClosedError once the server is stopping.
   */
  join(endpoint: Endpoint, request: EventRequest): QueueEvent {
    if (this.stopping) throw new QueueClosedError();
    const { maxSize } = this.options;
    if (maxSize !== null && this.scheduler.waitingCount >= maxSize) {
      throw new QueueFullError(maxSize, this.scheduler.waitingCount);
    }
    const event = new QueueEvent(endpoint, request, randomUUID().replaceAll('-', ''));
    this.live.set(event.id, event);
    let sessionEvents = this.liveBySession.get(event.sessionHash);
    if (!sessionEvents) this.liveBySession.set(event.sessionHash, (sessionEvents = new Set()));
    sessionEvents.add(event);
    this.store.addPending(event.sessionHash, event.id);

    const { rank, queueSize } = this.scheduler.enqueue(event);
    const group = this.scheduler.groupOf(endpoint);
    const eta = this.stats.jobMean(endpoint.id) === null ? null : (this.etasOf(group)[rank] ?? null);
    this.store.publish(event.sessionHash, estimation(event.id, rank, queueSize, eta));
    this.lifecycle.joined(event, rank);
    this.dispatch();
    return event;
  }

  /**
   * Cancels one event (Gradio cancels every running job of the endpoint in the session; we cancel only the one
   * named). A waiting event leaves the queue; a running one has its AbortSignal fired. Either way its session gets
   * a `process_completed` with an empty output, so the stream can close.
   */
  cancel(sessionHash: string, eventId: string): void {
    const event = this.live.get(eventId);
    if (!event || event.sessionHash !== sessionHash) return;
    if (event.state === 'waiting' && this.scheduler.remove(event)) {
      this.markDone(event);
      this.broadcastEstimationsSoon(this.scheduler.groupOf(event.endpoint));
    } else if (event.state === 'running') {
      event.abort('cancelled');
      // In a batch the job goes on for the others; the event itself is over, so a second cancel finds nothing.
      this.markDone(event);
    }
    this.store.publish(sessionHash, processCancelled(eventId));
    this.lifecycle.cancelled(event);
  }

  /**
   * {@link join}, once this process can tell whether the queue is full (`maxSize`), so that a full queue's refusal
   * is exact: in memory at once (the event itself, no promise); in distributed mode after one count of the shared
   * queue when the last is stale. What the HTTP and MCP surfaces call.
   */
  joinWhenCounted(endpoint: Endpoint, request: EventRequest): QueueEvent | Promise<QueueEvent> {
    const counted = this.options.maxSize === null ? undefined : this.waitingCounted();
    return counted ? counted.then(() => this.joinQueued(endpoint, request)) : this.joinQueued(endpoint, request);
  }

  /** The join {@link joinWhenCounted} answers with: here the event, queued at once (distributed mode: once enqueued). */
  protected joinQueued(endpoint: Endpoint, request: EventRequest): QueueEvent | Promise<QueueEvent> {
    return this.join(endpoint, request);
  }

  /** Resolves once {@link status} is current (distributed mode: counted again in Redis); undefined when it is now. */
  waitingCounted(): Promise<void> | undefined {
    return undefined;
  }

  /** What `GET /gradio_api/queue/status` reports. */
  status(): EstimationMessage {
    return estimation(null, null, this.scheduler.waitingCount, null);
  }

  snapshot(): QueueSnapshot {
    return {
      waiting: this.scheduler.waitingCount,
      running: this.scheduler.runningCount,
      liveEvents: this.live.size,
      sessions: this.store.size(),
      openStreams: this.streams.size,
    };
  }

  wrapHandlers(wrap: HandlerWrap): void {
    this.handlerWrap = wrap;
  }

  /**
   * A feature's live part of requests, for the jobs that run on another process than the one their event joined
   * (distributed mode). In memory every job runs where it joined, with the request itself.
   */
  addRequestFacet(facet: RequestFacet): void {
    this.requestFacets.push(facet);
  }

  /** Whether jobs may run on another process than the one their event joined on (distributed mode). */
  get spansProcesses(): boolean {
    return false;
  }

  /** In memory, the queue's state is this process's: nothing else to check. */
  checkStore(): Promise<StoreHealth | undefined> {
    return Promise.resolve(undefined);
  }

  waitingByGroup(): ReadonlyMap<string, number> {
    return this.scheduler.waitingByGroup();
  }

  acceptsJoins(): boolean {
    return !this.stopping && (this.options.maxSize === null || this.scheduler.waitingCount < this.options.maxSize);
  }

  /** The session of a live or not yet collected event. */
  sessionOfEvent(eventId: string): string | undefined {
    return this.live.get(eventId)?.sessionHash ?? this.store.sessionOfPending(eventId);
  }

  /**
   * A session's message stream (`GET /gradio_api/queue/data`): buffered messages, then live ones and heartbeats,
   * until the completion of its last pending event has been delivered (and `lingerMs` more have passed with
   * nothing new pending), then `close_stream`. Unsubscribing before that means the client left: its waiting events
   * are dropped and its running ones aborted. See {@link SessionStreams}.
   */
  openStream(sessionHash: string, options: StreamOptions = {}): Observable<QueueMessage> {
    return this.streams.stream(sessionHash, options);
  }

  /**
   * Sends `message` on `topic` to every process of the deployment that {@link listen}s to it (in memory: this one);
   * resolves with how many processes heard it. For requests that must reach the process holding a connection (an
   * MCP session's stream, a request to cancel) when a balancer sent them to another.
   */
  broadcast(topic: string, message: string): Promise<number> {
    const hearers = this.hearers.get(topic);
    for (const hear of hearers ?? []) hear(message);
    return Promise.resolve(hearers?.size ? 1 : 0);
  }

  /**
   * A random secret that every process of the deployment shares, made by the first that asks for `name` (signing
   * keys). In memory: made for this process.
   */
  sharedSecret(_name: string): Promise<Buffer> {
    return Promise.resolve(randomBytes(32));
  }

  /** {@link listen}, resolving once what is broadcast from then on is heard (in memory: at once). */
  listening(topic: string, hear: (message: string) => void): Promise<() => void> {
    return Promise.resolve(this.listen(topic, hear));
  }

  /** Hears what {@link broadcast} sends on `topic`; the returned function stops listening. */
  listen(topic: string, hear: (message: string) => void): () => void {
    let hearers = this.hearers.get(topic);
    if (!hearers) this.hearers.set(topic, (hearers = new Set()));
    hearers.add(hear);
    return () => {
      hearers.delete(hear);
      if (hearers.size === 0 && this.hearers.get(topic) === hearers) this.hearers.delete(topic);
    };
  }

  /**
   * Resolves when a join of the session may be answered, its stream having closed on another process a moment ago
   * (a distributed queue's streams mark their close where every process sees it); `undefined` when it may be
   * answered now. Asked once the join's event is pending. In memory there is no other process.
   */
  closedStreamHandover(_sessionHash: string): Promise<void> | undefined {
    return undefined;
  }

  /**
   * Runs events now, outside the queue and its limits (`POST /gradio_api/run/{name}`); several events of a batch
   * endpoint run as one batch. Resolves with each event's completion.
   */
  runDirect(endpoint: Endpoint, requests: EventRequest[]): Promise<ProcessCompletedMessage[]> {
    const events = requests.map((request) => new QueueEvent(endpoint, request, randomUUID().replaceAll('-', '')));
    const completions = new Map<QueueEvent, ProcessCompletedMessage>();
    for (const event of events) this.directCallStarted(event);
    return new Promise((resolve) => {
      const execution = new JobExecution({
        events,
        sink: {
          publish: (event, message) => {
            if (message.msg !== 'process_completed' || completions.has(event)) return;
            completions.set(event, message);
            this.directCallEnded(event, message.success);
          },
          finished: () => resolve(events.map((event) => completions.get(event) as ProcessCompletedMessage)),
        },
        stats: this.stats,
        showError: this.options.showError,
        files: this.files,
        wrap: this.handlerWrap,
      });
      this.execute(execution);
    });
  }

  /**
   * A call outside the queue (`run/`) starts: its observers (metrics, traces, monitoring) see it join and start at
   * once, with no place in any queue.
   */
  protected directCallStarted(event: QueueEvent): void {
    this.lifecycle.joined(event);
    this.lifecycle.started(event);
  }

  /** A call outside the queue ended (see {@link directCallStarted}). */
  protected directCallEnded(event: QueueEvent, success: boolean): void {
    this.lifecycle.completed(event, success, event.timedOut);
  }

  /**
   * A graceful stop (SIGTERM under `enableShutdownHooks()`, as `launch()` sets up, or `app.close()`), before the HTTP
   * server closes: see {@link stop}.
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Stops the queue gracefully, once, whoever asks first (the MCP sessions wait for it before they close): joins are
   * refused from now on (503), waiting events end at once with a message that says so, and running ones get
   * `shutdownTimeout` seconds to finish before they are aborted. Then every stream still open is told and ended: the
   * HTTP server waits for open connections, which our streams would otherwise hold forever.
   */
  stop(): Promise<void> {
    this.stopped ??= this.stopGracefully();
    return this.stopped;
  }

  /** Whether {@link stop} has begun: nothing new may start. */
  get isStopping(): boolean {
    return this.stopping;
  }

  protected async stopGracefully(): Promise<void> {
    this.stopping = true;
    const notStarted = new GradioError(shutdownBeforeStartMessage(), { title: 'Server stopping' });
    for (const event of [...this.live.values()]) {
      if (event.state !== 'waiting' || !this.scheduler.remove(event)) continue;
      this.publish(event, processFailed(event.id, errorPayload(notStarted, true), errorTitle(notStarted)));
    }
    await this.drain.until(this.scheduler.runningCount === 0, this.options.shutdownTimeout * 1000);
    for (const event of this.live.values()) event.abort('shutdown');
    this.streams.endAll(unexpectedError('Server stopped unexpectedly.', false));
  }

  /**
   * Starts every job that may start now; the groups that moved get fresh ranks at the end of this turn of the event
   * loop (see {@link broadcastEstimationsSoon}). Every event was told its rank when it joined, before it could start,
   * so no event starts without having heard where it stood.
   */
  private dispatch(): void {
    for (let job = this.scheduler.next(performance.now()); job; job = this.scheduler.next(performance.now())) {
      this.start(job);
      this.broadcastEstimationsSoon(job.group);
    }
  }

  private start(job: QueueJob): void {
    const endpoint = (job.events[0] as QueueEvent).endpoint;
    const eta = this.stats.jobMean(endpoint.id);
    for (const event of job.events) {
      event.state = 'running';
      this.store.publish(event.sessionHash, processStarts(event.id, eta));
      this.lifecycle.started(event);
    }
    const execution = new JobExecution({
      events: job.events,
      sink: {
        publish: (event, message) => this.publish(event, message),
        ready: (events) => this.readyForStep(events),
        finished: () => this.finish(job),
      },
      stats: this.stats,
      showError: this.options.showError,
      files: this.files,
      wrap: this.handlerWrap,
    });
    this.execute(execution);
  }

  private execute(execution: JobExecution): void {
    execution.run().catch((error: unknown) => this.logger.error('A queue job failed unexpectedly.', error as Error));
  }

  private publish(event: QueueEvent, message: QueueMessage): void {
    if (event.state === 'done') return;
    this.store.publish(event.sessionHash, message);
    if (message.msg === 'process_completed') {
      this.markDone(event);
      this.lifecycle.completed(event, message.success, event.timedOut);
    }
  }

  /**
   * Flow control between a generator's steps: an event whose session holds {@link MAX_UNREAD_MESSAGES} messages
   * with no stream open is stopped (its client is not reading); otherwise the step waits while a stream's connection
   * is behind, so that memory stays bounded however fast a generator and however slow its client.
   */
  private readyForStep(events: readonly QueueEvent[]): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const event of events) {
      if (this.store.buffered(event.sessionHash) >= MAX_UNREAD_MESSAGES) {
        event.abort('unread');
        continue;
      }
      const writable = this.streams.whenWritable(event.sessionHash);
      if (writable) (waits ??= []).push(writable);
    }
    return waits && Promise.all(waits).then(() => undefined);
  }

  private finish(job: QueueJob): void {
    this.scheduler.release(job);
    for (const event of job.events) if (event.state !== 'done') this.markDone(event);
    this.dispatch();
    this.drain.jobEnded(this.scheduler.runningCount === 0);
  }

  private markDone(event: QueueEvent): void {
    event.state = 'done';
    this.live.delete(event.id);
    const sessionEvents = this.liveBySession.get(event.sessionHash);
    sessionEvents?.delete(event);
    if (sessionEvents?.size === 0) this.liveBySession.delete(event.sessionHash);
  }

  /** The client's stream dropped: its waiting events never run, its running ones are aborted (docs/protocol.md#disconnects). */
  private clientLeft(sessionHash: string): void {
    const moved = new Set<ConcurrencyGroup>();
    const events = [...(this.liveBySession.get(sessionHash) ?? [])];
    // Waiting events first: aborting a running one frees its slot and dispatches at once, which must not start them.
    for (const event of events) {
      if (event.state !== 'waiting' || !this.scheduler.remove(event)) continue;
      moved.add(this.scheduler.groupOf(event.endpoint));
      this.markDone(event);
      this.lifecycle.dropped(event);
    }
    for (const event of events) {
      if (event.state !== 'running') continue;
      event.abort('disconnected');
      this.markDone(event);
      this.lifecycle.dropped(event);
    }
    this.store.drop(sessionHash);
    for (const group of moved) this.broadcastEstimationsSoon(group);
  }

  /** Tells every waiting event of the group its new rank and ETA (Gradio's live status updates). */
  private broadcastEstimations(group: ConcurrencyGroup): void {
    if (group.waiting.length === 0) return;
    const etas = this.etasOf(group);
    group.waiting.forEach((event, rank) => {
      this.store.publish(event.sessionHash, estimation(event.id, rank, group.waiting.length, etas[rank] ?? null));
    });
  }

  /**
   * The same, once at the end of this turn of the event loop, for everything that moved the group during the turn:
   * starts, cancels, departures. Sent at once, every start would tell all the waiting events (O(waiting) messages
   * per start, O(n²) for a burst of n joins, and 10 000 clients hanging up together took minutes); coalesced, a turn
   * costs one message per waiting event however many events started or left in it. Ranks sent at the end of the turn
   * are the latest; an event that started meanwhile is no longer waiting and gets none.
   */
  private broadcastEstimationsSoon(group: ConcurrencyGroup): void {
    if (this.estimationsDue.size === 0) setImmediate(() => this.flushEstimations());
    this.estimationsDue.add(group);
  }

  private flushEstimations(): void {
    const groups = [...this.estimationsDue];
    this.estimationsDue.clear();
    for (const group of groups) this.broadcastEstimations(group);
  }

  private etasOf(group: ConcurrencyGroup): (number | null)[] {
    return rankEtas(group, performance.now(), (endpointId) => this.stats.jobMean(endpointId));
  }
}
