// Flow control across processes: a generator running on one process is held back while its client, reading on
// another, does not read; and stopped, with a message its client sees, when nobody reads at all. Redis holds a
// bounded backlog per event whatever the client does.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GradioApi, type Int } from 'nest-gradio';
import { LifecycleLog } from '../support/lifecycle.js';
import { call, readCallStream, waitFor } from '../support/protocol.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { FloodService, openGate, produced, settledCount, stalledReader } from '../support/flow.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class Other {
  /** Another endpoint: an app with only this one runs no flood job, so the reader's process only reads. */
  @GradioApi({ name: 'ping', returns: String })
  ping(): string {
    return 'pong';
  }
}

/** `trickle(steps)`: a generator that lets the event loop turn between steps, so its reader keeps pace with it. */
@Injectable()
class TrickleService {
  @GradioApi({ name: 'trickle', concurrencyLimit: null })
  async *trickle(steps: Int): AsyncGenerator<string> {
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      yield `trickle:${step}`;
    }
  }
}

let redis: RedisServer;
let runner: RunningApp;
let reader: RunningApp;

beforeAll(async () => {
  redis = await startRedis();
  const options = { redis: redis.url, distributed: { prefix: `flow-${randomBytes(4).toString('hex')}` } };
  runner = await startGradioApp(options, [FloodService, TrickleService]);
  reader = await startGradioApp(options, [Other]);
});

afterAll(async () => {
  await reader?.close();
  await runner?.close();
  await redis?.stop();
});

it('a generator waits while its reader on another process does not read, however long, and finishes once it does', async () => {
  const steps = 60_000; // about 12 MB of stream: more than the socket buffers and the backlog hold
  const eventId = await call(runner.url, 'gated_flood', { data: ['slow', steps] });
  const client = await stalledReader(reader.url, `/gradio_api/call/gated_flood/${eventId}`);
  openGate('slow');
  const waitedAt = await settledCount('slow');
  expect(waitedAt).toBeLessThan(steps);
  // Longer than a backlog may stand still with nobody reading (10 s): a connected client that is behind is somebody.
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  expect(produced.get('slow')).toBe(waitedAt);
  client.socket.resume();
  await waitFor(() => client.ended(), 'the end of the stream', 60_000);
  client.socket.destroy();
  expect(produced.get('slow')).toBe(steps);
  expect(client.text()).toContain('event: complete');
  expect(client.text()).toContain(`slow:${steps}:`);
}, 110_000);

it('a reader keeping pace with its generator on another process gets every result, however many', async () => {
  // Read a few at a time, what it delivered must still leave Redis, or the backlog the generator waits on would
  // count it and the event would stall, then stop as unread, with its client reading all along.
  const steps = 15_000;
  const eventId = await call(runner.url, 'trickle', { data: [steps] });
  const body = await readCallStream(reader.url, 'trickle', eventId, 60_000);
  expect(body).toContain(`trickle:${steps}"`);
  expect(body.trimEnd().split('\n\n').at(-1)).toMatch(/^event: complete\n/);
}, 70_000);

it('an event whose results nobody reads is stopped with a message its client sees when it comes', async () => {
  const log = new LifecycleLog(runner.app);
  const eventId = await call(runner.url, 'flood', { data: ['unread', 1_000_000] });
  // Held back first (a reader may yet come), then stopped once its backlog stood still for a while.
  await waitFor(() => log.has('completed', eventId), 'the unread event to be stopped', 40_000);
  log.stop();
  expect(produced.get('unread')).toBeLessThan(1_000_000);
  const body = await readCallStream(reader.url, 'flood', eventId);
  const events = body.split('\n\n').filter(Boolean);
  const last = events.at(-1) ?? '';
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  expect(JSON.parse(last.slice('event: error\ndata: '.length))).toMatchObject({
    error:
      'Stopped: this event produced 10000 results that no client read. Open its stream (queue/data, or the GET ' +
      'of call/) while it runs.',
  });
  // Held in Redis meanwhile: the backlog that stopped it, give or take one check's worth of steps.
  const generating = events.filter((event) => event.startsWith('event: generating')).length;
  expect(generating).toBeGreaterThanOrEqual(10_000 - 2);
  expect(generating).toBeLessThan(10_000 + 64);
}, 60_000);
