import { randomUUID } from 'node:crypto';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, type Subscription } from 'rxjs';
import type { Job, Queue, Worker } from 'bullmq';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GradioError } from '../kernel/gradio.error.js';
import { processStoppedMessage, queueFullMessage, stalledJobMessage } from '../kernel/gradio.messages.js';
import type { ResolvedDistributedOptions } from '../options/distributed-options.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { EventFiles } from '../queue/event-files.port.js';
import { Drain } from '../queue/drain.js';
import { JobExecution } from '../queue/job.execution.js';
import { ProcessTimeStats } from '../queue/process-time.stats.js';
import { type AbortReason, type EventRequest, QueueEvent } from '../queue/queue-event.js';
import { QueueClosedError, QueueFullError } from '../queue/queue-refused.error.js';
import { type QueueLifecycleEvent, QueueService, type QueueSnapshot } from '../queue/queue.service.js';
import type { StoreHealth } from '../queue/queue-lifecycle.js';
import type { StreamOptions } from '../queue/session-streams.js';
import type { SessionStore } from '../queue/session.store.js';
import { errorPayload, errorTitle } from '../wire/error-payload.js';
import type { EstimationMessage, QueueMessage } from '../wire/queue-message.interface.js';
import { estimation, processCancelled, processFailed, processStarts, unexpectedError } from '../wire/queue-messages.js';
import { type JobPayload, payloadOf, requestOf } from './job-payload.js';
import { RedisKeys } from './redis-keys.js';
import { bullMqConnection, type Redis, type RedisPackages } from './redis-packages.js';
import { RedisFlowControl } from './redis-flow-control.js';
import { DeploymentSlots } from './deployment-slots.js';
import { RedisSessionStreams } from './redis-session-streams.js';
import { LifecycleChannel } from './lifecycle-channel.js';
import { RedisBus } from './redis-bus.js';

/** The Redis side of distributed mode, connected at bootstrap. */
export interface DistributedRuntime {
  packages: RedisPackages;
  options: ResolvedDistributedOptions;
  /** Commands (appends, sets, publishes). */
  redis: Redis;
  /** Pub/sub: session notifications and cancels. */
  subscriber: Redis;
}

/** The shortest time between two rank broadcasts of a group (see broadcastRanks). */
const RANK_BROADCAST_MS = 50;

/** One concurrency group's BullMQ queue and this process's worker for it. */
interface GroupQueue {
  limit: number | null;
  queue: Queue<JobPayload>;
  worker: Worker<JobPayload> | undefined;
  /** The group's rank broadcast in flight, if any: whether another was asked for meanwhile, with whose timings. */
  ranks?: { again: boolean; endpointId: number | null };
}

/**
 * The queue of distributed mode: the same contract as {@link QueueService}, with its state in Redis so that every
 * process of a deployment serves one queue. Each concurrency group is a BullMQ queue whose global concurrency is the
 * group's limit, and every process runs a worker on it; a join on any process adds a job, some worker runs it, and
 * its messages go to the session's Redis stream, which whatever process holds the client's stream reads. A cancel
 * removes a waiting job, and reaches a running one through pub/sub on the process that holds it (BullMQ cancels only
 * there). A job whose process died is noticed by BullMQ's stalled-job check and ends for its client with an error.
 *
 * `POST run/` (outside the queue) runs on the process that took it, as in memory.
 */
