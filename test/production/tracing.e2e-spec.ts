// OpenTelemetry spans of the queue's events (README "Production"), recorded by the SDK's in-memory exporter: real
// calls through the Gradio protocol and MCP, a parent trace from the caller's `traceparent` header.
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Ctx, GradioApi, GradioError, McpTool, type EventContext } from 'nest-gradio';
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { Gate } from '../support/gate.js';
import { fnIndexes, join, newSessionHash, readCallStream, StreamRecorder, waitFor } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

@Injectable()
class Probe {
  @McpTool()
  @GradioApi({ name: 'greet', returns: String, concurrencyLimit: null })
  greet(name: string): string {
    return `Hello ${name}`;
  }

  @GradioApi({ name: 'refuse', returns: String })
  refuse(): string {
    throw new GradioError('Not today', { printException: false });
  }

  /** Opens a span of its own in each step, after awaiting, as a handler querying a database would. */
  @GradioApi({ name: 'lookup', returns: String })
  async *lookup(key: string): AsyncGenerator<string> {
    for (const step of ['first', 'second']) {
      await sleep(5);
      yield await trace.getTracer('app').startActiveSpan(`db.query ${key} ${step}`, async (span) => {
        await sleep(5);
        span.end();
        return step;
      });
    }
  }

  /** Served by run/ at once, outside the queue. */
  @GradioApi({ name: 'direct', returns: String, queue: false })
  direct(text: string): string {
    return text.toUpperCase();
  }

  @GradioApi({ name: 'hold', returns: String })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/** `POST /gradio_api/call/{name}` with extra headers; returns the event id. */
async function callWith(url: string, apiName: string, data: unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/gradio_api/call/${apiName}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ data }),
  });
  expect(response.status).toBe(200);
  const eventId = ((await response.json()) as { event_id: string }).event_id;
  await readCallStream(url, apiName, eventId);
  return eventId;
}

/** The finished spans of one event: the event span and its children, by name. */
function spansOf(eventId: string): { event: ReadableSpan; wait?: ReadableSpan; run?: ReadableSpan } {
  const spans = exporter.getFinishedSpans();
  const event = spans.find((span) => span.attributes['gradio.event_id'] === eventId);
  if (!event) throw new Error(`No span for event ${eventId} among ${spans.map((span) => span.name).join(', ')}`);
  const childNamed = (name: string) =>
    spans.find((span) => span.name === name && span.parentSpanContext?.spanId === event.spanContext().spanId);
  return { event, wait: childNamed('gradio.queue.wait'), run: childNamed('gradio.run') };
}

