import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { GRADIO_MODULE_OPTIONS } from '../../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../../options/gradio-module-options.interface.js';
import { QueueService, type QueueLifecycleEvent } from '../../queue/queue.service.js';
import { percentile } from './percentile.js';
import type { EndpointUsage, UsageSummary } from './usage-summary.interface.js';

/**
 * Usage analytics per endpoint, fed by the queue's lifecycle events: how many calls joined, how many of the
 * finished ones succeeded, and percentiles of their processing time — Gradio's `/monitoring/summary`.
 *
 * Memory is bounded: only the last `analyticsMaxEvents` finished calls are kept (Gradio's
 * `GRADIO_ANALYTICS_MAX_EVENTS`, 10 000 by default) in fixed-size arrays.
 * The summary is computed when asked, and only again after something changed.
 *
 * Differences from Gradio, deliberately: the processing time is the whole run (Gradio keeps the last step of a
 * generator only), and percentiles cover successful calls only — Gradio mixes in calls without a time, which makes
 * them NaN and the route fail with a 500 as soon as one call failed.
 */
@Injectable()
export class UsageAnalytics implements OnModuleInit, OnModuleDestroy {
  private readonly capacity: number;
  private readonly names: string[];
  private readonly succeeded: Uint8Array;
  private readonly seconds: Float64Array;
  private next = 0;
  private size = 0;
  private readonly joined = new Map<string, number>();
  private summary: UsageSummary | undefined;
  private subscription: Subscription | undefined;

  constructor(
    private readonly queue: QueueService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {
    this.capacity = options.analyticsMaxEvents;
    this.names = new Array<string>(this.capacity);
    this.succeeded = new Uint8Array(this.capacity);
    this.seconds = new Float64Array(this.capacity);
  }

  onModuleInit(): void {
    if (!this.options.enableMonitoring) return;
    this.subscription = this.queue.lifecycle$.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The summary, in Gradio's shape: `{"functions": {"<api_name>": {…}}}`. */
  getSummary(): UsageSummary {
    return (this.summary ??= this.compute());
  }

  /** Applies one lifecycle event; exposed for unit specs that drive the analytics without a queue. */
  record(event: QueueLifecycleEvent): void {
    const name = event.endpoint.apiName;
    switch (event.type) {
      case 'joined':
        this.joined.set(name, (this.joined.get(name) ?? 0) + 1);
        break;
      case 'completed':
        // The queue times the run (start to end); a call that never started counts 0 s, as Gradio's.
        this.push(name, event.success === true, event.runSeconds ?? 0);
        break;
      default:
        return; // nothing visible changed
    }
    this.summary = undefined;
  }

  private push(name: string, success: boolean, seconds: number): void {
    this.names[this.next] = name;
    this.succeeded[this.next] = success ? 1 : 0;
    this.seconds[this.next] = seconds;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  private compute(): UsageSummary {
    const finished = new Map<string, { successes: number[]; failures: number }>();
    for (let index = 0; index < this.size; index++) {
      const name = this.names[index] as string;
      let entry = finished.get(name);
      if (!entry) finished.set(name, (entry = { successes: [], failures: 0 }));
      if (this.succeeded[index]) entry.successes.push(this.seconds[index] as number);
      else entry.failures += 1;
    }
    const functions: Record<string, EndpointUsage> = {};
    for (const [name, total] of this.joined) {
      const entry = finished.get(name);
      const times = Float64Array.from(entry?.successes ?? []).sort();
      const count = times.length + (entry?.failures ?? 0);
      functions[name] = {
        success_rate: count === 0 ? null : times.length / count,
        process_time_percentiles: {
          '50th': percentile(times, 50),
          '90th': percentile(times, 90),
          '99th': percentile(times, 99),
        },
        total_requests: total,
      };
    }
    return { functions };
  }
}
