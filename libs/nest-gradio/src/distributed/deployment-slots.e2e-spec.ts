import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../../../test/support/redis.js';
import { DeploymentSlots } from './deployment-slots.js';
import { RedisKeys } from './redis-keys.js';

/** One process's slots: its own command and pub/sub connections, as in DistributedQueueService. */
interface ProcessSide {
  slots: DeploymentSlots;
  /** `full` calls: true when a job starts waiting here, false when none waits any more. */
  fullCalls: boolean[];
  close(): Promise<void>;
}

describe('DeploymentSlots on a real redis-server: maxThreads over the deployment', () => {
  let redis: RedisServer;
  let keys: RedisKeys;
  const sides: ProcessSide[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    for (const side of sides) await side.close();
    await redis?.stop();
  });

  let prefixes = 0;
  beforeEach(() => {
    keys = new RedisKeys(`slots-${++prefixes}`);
  });

  async function processSide(owner: string, size: number, leaseMs = 30_000): Promise<ProcessSide> {
    const commands = new Redis(redis.url);
    const subscriber = new Redis(redis.url);
    const fullCalls: boolean[] = [];
    const slots = new DeploymentSlots(
      commands,
      keys,
      size,
      leaseMs,
      owner,
      (full) => fullCalls.push(full),
      () => undefined,
    );
    await subscriber.subscribe(keys.slotFreedChannel);
    subscriber.on('message', () => slots.freed());
    const side = {
      slots,
      fullCalls,
      close: async () => {
        slots.stop();
        commands.disconnect();
        subscriber.disconnect();
      },
    };
    sides.push(side);
    return side;
  }

  /** Whether the promise settled within `ms`. */
  async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
    return Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);
  }

  it('gives a freed slot to the oldest waiting job on another process, not to a younger one of the freeing process', async () => {
    const a = await processSide('a', 1);
    const b = await processSide('b', 1);
    const running = await a.slots.acquire(1000);
    expect(running).not.toBeNull();
    const older = b.slots.acquire(2000);
    const younger = a.slots.acquire(3000);
    expect(await settlesWithin(Promise.race([older, younger]), 200)).toBe(false);
    expect(a.fullCalls).toEqual([true]);

    a.slots.release(running as string);
    expect(await older).toMatch(/^b:/);
    expect(await settlesWithin(younger, 300)).toBe(false);
    expect(b.slots.running).toBe(1);

    b.slots.release((await older) as string);
    expect(await younger).toMatch(/^a:/);
    expect(a.fullCalls).toEqual([true, false]);
  });

  it('returns the slots of a process that stopped renewing them (killed) once its leases lapse', async () => {
    const dead = await processSide('dead', 1, 400);
    const alive = await processSide('alive', 1, 400);
    expect(await dead.slots.acquire(1000)).not.toBeNull();
    // The process dies: nothing renews its lease or gives it back.
    dead.slots.stop();
    const started = Date.now();
    const waiting = alive.slots.acquire(2000);
    expect(await settlesWithin(waiting, 200)).toBe(false);
    expect(await waiting).toMatch(/^alive:/);
    // Within the lease's life and one retry.
    expect(Date.now() - started).toBeLessThan(400 + 500 + 300);
  });

  it('keeps a lease alive past its lifetime while its process renews it, and writes it again after Redis restarted empty', async () => {
    const holder = await processSide('holder', 1, 300);
    const other = await processSide('other', 1, 300);
    const lease = (await holder.slots.acquire(1000)) as string;
    const waiting = other.slots.acquire(2000);
    expect(await settlesWithin(waiting, 900)).toBe(false);
    holder.slots.release(lease);
    expect(await waiting).toMatch(/^other:/);

    await redis.restart();
    const inspector = new Redis(redis.url);
    try {
      let score: string | null = null;
      for (let attempt = 0; attempt < 40 && score === null; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        score = await inspector.zscore(keys.slotsHeld, (await waiting) as string);
      }
      expect(score).not.toBeNull();
    } finally {
      inspector.disconnect();
    }
  });

  it('answers null to the jobs waiting on a process that stops, and withdraws their tickets', async () => {
    const a = await processSide('a', 1);
    const b = await processSide('b', 1);
    const running = await a.slots.acquire(1000);
    const stopping = b.slots.acquire(2000);
    const after = a.slots.acquire(3000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    b.slots.stop();
    expect(await stopping).toBeNull();
    // The withdrawn ticket was older: were it left, the younger job would wait for it to lapse.
    a.slots.release(running as string);
    expect(await settlesWithin(after, 500)).toBe(true);
  });
});
