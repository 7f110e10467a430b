import { Injectable } from '@nestjs/common';
import { Client } from '@gradio/client';
import { interval, map, take, type Observable } from 'rxjs';
import { Ctx, currentEvent, GradioApi, Int, type EventContext } from 'nest-gradio';
import { startGradioApp, type RunningApp } from './support/start-app.js';

/** A service below the handler, reached after awaits: what `currentEvent()` is for. */
@Injectable()
class Reporter {
  async eventIdLater(): Promise<string | undefined> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.resolve();
    return currentEvent()?.eventId;
  }
}

@Injectable()
class ContextProbe {
  constructor(private readonly reporter: Reporter) {}

  /** Two overlapping calls: each must find its own event, not the other's. */
  @GradioApi({ name: 'nested', returns: Object, concurrencyLimit: null })
  async nested(@Ctx() ctx: EventContext): Promise<Record<string, unknown>> {
    await new Promise((resolve) => setImmediate(resolve));
    return { own: ctx.eventId, foundBelow: await this.reporter.eventIdLater() };
  }

  /** What the handler learns about its caller. */
  @GradioApi({ name: 'whoami', returns: Object })
  whoami(@Ctx() ctx: EventContext): Record<string, unknown> {
    return {
      agent: ctx.request.headers['x-gradio-user'] ?? null,
      custom: ctx.request.headers['x-custom'] ?? null,
      clientAddress: ctx.request.clientAddress ?? null,
      url: ctx.request.url,
      apiName: ctx.apiName,
      sameAsCurrent: currentEvent() === ctx,
      eventIdLooksRight: /^[0-9a-f]{32}$/.test(ctx.eventId),
      sessionHash: ctx.sessionHash,
    };
  }

  /** An Observable is a stream like a generator: one message per value. */
  @GradioApi({ name: 'ticks', returns: Int, stream: true, concurrencyLimit: null })
  ticks(n: Int): Observable<number> {
    return interval(5).pipe(
      take(n),
      map((index) => index + 1),
    );
  }
}

describe('the handler context and Observable handlers, through real clients', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ asyncEventContext: true }, [ContextProbe, Reporter]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gives the handler the request headers, client address, URL, session hash and event id', async () => {
    const client = await Client.connect(app.url, { headers: { 'x-custom': 'hello' } });
    const [result] = (await client.predict('/whoami', {})).data as [Record<string, unknown>];
    expect(result).toEqual({
      agent: 'api', // both official clients send x-gradio-user: api
      custom: 'hello',
      clientAddress: '127.0.0.1',
      url: '/gradio_api/queue/join',
      apiName: 'whoami',
      sameAsCurrent: true,
      eventIdLooksRight: true,
      sessionHash: client.session_hash,
    });
  });

  it('lets currentEvent() find each running event in the services its handler awaits', async () => {
    const client = await Client.connect(app.url);
    const results = await Promise.all(
      [1, 2, 3].map(async () => (await client.predict('/nested', {})).data as [Record<string, unknown>]),
    );
    const owns = results.map(([result]) => result['own']);
    expect(new Set(owns).size).toBe(3);
    for (const [result] of results) expect(result['foundBelow']).toBe(result['own']);
  });

  it('streams every value of an Observable, then completes with the last one', async () => {
    const client = await Client.connect(app.url, { events: ['data', 'status'] });
    const values: unknown[] = [];
    let stage: unknown;
    for await (const event of client.submit('/ticks', { n: 4 })) {
      if (event.type === 'data') values.push(event.data);
      if (event.type === 'status') stage = event.stage;
    }
    expect(values).toEqual([[1], [2], [3], [4], [4]]);
    expect(stage).toBe('complete');
  });

  it('publishes types.generator for an Observable endpoint declared with stream: true', async () => {
    const config = (await (await fetch(`${app.url}/config`)).json()) as {
      dependencies: { api_name: string; types: { generator: boolean } }[];
    };
    expect(config.dependencies.find((dependency) => dependency.api_name === 'ticks')?.types).toEqual({
      generator: true,
      cancel: false,
    });
  });
});
