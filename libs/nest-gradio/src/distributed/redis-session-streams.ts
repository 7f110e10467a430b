import { Logger } from '@nestjs/common';
import { Observable } from 'rxjs';
import { redisLostMessage } from '../kernel/gradio.messages.js';
import { CLOSE_HANDOVER_MS, type StreamFlow, type StreamOptions } from '../queue/session-streams.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import { CLOSE_STREAM, HEARTBEAT, SESSION_NOT_FOUND, unexpectedError } from '../wire/queue-messages.js';
import type { RedisKeys } from './redis-keys.js';
import type { Redis } from './redis-packages.js';

const logger = new Logger('GradioDistributed');
/** Messages taken from Redis in one read: a reader never holds more than this in hand. */
const READ_BATCH = 256;
/**
 * Delivered messages trimmed from the stream once this many gathered since the last trim (and at each completion):
 * counted over reads, since a reader keeping pace with its job reads a few messages at a time.
 */
const TRIM_AFTER = 64;
/** Lifetime of the `readerBehind` mark, renewed three times within it while the reader waits on its client. */
const READER_BEHIND_TTL_MS = 3_000;

/**
 * The sessions' message streams in Redis, shared by every process: each session's undelivered messages are a Redis
 * stream, its pending events a set. Any process appends (a join's `estimation` here, the job's messages on the
 * process running it, a cancel's completion on a third); the process holding the client's `queue/data` reads them
 * in the stream's order — from the start, so a late reader misses nothing — and trims what it delivered. A pub/sub
 * message per append wakes the readers: nothing polls.
 */