export class DistributedQueueService extends QueueService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('GradioDistributed');
  private readonly keys: RedisKeys;
  private readonly sessions: RedisSessionStreams;
  private readonly flow: RedisFlowControl;
  private readonly groups = new Map<string, GroupQueue>();
  /** Job and step times of the endpoints, from the jobs of every process (see LifecycleChannel). */
  private readonly localStats = new ProcessTimeStats();
  /** Tells this process from the others (its lifecycle entries, its slots). */
  private readonly processId = randomUUID();
  private readonly lifecycleChannel: LifecycleChannel;
  private readonly bus: RedisBus;
  /** Events running on this process, for cancels broadcast from any process. */
  private readonly runningHere = new Map<string, QueueEvent>();
  /** The events of each job running here (a batch's too), by BullMQ job id: for a job whose lock this process lost. */
  private readonly eventsOfJob = new Map<string, QueueEvent[]>();
  /** Sessions of events that joined here, for `GET call/{api}/{event_id}` on this process (most recent last). */
  private readonly joinedHere = new Map<string, string>();
  /** Events waiting over all groups, as last counted (`snapshot()` is synchronous). */
  private waitingCount = 0;
  private recounting = false;
  /** Lifecycle moves seen (joins, starts, ends), and the move after which `waitingCount` was last taken whole. */
  private moves = 0;
  private countedAtMove = -1;
  private recountAgain = false;
  private shuttingDown = false;
  /** At most `maxThreads` jobs at once over the deployment, all processes and groups. */
  private readonly slots: DeploymentSlots;
  /** A graceful stop's wait for the jobs running here (see {@link stopGracefully}). */
  private readonly drainHere = new Drain();
  override readonly lifecycle$: Observable<QueueLifecycleEvent>;

  constructor(
    private readonly endpoints: EndpointRegistry,
    private readonly gradioOptions: ResolvedGradioOptions,
    store: SessionStore,
    private readonly eventFiles: EventFiles | undefined,
    private readonly runtime: DistributedRuntime,
  ) {
    super(endpoints, gradioOptions, store, eventFiles);
    this.keys = new RedisKeys(runtime.options.prefix);
    this.lifecycleChannel = new LifecycleChannel(
      runtime.redis,
      this.keys.lifecycleChannel,
      this.processId,
      endpoints,
      this.localStats,
    );
    this.lifecycle$ = this.lifecycleChannel.lifecycle$;
    this.bus = new RedisBus(runtime.redis, runtime.subscriber, this.keys, (what, error) => this.warn(what, error));
    this.slots = new DeploymentSlots(
      runtime.redis,
      this.keys,
      gradioOptions.maxThreads,
      runtime.options.stalledTimeout,
      this.processId,
      (full) => this.takeJobs(!full),
      (what, error) => this.warn(what, error),
    );
    this.flow = new RedisFlowControl(runtime.redis, this.keys);
    this.sessions = new RedisSessionStreams(
      runtime.redis,
      runtime.subscriber,
      this.keys,
      gradioOptions.heartbeatInterval,
      runtime.options.sessionTtl,
      (sessionHash) => this.cancelSessionOf(sessionHash),
    );
    runtime.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.cancelChannel) this.stopHere(message);
      else if (channel === this.keys.lifecycleChannel) {
        this.queueMoved();
        this.lifecycleChannel.heard(message);
      } else if (channel === this.keys.slotFreedChannel) this.slots.freed();
      else this.bus.deliver(channel, message);
    });
    // The jobs running here lost their clients' streams (see RedisSessionStreams) and, if Redis restarted empty,
    // their BullMQ jobs: they stop rather than run for nobody.
    runtime.subscriber.on('close', () => {
      if (this.shuttingDown) return;
      for (const event of this.runningHere.values()) event.abort('disconnected');
    });
    // Redis restarted empty (no persistence): the groups' global concurrency went with it.
    runtime.redis.on('ready', () => {
      if (!this.shuttingDown)
        this.applyLimits().catch((error: unknown) => this.warn('Cannot restore the limits', error));
    });
  }

  /** Every process runs a worker on every group's queue, from the start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.subscriber.subscribe(
      this.keys.cancelChannel,
      this.keys.lifecycleChannel,
      this.keys.slotFreedChannel,
    );
    for (const endpoint of this.endpoints.queueable()) this.groupOf(endpoint);
    await this.applyLimits();
  }

  override join(endpoint: Endpoint, request: EventRequest): QueueEvent {
    return this.admit(endpoint, request).event;
  }

  /**
   * Answered once the event's job is in the shared queue: a client that joins again after this answer, on any
   * process, is behind it (FIFO). Answered at once, a later join on another process could reach BullMQ first.
   */
  protected override joinQueued(endpoint: Endpoint, request: EventRequest): Promise<QueueEvent> {
    const { event, queued } = this.admit(endpoint, request);
    return queued.then(() => event);
  }

  /** Makes the event and enqueues it; `queued` settles once its job is in BullMQ or its join failed (logged). */
  private admit(endpoint: Endpoint, request: EventRequest): { event: QueueEvent; queued: Promise<void> } {
    if (this.shuttingDown) throw new QueueClosedError();
    // Only from a count taken since the queue last moved (see recountSoon), so that a stale count never refuses a
    // join there is room for; a join passing meanwhile is refused on its stream once counted exactly (see enqueue).
    const { maxSize } = this.gradioOptions;
    if (maxSize !== null && this.countIsCurrent && this.waitingCount >= maxSize) {
      throw new QueueFullError(maxSize, this.waitingCount);
    }
    const event = new QueueEvent(endpoint, request, randomUUID().replaceAll('-', ''));
    this.remember(event);
    const queued = this.enqueue(event).catch((error: unknown) => this.failJoin(event, error));
    return { event, queued };
  }

  /** One count of the shared queue when the queue moved since the last (a join, start or end on any process). */
  override waitingCounted(): Promise<void> | undefined {
    if (this.countIsCurrent) return undefined;
    return this.countWaiting().then(
      () => undefined,
      () => undefined,
    );
  }

  override cancel(sessionHash: string, eventId: string): void {
    this.cancelEvent(sessionHash, eventId, true).catch((error: unknown) => this.warn('A cancel failed', error));
  }

  /** The last count: current when {@link waitingCounted} resolved just before. */
  override status(): EstimationMessage {
    if (!this.countIsCurrent) this.recountSoon();
    return estimation(null, null, this.waitingCount, null);
  }

  /** A Redis channel per topic (see RedisBus). */
  override broadcast(topic: string, message: string): Promise<number> {
    return this.bus.broadcast(topic, message);
  }

  override listen(topic: string, hear: (message: string) => void): () => void {
    return this.bus.listen(topic, hear);
  }

  override listening(topic: string, hear: (message: string) => void): Promise<() => void> {
    return this.bus.listening(topic, hear);
  }

  override sharedSecret(name: string): Promise<Buffer> {
    return this.bus.sharedSecret(name);
  }

  override get spansProcesses(): boolean {
    return true;
  }

  /**
   * One round trip per join: the remaining time of the mark a stream of the session set as it closed (see
   * RedisSessionStreams' `mayClose`), waited out. Asked after the join's event is pending, so that either
   * the closing stream saw the event and stays open, or the mark is there.
   */
  override async closedStreamHandover(sessionHash: string): Promise<void> {
    const remaining = await this.runtime.redis.pttl(this.keys.streamClosed(sessionHash)).catch(() => -2);
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  }

  /** A PING on the command connection, given {@link HEALTH_TIMEOUT_MS} to answer. */
  override async checkStore(): Promise<StoreHealth> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.runtime.redis.ping(), timeout]);
      return { store: 'redis', up: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { store: 'redis', up: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  override acceptsJoins(): boolean {
    const { maxSize } = this.gradioOptions;
    return !this.shuttingDown && (maxSize === null || this.waitingCount < maxSize);
  }

  /** `waiting` is the deployment's, as last counted: a stale count is counted again for the next look (metrics). */
  override snapshot(): QueueSnapshot {
    if (!this.countIsCurrent) this.recountSoon();
    return {
      waiting: this.waitingCount,
      // A batch is one job of several events.
      running: this.eventsOfJob.size,
      liveEvents: this.runningHere.size,
      sessions: 0,
      openStreams: this.sessions.size,
    };
  }

  override sessionOfEvent(eventId: string): string | undefined {
    return this.joinedHere.get(eventId);
  }

  override openStream(sessionHash: string, options: StreamOptions = {}): Observable<QueueMessage> {
    // The id may be an event's from another process (`GET call/{api}/{event_id}` of a call made with a session
    // hash); if Redis cannot say, the stream itself reports the failure. A client that leaves before the session is
    // known has left it all the same: its stream is opened and closed at once, which drops the session's events as
    // any departure does.
    return new Observable<QueueMessage>((subscriber) => {
      let stream: Subscription | undefined;
      let left = false;
      this.sessions
        .sessionNamed(sessionHash)
        .catch(() => sessionHash)
        .then((session) => {
          stream = this.sessions.stream(session, options).subscribe({
            next: (message) => subscriber.next(message),
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          });
          if (left) stream.unsubscribe();
        })
        .catch((error: unknown) => subscriber.error(error));
      return () => {
        left = true;
        stream?.unsubscribe();
      };
    });
  }

  /**
   * A graceful stop of this process (a rolling deploy): it takes no more jobs (those waiting stay in Redis for the
   * other processes), refuses joins (503), and lets the jobs running here finish within `shutdownTimeout`; those
   * still running then are aborted and their clients told — they may read on other processes, which stay up, and
   * hear it now rather than at the stalled-job check.
   */
  protected override async stopGracefully(): Promise<void> {
    this.shuttingDown = true;
    await Promise.allSettled([...this.groups.values()].map((group) => group.worker?.pause(true)));
    // Jobs taken here that wait for a slot go back to BullMQ for the other processes (see process).
    this.slots.stop();
    await this.drainHere.until(this.runningHere.size === 0, this.gradioOptions.shutdownTimeout * 1000);
    this.sessions.stop();
    await super.stopGracefully();
    const stopped = new GradioError(processStoppedMessage(), { title: 'Server stopped' });
    for (const event of this.runningHere.values()) {
      void this.sessions
        .publish(event.sessionHash, processFailed(event.id, errorPayload(stopped, true), errorTitle(stopped)))
        .catch(() => undefined);
      event.abort('shutdown');
    }
    this.sessions.endAll(unexpectedError('Server stopped unexpectedly.', false));
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.slots.stop();
    const groups = [...this.groups.values()];
    await Promise.allSettled(groups.map((group) => group.worker?.close(true)));
    await Promise.allSettled(groups.map((group) => group.queue.close()));
    // quit() sends what is still queued (the failures told to clients of stopped jobs) before closing.
    await Promise.allSettled([this.runtime.subscriber.quit(), this.runtime.redis.quit()]);
    this.runtime.subscriber.disconnect();
    this.runtime.redis.disconnect();
  }

  private async enqueue(event: QueueEvent): Promise<void> {
    const group = this.groupOf(event.endpoint);
    // First: the client's next request — its data stream, on any process — finds the session.
    await this.sessions.addPending(event.sessionHash, event.id);
    const { maxSize } = this.gradioOptions;
    if (maxSize !== null) {
      const waiting = await this.countWaiting();
      if (waiting >= maxSize) {
        const error = new GradioError(queueFullMessage(maxSize, waiting), { title: 'Queue full' });
        await this.sessions.publish(
          event.sessionHash,
          processFailed(event.id, errorPayload(error, true), 'Queue full'),
        );
        return;
      }
    }
    // An estimation always comes before the start, as in memory: one from the list's length before the job is added
    // (the job may start on another process at once), then the job's real place once added if that differs — two
    // joins at once on two processes both counted 0. A correction that comes after the start is dropped by the
    // stream's reader.
    const mean = this.localStats.jobMean(event.endpoint.id);
    const etaAt = (rank: number): number | null => (mean === null ? null : mean * (rank + 1));
    const ahead = await this.runtime.redis.llen(group.queue.toKey('wait'));
    await this.sessions.publish(event.sessionHash, estimation(event.id, ahead, ahead + 1, etaAt(ahead)));
    const jobId = jobIdOf(event.id);
    await group.queue.add(jobNameOf(event.endpoint), payloadOf(event, this.requestFacets), {
      jobId,
      removeOnComplete: true,
      removeOnFail: true,
    });
    // `joined` once the event is in the shared queue, where every process counts it.
    this.lifecycleChannel.tell('joined', event, undefined, ahead);
    // Not awaited: the join's answer waits for the job to be queued, not for its place to be told again.
    this.correctPlace(event, group, jobId, ahead, etaAt).catch((error: unknown) =>
      this.warn('A rank could not be sent', error),
    );
  }

  /** Tells the job's real place once it is queued, when it differs from the estimation sent before (see enqueue). */
  private async correctPlace(
    event: QueueEvent,
    group: GroupQueue,
    jobId: string,
    ahead: number,
    etaAt: (rank: number) => number | null,
  ): Promise<void> {
    const place = await this.placeOf(group, jobId);
    if (place === null || place.rank === ahead) return;
    await this.sessions.publish(
      event.sessionHash,
      estimation(event.id, place.rank, place.queueSize, etaAt(place.rank)),
    );
  }

  /**
   * Tells every waiting event of the group its new rank (Gradio's live status updates), when one moved up: a job
   * started or a waiting one left. A broadcast writes to every waiting event's session: one per start cost a busy
   * limit-1 group 13 more session writes per call at 16 clients than at one. So a group broadcasts at most once per
   * {@link RANK_BROADCAST_MS}, the last change always told (its ranks at most that late); each event's first
   * estimation, from its join, still comes before its start. ETAs come from this process's timings of the endpoint
   * that last started.
   */
  private broadcastRanks(group: GroupQueue, endpointId: number | null): void {
    if (group.ranks) {
      group.ranks.again = true;
      group.ranks.endpointId = endpointId ?? group.ranks.endpointId;
      return;
    }
    group.ranks = { again: false, endpointId };
    const startedAt = performance.now();
    this.sendRanks(group, endpointId)
      .catch((error: unknown) => this.warn('Ranks could not be sent', error))
      .finally(() => {
        const next = (): void => {
          const asked = group.ranks;
          group.ranks = undefined;
          if (asked?.again && !this.shuttingDown) this.broadcastRanks(group, asked.endpointId);
        };
        const wait = RANK_BROADCAST_MS - (performance.now() - startedAt);
        if (group.ranks?.again && wait > 0) setTimeout(next, wait).unref();
        else next();
      });
  }

  private async sendRanks(group: GroupQueue, endpointId: number | null): Promise<void> {
    const waiting = await this.runtime.redis.lrange(group.queue.toKey('wait'), 0, -1);
    if (waiting.length === 0) return;
    const eventIds = waiting.map(eventIdOf);
    const sessions = await this.runtime.redis.mget(eventIds.map((eventId) => this.keys.eventSession(eventId)));
    const mean = endpointId === null ? null : this.localStats.jobMean(endpointId);
    await Promise.all(
      eventIds.map((eventId, index) => {
        const sessionHash = sessions[index];
        if (!sessionHash) return undefined;
        const rank = waiting.length - 1 - index;
        const eta = mean === null ? null : mean * (rank + 1);
        return this.sessions.publish(sessionHash, estimation(eventId, rank, waiting.length, eta));
      }),
    );
  }

  /** A waiting job's rank in its group (0 = next) and the group's waiting count; null once it is not waiting. */
  private async placeOf(group: GroupQueue, jobId: string): Promise<{ rank: number; queueSize: number } | null> {
    // BullMQ pushes new jobs on the left of the wait list and takes the next one from the right.
    const key = group.queue.toKey('wait');
    const [[, index], [, length]] = ((await this.runtime.redis.multi().lpos(key, jobId).llen(key).exec()) ?? []) as [
      unknown,
      number | null,
    ][];
    if (index === null || index === undefined || length === null || length === undefined) return null;
    return { rank: length - 1 - index, queueSize: length };
  }

  /**
   * Runs a job this process's worker took: its event, and for a batch endpoint up to `maxBatchSize - 1` events of the
   * same endpoint still waiting in the group, taken out of the queue to run with it as one batch (one slot of the
   * group's limit, as in memory), once one of the deployment's `maxThreads` slots is free. Resolves when none of them
   * runs any more. A job still waiting for a slot when this process stops goes back to the head of its queue.
   */
  private async process(job: Job<JobPayload>, token: string | undefined): Promise<void> {
    const head = job.data;
    const endpoint = this.endpoints.getQueueable(head.endpointId);
    if (!endpoint) {
      const error = new Error(`This process has no endpoint ${head.endpointId}: deploy one app version.`);
      await this.sessions.publish(head.sessionHash, processFailed(head.eventId, errorPayload(error, true), 'Error'));
      return;
    }
    const lease = await this.slots.acquire(job.timestamp);
    if (lease === null) {
      await job.moveToWait(token);
      throw new this.runtime.packages.bullmq.WaitingError();
    }
    try {
      await this.processWithSlot(job, endpoint);
    } finally {
      this.slots.release(lease);
    }
  }

  private async processWithSlot(job: Job<JobPayload>, endpoint: Endpoint): Promise<void> {
    const head = job.data;
    const group = this.groupOf(endpoint);
    const mates = endpoint.batch ? await this.takeBatchMates(group, endpoint) : [];
    // Recorded on the job the batch runs under: if this process dies, its failure ends them all.
    if (mates.length > 0) await job.updateData({ ...head, batch: mates });
    const events = [head, ...mates].map((payload) => this.eventOf(endpoint, payload));
    this.queueMoved();
    // Registered before the check, so that a cancel is either seen here or reaches the event through pub/sub.
    for (const event of events) this.runningHere.set(event.id, event);
    const jobId = jobIdOf(head.eventId);
    this.eventsOfJob.set(jobId, events);
    try {
      // In the same round trip, the mark that the job got past its slot (see onJobFailed).
      const [[failure, marks] = [null, []]] = ((await this.runtime.redis
        .pipeline()
        .mget(events.map((event) => this.keys.cancelled(event.id)))
        .set(this.keys.started(head.eventId), '1', 'EX', this.runtime.options.sessionTtl)
        .exec()) ?? []) as [Error | null, unknown][];
      if (failure) throw failure;
      const cancelled = marks as (string | null)[];
      const starting = events.filter((_event, index) => cancelled[index] === null);
      for (const [index, event] of events.entries()) {
        if (starting.includes(event)) continue;
        // Cancelled as it was taken: it ends here, where the cancel could not find it (unless the broadcast did).
        this.runningHere.delete(event.id);
        if (event.state !== 'done') this.lifecycleChannel.tell(cancelledHow(cancelled[index] ?? null), event);
        event.state = 'done';
      }
      if (starting.length === 0) return;
      const mean = this.localStats.jobMean(endpoint.id);
      for (const event of starting) {
        void this.sessions.publish(event.sessionHash, processStarts(event.id, mean));
        // The join happened on whichever process took it: its time is the job's, put on this process's clock.
        event.joinedAt = performance.now() - Math.max(0, Date.now() - job.timestamp);
        this.lifecycleChannel.tell('started', event);
      }
      this.broadcastRanks(group, endpoint.id);
      const gates = starting.map((event) => this.flow.gateFor(event));
      await new Promise<void>((resolve) => {
        const execution = new JobExecution({
          events: starting,
          sink: {
            publish: (target, message) => this.publishFromJob(target, message),
            ready: () => allWaits(gates.map((gate) => gate())),
            finished: resolve,
          },
          stats: this.localStats,
          showError: this.gradioOptions.showError,
          files: this.eventFiles,
          wrap: this.handlerWrap,
        });
        execution.run().catch((error: unknown) => {
          this.log.error('A queue job failed unexpectedly.', error as Error);
          resolve();
        });
      });
    } finally {
      this.eventsOfJob.delete(jobId);
      for (const event of events) {
        this.runningHere.delete(event.id);
        event.state = 'done';
      }
      this.drainHere.jobEnded(this.runningHere.size === 0);
    }
  }

  private eventOf(endpoint: Endpoint, payload: JobPayload): QueueEvent {
    const request = {
      sessionHash: payload.sessionHash,
      data: payload.data,
      simpleFormat: payload.simpleFormat,
      request: requestOf(payload, this.requestFacets, this),
    };
    const event = new QueueEvent(endpoint, request, payload.eventId);
    event.state = 'running';
    return event;
  }

  /**
   * The oldest waiting jobs of `endpoint` in its group (after the one that started), up to a batch's worth, each
   * taken out of BullMQ's waiting list by `remove()`, which removes only a job nobody has taken: a job another
   * process started, or that was cancelled meanwhile, stays out of the batch.
   */
  private async takeBatchMates(group: GroupQueue, endpoint: Endpoint): Promise<JobPayload[]> {
    const wanted = endpoint.maxBatchSize - 1;
    if (wanted <= 0) return [];
    const { redis } = this.runtime;
    // BullMQ pushes new jobs on the left and takes from the right: the oldest are last.
    const ids = (await redis.lrange(group.queue.toKey('wait'), -BATCH_SCAN, -1)).reverse();
    if (ids.length === 0) return [];
    const fields = ((await redis.multi(ids.map((id) => ['hmget', group.queue.toKey(id), 'name', 'data'])).exec()) ??
      []) as [Error | null, (string | null)[]][];
    const name = jobNameOf(endpoint);
    const mates: JobPayload[] = [];
    for (const [index, id] of ids.entries()) {
      if (mates.length === wanted) break;
      const [jobName, data] = fields[index]?.[1] ?? [];
      if (jobName !== name || typeof data !== 'string') continue;
      if ((await group.queue.remove(id)) === 1) mates.push(JSON.parse(data) as JobPayload);
    }
    return mates;
  }

  private publishFromJob(event: QueueEvent, message: QueueMessage): void {
    if (event.state === 'done') return;
    this.sessions.publish(event.sessionHash, message).catch((error: unknown) => this.warn('A message was lost', error));
    if (message.msg === 'process_completed') {
      event.state = 'done';
      this.lifecycleChannel.tell('completed', event, message.success);
    }
  }

  /**
   * A job failed in BullMQ, which our processor never does on its own (a handler's failure is a completed job with
   * a failure message): its process stopped answering, the stalled-job check took it back and failed it. A job that
   * never got a slot there had not started: it goes back to the head of its queue, with its join time, for another
   * process (a call is never run twice, and one that never ran is not lost).
   */
  private onJobFailed(job: Job<JobPayload> | undefined): void {
    if (!job || this.shuttingDown) return;
    this.requeueUnstarted(job)
      .then((requeued) => {
        if (!requeued) this.reportLost(job);
      })
      .catch((error: unknown) => {
        this.warn('A stalled job could not be queued again', error);
        this.reportLost(job);
      });
  }

  private async requeueUnstarted(job: Job<JobPayload>): Promise<boolean> {
    const endpoint = this.endpoints.getQueueable(job.data.endpointId);
    if (!endpoint || (await this.runtime.redis.exists(this.keys.started(job.data.eventId))) > 0) return false;
    await this.groupOf(endpoint).queue.add(job.name, job.data, {
      jobId: job.id,
      removeOnComplete: true,
      removeOnFail: true,
      lifo: true,
      timestamp: job.timestamp,
    });
    return true;
  }

  private reportLost(job: Job<JobPayload>): void {
    const seconds = Math.round(this.runtime.options.stalledTimeout / 1000);
    const error = new GradioError(stalledJobMessage(seconds), { title: 'Server process lost' });
    for (const { eventId, sessionHash } of [job.data, ...(job.data.batch ?? [])]) {
      this.sessions
        .publish(sessionHash, processFailed(eventId, errorPayload(error, true), errorTitle(error)))
        .catch((failure: unknown) => this.warn('A stalled job could not be reported', failure));
    }
  }

  /**
   * Ends an event wherever it is: `tellClient` for a cancel (its client gets the cancel's completion), not when its
   * client left (`dropped`). The mark says how to the process about to start it; a waiting job leaves its queue
   * (the event ends here); a running one (locked, not removable) ends on its process, which the broadcast reaches.
   */
  private async cancelEvent(sessionHash: string, eventId: string, tellClient: boolean): Promise<void> {
    if (!(await this.sessions.isPending(sessionHash, eventId))) return;
    const { redis } = this.runtime;
    const how: CancelHow = tellClient ? 'cancelled' : 'dropped';
    await redis.set(this.keys.cancelled(eventId), how, 'EX', this.runtime.options.sessionTtl);
    const waiting = await this.waitingJobOf(eventId);
    if (waiting && (await waiting.group.queue.remove(jobIdOf(eventId))) === 1) {
      this.broadcastRanks(waiting.group, null);
      this.lifecycleChannel.tell(how, waiting.event);
    }
    await redis.publish(this.keys.cancelChannel, `${eventId} ${how}`);
    if (tellClient) await this.sessions.publish(sessionHash, processCancelled(eventId));
  }

  /** The group holding the event's job, and the event as the job describes it (one round trip over all groups). */
  private async waitingJobOf(eventId: string): Promise<{ group: GroupQueue; event: QueueEvent } | undefined> {
    const groups = [...this.groups.values()];
    const jobId = jobIdOf(eventId);
    const found = ((await this.runtime.redis
      .pipeline(groups.map((group) => ['hmget', group.queue.toKey(jobId), 'data', 'timestamp']))
      .exec()) ?? []) as [Error | null, (string | null)[]][];
    const index = found.findIndex(([, fields]) => typeof fields?.[0] === 'string');
    const [data, timestamp] = found[index]?.[1] ?? [];
    const group = groups[index];
    if (!group || typeof data !== 'string') return undefined;
    const payload = JSON.parse(data) as JobPayload;
    const endpoint = this.endpoints.getQueueable(payload.endpointId);
    if (!endpoint) return undefined;
    const event = this.eventOf(endpoint, payload);
    event.joinedAt = performance.now() - Math.max(0, Date.now() - Number(timestamp));
    return { group, event };
  }

  /**
   * This process could not renew the lock of jobs it runs: its event loop was blocked past `stalledTimeout`, and the
   * stalled-job check took them back (their clients are told the process was lost; see onJobFailed), or will. Their
   * handlers stop here rather than run on for nobody, holding their slots; whatever they still send is dropped.
   */
  private abandonHere(jobIds: string[]): void {
    for (const jobId of jobIds) {
      for (const event of this.eventsOfJob.get(jobId) ?? []) this.endHere(event, 'disconnected', 'completed', false);
    }
  }

  /** A cancel heard on the cancel channel: the event ends now if it runs here (a batch goes on for the others). */
  private stopHere(message: string): void {
    const [eventId = '', how] = message.split(' ');
    const event = this.runningHere.get(eventId);
    if (!event) return;
    const ending = cancelledHow(how ?? null);
    this.endHere(event, ending === 'dropped' ? 'disconnected' : 'cancelled', ending);
  }

  /**
   * Ends an event running here before its job does: its handler is aborted, whatever the job still publishes for it
   * is dropped (see publishFromJob), and the lifecycle hears of its end once.
   */
  private endHere(
    event: QueueEvent,
    reason: AbortReason,
    ending: QueueLifecycleEvent['type'],
    success?: boolean,
  ): void {
    if (event.state === 'done') return;
    event.abort(reason);
    event.state = 'done';
    this.lifecycleChannel.tell(ending, event, success);
  }

  /** The client's stream dropped: its events are cancelled everywhere and its session forgotten. */
  private cancelSessionOf(sessionHash: string): void {
    (async () => {
      const eventIds = await this.sessions.pendingEvents(sessionHash);
      await Promise.all(eventIds.map((eventId) => this.cancelEvent(sessionHash, eventId, false)));
      await this.sessions.drop(sessionHash);
    })().catch((error: unknown) => this.warn('A departed session could not be cleaned up', error));
  }

  private failJoin(event: QueueEvent, error: unknown): void {
    this.warn(`Event ${event.id} could not join the queue`, error);
    event.state = 'done';
  }

  private groupOf(endpoint: Endpoint): GroupQueue {
    let group = this.groups.get(endpoint.concurrencyId);
    if (group) return group;
    const { bullmq } = this.runtime.packages;
    const connection = bullMqConnection(this.runtime.options.connection);
    const name = this.keys.groupQueue(endpoint.concurrencyId);
    const limit = this.lowestLimit(endpoint.concurrencyId);
    const queue = new bullmq.Queue<JobPayload>(name, { connection, prefix: this.keys.prefix });
    queue.on('error', (error) => this.warn(`Queue ${name}`, error));
    group = { limit, queue, worker: undefined };
    this.groups.set(endpoint.concurrencyId, group);
    if (!this.runtime.options.runJobs) return group;
    const stalledTimeout = this.runtime.options.stalledTimeout;
    const worker = new bullmq.Worker<JobPayload>(name, (job, token) => this.process(job, token), {
      connection,
      prefix: this.keys.prefix,
      concurrency: Math.min(limit ?? this.gradioOptions.maxThreads, this.gradioOptions.maxThreads),
      lockDuration: stalledTimeout,
      stalledInterval: Math.max(Math.round(stalledTimeout / 2), 100),
      // A job whose process died fails at once: rerunning a half-done call behind its client's back is worse.
      maxStalledCount: 0,
    });
    worker.on('failed', (job) => this.onJobFailed(job));
    worker.on('lockRenewalFailed', (jobIds: string[]) => this.abandonHere(jobIds));
    worker.on('error', (error) => this.warn(`Worker ${name}`, error));
    group.worker = worker;
    return group;
  }

  /** Lets this process's workers take jobs, or not (its slots are all taken). Never again once it is stopping. */
  private takeJobs(take: boolean): void {
    for (const group of this.groups.values()) {
      const changed = take ? (this.shuttingDown ? undefined : group.worker?.resume()) : group.worker?.pause(true);
      changed?.catch((error: unknown) => this.warn('A worker could not be paused or resumed', error));
    }
  }

  private async applyLimits(): Promise<void> {
    for (const group of this.groups.values()) {
      if (group.limit !== null) await group.queue.setGlobalConcurrency(group.limit);
    }
  }

  /**
   * A join, start or end somewhere in the deployment (heard through the lifecycle channel, or a start here): the last
   * count is stale until counted again. Counted again only while `maxSize` is set, the one use of a current count.
   */
  private queueMoved(): void {
    this.moves++;
    if (this.gradioOptions.maxSize !== null) this.recountSoon();
  }

  /** One count at a time, and one more if the queue moved meanwhile. */
  private recountSoon(): void {
    if (this.recounting) {
      this.recountAgain = true;
      return;
    }
    this.recounting = true;
    this.countWaiting()
      .catch(() => undefined)
      .finally(() => {
        this.recounting = false;
        if (!this.recountAgain) return;
        this.recountAgain = false;
        this.recountSoon();
      });
  }

  private async countWaiting(): Promise<number> {
    const movesBefore = this.moves;
    const counts = await Promise.all([...this.groups.values()].map((group) => group.queue.getWaitingCount()));
    const total = counts.reduce((sum, count) => sum + count, 0);
    // A count the queue moved during may be older than one taken since: it is not kept, or a status would show it
    // as current until the next move.
    if (this.moves === movesBefore) {
      this.waitingCount = total;
      this.countedAtMove = movesBefore;
    }
    return total;
  }

  private get countIsCurrent(): boolean {
    return this.countedAtMove === this.moves;
  }

  private lowestLimit(concurrencyId: string): number | null {
    let lowest: number | null = null;
    for (const endpoint of this.endpoints.queueable()) {
      if (endpoint.concurrencyId !== concurrencyId || endpoint.concurrencyLimit === null) continue;
      lowest = lowest === null ? endpoint.concurrencyLimit : Math.min(lowest, endpoint.concurrencyLimit);
    }
    return lowest;
  }

  private remember(event: QueueEvent): void {
    this.joinedHere.set(event.id, event.sessionHash);
    // Bounded like the in-memory sessions: the oldest go first.
    if (this.joinedHere.size > this.gradioOptions.maxSessions) {
      this.joinedHere.delete(this.joinedHere.keys().next().value as string);
    }
  }

  /** A `run/` call runs here, outside the shared queue; the deployment's observers hear of it as of any call. */
  protected override directCallStarted(event: QueueEvent): void {
    event.joinedAt = performance.now();
    this.lifecycleChannel.tell('joined', event);
    this.lifecycleChannel.tell('started', event);
  }

  protected override directCallEnded(event: QueueEvent, success: boolean): void {
    this.lifecycleChannel.tell('completed', event, success);
  }

  private warn(what: string, error: unknown): void {
    this.log.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How long a health check waits for Redis to answer a PING. */
const HEALTH_TIMEOUT_MS = 1000;

/** How many of a group's oldest waiting jobs a batch looks through for events of its endpoint. */
const BATCH_SCAN = 1000;

/** The name of an event's job: a batch endpoint's jobs are named after it, so that a batch finds its mates. */
function jobNameOf(endpoint: Endpoint): string {
  return endpoint.batch ? `batch-${endpoint.id}` : 'event';
}

/** The gates' waits together, or none: a batch's generator waits while any of its readers is behind. */
function allWaits(waits: (Promise<void> | undefined)[]): Promise<void> | undefined {
  const pending = waits.filter((wait): wait is Promise<void> => wait !== undefined);
  return pending.length === 0 ? undefined : Promise.all(pending).then(() => undefined);
}

/** BullMQ refuses job ids that read as integers, which a hex event id may (rarely): job ids get a letter first. */
function jobIdOf(eventId: string): string {
  return `e${eventId}`;
}

function eventIdOf(jobId: string): string {
  return jobId.slice(1);
}

/** How an event was ended by a cancel: by its client (`cancelled`), or because its client left (`dropped`). */
type CancelHow = 'cancelled' | 'dropped';

function cancelledHow(mark: string | null): CancelHow {
  return mark === 'dropped' ? 'dropped' : 'cancelled';
}
