import { Counter, Histogram, Registry } from 'prom-client';
import { type MetricRegistry, SeriesCounter, SeriesHistogram } from './series-metrics.js';

const BOUNDS = [0.005, 0.1, 1, 10];
const OBSERVED = [0.001, 0.005, 0.05, 0.5, 5, 50, 0.2];

/** The same observations through prom-client's own metrics (`ours: false`) or through the series metrics. */
function feed(registry: Registry, ours: boolean): void {
  const add = { api_name: 'add', surface: 'api' };
  const echo = { api_name: 'echo', surface: 'mcp' };
  if (ours) {
    const registers = [registry as unknown as MetricRegistry];
    const calls = new SeriesCounter('demo_calls_total', 'Calls.', registers);
    const wait = new SeriesHistogram('demo_wait_seconds', 'Waits.', registers, BOUNDS);
    calls.series(add).value += 3;
    calls.series(echo).value += 1;
    calls.series({ ...add }).value += 1;
    for (const value of OBSERVED) wait.observe(wait.series(add), value);
    wait.observe(wait.series(echo), 0.07);
    return;
  }
  const calls = new Counter({
    name: 'demo_calls_total',
    help: 'Calls.',
    labelNames: ['api_name', 'surface'],
    registers: [registry],
  });
  const wait = new Histogram({
    name: 'demo_wait_seconds',
    help: 'Waits.',
    labelNames: ['api_name', 'surface'],
    buckets: BOUNDS,
    registers: [registry],
  });
  calls.inc(add, 3);
  calls.inc(echo);
  calls.inc(add);
  for (const value of OBSERVED) wait.observe(add, value);
  wait.observe(echo, 0.07);
}

describe('series metrics in a prom-client registry', () => {
  it.each([Registry.PROMETHEUS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE])(
    'read as prom-client’s own counter and histogram with the same observations (%s)',
    async (contentType) => {
      const [theirs, ours] = [false, true].map((mine) => {
        const registry = new Registry();
        // The registry's type is bound to one content type; both are served the same way.
        (registry as Registry<typeof contentType>).setContentType(contentType);
        registry.setDefaultLabels({ app: 'demo' });
        feed(registry, mine);
        return registry;
      }) as [Registry, Registry];
      expect(ours.contentType).toBe(contentType);
      expect(await ours.metrics()).toBe(await theirs.metrics());
      expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    },
  );

  it('ignores a value that is not a finite number, and reset() zeroes the series it keeps', async () => {
    const registry = new Registry();
    const wait = new SeriesHistogram('demo_wait_seconds', 'Waits.', [registry as unknown as MetricRegistry], BOUNDS);
    const series = wait.series({ api_name: 'add' });
    wait.observe(series, Number.NaN);
    wait.observe(series, 0.5);
    expect(series).toMatchObject({ sum: 0.5, count: 1 });
    registry.resetMetrics();
    expect(series).toMatchObject({ sum: 0, count: 0 });
    expect(await registry.metrics()).toContain('demo_wait_seconds_count{api_name="add"} 0');
  });

  it('refuses a second metric of the same name in one registry, as prom-client does', () => {
    const registry = new Registry();
    const registers = [registry as unknown as MetricRegistry];
    new SeriesCounter('demo_calls_total', 'Calls.', registers);
    expect(() => new SeriesCounter('demo_calls_total', 'Calls.', registers)).toThrow(/already been registered/);
  });
});
