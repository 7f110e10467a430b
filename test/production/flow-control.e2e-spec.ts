// Memory stays bounded however fast a generator runs and however slowly (or never) its client reads: the generator
// waits while its stream's connection is behind, and an event whose results nobody reads is stopped with a message.
import { FloodService, openGate, produced, settledCount, stalledReader } from '../support/flow.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { call, readCallStream, waitFor } from '../support/protocol.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startGradioApp({}, [FloodService]);
});

afterAll(async () => {
  await app.close();
});

it('a generator waits while its reader does not read, and finishes once it does', async () => {
  const steps = 100_000; // about 20 MB of stream: far more than the socket buffers hold
  const eventId = await call(app.url, 'gated_flood', { data: ['slow', steps] });
  const reader = await stalledReader(app.url, `/gradio_api/call/gated_flood/${eventId}`);
  openGate('slow');
  const waitedAt = await settledCount('slow');
  expect(waitedAt).toBeLessThan(steps);
  reader.socket.resume();
  // The response ends with the last chunk of its chunked body (the connection itself is kept alive).
  await waitFor(() => reader.ended(), 'the end of the stream', 60_000);
  reader.socket.destroy();
  expect(produced.get('slow')).toBe(steps);
  expect(reader.text()).toContain('event: complete');
  expect(reader.text()).toContain(`slow:${steps}:`);
}, 90_000);

it('an event whose results nobody reads is stopped with a message its client sees when it comes', async () => {
  const eventId = await call(app.url, 'flood', { data: ['unread', 1_000_000] });
  const stoppedAt = await settledCount('unread');
  expect(stoppedAt).toBeLessThan(1_000_000);
  const body = await readCallStream(app.url, 'flood', eventId);
  const events = body.split('\n\n').filter(Boolean);
  const last = events.at(-1) ?? '';
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  expect(JSON.parse(last.slice('event: error\ndata: '.length))).toMatchObject({
    error:
      'Stopped: this event produced 10000 results that no client read. Open its stream (queue/data, or the GET ' +
      'of call/) while it runs.',
  });
  // The session held the event's estimation and process_starts too: 10 000 messages in all.
  expect(events.filter((event) => event.startsWith('event: generating')).length).toBe(10_000 - 2);
});

it('the server still answers others meanwhile, and a small stream is not held back', async () => {
  const eventId = await call(app.url, 'flood', { data: ['small', 3] });
  const body = await readCallStream(app.url, 'flood', eventId);
  expect(body).toContain('event: complete\ndata: ["small:3:');
});
