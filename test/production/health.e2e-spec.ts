// The queue's health in an application's own terminus health check (README "Production").
import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Ctx, GradioApi, GradioHealthIndicator, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { fnIndexes, getJson, join, newSessionHash, StreamRecorder, waitFor } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startRedis } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class Probe {
  @GradioApi({ name: 'hold', returns: String })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

/** The application's health routes, as a user writes them with terminus. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly gradio: GradioHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.gradio.isHealthy('queue')]);
  }

  /** Takes the replica out of rotation as soon as anything waits. */
  @Get('strict')
  @HealthCheck()
  strict() {
    return this.health.check([() => this.gradio.isHealthy('queue', { maxWaiting: 0 })]);
  }
}

describe('production: health indicator', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ maxSize: 2 }, [Probe], {
      // Terminus logs every failed check; the failures here are on purpose.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
    });
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
  });

  it('is up while idle, reports what the queue holds, and goes down when it waits too long or is full', async () => {
    expect(await getJson(`${app.url}/health`)).toMatchObject({
      status: 200,
      json: {
        status: 'ok',
        info: {
          queue: {
            status: 'up',
            acceptingJoins: true,
            waiting: 0,
            running: 0,
            maxSize: 2,
            sessions: 0,
            openStreams: 0,
          },
        },
      },
    });

    const fn = await fnIndexes(app.url);
    const session = newSessionHash();
    const running = await join(app.url, fn['hold'] as number, ['run'], session);
    const waiting = [await join(app.url, fn['hold'] as number, ['w1'], session)];
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await gate.arrived('run');
      expect(await getJson(`${app.url}/health`)).toMatchObject({
        status: 200,
        json: { status: 'ok', info: { queue: { status: 'up', waiting: 1, running: 1, openStreams: 1 } } },
      });
      expect(await getJson(`${app.url}/health/strict`)).toMatchObject({
        status: 503,
        json: { status: 'error', error: { queue: { status: 'down', acceptingJoins: true, waiting: 1 } } },
      });

      waiting.push(await join(app.url, fn['hold'] as number, ['w2'], session));
      expect(await getJson(`${app.url}/health`)).toMatchObject({
        status: 503,
        json: { status: 'error', error: { queue: { status: 'down', acceptingJoins: false, waiting: 2 } } },
      });

      for (const eventId of [...waiting, running]) {
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
    expect(await getJson(`${app.url}/health`)).toMatchObject({
      status: 200,
      json: { info: { queue: { status: 'up', waiting: 0, running: 0 } } },
    });
  });
});

describe('production: health indicator in distributed mode', () => {
  it('reports whether Redis answers, and is down while it does not', async () => {
    const redis = await startRedis();
    const app = await startGradioApp({ redis: redis.url, distributed: { prefix: 'health' } }, [Probe], {
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
    });
    try {
      const healthy = await getJson(`${app.url}/health`);
      expect(healthy).toMatchObject({ status: 200, json: { info: { queue: { status: 'up', redis: 'up' } } } });
      expect(
        (healthy.json as { info: { queue: { redisLatencyMs: number } } }).info.queue.redisLatencyMs,
      ).toBeGreaterThan(0);

      await redis.stop();
      expect(await getJson(`${app.url}/health`)).toMatchObject({
        status: 503,
        json: { error: { queue: { status: 'down', redis: 'down', redisError: expect.any(String) } } },
      });

      await redis.restart();
      await waitFor(async () => (await getJson(`${app.url}/health`)).status === 200, 'the check to pass again');
    } finally {
      await app.close();
      await redis.stop();
    }
  });
});
