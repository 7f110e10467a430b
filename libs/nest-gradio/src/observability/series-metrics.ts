/**
 * A counter and a histogram for the queue's per-call metrics, whose labelled series the caller looks up once and then
 * updates in place. prom-client's `inc(labels)` and `observe(labels, value)` check and hash the labels object on every
 * call; with the three histograms and the counter every call feeds, that was a fifth of a queue call's server time
 * on Fastify (docs/performance.md#metrics-without-a-labels-lookup-per-call). They are registered in a prom-client
 * `Registry` beside its own metrics and give it what its own give (`get()`, `getForPromString()`, `reset()`): the
 * registry formats them (text or OpenMetrics, default labels, JSON) exactly as it formats its own.
 */

/** What a registry needs of a metric (prom-client's registry calls these; its types list only its own classes). */
export interface MetricRegistry {
  registerMetric(metric: never): void;
}

type Labels = Readonly<Record<string, string>>;

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Labels;
  /** Buckets carry one, empty, as prom-client's (exemplars are not recorded). */
  exemplar?: null;
}

interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

/** One series of a {@link SeriesCounter}: add to `value`. */
export interface CounterSeries {
  readonly labels: Labels;
  value: number;
}

/** One series of a {@link SeriesHistogram}: give it to `observe`. */
export interface HistogramSeries {
  readonly labels: Labels;
  /** Observations per bucket, not cumulated: `counts[i]` holds those in (bounds[i - 1], bounds[i]]. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** The series of a metric by their label values (looked up when a caller meets a new combination only). */
abstract class SeriesMetric<S extends { labels: Labels }> {
  readonly aggregator = 'sum';
  protected readonly all = new Map<string, S>();

  constructor(
    // Not readonly: a registry serving OpenMetrics renames counters to end in `_total`.
    public name: string,
    readonly help: string,
    registers: readonly MetricRegistry[],
  ) {
    for (const registry of registers) registry.registerMetric(this as never);
  }

  /** The series with these labels, made on first use. */
  series(labels: Labels): S {
    const key = Object.entries(labels)
      .map(([name, value]) => `${name}=${value}`)
      .join('\u0000');
    let series = this.all.get(key);
    if (!series) this.all.set(key, (series = this.create({ ...labels })));
    return series;
  }

  async get(): Promise<MetricData> {
    const data = await this.getForPromString();
    // As prom-client's own `get()`: each value's own labels, the series' labels among them.
    data.values = data.values.map(({ sharedLabels, ...value }) => ({
      ...value,
      labels: { ...value.labels, ...sharedLabels },
    }));
    return data;
  }

  abstract getForPromString(): Promise<MetricData>;
  /** Zeroes every series (callers keep theirs: they are not dropped, as prom-client drops its own). */
  abstract reset(): void;
  protected abstract create(labels: Labels): S;
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  readonly type = 'counter';

  async getForPromString(): Promise<MetricData> {
    const values = [...this.all.values()].map((series) => ({ value: series.value, labels: { ...series.labels } }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const series of this.all.values()) series.value = 0;
  }

  protected create(labels: Labels): CounterSeries {
    return { labels, value: 0 };
  }
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    registers: readonly MetricRegistry[],
    /** Upper bounds of the buckets, ascending; `+Inf` is implied. */
    private readonly bounds: readonly number[],
  ) {
    super(name, help, registers);
  }

  /** Records one observation; a value that is not a finite number is ignored. */
  observe(series: HistogramSeries, value: number): void {
    if (!Number.isFinite(value)) return;
    series.sum += value;
    series.count += 1;
    const { bounds } = this;
    for (let index = 0; index < bounds.length; index++) {
      if (value <= (bounds[index] as number)) {
        (series.counts[index] as number)++;
        return;
      }
    }
  }

  async getForPromString(): Promise<MetricData> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.all.values()) {
      let cumulated = 0;
      for (const [index, bound] of this.bounds.entries()) {
        cumulated += series.counts[index] as number;
        values.push({
          value: cumulated,
          labels: { le: bound },
          metricName: bucket,
          exemplar: null,
          sharedLabels: series.labels,
        });
      }
      values.push(
        {
          value: series.count,
          labels: { le: '+Inf' },
          metricName: bucket,
          exemplar: null,
          sharedLabels: series.labels,
        },
        { value: series.sum, labels: {}, metricName: `${this.name}_sum`, sharedLabels: series.labels },
        { value: series.count, labels: {}, metricName: `${this.name}_count`, sharedLabels: series.labels },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const series of this.all.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  protected create(labels: Labels): HistogramSeries {
    return { labels, counts: new Float64Array(this.bounds.length), sum: 0, count: 0 };
  }
}
