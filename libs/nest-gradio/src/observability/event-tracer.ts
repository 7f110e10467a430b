import type { OnModuleDestroy } from '@nestjs/common';
import type { Span, Tracer } from '@opentelemetry/api';
import type { Subscription } from 'rxjs';
import type { OpenTelemetryApiPackage } from '../kernel/optional-package.js';
import type { QueueLifecycleEvent, QueueMonitor } from '../queue/queue-lifecycle.js';
import { surfaceOf } from './event-surface.js';

/** DI token of the {@link EventTracer} (undefined while tracing is off). */
export const EVENT_TRACER = Symbol('EVENT_TRACER');

/** The instrumentation scope of the spans. */
const TRACER_NAME = 'nest-gradio';

interface TracedEvent {
  span: Span;
  wait?: Span;
  run?: Span;
}

/**
 * OpenTelemetry spans of the queue's events, through `@opentelemetry/api` (its no-op tracer until the app registers
 * an SDK): one span `gradio.event <api_name>` per event from its join to its end, with the children
 * `gradio.queue.wait` (join to start) and `gradio.run` (start to end). The parent is the span active when the event
 * joined (an instrumented HTTP server's), else the trace context of the submitting request's `traceparent` header
 * read by the global propagator. Spans opened by the handler are children of `gradio.run`.
 */
export class EventTracer implements OnModuleDestroy {
  private readonly tracer: Tracer;
  private readonly open = new Map<string, TracedEvent>();
  private readonly subscription: Subscription;

  constructor(
    private readonly otel: OpenTelemetryApiPackage,
    monitor: QueueMonitor,
  ) {
    this.tracer = otel.trace.getTracer(TRACER_NAME);
    this.subscription = monitor.lifecycle$.subscribe((entry) => this.record(entry));
    // The spans a handler opens (a database client's, the app's own) become children of its run, when the app's SDK
    // has an async context manager. The run span exists by then where the start was told synchronously (in memory).
    monitor.wrapHandlers((eventId, run) => {
      const span = this.open.get(eventId)?.run;
      return span ? otel.context.with(otel.trace.setSpan(otel.context.active(), span), run) : run();
    });
  }

  /** Ends the spans of events still open: the app is stopping. */
  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    for (const traced of this.open.values()) this.end(traced, 'shutdown');
    this.open.clear();
  }

  private record(entry: QueueLifecycleEvent): void {
    // In distributed mode every process hears every join: the event is traced by the process it joined on.
    if (entry.type === 'joined') return entry.elsewhere ? undefined : this.joined(entry);
    const traced = this.open.get(entry.eventId);
    if (!traced) return; // joined before tracing began
    if (entry.type === 'started') {
      traced.wait?.end();
      traced.wait = undefined;
      traced.run = this.tracer.startSpan(
        'gradio.run',
        {},
        this.otel.trace.setSpan(this.otel.ROOT_CONTEXT, traced.span),
      );
      return;
    }
    this.open.delete(entry.eventId);
    this.end(traced, entry.outcome ?? entry.type);
  }

  private joined(entry: QueueLifecycleEvent): void {
    const { context, propagation, trace, ROOT_CONTEXT } = this.otel;
    const active = context.active();
    const parent = trace.getSpan(active) ? active : propagation.extract(ROOT_CONTEXT, entry.request.headers);
    const span = this.tracer.startSpan(
      `gradio.event ${entry.endpoint.apiName}`,
      {
        attributes: {
          'gradio.event_id': entry.eventId,
          'gradio.api_name': entry.endpoint.apiName,
          'gradio.surface': surfaceOf(entry.request),
          'gradio.concurrency_id': entry.endpoint.concurrencyId,
          'gradio.queue.position': entry.rank ?? -1,
        },
      },
      parent,
    );
    const wait = this.tracer.startSpan('gradio.queue.wait', {}, trace.setSpan(parent, span));
    this.open.set(entry.eventId, { span, wait });
  }

  private end(traced: TracedEvent, outcome: string): void {
    const failed = outcome === 'error' || outcome === 'timeout';
    for (const child of [traced.wait, traced.run]) {
      if (!child) continue;
      if (failed) child.setStatus({ code: this.otel.SpanStatusCode.ERROR });
      child.end();
    }
    traced.span.setAttribute('gradio.outcome', outcome);
    if (failed) traced.span.setStatus({ code: this.otel.SpanStatusCode.ERROR, message: outcome });
    traced.span.end();
  }
}
