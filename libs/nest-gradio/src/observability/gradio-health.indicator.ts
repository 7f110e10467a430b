import { Inject, Injectable } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { QUEUE_MONITOR, type QueueMonitor } from '../queue/queue-lifecycle.js';

/** What the queue reports to a health check. @publicApi */
export interface GradioHealthDetails {
  status: 'up' | 'down';
  /** Whether a call joining now would be queued (false when the queue is full or the server is stopping). */
  acceptingJoins: boolean;
  /** Events waiting to start. */
  waiting: number;
  /** Jobs running. */
  running: number;
  /** The module option `maxSize` (null: no limit). */
  maxSize: number | null;
  sessions: number;
  openStreams: number;
  /** In distributed mode: whether Redis answers (`down` makes the whole check `down`). */
  redis?: 'up' | 'down';
  /** In distributed mode: how long Redis took to answer, or why it did not. */
  redisLatencyMs?: number;
  redisError?: string;
}

/** A health indicator result in the shape of `@nestjs/terminus` (`{ [key]: { status, ...details } }`). @publicApi */
export type GradioHealthResult<Key extends string> = Record<Key, GradioHealthDetails>;

/** @publicApi */
export interface GradioHealthOptions {
  /** Report `down` when more events than this wait (say, to take a busy replica out of a load balancer). */
  maxWaiting?: number;
}

/**
 * The queue's health for a `@nestjs/terminus` health check: `down` when it does not accept joins (full, or the server
 * is stopping), more than `maxWaiting` events wait, or — in distributed mode — Redis does not answer a PING within
 * a second; the details say how much it holds. It returns terminus'
 * result shape without importing terminus, which stays the application's choice.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.gradio.isHealthy('queue')]); }
 * ```
 *
 * @publicApi
 */
@Injectable()
export class GradioHealthIndicator {
  constructor(
    @Inject(QUEUE_MONITOR) private readonly queue: QueueMonitor,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  async isHealthy<const Key extends string = 'gradio'>(
    key: Key = 'gradio' as Key,
    { maxWaiting }: GradioHealthOptions = {},
  ): Promise<GradioHealthResult<Key>> {
    const store = await this.queue.checkStore();
    const { waiting, running, sessions, openStreams } = this.queue.snapshot();
    const acceptingJoins = this.queue.acceptsJoins();
    const up = acceptingJoins && (maxWaiting === undefined || waiting <= maxWaiting) && store?.up !== false;
    const details: GradioHealthDetails = {
      status: up ? 'up' : 'down',
      acceptingJoins,
      waiting,
      running,
      maxSize: this.options.maxSize,
      sessions,
      openStreams,
    };
    if (store) {
      details.redis = store.up ? 'up' : 'down';
      if (store.latencyMs !== undefined) details.redisLatencyMs = store.latencyMs;
      if (store.error !== undefined) details.redisError = store.error;
    }
    return { [key]: details } as GradioHealthResult<Key>;
  }
}
