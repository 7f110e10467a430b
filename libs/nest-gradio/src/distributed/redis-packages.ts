import { importOptional } from '../kernel/optional-package.js';
import type { GradioRedisConnectionOptions } from '../options/distributed-options.js';

export type BullMqPackage = typeof import('bullmq');
export interface IoRedisPackage {
  Redis: typeof import('ioredis').Redis;
}
export type Redis = import('ioredis').Redis;

/** bullmq and ioredis, loaded only when distributed mode is on (both are optional peers of the package). */
export interface RedisPackages {
  bullmq: BullMqPackage;
  ioredis: IoRedisPackage;
}

const FEATURE = 'Distributed mode (GradioModule option redis, or GRADIO_REDIS_URL)';

export async function loadRedisPackages(): Promise<RedisPackages> {
  // One after the other: Jest's ESM loader fails on concurrent imports that share a dependency.
  // Whichever is missing, the command installs both.
  const ioredis = await importOptional(() => import('ioredis'), {
    name: 'ioredis',
    with: ['bullmq'],
    feature: FEATURE,
  });
  const bullmq = await importOptional(() => import('bullmq'), { name: 'bullmq', with: ['ioredis'], feature: FEATURE });
  return { bullmq, ioredis };
}

/** What ioredis takes: a URL, or options. */
export type RedisConnection = string | GradioRedisConnectionOptions;

/**
 * A new ioredis client. `extra` is merged into the connection's own options (a URL's or the object's), e.g.
 * `maxRetriesPerRequest`.
 */
export function createRedis(
  packages: RedisPackages,
  connection: RedisConnection,
  extra: Record<string, unknown> = {},
): Redis {
  const RedisClient = packages.ioredis.Redis;
  return typeof connection === 'string'
    ? new RedisClient(connection, extra)
    : new RedisClient({ ...connection, ...extra } as never);
}

/**
 * BullMQ's connection options: the URL's parts, or the given options. BullMQ makes its own clients from them
 * (workers need blocking connections of their own).
 */
export function bullMqConnection(connection: RedisConnection): Record<string, unknown> {
  if (typeof connection !== 'string') return { ...connection };
  const url = new URL(connection);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
