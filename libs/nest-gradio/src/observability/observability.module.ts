import { Module } from '@nestjs/common';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { importOpenTelemetryApi, importPromClient } from '../kernel/optional-package.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { QUEUE_MONITOR, type QueueMonitor } from '../queue/queue-lifecycle.js';
import { QueueModule } from '../queue/queue.module.js';
import { EVENT_TRACER, EventTracer } from './event-tracer.js';
import { GRADIO_METRICS, GradioMetrics } from './gradio-metrics.js';
import { GradioHealthIndicator } from './gradio-health.indicator.js';

/**
 * Metrics, traces and the health indicator, all fed by the queue's {@link QueueMonitor}. Metrics and traces load
 * their optional packages at bootstrap, and only when switched on; off, they do not observe the queue at all.
 */
@Module({
  imports: [QueueModule],
  providers: [
    {
      provide: GRADIO_METRICS,
      useFactory: async (options: ResolvedGradioOptions, monitor: QueueMonitor, endpoints: EndpointRegistry) => {
        const metrics = options.observability.metrics;
        if (!metrics) return undefined;
        const prom = await importPromClient('Metrics (GradioModule option metrics, or GRADIO_METRICS=1)');
        return new GradioMetrics(prom, monitor, endpoints, metrics, options.distributed?.processName);
      },
      inject: [GRADIO_MODULE_OPTIONS, QUEUE_MONITOR, EndpointRegistry],
    },
    {
      provide: EVENT_TRACER,
      useFactory: async (options: ResolvedGradioOptions, monitor: QueueMonitor) => {
        if (!options.observability.tracing) return undefined;
        const otel = await importOpenTelemetryApi('Tracing (GradioModule option tracing, or GRADIO_TRACING=1)');
        return new EventTracer(otel, monitor);
      },
      inject: [GRADIO_MODULE_OPTIONS, QUEUE_MONITOR],
    },
    GradioHealthIndicator,
  ],
  exports: [GRADIO_METRICS, GradioHealthIndicator],
})
export class ObservabilityModule {}
