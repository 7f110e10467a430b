import { resolveGradioOptions } from './gradio-options.js';

const observability = (options: Parameters<typeof resolveGradioOptions>[0], env: NodeJS.ProcessEnv = {}) =>
  resolveGradioOptions(options, env).observability;

describe('metrics and tracing options', () => {
  it('are off unless switched on by option or environment (1 or true)', () => {
    expect(observability({})).toEqual({ metrics: false, tracing: false });
    expect(observability({}, { GRADIO_METRICS: '0', GRADIO_TRACING: 'no' })).toEqual({
      metrics: false,
      tracing: false,
    });
    expect(observability({}, { GRADIO_METRICS: '1', GRADIO_TRACING: 'TRUE' })).toEqual({
      metrics: { path: '/metrics', prefix: 'gradio_', registry: undefined, defaultMetrics: false },
      tracing: true,
    });
    expect(observability({ metrics: false, tracing: false }, { GRADIO_METRICS: '1', GRADIO_TRACING: '1' })).toEqual({
      metrics: false,
      tracing: false,
    });
  });

  it('normalise the scrape path and keep a custom prefix', () => {
    expect(observability({ metrics: { path: 'internal/metrics/', prefix: 'app_' } }).metrics).toMatchObject({
      path: '/internal/metrics',
      prefix: 'app_',
    });
  });

  it('refuse a path or prefix Prometheus or the router cannot use, naming the option', () => {
    expect(() => observability({ metrics: { path: '/' } })).toThrow('GradioModule option metrics.path');
    expect(() => observability({ metrics: { path: '/a b' } })).toThrow('GradioModule option metrics.path');
    expect(() => observability({ metrics: { prefix: 'my-app_' } })).toThrow('GradioModule option metrics.prefix');
  });
});
