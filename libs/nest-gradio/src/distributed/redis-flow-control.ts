import { MAX_UNREAD_MESSAGES, type QueueEvent } from '../queue/queue-event.js';
import type { RedisKeys } from './redis-keys.js';
import type { Redis } from './redis-packages.js';

/** Generator steps between two looks at the session's backlog: one XLEN per this many steps. */
const STEPS_PER_CHECK = 32;
/** How often a generator held back looks at its backlog again. */
const POLL_MS = 100;
/** How long a full backlog may stand still, with no reader waiting on its client, before its event is stopped. */
export const STALLED_READER_MS = 10_000;

/**
 * Flow control for generators in distributed mode (docs/distributed.md#flow-control). The job cannot see its
 * reader's socket, which may be on another process; it sees the session's Redis stream, from which the reader trims
 * what it delivered and stops reading while its socket is behind — saying so with the session's `readerBehind` key.
 * A backlog of {@link MAX_UNREAD_MESSAGES} holds the generator back until the reader catches up, however long a
 * connected client takes (as in memory); one that stands still for {@link STALLED_READER_MS} with no reader behind
 * it stops the event as unread. Redis holds at most about that many messages per event, whatever a client does.
 */
export class RedisFlowControl {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** The step gate of one event's generator (see `JobSink.ready`). */
  gateFor(event: QueueEvent): () => Promise<void> | undefined {
    let steps = 0;
    return () => (++steps % STEPS_PER_CHECK === 0 ? this.waitForReader(event) : undefined);
  }

  private async waitForReader(event: QueueEvent): Promise<void> {
    let { backlog } = await this.look(event.sessionHash);
    let stillSince = performance.now();
    while (backlog >= MAX_UNREAD_MESSAGES && !event.aborted) {
      if (performance.now() - stillSince >= STALLED_READER_MS) {
        event.abort('unread');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const now = await this.look(event.sessionHash);
      if (now.backlog < backlog || now.readerBehind) stillSince = performance.now();
      backlog = now.backlog;
    }
  }

  /** The session's backlog, and whether a reader is waiting on its client meanwhile: one round trip. */
  private async look(sessionHash: string): Promise<{ backlog: number; readerBehind: boolean }> {
    const results = await this.redis
      .pipeline()
      .xlen(this.keys.messages(sessionHash))
      .exists(this.keys.readerBehind(sessionHash))
      .exec();
    for (const [error] of results ?? []) if (error) throw error;
    return { backlog: Number(results?.[0]?.[1] ?? 0), readerBehind: Number(results?.[1]?.[1] ?? 0) > 0 };
  }
}
