import type { RedisKeys } from './redis-keys.js';
import type { Redis } from './redis-packages.js';

/** How often a process with jobs waiting for a slot asks again without being told one was freed. */
const RETRY_MS = 500;

/** Redis's clock in milliseconds, one clock for every machine of the deployment. */
const NOW = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/**
 * KEYS: held, tickets, ticket expiries. ARGV: lease, joined at (ms), size, lease lifetime (ms). 1 when the slot is
 * taken; 0 when the job must wait, with a ticket for its place. Drops first the leases and tickets of processes that
 * stopped renewing them.
 */
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, lapsed in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], lapsed)
  redis.call('ZREM', KEYS[3], lapsed)
end
local free = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1])
if free > 0 and redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. ARGV[2]) < free then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 1
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1])
return 0`;

/** KEYS: held, tickets. ARGV: lease, the freed channel. Tells the processes only when some job waits. */
const GIVE_BACK = `redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[2]) > 0 then redis.call('PUBLISH', ARGV[2], '1') end
return 1`;

/**
 * KEYS: held, tickets, ticket expiries. ARGV: lease lifetime, number of leases, the leases, then (ticket, joined at)
 * pairs. Writes them again rather than only extending them: after a restart of an empty Redis they are back.
 */
const RENEW = `${NOW}
local until_ = now + tonumber(ARGV[1])
local leases = tonumber(ARGV[2])
for i = 3, 2 + leases do redis.call('ZADD', KEYS[1], until_, ARGV[i]) end
for i = 3 + leases, #ARGV, 2 do
  redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
  redis.call('ZADD', KEYS[3], until_, ARGV[i])
end
return 1`;

/** KEYS: tickets, ticket expiries. ARGV: the tickets given up. */
const WITHDRAW = `for i = 1, #ARGV do
  redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('ZREM', KEYS[2], ARGV[i])
end
return 1`;

interface Waiter {
  lease: string;
  joinedAt: number;
  granted: (lease: string | null) => void;
}

/**
 * The jobs the whole deployment runs at once, over every process and concurrency group: at most `maxThreads`, as
 * one Gradio server runs at most its thread pool — however many processes serve the app. BullMQ limits each group
 * (a queue's global concurrency), not their sum, so the slots are leases in Redis: a sorted set of the leases held,
 * scored by when each lapses. A process renews its leases while it lives; a killed one's lapse after `leaseMs` (the
 * stalled-job timeout) and their slots go to the others.
 *
 * A job that finds every slot taken gets a ticket scored by when it joined, and a free slot goes to the oldest
 * ticket, whichever process holds it (FIFO over groups, as one Gradio queue). Giving a slot back publishes on a
 * channel only while tickets exist; a process with waiting jobs also asks again every {@link RETRY_MS}, for slots
 * freed by lapsing. While a job waits here this process's workers are paused (`full`), so the others take what
 * is waiting in BullMQ.
 */
export class DeploymentSlots {
  private readonly held = new Set<string>();
  /** Jobs waiting for a slot, oldest join first. */
  private readonly waiting: Waiter[] = [];
  private leasesMade = 0;
  private readonly renewTimer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private granting = false;
  private grantAgain = false;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly size: number,
    private readonly leaseMs: number,
    /** Names this process's leases (unique in the deployment). */
    private readonly owner: string,
    /** Told when a job starts waiting here (`true`) and when none waits any more (`false`). */
    private readonly full: (isFull: boolean) => void,
    private readonly warn: (what: string, error: unknown) => void,
  ) {
    this.renewTimer = setInterval(() => this.renew(), Math.max(Math.round(leaseMs / 3), 50));
    this.renewTimer.unref();
  }

  /** Slots this process holds (jobs running here, a batch counting once). */
  get running(): number {
    return this.held.size;
  }

  /**
   * A slot for a job that joined at `joinedAt` (ms since the epoch): its lease, once one is free and no older job
   * waits for one; null if this process stops first.
   */
  async acquire(joinedAt: number): Promise<string | null> {
    const lease = `${this.owner}:${++this.leasesMade}`;
    if (this.waiting.length === 0 && (await this.take(lease, joinedAt))) return lease;
    return new Promise((granted) => {
      const at = this.waiting.findIndex((waiter) => waiter.joinedAt > joinedAt);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { lease, joinedAt, granted });
      if (this.waiting.length === 1) {
        this.full(true);
        this.retryTimer = setInterval(() => this.grant(), RETRY_MS);
        this.retryTimer.unref();
      }
      // A slot may have been given back since the failed take.
      this.grant();
    });
  }

  release(lease: string): void {
    this.held.delete(lease);
    this.redis
      .eval(GIVE_BACK, 2, this.keys.slotsHeld, this.keys.slotTickets, lease, this.keys.slotFreedChannel)
      .catch((error: unknown) => this.warn('A slot could not be given back (it lapses)', error))
      .finally(() => this.grant());
  }

  /** A slot was given back somewhere in the deployment (heard on {@link RedisKeys.slotFreedChannel}). */
  freed(): void {
    this.grant();
  }

  /** This process stops: its waiting jobs get no slot (null), and their tickets are withdrawn. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.renewTimer);
    clearInterval(this.retryTimer);
    const given = this.waiting.splice(0);
    if (given.length === 0) return;
    this.redis
      .eval(WITHDRAW, 2, this.keys.slotTickets, this.keys.slotTicketExpiries, ...given.map((waiter) => waiter.lease))
      .catch(() => undefined);
    for (const waiter of given) waiter.granted(null);
  }

  private async take(lease: string, joinedAt: number): Promise<boolean> {
    const taken = await this.redis
      .eval(
        TAKE,
        3,
        this.keys.slotsHeld,
        this.keys.slotTickets,
        this.keys.slotTicketExpiries,
        lease,
        joinedAt,
        this.size,
        this.leaseMs,
      )
      .catch((error: unknown) => {
        this.warn('Cannot ask Redis for a slot (asking again)', error);
        return 0;
      });
    if (taken !== 1) return false;
    this.held.add(lease);
    return true;
  }

  /** Gives free slots to the oldest jobs waiting here, one ask at a time, until one is refused. */
  private grant(): void {
    if (this.stopped || this.waiting.length === 0) return;
    if (this.granting) {
      this.grantAgain = true;
      return;
    }
    this.granting = true;
    (async () => {
      for (let next = this.waiting[0]; next && !this.stopped; next = this.waiting[0]) {
        if (!(await this.take(next.lease, next.joinedAt))) break;
        // Stopped meanwhile: the job went back to BullMQ without it.
        if (this.stopped) {
          this.release(next.lease);
          break;
        }
        this.waiting.shift();
        if (this.waiting.length === 0) this.noneWaits();
        next.granted(next.lease);
      }
    })()
      .catch((error: unknown) => this.warn('Cannot give out slots', error))
      .finally(() => {
        this.granting = false;
        if (this.grantAgain) {
          this.grantAgain = false;
          this.grant();
        }
      });
  }

  private noneWaits(): void {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.full(false);
  }

  private renew(): void {
    if (this.held.size === 0 && this.waiting.length === 0) return;
    const tickets = this.waiting.flatMap((waiter) => [waiter.lease, waiter.joinedAt]);
    this.redis
      .eval(
        RENEW,
        3,
        this.keys.slotsHeld,
        this.keys.slotTickets,
        this.keys.slotTicketExpiries,
        this.leaseMs,
        this.held.size,
        ...this.held,
        ...tickets,
      )
      .catch((error: unknown) => this.warn('Cannot renew the slots held here', error));
  }
}
