// the curl protocol, `POST /gradio_api/call/…` + `GET …/{event_id}`
// (docs/protocol.md#call-protocol), whose lines are compared byte for byte.
import { Injectable } from '@nestjs/common';
import { Any, Ctx, GradioApi, GradioError, Int, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog } from '../support/lifecycle.js';
import { call, readCallStream, StreamRecorder, waitFor } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();

@Injectable()
class CallProbe {
  @GradioApi({ name: 'hello' })
  hello(name: string): string {
    return `Hello, ${name}!`;
  }

  @GradioApi({ name: 'pair', outputs: [String, String] })
  pair(): [string, string] {
    return ['a', 'b'];
  }

  @GradioApi({ name: 'greetings', returns: String, concurrencyLimit: null })
  async *greetings(name: string): AsyncGenerator<string> {
    for (let i = 1; i <= name.length; i++) yield `Hello, ${name.slice(0, i)}!`;
  }

  @GradioApi({ name: 'greet_then_fail', returns: String })
  async *greetThenFail(name: string): AsyncGenerator<string> {
    yield `Hello, ${name.slice(0, 1)}!`;
    throw new Error('hidden');
  }

  @GradioApi({ name: 'greet_then_refuse', returns: String })
  async *greetThenRefuse(name: string): AsyncGenerator<string> {
    yield `Hello, ${name.slice(0, 1)}!`;
    throw new GradioError('Custom user-facing error message', { printException: false });
  }

  @GradioApi({ name: 'echo' })
  echo(value: Any): Any {
    return value;
  }

  @GradioApi({ name: 'swap', outputs: [Any, Any] })
  swap(x: Any, y: Any): [unknown, unknown] {
    return [y, x];
  }

  @GradioApi({ name: 'defaults' })
  defaults(a: Int, b: Int = 10, c: string = 'c'): string {
    return `${a}-${b}-${c}`;
  }

  @GradioApi({ name: 'token_param' })
  tokenParam(oauth_token: string): string {
    return `token ${oauth_token}`;
  }

  /** `api_name` is reserved by the Python client: /info publishes this parameter as `param_0` (docs/protocol.md#api-info). */
  @GradioApi({ name: 'reserved' })
  reserved(api_name: string): string {
    return `got ${api_name}`;
  }

  @GradioApi({ name: 'chatty_hold', returns: String, concurrencyLimit: null })
  async chattyHold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    ctx.info('not printed');
    ctx.progress(1, 2);
    await gate.pass(key, ctx.signal);
    return key;
  }
}

