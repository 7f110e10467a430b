/**
 * A Prometheus registry as nest-gradio uses it: prom-client's `Registry` fits. Typed by shape so that the option's
 * type does not need prom-client installed.
 *
 * @publicApi
 */
export interface GradioMetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * Prometheus metrics of the queue and its calls (needs the optional peer `prom-client`).
 *
 * @publicApi
 */
export interface GradioMetricsOptions {
  /** Path of the scrape route. Default `/metrics`. */
  path?: string;
  /** Prefix of every metric name. Default `gradio_`. */
  prefix?: string;
  /**
   * The prom-client `Registry` to register the metrics in, e.g. the one your app already serves. Default: a registry
   * of the module, served at `path`.
   */
  registry?: GradioMetricsRegistry;
  /** Also collect prom-client's default Node.js metrics (event loop lag, heap, GC) in the module's registry. Default false. */
  defaultMetrics?: boolean;
}

/**
 * Traces, Prometheus metrics: the options that switch observability on.
 *
 * @publicApi
 */
export interface GradioObservabilityOptions {
  /**
   * Prometheus metrics at `GET /metrics` (a controller route: the app's global guards apply). `true` for the
   * defaults; default `GRADIO_METRICS=1` (or `true`), else off. Needs `prom-client`.
   */
  metrics?: boolean | GradioMetricsOptions;
  /**
   * OpenTelemetry spans for every event and MCP tool call, through `@opentelemetry/api` (a no-op until the app
   * registers an SDK). Default `GRADIO_TRACING=1` (or `true`), else off. Needs `@opentelemetry/api`.
   */
  tracing?: boolean;
}

export interface ResolvedMetricsOptions {
  path: string;
  prefix: string;
  registry: GradioMetricsRegistry | undefined;
  defaultMetrics: boolean;
}

export interface ResolvedObservabilityOptions {
  metrics: ResolvedMetricsOptions | false;
  tracing: boolean;
}

export function resolveObservabilityOptions(
  options: GradioObservabilityOptions,
  env: NodeJS.ProcessEnv,
): ResolvedObservabilityOptions {
  const metrics = options.metrics ?? isOn(env['GRADIO_METRICS']);
  return {
    metrics: metrics === false ? false : resolveMetrics(metrics === true ? {} : metrics),
    tracing: options.tracing ?? isOn(env['GRADIO_TRACING']),
  };
}

function resolveMetrics(options: GradioMetricsOptions): ResolvedMetricsOptions {
  const path = `/${(options.path ?? '/metrics').replace(/^\/+|\/+$/g, '')}`;
  if (path === '/' || !/^[\w\-./]+$/.test(path))
    throw new Error(`GradioModule option metrics.path must be a path such as "/metrics"; got "${options.path}".`);
  const prefix = options.prefix ?? 'gradio_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix))
    throw new Error(
      `GradioModule option metrics.prefix must be a Prometheus name prefix such as "gradio_"; got "${prefix}".`,
    );
  return { path, prefix, registry: options.registry, defaultMetrics: options.defaultMetrics ?? false };
}

function isOn(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}
