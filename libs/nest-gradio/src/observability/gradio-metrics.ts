import type { OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { PromClientPackage } from '../kernel/optional-package.js';
import type { ResolvedMetricsOptions } from '../options/observability-options.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { QueueLifecycleEvent, QueueMonitor } from '../queue/queue-lifecycle.js';
import { type EventSurface, surfaceOf } from './event-surface.js';
import {
  type CounterSeries,
  type HistogramSeries,
  type MetricRegistry,
  SeriesCounter,
  SeriesHistogram,
} from './series-metrics.js';

/** DI token of the {@link GradioMetrics} (undefined while metrics are off). */
export const GRADIO_METRICS = Symbol('GRADIO_METRICS');

type Registry = InstanceType<PromClientPackage['Registry']>;
type Gauge = InstanceType<PromClientPackage['Gauge']>;

/** Seconds, from a quick call to a long generation (Gradio apps often run models for minutes). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The series one endpoint's calls from one surface feed, each looked up at its first use (a series shows in the
 * scrape from its first count on, as prom-client's: a process that only runs calls others joined has no calls series).
 */
interface CallSeries {
  labels: Record<string, string>;
  calls?: CounterSeries;
  wait?: HistogramSeries;
  run?: HistogramSeries;
  total?: HistogramSeries;
}

/**
 * The Prometheus metrics of the queue: counters and histograms fed by its lifecycle entries, gauges read from it
 * when scraped. Nothing runs between scrapes but the counting of lifecycle entries.
 */
export class GradioMetrics implements OnModuleDestroy {
  readonly registry: Registry;
  private readonly calls: SeriesCounter;
  private readonly failures: SeriesCounter;
  private readonly cancels: SeriesCounter;
  private readonly wait: SeriesHistogram;
  private readonly run: SeriesHistogram;
  private readonly total: SeriesHistogram;
  /** Each endpoint's series, per surface: a call updates them without building or hashing labels. */
  private readonly seriesByEndpoint = new Map<Endpoint, Partial<Record<EventSurface, CallSeries>>>();
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
    const registers = [registry];
    const name = (suffix: string): string => `${options.prefix}${suffix}`;
    // prom-client's types list only its own metric classes; its registry takes any with their methods.
    const seriesRegisters = registers as unknown as MetricRegistry[];
    this.calls = new SeriesCounter(
      name('calls_total'),
      'Calls that joined the queue, per endpoint and surface (mcp: MCP tool calls; api: the Gradio API).',
      seriesRegisters,
    );
    this.failures = new SeriesCounter(
      name('failures_total'),
      'Calls that ended with an error (outcome="error") or by their time limit (outcome="timeout").',
      seriesRegisters,
    );
    this.cancels = new SeriesCounter(
      name('cancels_total'),
      'Calls cancelled by their client (reason="cancelled") or ended because it left (reason="disconnected").',
      seriesRegisters,
    );
    const histogram = (suffix: string, help: string): SeriesHistogram =>
      new SeriesHistogram(name(suffix), help, seriesRegisters, BUCKETS);
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
    const series = this.seriesOf(entry.endpoint, surfaceOf(entry.request));
    const { labels } = series;
    switch (entry.type) {
      case 'joined':
        (series.calls ??= this.calls.series(labels)).value++;
        return;
      case 'started':
        if (entry.waitSeconds !== undefined) {
          this.wait.observe((series.wait ??= this.wait.series(labels)), entry.waitSeconds);
        }
        return;
      case 'completed':
        if (entry.outcome === 'error' || entry.outcome === 'timeout')
          this.failures.series({ ...labels, outcome: entry.outcome }).value++;
        break;
      case 'cancelled':
      case 'dropped':
        this.cancels.series({ ...labels, reason: entry.outcome ?? entry.type }).value++;
        break;
    }
    if (entry.runSeconds !== undefined) this.run.observe((series.run ??= this.run.series(labels)), entry.runSeconds);
    if (entry.totalSeconds !== undefined) {
      this.total.observe((series.total ??= this.total.series(labels)), entry.totalSeconds);
    }
  }

  private seriesOf(endpoint: Endpoint, surface: EventSurface): CallSeries {
    let bySurface = this.seriesByEndpoint.get(endpoint);
    if (!bySurface) this.seriesByEndpoint.set(endpoint, (bySurface = {}));
    let series = bySurface[surface];
    if (!series) {
      series = bySurface[surface] = { labels: { api_name: endpoint.apiName, surface, ...this.processLabels } };
    }
    return series;
  }
}
