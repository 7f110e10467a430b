// Prometheus metrics at /metrics (README "Production"): real calls through the Gradio protocol and MCP, then what a
// scrape shows.
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { type CanActivate, type ExecutionContext, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Registry } from 'prom-client';
import {
  Ctx,
  GradioApi,
  GradioError,
  GradioModule,
  McpTool,
  type EventContext,
  type GradioModuleOptions,
} from 'nest-gradio';
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { Gate } from '../support/gate.js';
import { call, fnIndexes, join, newSessionHash, readCallStream, StreamRecorder } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, startModule, type RunningApp } from '../support/start-app.js';
import { scrape } from './scrape.js';

const gate = new Gate();

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

  /** Served by run/ at once, outside the queue. */
  @GradioApi({ name: 'direct', returns: String, queue: false })
  direct(text: string): string {
    if (text === 'fail') throw new GradioError('Not this one', { printException: false });
    return text.toUpperCase();
  }

  @GradioApi({ name: 'hold', returns: String, concurrencyId: 'slow' })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

/** Lets a request through only with the header `x-metrics-key: secret`, like an app that protects every route. */
@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers['x-metrics-key'] === 'secret';
  }
}

const api = (name: string) => ({ api_name: name, surface: 'api' });

describe('production: Prometheus metrics', () => {
  describe('with metrics on', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startGradioApp({ metrics: true, mcpServer: true }, [Probe]);
    });

    afterAll(async () => {
      gate.releaseAll();
      await app?.close();
    });

    it('counts successes, GradioError failures and cancels per endpoint, with their waits and run times', async () => {
      expect(await readCallStream(app.url, 'greet', await call(app.url, 'greet', { data: ['Ada'] }))).toContain(
        'Hello Ada',
      );
      expect(await readCallStream(app.url, 'refuse', await call(app.url, 'refuse', { data: [] }))).toContain(
        'Not today',
      );

      const fn = await fnIndexes(app.url);
      const session = newSessionHash();
      const running = await join(app.url, fn['hold'] as number, ['run'], session);
      const waiting = await join(app.url, fn['hold'] as number, ['wait'], session);
      const stream = StreamRecorder.forSession(app.url, session);
      try {
        await gate.arrived('run');
        const busy = await scrape(`${app.url}/metrics`);
        expect(busy.value('gradio_running_jobs')).toBe(1);
        expect(busy.value('gradio_waiting_events', { concurrency_id: 'slow' })).toBe(1);
        expect(busy.value('gradio_open_streams')).toBe(1);
        expect(busy.value('gradio_sessions')).toBeGreaterThanOrEqual(1);

        for (const eventId of [waiting, running]) {
          expect(
            await postJson(`${app.url}/gradio_api/cancel`, {
              session_hash: session,
              fn_index: fn['hold'],
              event_id: eventId,
            }),
          ).toEqual({
            status: 200,
            json: { success: true },
          });
        }
        await stream.done;
      } finally {
        await stream.abort();
      }

      const metrics = await scrape(`${app.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(metrics.value('gradio_calls_total', api('greet'))).toBe(1);
      expect(metrics.value('gradio_calls_total', api('refuse'))).toBe(1);
      expect(metrics.value('gradio_calls_total', api('hold'))).toBe(2);
      expect(metrics.value('gradio_failures_total', { ...api('refuse'), outcome: 'error' })).toBe(1);
      expect(metrics.value('gradio_failures_total', { ...api('greet'), outcome: 'error' })).toBeUndefined();
      expect(metrics.value('gradio_cancels_total', { ...api('hold'), reason: 'cancelled' })).toBe(2);
      // Every call that started is in the wait histogram; every call that ran, in the run histogram.
      expect(metrics.value('gradio_wait_seconds_count', api('greet'))).toBe(1);
      expect(metrics.value('gradio_wait_seconds_count', api('hold'))).toBe(1);
      expect(metrics.value('gradio_run_seconds_count', api('greet'))).toBe(1);
      expect(metrics.value('gradio_run_seconds_count', api('refuse'))).toBe(1);
      expect(metrics.value('gradio_run_seconds_count', api('hold'))).toBe(1);
      expect(metrics.value('gradio_total_seconds_count', api('hold'))).toBe(2);
      expect(metrics.value('gradio_run_seconds_bucket', { ...api('greet'), le: '+Inf' })).toBe(1);
      expect(metrics.value('gradio_running_jobs')).toBe(0);
      expect(metrics.value('gradio_waiting_events', { concurrency_id: 'slow' })).toBe(0);
      expect(metrics.value('gradio_open_streams')).toBe(0);
    });

    it('serves every metric the Grafana dashboard in docs/ queries', async () => {
      const dashboard = readFileSync(joinPath(process.cwd(), 'docs', 'grafana-dashboard.json'), 'utf8');
      const queried = new Set(dashboard.match(/\bgradio_[a-z_]+[a-z]\b/g));
      const served = new Set((await scrape(`${app.url}/metrics`)).text.match(/^gradio_[a-z_]+/gm));
      expect(queried.size).toBeGreaterThan(5);
      expect([...queried].filter((name) => !served.has(name))).toEqual([]);
    });

    it('counts calls served by run/ outside the queue, with their run times and failures', async () => {
      expect(await postJson(`${app.url}/gradio_api/run/direct`, { data: ['abc'] })).toMatchObject({
        status: 200,
        json: { data: ['ABC'] },
      });
      expect((await postJson(`${app.url}/gradio_api/run/direct`, { data: ['fail'] })).status).toBe(500);
      const metrics = await scrape(`${app.url}/metrics`);
      expect(metrics.value('gradio_calls_total', api('direct'))).toBe(2);
      expect(metrics.value('gradio_failures_total', { ...api('direct'), outcome: 'error' })).toBe(1);
      expect(metrics.value('gradio_run_seconds_count', api('direct'))).toBe(2);
      expect(metrics.value('gradio_total_seconds_count', api('direct'))).toBe(2);
      expect(metrics.value('gradio_running_jobs')).toBe(0);
    });

    it('counts MCP tool calls under surface="mcp"', async () => {
      const client = await connectStreamableHttp(app.url);
      try {
        expect(texts(await client.callTool({ name: 'greet', arguments: { name: 'Grace' } }))).toEqual(['Hello Grace']);
      } finally {
        await client.close();
      }
      const metrics = await scrape(`${app.url}/metrics`);
      expect(metrics.value('gradio_calls_total', { api_name: 'greet', surface: 'mcp' })).toBe(1);
      expect(metrics.value('gradio_run_seconds_count', { api_name: 'greet', surface: 'mcp' })).toBe(1);
      expect(metrics.value('gradio_calls_total', api('greet'))).toBe(1);
    });
  });

  it("serves the scrape behind the app's global guards", async () => {
    const app = await startGradioApp({ metrics: true }, [Probe], {
      providers: [{ provide: APP_GUARD, useClass: KeyGuard }],
    });
    try {
      expect((await scrape(`${app.url}/metrics`)).status).toBe(403);
      const allowed = await scrape(`${app.url}/metrics`, { 'x-metrics-key': 'secret' });
      expect(allowed.status).toBe(200);
      expect(allowed.value('gradio_running_jobs')).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("registers in the app's own registry, under its path and prefix", async () => {
    const registry = new Registry();
    const app = await startGradioApp({ metrics: { registry, path: '/internal/prom', prefix: 'demo_' } }, [Probe]);
    try {
      await readCallStream(app.url, 'greet', await call(app.url, 'greet', { data: ['Lin'] }));
      const metrics = await scrape(`${app.url}/internal/prom`);
      expect(metrics.value('demo_calls_total', api('greet'))).toBe(1);
      expect(metrics.value('gradio_calls_total', api('greet'))).toBeUndefined();
      expect((await registry.getSingleMetricAsString('demo_calls_total')).split('\n')).toContain(
        'demo_calls_total{api_name="greet",surface="api"} 1',
      );
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('has no /metrics route when metrics are off, set up either way', async () => {
    for (const app of [await startGradioApp({}, [Probe]), await startAsync({})]) {
      try {
        expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
      } finally {
        await app.close();
      }
    }
  });

  it('takes the path from options made by forRootAsync()', async () => {
    const app = await startAsync({ metrics: { path: '/async-metrics' } });
    try {
      await readCallStream(app.url, 'greet', await call(app.url, 'greet', { data: ['Kay'] }));
      expect((await scrape(`${app.url}/async-metrics`)).value('gradio_calls_total', api('greet'))).toBe(1);
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

function startAsync(options: GradioModuleOptions): Promise<RunningApp> {
  @Module({
    imports: [GradioModule.forRootAsync({ useFactory: () => Promise.resolve(options) })],
    providers: [Probe],
  })
  class AsyncMetricsApp {}
  return startModule(AsyncMetricsApp);
}
