// `GET /gradio_api/heartbeat/{session}` and `GET /gradio_api/startup-events`
// (docs/protocol.md#routes, docs/protocol.md#heartbeats).
import { StreamRecorder } from '../support/protocol.js';
import { startShowcase, testCluster, type RunningApp } from '../support/start-app.js';

describe('conformance: heartbeat and startup routes', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startShowcase({ heartbeatInterval: 0.2 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('GET heartbeat/{session} streams data: ALIVE at once and then every interval', async () => {
    const response = await fetch(`${app.url}/gradio_api/heartbeat/some-session`, {
      signal: AbortSignal.timeout(15_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await response.body?.cancel();

    const stream = new StreamRecorder(`${app.url}/gradio_api/heartbeat/another-session`);
    try {
      await stream.untilBlocks((blocks) => blocks.length >= 4, 'four ALIVE lines');
    } finally {
      await stream.abort();
    }
    expect(stream.blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of stream.blocks) expect(block).toBe('data: ALIVE');
    expect(stream.error).toBeUndefined();
  });

  it('the first ALIVE is written at once, not after the first interval', async () => {
    // With an interval of an hour, the only ALIVE a reader can get is the one written when the stream opens.
    const slow = await startShowcase({ heartbeatInterval: 3600 });
    const stream = new StreamRecorder(`${slow.url}/gradio_api/heartbeat/first-line`);
    try {
      await stream.untilBlocks((blocks) => blocks.length >= 1, 'the first ALIVE');
      expect(stream.blocks).toEqual(['data: ALIVE']);
    } finally {
      await stream.abort();
      await slow.close();
    }
  });

  it('GET startup-events → true the first time, false afterwards', async () => {
    const answers = [];
    // Startup events are each process's own work: in a cluster, the first call to each process (the proxy takes
    // them in turn) is its first time.
    const processes = testCluster();
    for (let call = 0; call < processes + 2; call++) {
      const response = await fetch(`${app.url}/gradio_api/startup-events`);
      expect(response.status).toBe(200);
      // JSON, as Gradio answers (Express alone sends a boolean as text/html).
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      answers.push(await response.text());
    }
    expect(answers).toEqual([...Array<string>(processes).fill('true'), 'false', 'false']);
  });
});
