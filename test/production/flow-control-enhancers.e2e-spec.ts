// Flow control holds when a streaming method has Nest enhancers too (here the app's global ones): a generator is
// pulled one step at a time, as its reader takes the results, whether a guard or an interceptor wraps it. Without
// that, the enhancers' path drained the generator as fast as it ran and memory grew with every unread result.
import { randomBytes } from 'node:crypto';
import {
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import {
  callEvents,
  chunkedBody,
  EndlessService,
  finished,
  FloodService,
  openGate,
  settledCount,
  stalledReader,
} from '../support/flow.js';
import { call, readCallStream, waitFor } from '../support/protocol.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

/** A global guard that reads the HTTP request: it refuses callers who say they are blocked. */
@Injectable()
class TeamGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().headers['x-team'] !== 'blocked';
  }
}

/** A global interceptor that marks every value of every Gradio stream (and leaves the app's HTTP routes alone). */
@Injectable()
class MarkInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'gradio') return next.handle();
    return next.handle().pipe(map((value) => `${String(value)}|seen`));
  }
}

/** The guard refuses a blocked caller's call. */
async function guardRefuses(url: string): Promise<boolean> {
  const response = await fetch(`${url}/gradio_api/call/flood`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-team': 'blocked' },
    body: JSON.stringify({ data: ['refused', 1] }),
  });
  await response.text();
  return response.status === 403;
}

/** The interceptor marks a short stream's values. */
async function interceptorMarks(url: string): Promise<boolean> {
  const body = await readCallStream(url, 'flood', await call(url, 'flood', { data: ['marked', 1] }));
  return body.includes('|seen"]');
}

const cases = [
  {
    enhancer: 'a global guard',
    provider: { provide: APP_GUARD, useClass: TeamGuard },
    mark: '',
    inForce: guardRefuses,
  },
  {
    enhancer: 'a global interceptor',
    provider: { provide: APP_INTERCEPTOR, useClass: MarkInterceptor },
    mark: '|seen',
    inForce: interceptorMarks,
  },
];

describe.each(cases)('with $enhancer', ({ enhancer, provider, mark, inForce }) => {
  let app: RunningApp;
  const tag = (name: string) => `${name}-${enhancer.split(' ').at(-1)}`;

  beforeAll(async () => {
    app = await startGradioApp({}, [FloodService, EndlessService, provider]);
  });

  afterAll(async () => {
    await app.close();
  });

  it('a generator waits for a reader that does not read; the reader then gets every result in order', async () => {
    const steps = 100_000; // about 20 MB of stream: far more than the socket buffers hold
    const slow = tag('slow');
    const eventId = await call(app.url, 'gated_flood', { data: [slow, steps] });
    const reader = await stalledReader(app.url, `/gradio_api/call/gated_flood/${eventId}`);
    openGate(slow);
    const waitedAt = await settledCount(slow);
    expect(waitedAt).toBeLessThan(steps / 2);

    // The server answers others meanwhile.
    const other = await call(app.url, 'flood', { data: [tag('other'), 3] });
    expect(await readCallStream(app.url, 'flood', other)).toContain(`event: complete\ndata: ["${tag('other')}:3:`);

    reader.socket.resume();
    await waitFor(() => reader.ended(), 'the end of the stream', 60_000);
    reader.socket.destroy();
    const events = callEvents(chunkedBody(reader.text()));
    const generating = events.filter(({ event }) => event === 'generating');
    expect(generating.map(({ data }) => (data as string[])[0])).toEqual(
      Array.from({ length: steps }, (_unused, index) => `${slow}:${index + 1}:${'x'.repeat(200)}${mark}`),
    );
    expect(events.at(-1)).toEqual({ event: 'complete', data: [`${slow}:${steps}:${'x'.repeat(200)}${mark}`] });
  }, 90_000);

  it('an endless async generator stops advancing while unread, and is ended when its reader leaves', async () => {
    const ticker = tag('ticker');
    const eventId = await call(app.url, 'endless', { data: [ticker] });
    const reader = await stalledReader(app.url, `/gradio_api/call/endless/${eventId}`);
    expect(await settledCount(ticker)).toBeGreaterThan(0);
    reader.socket.destroy();
    await waitFor(() => finished.has(ticker), 'the generator to be returned');
  }, 60_000);

  it('is in force on the endpoint', async () => {
    await expect(inForce(app.url)).resolves.toBe(true);
  });
});

describe('in distributed mode, with a global interceptor', () => {
  let redis: RedisServer;
  let runner: RunningApp;
  let reader: RunningApp;

  beforeAll(async () => {
    redis = await startRedis();
    const options = { redis: redis.url, distributed: { prefix: `flow-${randomBytes(4).toString('hex')}` } };
    const interceptor = { provide: APP_INTERCEPTOR, useClass: MarkInterceptor };
    runner = await startGradioApp(options, [FloodService, interceptor]);
    reader = await startGradioApp(options, [EndlessService]);
  });

  afterAll(async () => {
    await reader?.close();
    await runner?.close();
    await redis?.stop();
  });

  it('a generator waits while its reader on another process does not read, and finishes once it does', async () => {
    const steps = 60_000; // more than the socket buffers and the session's backlog in Redis hold
    const eventId = await call(runner.url, 'gated_flood', { data: ['distributed', steps] });
    const client = await stalledReader(reader.url, `/gradio_api/call/gated_flood/${eventId}`);
    openGate('distributed');
    expect(await settledCount('distributed')).toBeLessThan(steps / 2);
    client.socket.resume();
    await waitFor(() => client.ended(), 'the end of the stream', 60_000);
    client.socket.destroy();
    const events = callEvents(chunkedBody(client.text()));
    expect(events.filter(({ event }) => event === 'generating')).toHaveLength(steps);
    expect(events.at(-1)).toEqual({ event: 'complete', data: [`distributed:${steps}:${'x'.repeat(200)}|seen`] });
  }, 90_000);
});
