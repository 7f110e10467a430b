/** Names of the app's keys and channels in Redis, all under its prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The session's messages not yet delivered (a Redis stream). */
  messages(sessionHash: string): string {
    return `${this.prefix}:session:${sessionHash}:messages`;
  }

  /** The session's events whose completion has not been delivered (a set). */
  pending(sessionHash: string): string {
    return `${this.prefix}:session:${sessionHash}:pending`;
  }

  /**
   * Present while a reader of the session waits for its client's connection to catch up (a string with a short
   * lifetime, renewed while it waits): the backlog stands still, yet somebody reads.
   */
  readerBehind(sessionHash: string): string {
    return `${this.prefix}:session:${sessionHash}:reader-behind`;
  }

  /** Present for a moment after the session's data stream sent `close_stream` (a string with a short lifetime). */
  streamClosed(sessionHash: string): string {
    return `${this.prefix}:session:${sessionHash}:stream-closed`;
  }

  /** Pub/sub channel that tells readers of the session that new messages arrived. */
  notify(sessionHash: string): string {
    return `${this.prefix}:session:${sessionHash}:notify`;
  }

  /** The session an event belongs to (a string), for the call protocol's `GET call/{api}/{event_id}`. */
  eventSession(eventId: string): string {
    return `${this.prefix}:event:${eventId}:session`;
  }

  /**
   * Marks an event whose job got its deployment slot and starts: a job that fails as stalled without it died waiting
   * for a slot, and goes back to its queue.
   */
  started(eventId: string): string {
    return `${this.prefix}:event:${eventId}:started`;
  }

  /** Marks an event as cancelled, for the process that would start it next. */
  cancelled(eventId: string): string {
    return `${this.prefix}:event:${eventId}:cancelled`;
  }

  /** A secret every process shares (`QueueService.sharedSecret`), as hex. */
  secret(name: string): string {
    return `${this.prefix}:secret:${name}`;
  }

  /** Pub/sub channel of a topic of messages between the processes (`QueueService.broadcast`). */
  bus(topic: string): string {
    return `${this.prefix}:bus:${topic}`;
  }

  /** Pub/sub channel on which cancels reach the process running the event. */
  get cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }

  /** Pub/sub channel of every process's queue lifecycle events (joined, started, completed…). */
  get lifecycleChannel(): string {
    return `${this.prefix}:lifecycle`;
  }

  /** The deployment's slots in use (`maxThreads`): leases scored by when they lapse (a sorted set). */
  get slotsHeld(): string {
    return `${this.prefix}:slots:held`;
  }

  /** Jobs waiting for a slot: tickets scored by when their event joined (a sorted set). */
  get slotTickets(): string {
    return `${this.prefix}:slots:tickets`;
  }

  /** When each ticket lapses unless its process renews it (a sorted set). */
  get slotTicketExpiries(): string {
    return `${this.prefix}:slots:ticket-expiries`;
  }

  /** Pub/sub channel: a slot was given back while jobs waited for one. */
  get slotFreedChannel(): string {
    return `${this.prefix}:slots:freed`;
  }

  /** BullMQ queue name of a concurrency group (one queue per group: BullMQ's global concurrency is per queue). */
  groupQueue(concurrencyId: string): string {
    return `group-${Buffer.from(concurrencyId).toString('hex')}`;
  }
}