export class RedisSessionStreams {
  private readonly open = new Set<(last: QueueMessage) => void>();
  private closing = false;
  /** Readers waiting on each session's notify channel on this process, and the subscription they wait for. */
  private readonly listeners = new Map<string, { readers: Set<() => void>; subscribed: Promise<unknown> }>();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly heartbeatSeconds: number,
    private readonly sessionTtlSeconds: number,
    /** A stream was unsubscribed before it ended: the client left. */
    private readonly clientLeft: (sessionHash: string) => void,
  ) {
    subscriber.on('message', (channel: string) => {
      for (const wake of this.listeners.get(channel)?.readers ?? []) wake();
    });
    // Notifications sent while the connection is down are lost for good, and a restarted Redis has lost the
    // sessions: the open streams end with an error at once rather than wait for messages that will not come.
    subscriber.on('close', () => {
      if (!this.closing) this.endAll(unexpectedError(redisLostMessage('connection closed'), false));
    });
  }

  get size(): number {
    return this.open.size;
  }

  /** Registers a pending event of the session (creating the session). */
  async addPending(sessionHash: string, eventId: string): Promise<void> {
    const ttl = this.sessionTtlSeconds;
    await this.redis
      .multi()
      .sadd(this.keys.pending(sessionHash), eventId)
      .expire(this.keys.pending(sessionHash), ttl)
      .set(this.keys.eventSession(eventId), sessionHash, 'EX', ttl)
      .exec();
  }

  isPending(sessionHash: string, eventId: string): Promise<boolean> {
    return this.redis.sismember(this.keys.pending(sessionHash), eventId).then((member) => member === 1);
  }

  pendingEvents(sessionHash: string): Promise<string[]> {
    return this.redis.smembers(this.keys.pending(sessionHash));
  }

  /**
   * The session whose stream `id` names: itself when it is a session, else — an event id, as `GET call/{api}/{id}`
   * gives when the event joined on another process — the event's session. Unknown: itself (the stream says so).
   */
  async sessionNamed(id: string): Promise<string> {
    if ((await this.redis.exists(this.keys.pending(id), this.keys.messages(id))) > 0) return id;
    return (await this.redis.get(this.keys.eventSession(id))) ?? id;
  }

  /**
   * Appends a message to the session's stream. Calls on one connection reach Redis in the order they were made, so
   * the messages of one job keep their order without awaiting each other.
   */
  publish(sessionHash: string, message: QueueMessage): Promise<void> {
    const key = this.keys.messages(sessionHash);
    // A pipeline, not a transaction, and the lifetime renewed only at an event's milestones: a generator's steps
    // are most messages, and each command costs the server's event loop (MULTI, EXEC and EXPIRE were 3 of 5).
    const pipeline = this.redis.pipeline().xadd(key, '*', 'm', JSON.stringify(message));
    if (message.msg === 'estimation' || message.msg === 'process_starts' || message.msg === 'process_completed') {
      pipeline.expire(key, this.sessionTtlSeconds);
    }
    return pipeline
      .publish(this.keys.notify(sessionHash), '1')
      .exec()
      .then(() => undefined);
  }

  /** Forgets the session: its messages, its pending events. */
  async drop(sessionHash: string): Promise<void> {
    await this.redis.del(this.keys.messages(sessionHash), this.keys.pending(sessionHash));
  }

  /** See {@link SessionStreams.stream}: the same life, with the messages read from Redis. */
  stream(sessionHash: string, options: StreamOptions = {}): Observable<QueueMessage> {
    const { lingerMs = 0, flow, heartbeats = true, closeHandover = false } = options;
    return new Observable<QueueMessage>((subscriber) => {
      const streamKey = this.keys.messages(sessionHash);
      const pendingKey = this.keys.pending(sessionHash);
      const channel = this.keys.notify(sessionHash);
      let ended = false;
      let lastId: string | undefined;
      /** Messages delivered since the stream was last trimmed. */
      let untrimmed = 0;
      let reading = false;
      let readAgain = false;
      let closing: NodeJS.Timeout | undefined;
      let idleSince = 0;
      let heartbeat: NodeJS.Timeout | undefined;
      /** Completions already delivered: a cancel and the job's own end may both append one. */
      const completed = new Set<string>();
      /** Events whose start was delivered: a join's estimation written after the start is stale. */
      const started = new Set<string>();

      const end = (): void => {
        if (ended) return;
        ended = true;
        subscriber.complete();
      };
      const close = (): void => {
        if (ended) return;
        subscriber.next(CLOSE_STREAM);
        end();
      };
      const fail = (error: unknown): void => {
        if (ended) return;
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn(`The stream of session ${sessionHash} lost Redis: ${reason}`);
        subscriber.next(unexpectedError(redisLostMessage(reason), false));
        end();
      };
      const closeUnlessBusy = async (): Promise<void> => {
        closing = undefined;
        if (ended) return;
        const wait = idleSince + lingerMs - performance.now();
        if (wait > 0) closing = setTimeout(() => closeUnlessBusy().catch(fail), wait);
        else if (await this.mayClose(sessionHash, closeHandover)) close();
      };
      const deliver = async (message: QueueMessage): Promise<void> => {
        if (message.msg === 'estimation' && message.event_id !== null && started.has(message.event_id)) return;
        if (message.msg === 'process_starts') started.add(message.event_id);
        if (message.msg !== 'process_completed') {
          if (message.event_id === null || !completed.has(message.event_id)) subscriber.next(message);
          return;
        }
        started.delete(message.event_id);
        if (completed.has(message.event_id)) return;
        completed.add(message.event_id);
        subscriber.next(message);
        // The event is over for everyone: its session link and start mark go too (nothing of a finished call stays
        // behind).
        const results =
          (await this.redis
            .multi()
            .srem(pendingKey, message.event_id)
            .scard(pendingKey)
            .del(this.keys.eventSession(message.event_id), this.keys.started(message.event_id))
            .exec()) ?? [];
        if (results[1]?.[1] !== 0) return;
        if (lingerMs <= 0) {
          // Without a handover to mark, the count just taken says it all.
          if (!closeHandover || (await this.mayClose(sessionHash, closeHandover))) close();
        } else {
          idleSince = performance.now();
          closing ??= setTimeout(() => closeUnlessBusy().catch(fail), lingerMs);
        }
      };
      const read = async (): Promise<void> => {
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
        try {
          do {
            readAgain = false;
            // While the client's connection is behind, the messages wait in Redis, where the job producing them
            // sees them pile up and holds its generator back (RedisFlowControl); read in bounded batches.
            if (flow?.saturated()) await this.waitForClient(sessionHash, flow);
            if (ended) return;
            const from = lastId === undefined ? '-' : `(${lastId}`;
            const entries = await this.redis.xrange(streamKey, from, '+', 'COUNT', READ_BATCH);
            if (entries.length === READ_BATCH) readAgain = true;
            let completedOne = false;
            for (const [id, fields] of entries) {
              if (ended) return;
              lastId = id;
              const message = JSON.parse(fields[1] as string) as QueueMessage;
              completedOne ||= message.msg === 'process_completed';
              await deliver(message);
            }
            // What was delivered goes, so that the next reader of the session starts where this one stopped: at each
            // completion (a stream ends only after one) or once much has gathered. Not awaited: the next read goes
            // on the same connection, after it.
            untrimmed += entries.length;
            if (lastId !== undefined && (completedOne || untrimmed >= TRIM_AFTER)) {
              untrimmed = 0;
              this.redis.xtrim(streamKey, 'MINID', nextId(lastId)).catch(() => undefined);
            }
          } while (readAgain && !ended);
        } finally {
          reading = false;
        }
      };
      const wake = (): void => {
        if (!ended) read().catch(fail);
      };

      const start = async (): Promise<void> => {
        const exists = await this.redis.exists(pendingKey, streamKey);
        if (ended) return;
        if (exists === 0) {
          subscriber.next(SESSION_NOT_FOUND);
          end();
          return;
        }
        // Listen before the first read, so that nothing appended in between goes unnoticed.
        await this.listen(channel, wake);
        if (heartbeats) heartbeat = setInterval(() => subscriber.next(HEARTBEAT), this.heartbeatSeconds * 1000);
        await read();
      };
      const stop = (last: QueueMessage): void => {
        if (ended) return;
        subscriber.next(last);
        end();
      };
      this.open.add(stop);
      start().catch(fail);
      return () => {
        clearInterval(heartbeat);
        clearTimeout(closing);
        this.open.delete(stop);
        this.unlisten(channel, wake);
        // What this stream delivered goes first: the stream may end on a completion before its batch was trimmed.
        if (ended) this.dropIfIdle(sessionHash, lastId).catch(() => undefined);
        else {
          ended = true;
          this.clientLeft(sessionHash);
        }
      };
    });
  }

  /** Ends every open stream on this process with `last` (the server is stopping). */
  endAll(last: QueueMessage): void {
    if (last.msg === 'unexpected_error' && this.open.size > 0)
      logger.warn(`Ending ${this.open.size} stream(s): ${last.message}`);
    for (const stop of [...this.open]) stop(last);
  }

  /** The server is stopping: a closing connection is no outage. */
  stop(): void {
    this.closing = true;
  }

  /**
   * Waits until the client's connection caught up (or closed), marking the session meanwhile so that its jobs know
   * a reader is there: their generators wait for it as long as it takes instead of stopping as unread.
   */
  private async waitForClient(sessionHash: string, flow: StreamFlow): Promise<void> {
    const key = this.keys.readerBehind(sessionHash);
    const mark = (): void => void this.redis.set(key, '1', 'PX', READER_BEHIND_TTL_MS).catch(() => undefined);
    mark();
    const renew = setInterval(mark, READER_BEHIND_TTL_MS / 3);
    try {
      await flow.drained();
    } finally {
      clearInterval(renew);
      this.redis.del(key).catch(() => undefined);
    }
  }

  /**
   * Whether the session's stream may close now, nothing being pending (its last completion found none; a join may
   * have come since). With `closeHandover`, it also marks the stream as just closed for {@link CLOSE_HANDOVER_MS}, in
   * the same script: the session's next join may reach any process, which cannot see this stream's connection, and
   * holds its answer while the mark lives (see DistributedQueueService's `closedStreamHandover`). Checked and marked
   * at once, a join that adds its event after the check finds the mark, and one that added it before keeps the
   * stream open: two steps left a window where a join found neither, and its client filed the call under the ending
   * stream.
   */
  private async mayClose(sessionHash: string, closeHandover: boolean): Promise<boolean> {
    const pending = this.keys.pending(sessionHash);
    if (!closeHandover) return (await this.redis.scard(pending)) === 0;
    const keys = [pending, this.keys.streamClosed(sessionHash)];
    return (await this.redis.eval(MARK_CLOSING_IF_IDLE, 2, ...keys, CLOSE_HANDOVER_MS)) === 1;
  }

  /**
   * Trims what was delivered (up to `delivered`), then drops the session if nothing is pending or undelivered — in one
   * script, so that a join meanwhile is kept.
   */
  private async dropIfIdle(sessionHash: string, delivered: string | undefined): Promise<void> {
    const keep = delivered === undefined ? '' : nextId(delivered);
    await this.redis.eval(DROP_IF_IDLE, 2, this.keys.pending(sessionHash), this.keys.messages(sessionHash), keep);
  }

  private async listen(channel: string, wake: () => void): Promise<void> {
    let listening = this.listeners.get(channel);
    if (!listening) {
      listening = { readers: new Set(), subscribed: this.subscriber.subscribe(channel) };
      this.listeners.set(channel, listening);
    }
    listening.readers.add(wake);
    await listening.subscribed;
  }

  private unlisten(channel: string, wake: () => void): void {
    const listening = this.listeners.get(channel);
    if (!listening) return;
    listening.readers.delete(wake);
    if (listening.readers.size > 0) return;
    this.listeners.delete(channel);
    this.subscriber.unsubscribe(channel).catch(() => undefined);
  }
}

const MARK_CLOSING_IF_IDLE = `
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 1`;

const DROP_IF_IDLE = `
if ARGV[1] ~= '' then redis.call('XTRIM', KEYS[2], 'MINID', ARGV[1]) end
if redis.call('SCARD', KEYS[1]) == 0 and redis.call('XLEN', KEYS[2]) == 0 then
  return redis.call('DEL', KEYS[1], KEYS[2])
end
return 0`;

/** The stream id right after `id` (`XTRIM MINID` keeps ids ≥ its argument). */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}
