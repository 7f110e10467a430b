import { hostname } from 'node:os';

/**
 * Connection options of Redis, as ioredis takes them (`host`, `port`, `password`, `tls`, `db`, …). Declared here
 * rather than imported so that apps without distributed mode need not install ioredis for the types.
 *
 * @publicApi
 */
export interface GradioRedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  [option: string]: unknown;
}

/**
 * Distributed mode: any number of processes, on any machines, serve one app through one Redis — the queue runs on
 * BullMQ and each session's messages on a Redis stream, so a join, its data stream and its run may each land on a
 * different process behind a plain round-robin balancer.
 *
 * @publicApi
 */
export interface GradioDistributedOptions {
  /**
   * Prefix of every Redis key and BullMQ queue of the app. Processes of one app share it; two apps on one Redis
   * need different ones. Default `GRADIO_REDIS_PREFIX`, else `nest-gradio`.
   */
  prefix?: string;
  /**
   * Milliseconds after which a job whose process stopped answering (killed, frozen) counts as stalled and ends for
   * its client with an error (within about 1.5 times this). Default `GRADIO_REDIS_STALLED_TIMEOUT`, else 30 000
   * (BullMQ's lock duration). A handler that blocks the event loop this long is taken for dead: keep CPU-bound work
   * off the main thread.
   */
  stalledTimeout?: number;
  /** Seconds a session's undelivered messages are kept in Redis after its last message. Default 3600. */
  sessionTtl?: number;
  /**
   * This process's name in the deployment: the `process` label of its metrics. Default `GRADIO_PROCESS_NAME`, else
   * `<host name>:<process id>`.
   */
  processName?: string;
  /**
   * Whether this process runs jobs (a BullMQ worker on every concurrency group). `false` makes a front process: it
   * takes joins, data streams, uploads and MCP requests and leaves the running to the others — keep at least one
   * process that runs jobs. Default `GRADIO_RUN_JOBS` (`false` turns it off), else true.
   */
  runJobs?: boolean;
}

/** Distributed mode's options after defaults; `connection` is a URL or ioredis options. */
export interface ResolvedDistributedOptions {
  connection: string | GradioRedisConnectionOptions;
  /** What error messages show of the connection: the URL without its password, or host:port. */
  displayName: string;
  prefix: string;
  stalledTimeout: number;
  sessionTtl: number;
  processName: string;
  runJobs: boolean;
}

/**
 * Distributed mode is on when `redis` is given or `GRADIO_REDIS_URL` is set; null otherwise (the in-memory queue).
 */
export function resolveDistributedOptions(
  redis: string | GradioRedisConnectionOptions | undefined,
  distributed: GradioDistributedOptions | undefined,
  env: NodeJS.ProcessEnv,
): ResolvedDistributedOptions | null {
  const connection = redis ?? (env['GRADIO_REDIS_URL'] || undefined);
  if (connection === undefined) return null;
  const prefix = distributed?.prefix ?? (env['GRADIO_REDIS_PREFIX'] || 'nest-gradio');
  if (!/^[\w-]+$/.test(prefix)) {
    throw new Error(`GradioModule option distributed.prefix must be letters, digits, "_" or "-"; got "${prefix}".`);
  }
  return {
    connection,
    displayName: describeConnection(connection),
    prefix,
    stalledTimeout: positive(
      distributed?.stalledTimeout ?? numberOr(env['GRADIO_REDIS_STALLED_TIMEOUT'], 30_000),
      'distributed.stalledTimeout',
    ),
    sessionTtl: positive(distributed?.sessionTtl ?? 3600, 'distributed.sessionTtl'),
    processName: distributed?.processName || env['GRADIO_PROCESS_NAME'] || `${hostname()}:${process.pid}`,
    runJobs: distributed?.runJobs ?? env['GRADIO_RUN_JOBS']?.toLowerCase() !== 'false',
  };
}

function describeConnection(connection: string | GradioRedisConnectionOptions): string {
  if (typeof connection === 'string') {
    let url: URL;
    try {
      url = new URL(connection);
    } catch {
      throw new Error(`GradioModule option redis must be a redis:// or rediss:// URL; got "${connection}".`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new Error(`GradioModule option redis must be a redis:// or rediss:// URL; got "${connection}".`);
    }
    if (url.password) url.password = '***';
    return url.toString();
  }
  if (typeof connection !== 'object' || connection === null) {
    throw new Error('GradioModule option redis must be a URL or ioredis connection options.');
  }
  return `redis://${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}

function numberOr(text: string | undefined, fallback: number): number {
  return text === undefined || text === '' ? fallback : Number(text);
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`GradioModule option ${name} must be a positive number; got ${value}.`);
  }
  return value;
}
