import { Logger } from '@nestjs/common';
import { redisUnreachableMessage } from '../kernel/gradio.messages.js';
import type { ResolvedDistributedOptions } from '../options/distributed-options.js';
import type { QueueBackend } from '../queue/queue-backend.port.js';
import { DistributedQueueService, type DistributedRuntime } from './distributed-queue.service.js';
import { createRedis, loadRedisPackages, type Redis, type RedisPackages } from './redis-packages.js';

const logger = new Logger('GradioDistributed');

/**
 * Connects distributed mode at bootstrap: loads bullmq and ioredis, and makes sure Redis answers — an app that
 * cannot reach it fails to start with an error naming the URL, instead of accepting calls it cannot run.
 */
export async function connectDistributedBackend(options: ResolvedDistributedOptions): Promise<QueueBackend> {
  const packages = await loadRedisPackages();
  await probe(packages, options);
  const runtime: DistributedRuntime = {
    packages,
    options,
    // Commands fail fast while Redis is away (after one reconnection attempt), so calls in flight end with an error
    // instead of hanging; the client reconnects on its own when Redis is back.
    redis: watched(createRedis(packages, options.connection, { maxRetriesPerRequest: 1 }), 'commands'),
    subscriber: watched(createRedis(packages, options.connection, { maxRetriesPerRequest: 1 }), 'pub/sub'),
  };
  return {
    createQueue: (registry, gradioOptions, store, files) =>
      new DistributedQueueService(registry, gradioOptions, store, files, runtime),
  };
}

async function probe(packages: RedisPackages, options: ResolvedDistributedOptions): Promise<void> {
  const client = createRedis(packages, options.connection, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // ioredis rejects with "Connection is closed"; the cause (ECONNREFUSED, ENOTFOUND, NOAUTH…) comes as an event.
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    // The ioredis error is replaced, not wrapped: its stack would bury the one line a person needs.
    const reason = (cause ?? (error instanceof Error ? error : new Error(String(error)))).message;
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redisUnreachableMessage(options.displayName, reason.replace(/\.$/, '')));
  } finally {
    client.disconnect();
  }
}

/** Logs a client's connection errors once per outage (ioredis repeats them on every reconnection attempt). */
function watched(client: Redis, role: string): Redis {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.error(`Redis (${role}) is unreachable: ${error.message}`);
  });
  client.on('ready', () => {
    if (down) logger.log(`Redis (${role}) is back.`);
    down = false;
  });
  return client;
}
