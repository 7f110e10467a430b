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
 * is stopping) or more than `maxWaiting` events wait; the details say how much it holds. It returns terminus'
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

  isHealthy<const Key extends string = 'gradio'>(
    key: Key = 'gradio' as Key,
    { maxWaiting }: GradioHealthOptions = {},
  ): Promise<GradioHealthResult<Key>> {
    const { waiting, running, sessions, openStreams } = this.queue.snapshot();
    const acceptingJoins = this.queue.acceptsJoins();
    const up = acceptingJoins && (maxWaiting === undefined || waiting <= maxWaiting);
    const details: GradioHealthDetails = {
      status: up ? 'up' : 'down',
      acceptingJoins,
      waiting,
      running,
      maxSize: this.options.maxSize,
      sessions,
      openStreams,
    };
    return Promise.resolve({ [key]: details } as GradioHealthResult<Key>);
  }
}