describe('production: OpenTelemetry traces', () => {
  let app: RunningApp;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    app = await startGradioApp({ tracing: true, mcpServer: true }, [Probe]);
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it("traces an event from join to completion under the caller's traceparent, with its wait and run", async () => {
    const eventId = await callWith(app.url, 'greet', ['Ada'], {
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
    });
    await waitFor(
      () => exporter.getFinishedSpans().some((span) => span.attributes['gradio.event_id'] === eventId),
      'the span',
    );
    const { event, wait, run } = spansOf(eventId);
    expect(event.name).toBe('gradio.event greet');
    expect(event.spanContext().traceId).toBe(TRACE_ID);
    expect(event.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(event.attributes).toMatchObject({
      'gradio.event_id': eventId,
      'gradio.api_name': 'greet',
      'gradio.surface': 'api',
      'gradio.queue.position': 0,
      'gradio.outcome': 'success',
    });
    expect(event.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(event.instrumentationScope.name).toBe('nest-gradio');
    for (const child of [wait, run]) {
      expect(child?.spanContext().traceId).toBe(TRACE_ID);
    }
  });

  it('starts a trace of its own without a traceparent, and marks a GradioError as an error', async () => {
    const eventId = await callWith(app.url, 'refuse', []);
    await waitFor(
      () => exporter.getFinishedSpans().some((span) => span.attributes['gradio.event_id'] === eventId),
      'the span',
    );
    const { event, run } = spansOf(eventId);
    expect(event.parentSpanContext).toBeUndefined();
    expect(event.spanContext().traceId).not.toBe(TRACE_ID);
    expect(event.attributes['gradio.outcome']).toBe('error');
    expect(event.status.code).toBe(SpanStatusCode.ERROR);
    expect(run?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends a cancelled waiting event after its wait, with no run, and gives its place in the waiting list', async () => {
    const fn = await fnIndexes(app.url);
    const session = newSessionHash();
    const running = await join(app.url, fn['hold'] as number, ['run'], session);
    const first = await join(app.url, fn['hold'] as number, ['first'], session);
    const waiting = await join(app.url, fn['hold'] as number, ['second'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('run');
      for (const eventId of [waiting, first, running]) {
        await postJson(`${app.url}/gradio_api/cancel`, {
          session_hash: session,
          fn_index: fn['hold'],
          event_id: eventId,
        });
      }
      await stream.done;
    } finally {
      await stream.abort();
    }
    const cancelledWhileWaiting = spansOf(waiting);
    expect(cancelledWhileWaiting.event.attributes).toMatchObject({
      'gradio.outcome': 'cancelled',
      'gradio.queue.position': 1,
    });
    expect(cancelledWhileWaiting.wait).toBeDefined();
    expect(cancelledWhileWaiting.run).toBeUndefined();
    expect(spansOf(first).event.attributes['gradio.queue.position']).toBe(0);
    const cancelledWhileRunning = spansOf(running);
    expect(cancelledWhileRunning.event.attributes['gradio.outcome']).toBe('cancelled');
    expect(cancelledWhileRunning.run).toBeDefined();
  });

  it('makes the spans a handler opens children of its gradio.run, in every step of a generator', async () => {
    const eventId = await callWith(app.url, 'lookup', ['k1'], { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` });
    await waitFor(
      () => exporter.getFinishedSpans().some((span) => span.attributes['gradio.event_id'] === eventId),
      'the span',
    );
    const { run } = spansOf(eventId);
    const queries = exporter.getFinishedSpans().filter((span) => span.name.startsWith('db.query k1'));
    expect(queries.map((span) => span.name).sort()).toEqual(['db.query k1 first', 'db.query k1 second']);
    for (const query of queries) {
      expect(query.spanContext().traceId).toBe(TRACE_ID);
      expect(query.parentSpanContext?.spanId).toBe(run?.spanContext().spanId);
    }
  });

  it('traces calls served by run/ outside the queue, with no queue position', async () => {
    const before = exporter.getFinishedSpans().length;
    const response = await fetch(`${app.url}/gradio_api/run/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` },
      body: JSON.stringify({ data: ['abc'] }),
    });
    expect(await response.json()).toMatchObject({ data: ['ABC'] });
    await waitFor(
      () =>
        exporter
          .getFinishedSpans()
          .slice(before)
          .some((span) => span.name === 'gradio.event direct'),
      'the span',
    );
    const event = exporter
      .getFinishedSpans()
      .slice(before)
      .find((span) => span.name === 'gradio.event direct') as ReadableSpan;
    expect(event.spanContext().traceId).toBe(TRACE_ID);
    expect(event.attributes).toMatchObject({ 'gradio.queue.position': -1, 'gradio.outcome': 'success' });
    const { run } = spansOf(event.attributes['gradio.event_id'] as string);
    expect(run).toBeDefined();
  });

  it('traces MCP tool calls, marked with their surface', async () => {
    const before = exporter.getFinishedSpans().length;
    const client = await connectStreamableHttp(app.url, {
      headers: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` },
    });
    try {
      expect(texts(await client.callTool({ name: 'greet', arguments: { name: 'Grace' } }))).toEqual(['Hello Grace']);
    } finally {
      await client.close();
    }
    const mcpSpan = exporter
      .getFinishedSpans()
      .slice(before)
      .find((span) => span.attributes['gradio.surface'] === 'mcp');
    expect(mcpSpan?.name).toBe('gradio.event greet');
    expect(mcpSpan?.spanContext().traceId).toBe(TRACE_ID);
    expect(mcpSpan?.attributes['gradio.outcome']).toBe('success');
  });
});