describe('conformance: /gradio_api/call', () => {
  let app: RunningApp;
  let lifecycle: LifecycleLog;

  async function callAndRead(apiName: string, data: unknown[]): Promise<string> {
    return readCallStream(app.url, apiName, await call(app.url, apiName, { data }));
  }

  beforeAll(async () => {
    app = await startGradioApp({}, [CallProbe]);
    lifecycle = new LifecycleLog(app.app);
  });

  afterAll(async () => {
    gate.releaseAll();
    lifecycle?.stop();
    await app?.close();
  });

  it('POST call/{name} {"data": […]} → {"event_id"}; GET → event: complete / data: ["Hello, world!"]', async () => {
    const posted = await postJson(`${app.url}/gradio_api/call/hello`, { data: ['world'] });
    expect(posted.status).toBe(200);
    expect(Object.keys(posted.json as object)).toEqual(['event_id']);
    const eventId = (posted.json as { event_id: string }).event_id;
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    const response = await fetch(`${app.url}/gradio_api/call/hello/${eventId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await response.text()).toBe('event: complete\ndata: ["Hello, world!"]\n\n');
    // The trailing-slash POST and the v2 GET alias work too (docs/protocol.md#routes).
    const slashed = await postJson(`${app.url}/gradio_api/call/hello/`, { data: ['slash'] });
    expect(slashed.status).toBe(200);
    const v2 = await fetch(`${app.url}/gradio_api/call/v2/hello/${(slashed.json as { event_id: string }).event_id}`);
    expect(await v2.text()).toBe('event: complete\ndata: ["Hello, slash!"]\n\n');
  });

  it('an unknown name on POST call/{name} → 404 JSON {detail} (nest-gradio; Gradio: 500; a deliberate difference, see the README)', async () => {
    const { status, json } = await postJson(`${app.url}/gradio_api/call/nope`, { data: [] });
    expect(status).toBe(404);
    expect(typeof (json as { detail: unknown }).detail).toBe('string');
    expect((json as { detail: string }).detail).toContain('/nope');
  });

  it('/call data uses json.dumps spacing and ASCII escapes: data: ["a", "b"]', async () => {
    expect(await callAndRead('pair', [])).toBe('event: complete\ndata: ["a", "b"]\n\n');
    expect(await callAndRead('echo', [{ a: 1, b: [1, 2.5, null, true], 'é✓': 'ü' }])).toBe(
      'event: complete\ndata: [{"a": 1, "b": [1, 2.5, null, true], "\\u00e9\\u2713": "\\u00fc"}]\n\n',
    );
  });

  it('a /call generator streams N × event: generating (full values), then event: complete with the last', async () => {
    expect(await callAndRead('greetings', ['world'])).toBe(
      [
        'event: generating\ndata: ["Hello, w!"]\n\n',
        'event: generating\ndata: ["Hello, wo!"]\n\n',
        'event: generating\ndata: ["Hello, wor!"]\n\n',
        'event: generating\ndata: ["Hello, worl!"]\n\n',
        'event: generating\ndata: ["Hello, world!"]\n\n',
        'event: complete\ndata: ["Hello, world!"]\n\n',
      ].join(''),
    );
  });

  it('a /call failure after a yield: event: error / data: {"error": null}', async () => {
    expect(await callAndRead('greet_then_fail', ['world'])).toBe(
      'event: generating\ndata: ["Hello, w!"]\n\nevent: error\ndata: {"error": null}\n\n',
    );
  });

  it('a /call user-facing error mid-generator ends with event: error and the full payload', async () => {
    const body = await callAndRead('greet_then_refuse', ['world']);
    expect(
      body.endsWith(
        'event: error\ndata: {"error": "Custom user-facing error message", "duration": 10, "visible": true, "title": "Error"}\n\n',
      ),
    ).toBe(true);
    expect(body.startsWith('event: generating\ndata: ["Hello, w!"]\n\n')).toBe(true);
  });

  it('/call with a caller-chosen session_hash: a GET long after completion still gets event: complete + data', async () => {
    const session = `caller-${Date.now()}`;
    const eventId = await call(app.url, 'hello', { data: ['later'], session_hash: session });
    await waitFor(() => lifecycle.has('completed', eventId), 'the event to complete');
    expect(await readCallStream(app.url, 'hello', eventId)).toBe('event: complete\ndata: ["Hello, later!"]\n\n');
    const anonymous = await call(app.url, 'hello', { data: ['anonymous'] });
    await waitFor(() => lifecycle.has('completed', anonymous), 'the anonymous event to complete');
    expect(await readCallStream(app.url, 'hello', anonymous)).toBe('event: complete\ndata: ["Hello, anonymous!"]\n\n');
    // Each result is collected once; after that the id is unknown (docs/protocol.md#call-protocol).
    expect(await readCallStream(app.url, 'hello', anonymous)).toBe('event: error\ndata: "404: Not Found"\n\n');
  });

  it('POST call/v2/{name} with named arguments fills defaults and drops an oauth_token it does not take', async () => {
    const read = async (named: Record<string, unknown>, apiName = 'defaults'): Promise<string> =>
      readCallStream(app.url, apiName, await call(app.url, apiName, named, true));
    expect(await read({ a: 1 })).toBe('event: complete\ndata: ["1-10-c"]\n\n');
    expect(await read({ c: 'z', a: 2 })).toBe('event: complete\ndata: ["2-10-z"]\n\n');
    expect(await read({ a: 3, b: 4, oauth_token: 'hf_secret' })).toBe('event: complete\ndata: ["3-4-c"]\n\n');
    // A parameter literally named oauth_token receives it (docs/protocol.md#call-protocol).
    expect(await read({ oauth_token: 'hf_secret' }, 'token_param')).toBe(
      'event: complete\ndata: ["token hf_secret"]\n\n',
    );
  });

  it('call/v2 maps named arguments with the /info parameter names (a parameter called api_name is param_0)', async () => {
    const info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as {
      named_endpoints: Record<string, { parameters: { parameter_name: string }[] }>;
    };
    const [parameter] = info.named_endpoints['/reserved']?.parameters ?? [];
    expect(parameter?.parameter_name).toBe('param_0');
    const posted = await postJson(`${app.url}/gradio_api/call/v2/reserved`, { param_0: 'x' });
    expect(posted.status).toBe(200);
    const eventId = (posted.json as { event_id: string }).event_id;
    expect(await readCallStream(app.url, 'reserved', eventId)).toBe('event: complete\ndata: ["got x"]\n\n');
  });

  it('call/v2 refuses unknown and missing arguments, naming them (nest-gradio: 422 {detail}; Gradio: 500)', async () => {
    const unknown = await postJson(`${app.url}/gradio_api/call/v2/defaults`, { a: 1, z: 2 });
    expect(unknown.status).toBe(422);
    expect((unknown.json as { detail: string }).detail).toContain('`z`');
    const missing = await postJson(`${app.url}/gradio_api/call/v2/defaults`, { b: 2 });
    expect(missing.status).toBe(422);
    expect((missing.json as { detail: string }).detail).toContain('No value provided for required argument: a');
  });

  it('/call passes JSON objects through unchanged: {"a": 1} → {"a": 1}, swap("abc", 123) → [123, "abc"]', async () => {
    expect(await callAndRead('echo', [{ a: 1 }])).toBe('event: complete\ndata: [{"a": 1}]\n\n');
    expect(await callAndRead('swap', ['abc', 123])).toBe('event: complete\ndata: [123, "abc"]\n\n');
  });
});

describe('conformance: /gradio_api/call heartbeats', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ heartbeatInterval: 0.2 }, [CallProbe]);
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
  });

  it('/call heartbeats are event: heartbeat / data: null; estimation, starts, log and progress are not printed', async () => {
    const eventId = await call(app.url, 'chatty_hold', { data: ['k44'] });
    const stream = new StreamRecorder(`${app.url}/gradio_api/call/chatty_hold/${eventId}`);
    try {
      await gate.arrived('k44');
      const heartbeats = (blocks: string[]): number =>
        blocks.filter((block) => block === 'event: heartbeat\ndata: null').length;
      await stream.untilBlocks((blocks) => heartbeats(blocks) >= 2, 'two heartbeats');
      gate.release('k44');
      await stream.done;
    } finally {
      await stream.abort();
    }
    const blocks = stream.blocks;
    expect(blocks.at(-1)).toBe('event: complete\ndata: ["k44"]');
    expect(blocks.slice(0, -1).every((block) => block === 'event: heartbeat\ndata: null')).toBe(true);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
});
