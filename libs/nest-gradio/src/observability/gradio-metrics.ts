import type { OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { PromClientPackage } from '../kernel/optional-package.js';
import type { ResolvedMetricsOptions } from '../options/observability-options.js';
import type { QueueLifecycleEvent, QueueMonitor } from '../queue/queue-lifecycle.js';
import { surfaceOf } from './event-surface.js';

/** DI token of the {@link GradioMetrics} (undefined while metrics are off). */
export const GRADIO_METRICS = Symbol('GRADIO_METRICS');

type Registry = InstanceType<PromClientPackage['Registry']>;
type Counter = InstanceType<PromClientPackage['Counter']>;
type Histogram = InstanceType<PromClientPackage['Histogram']>;
type Gauge = InstanceType<PromClientPackage['Gauge']>;

/** Seconds, from a quick call to a long generation (Gradio apps often run models for minutes). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const CALL_LABELS = ['api_name', 'surface'];

/**
 * The Prometheus metrics of the queue: counters and histograms fed by its lifecycle entries, gauges read from it
 * when scraped. Nothing runs between scrapes but the counting of lifecycle entries.
 */
export class GradioMetrics implements OnModuleDestroy {
  readonly registry: Registry;
  private readonly calls: Counter;
  private readonly failures: Counter;
  private readonly cancels: Counter;
  private readonly wait: Histogram;
  private readonly run: Histogram;
  private readonly total: Histogram;
  private readonly subscription: Subscription;
  private readonly processLabels: { process?: string };

  constructor(
    prom: PromClientPackage,
    monitor: QueueMonitor,
    endpoints: EndpointRegistry,
    options: ResolvedMetricsOptions,
    /**
     * In distributed mode, this process's name in the deployment: every metric carries it as the label `process`,
     * and counts only what happened here (a call joined on one process and run on another is counted once: its join
     * where it joined, its start and end where it ran), so that sums over the processes are the deployment's.
     */
    processName?: string,
  ) {
    const registry = (options.registry as Registry | undefined) ?? new prom.Registry();
    this.registry = registry;
    this.processLabels = processName === undefined ? {} : { process: processName };
    const processLabel = Object.keys(this.processLabels);
    const callLabels = [...CALL_LABELS, ...processLabel];
    const registers = [registry];
    const name = (suffix: string): string => `${options.prefix}${suffix}`;
    this.calls = new prom.Counter({
      name: name('calls_total'),
      help: 'Calls that joined the queue, per endpoint and surface (mcp: MCP tool calls; api: the Gradio API).',
      labelNames: callLabels,
      registers,
    });
    this.failures = new prom.Counter({
      name: name('failures_total'),
      help: 'Calls that ended with an error (outcome="error") or by their time limit (outcome="timeout").',
      labelNames: [...callLabels, 'outcome'],
      registers,
    });
    this.cancels = new prom.Counter({
      name: name('cancels_total'),
      help: 'Calls cancelled by their client (reason="cancelled") or ended because it left (reason="disconnected").',
      labelNames: [...callLabels, 'reason'],
      registers,
    });
    const histogram = (suffix: string, help: string): Histogram =>
      new prom.Histogram({ name: name(suffix), help, labelNames: callLabels, buckets: BUCKETS, registers });
    this.wait = histogram('wait_seconds', 'Seconds a call waited in the queue before it started.');
    this.run = histogram('run_seconds', 'Seconds a call ran, from its start to its end (whatever the outcome).');
    this.total = histogram('total_seconds', 'Seconds from joining the queue to the end of the call.');

    const gauge = (suffix: string, help: string, read: () => number): void => {
      const metric: Gauge = new prom.Gauge({
        name: name(suffix),
        help,
        labelNames: processLabel,
        registers,
        collect: (): void => metric.set(this.processLabels, read()),
      });
    };
    const waiting: Gauge = new prom.Gauge({
      name: name('waiting_events'),
      help: 'Events waiting to start, per concurrency group.',
      labelNames: ['concurrency_id', ...processLabel],
      registers,
      collect: (): void => {
        const groups = new Map(endpoints.queueable().map((endpoint) => [endpoint.concurrencyId, 0]));
        for (const [id, count] of monitor.waitingByGroup()) groups.set(id, count);
        for (const [id, count] of groups) waiting.set({ concurrency_id: id, ...this.processLabels }, count);
      },
    });
    gauge('running_jobs', 'Jobs running (a batch counts once).', () => monitor.snapshot().running);
    gauge(
      'sessions',
      'Sessions with pending events, undelivered messages or an open stream.',
      () => monitor.snapshot().sessions,
    );
    gauge('open_streams', 'Open queue/data and call/ streams.', () => monitor.snapshot().openStreams);
    if (options.defaultMetrics) prom.collectDefaultMetrics({ register: registry });

    this.subscription = monitor.lifecycle$.subscribe((entry) => this.record(entry));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The registry's metrics in Prometheus' text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  private record(entry: QueueLifecycleEvent): void {
    if (entry.elsewhere) return;
    // Built by assignment, not spread: this runs for every lifecycle entry of every call.
    const labels: Record<string, string> = { api_name: entry.endpoint.apiName, surface: surfaceOf(entry.request) };
    if (this.processLabels.process !== undefined) labels['process'] = this.processLabels.process;
    switch (entry.type) {
      case 'joined':
        this.calls.inc(labels);
        return;
      case 'started':
        if (entry.waitSeconds !== undefined) this.wait.observe(labels, entry.waitSeconds);
        return;
      case 'completed':
        if (entry.outcome === 'error' || entry.outcome === 'timeout')
          this.failures.inc({ ...labels, outcome: entry.outcome });
        break;
      case 'cancelled':
      case 'dropped':
        this.cancels.inc({ ...labels, reason: entry.outcome ?? entry.type });
        break;
    }
    if (entry.runSeconds !== undefined) this.run.observe(labels, entry.runSeconds);
    if (entry.totalSeconds !== undefined) this.total.observe(labels, entry.totalSeconds);
  }
}
