// `POST /gradio_api/run/{name}` and `/gradio_api/api/{name}` (docs/protocol.md#routes,
// docs/protocol.md#batching, docs/protocol.md#unqueued-endpoints, docs/protocol.md#errors).
import { Injectable } from '@nestjs/common';
import { Arg, GradioApi, GradioError, Int } from 'nest-gradio';
import { fnIndexes, join, newSessionHash, readSession } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class RunProbe {
  @GradioApi({ name: 'add' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'count', returns: Int })
  async *count(n: Int): AsyncGenerator<number> {
    for (let i = 1; i <= n; i++) yield i;
  }

  @GradioApi({ name: 'fail' })
  fail(message: string): string {
    throw new GradioError(message, { printException: false });
  }

  @GradioApi({ name: 'broken' })
  broken(): string {
    throw new Error('not for the client');
  }

  @GradioApi({ name: 'greet_batch', batch: true, maxBatchSize: 4, outputs: [String] })
  greetBatch(@Arg({ type: String }) names: string[]): [string[]] {
    return [names.map((name) => `Hello ${name}`)];
  }

  @GradioApi({ name: 'direct', queue: false })
  direct(x: Int): Int {
    return x * 2;
  }
}

const RUN_KEYS = [
  'data',
  'is_generating',
  'duration',
  'average_duration',
  'render_config',
  'changed_state_ids',
  'used_cache',
];

describe('conformance: /gradio_api/run', () => {
  let app: RunningApp;
  let fn: Record<string, number>;

  beforeAll(async () => {
    app = await startGradioApp({}, [RunProbe]);
    fn = await fnIndexes(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('POST run/{name} and api/{name}/ answer synchronously with {"data": […], …}, with or without fn_index', async () => {
    const bodies = [
      ['run/add', { data: [3, 5] }],
      ['run/add/', { data: [3, 5] }],
      ['run/add', { data: [3, 5], fn_index: fn['add'], session_hash: newSessionHash() }],
      ['api/add/', { data: [3, 5], fn_index: fn['add'] }],
      ['api/add', { data: [3, 5] }],
    ] as const;
    for (const [route, body] of bodies) {
      const { status, json } = await postJson(`${app.url}/gradio_api/${route}`, body);
      expect([route, status]).toEqual([route, 200]);
      expect(Object.keys(json as object)).toEqual(RUN_KEYS);
      expect(json).toMatchObject({
        data: [8],
        is_generating: false,
        render_config: null,
        changed_state_ids: [],
        used_cache: null,
      });
      expect(typeof (json as { duration: unknown }).duration).toBe('number');
    }
  });

  it('/run of a generator answers its final value (nest-gradio; Gradio answers the first yield, docs/protocol.md#unqueued-endpoints)', async () => {
    const { status, json } = await postJson(`${app.url}/gradio_api/run/count`, { data: [4] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ data: [4] });
  });

  it('an unknown name on /run → 404 JSON {detail} (nest-gradio; Gradio answers 500 text; a deliberate difference, see the README)', async () => {
    const { status, json } = await postJson(`${app.url}/gradio_api/run/nope`, { data: [] });
    expect(status).toBe(404);
    expect((json as { detail: string }).detail).toContain('/nope');
  });

  it('/run function errors → HTTP 500 with the error payload as JSON', async () => {
    const refused = await postJson(`${app.url}/gradio_api/run/fail`, { data: ['boom'] });
    expect(refused).toEqual({ status: 500, json: { error: 'boom', duration: 10, visible: true, title: 'Error' } });
    const hidden = await postJson(`${app.url}/gradio_api/run/broken`, { data: [] });
    expect(hidden).toEqual({ status: 500, json: { error: null } });
  });

  it('/run refuses missing or invalid arguments with 422 before running (nest-gradio; Gradio answers 500)', async () => {
    const invalid = await postJson(`${app.url}/gradio_api/run/add`, { data: ['one', 2] });
    expect(invalid).toEqual({
      status: 422,
      json: { detail: 'Invalid argument for /add: a must be an integer, got "one".' },
    });
    const missing = await postJson(`${app.url}/gradio_api/run/add`, { data: [1] });
    expect(missing).toEqual({
      status: 422,
      json: { detail: 'No value provided for required argument: b (endpoint /add).' },
    });
    const batched = await postJson(`${app.url}/gradio_api/run/greet_batch`, { data: [['x', 7]], batched: true });
    expect(batched.status).toBe(422);
  });

  it('/run honours batched for batch endpoints (test_predict_route_batching)', async () => {
    const single = await postJson(`${app.url}/gradio_api/run/greet_batch`, { data: ['test'] });
    expect(single.status).toBe(200);
    expect(single.json).toMatchObject({ data: ['Hello test'] });
    const batched = await postJson(`${app.url}/gradio_api/run/greet_batch`, {
      data: [['test', 'test2']],
      batched: true,
    });
    expect(batched.status).toBe(200);
    expect(batched.json).toMatchObject({ data: [['Hello test', 'Hello test2']] });
    const unbatched = await postJson(`${app.url}/gradio_api/api/greet_batch/`, { data: ['solo'], batched: false });
    expect(unbatched.json).toMatchObject({ data: ['Hello solo'] });
  });
});

describe('conformance: /gradio_api/run with api_open off', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ apiOpen: false }, [RunProbe]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('/run of a queued endpoint → 404 "does not accept direct HTTP POST requests" when api_open is off', async () => {
    const detail =
      'This API endpoint does not accept direct HTTP POST requests. Please join the queue to use this API.';
    expect(await postJson(`${app.url}/gradio_api/run/add`, { data: [1, 2] })).toEqual({
      status: 404,
      json: { detail },
    });
    expect(await postJson(`${app.url}/gradio_api/api/add/`, { data: [1, 2] })).toEqual({
      status: 404,
      json: { detail },
    });
    // An endpoint with queue: false is still served directly (test_predict_route_not_blocked_if_queue_disabled).
    const direct = await postJson(`${app.url}/gradio_api/run/direct`, { data: [21] });
    expect(direct.status).toBe(200);
    expect(direct.json).toMatchObject({ data: [42] });
    // The queue is still open.
    const session = newSessionHash();
    await join(app.url, (await fnIndexes(app.url))['add'] as number, [1, 2], session);
    const { messages } = await readSession(app.url, session);
    const completed = messages.find((message) => message.msg === 'process_completed');
    expect(completed).toMatchObject({ success: true, output: { data: [3] } });
  });
});
