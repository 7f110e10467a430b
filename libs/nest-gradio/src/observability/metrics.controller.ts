import { Controller, Get, Inject, NotFoundException, type Provider, Res, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { HttpAdapterHost } from '@nestjs/core';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GRADIO_METRICS, type GradioMetrics } from './gradio-metrics.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { METRICS_DOC } from './metrics.route-docs.js';

/**
 * `GET /metrics` (or the path of the option `metrics.path`): the Prometheus scrape. An ordinary controller route,
 * so the application's global guards, interceptors and middleware apply to it like to any other route.
 */
@Controller()
export class MetricsController {
  constructor(
    @Inject(GRADIO_METRICS) private readonly metrics: GradioMetrics | undefined,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @DocumentedRoute(METRICS_DOC)
  async scrape(@Res({ passthrough: true }) response: unknown): Promise<string> {
    if (!this.metrics) throw new NotFoundException();
    this.adapterHost.httpAdapter.setHeader(response, 'Content-Type', this.metrics.contentType);
    return this.metrics.scrape();
  }
}

/** Where the route of a module with metrics off points, when its options were not known in time to leave it out. */
const METRICS_OFF_PATH = '__nest_gradio_metrics_off__';
const METRICS_ROUTE_PATH = Symbol('METRICS_ROUTE_PATH');

/**
 * The scrape route of one `GradioModule`: a controller class of its own, whose path comes from that module's
 * options. The options of `forRootAsync()` are known only once its providers run, which is before Nest registers
 * the routes, so a provider sets the path then. With options known up front and metrics off there is no route.
 */
export function metricsRoute(options?: ResolvedGradioOptions): { controllers: Type[]; providers: Provider[] } {
  if (options && !options.observability.metrics) return { controllers: [], providers: [] };
  @Controller()
  class GradioMetricsRoute extends MetricsController {}
  const setPath: Provider = {
    provide: METRICS_ROUTE_PATH,
    useFactory: (resolved: ResolvedGradioOptions) => {
      const metrics = resolved.observability.metrics;
      Reflect.defineMetadata(PATH_METADATA, metrics ? metrics.path : METRICS_OFF_PATH, GradioMetricsRoute);
      return true;
    },
    inject: [GRADIO_MODULE_OPTIONS],
  };
  return { controllers: [GradioMetricsRoute], providers: [setPath] };
}
