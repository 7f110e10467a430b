// `GET /config` (docs/protocol.md#config, root URL docs/protocol.md#root-url).
import { Injectable } from '@nestjs/common';
import { GradioApi, Int } from 'nest-gradio';
import { rawRequest } from '../support/http.js';
import { getJson } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class ConfigProbe {
  @GradioApi({ name: 'greet', description: 'Greets.' })
  greet(name: string): string {
    return `Hi ${name}`;
  }

  @GradioApi({ name: 'stream_words', returns: String })
  async *streamWords(text: string): AsyncGenerator<string> {
    yield text;
  }

  @GradioApi({ name: 'direct', queue: false })
  direct(x: Int): Int {
    return x;
  }

  @GradioApi({ name: 'hidden', apiVisibility: 'undocumented' })
  hidden(): string {
    return 'hidden';
  }

  @GradioApi({ name: 'secret', apiVisibility: 'private' })
  secret(): string {
    return 'secret';
  }

  @GradioApi({ name: 'two', outputs: [Int, String] })
  two(a: Int, b: string = 'x'): [number, string] {
    return [a, b];
  }
}

interface Config {
  dependencies: Record<string, unknown>[];
  components: Record<string, unknown>[];
  [key: string]: unknown;
}

async function configOf(url: string): Promise<Config> {
  const { status, json } = await getJson(`${url}/config`);
  expect(status).toBe(200);
  return json as Config;
}

/** Headers of a request that went through two proxies (first values win). */
const TWO_PROXIES = { 'X-Forwarded-Host': 'gradio.dev,internal.gradio.dev', 'X-Forwarded-Proto': 'https,http' };

/** `GET /config` with headers fetch() would not send (a proxy's `Host`), on a raw connection. */
async function rootFor(app: RunningApp, headers: Record<string, string>): Promise<string> {
  const response = await rawRequest(`${app.url}/config`, { headers });
  expect(response.status).toBe(200);
  return (JSON.parse(response.body) as { root: string }).root;
}

describe('conformance: /config', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({}, [ConfigProbe]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('GET /config and GET /config/ answer 200 JSON', async () => {
    for (const path of ['/config', '/config/']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(typeof (await response.json())).toBe('object');
    }
  });

  it('/config has protocol sse_v3, api_prefix /gradio_api, mode server, enable_queue and a version above 4.29.0', async () => {
    const config = await configOf(app.url);
    expect(config).toMatchObject({ protocol: 'sse_v3', api_prefix: '/gradio_api', mode: 'server', enable_queue: true });
    const version = /^(\d+)\.(\d+)\.(\d+)/.exec(config['version'] as string);
    expect(version).not.toBeNull();
    const [major, minor, patch] = (version as RegExpExecArray).slice(1).map(Number) as [number, number, number];
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThan(4 * 1e6 + 29 * 1e3 + 0);
  });

  it('/config.root is the base URL the client used, without trailing slash', async () => {
    expect((await configOf(app.url))['root']).toBe(app.url);
    expect(await rootFor(app, { Host: 'gradio.app' })).toBe('http://gradio.app');
    expect(await rootFor(app, { Host: 'gradio.app', 'X-Forwarded-Proto': 'https' })).toBe('https://gradio.app');
    expect(await rootFor(app, { Host: 'gradio.app', 'X-Forwarded-Host': 'gradio.dev' })).toBe('http://gradio.dev');
    expect(await rootFor(app, { Host: 'gradio.app', ...TWO_PROXIES })).toBe('https://gradio.dev');
  });

  it('/config.root follows root_path, X-Forwarded-Host and X-Forwarded-Proto (test_get_root_url_headers)', async () => {
    const mounted = await startGradioApp({ rootPath: '/gradio/' }, [ConfigProbe]);
    const slash = await startGradioApp({ rootPath: '/' }, [ConfigProbe]);
    const absolute = await startGradioApp({ rootPath: 'http://google.com' }, [ConfigProbe]);
    try {
      expect(await rootFor(mounted, { Host: 'gradio.app' })).toBe('http://gradio.app/gradio');
      expect(await rootFor(mounted, { Host: 'gradio.app', 'X-Forwarded-Proto': 'https' })).toBe(
        'https://gradio.app/gradio',
      );
      expect(await rootFor(mounted, { Host: 'gradio.app', 'X-Forwarded-Host': 'gradio.dev' })).toBe(
        'http://gradio.dev/gradio',
      );
      expect(await rootFor(slash, { Host: 'gradio.app', ...TWO_PROXIES })).toBe('https://gradio.dev');
      const forwarded = { Host: 'gradio.app', 'X-Forwarded-Host': 'gradio.dev', 'X-Forwarded-Proto': 'https' };
      expect(await rootFor(absolute, forwarded)).toBe('http://google.com');
    } finally {
      await Promise.all([mounted.close(), slash.close(), absolute.close()]);
    }
  });

  it('/config.root is computed per request: a forwarded host never leaks into another request', async () => {
    const attacks = Array.from({ length: 5 }, () =>
      rootFor(app, { Host: '127.0.0.1', 'X-Forwarded-Host': 'evil.example' }),
    );
    const honest = Array.from({ length: 5 }, () => configOf(app.url));
    const [attacked, plain] = await Promise.all([Promise.all(attacks), Promise.all(honest)]);
    expect(attacked).toEqual(Array(5).fill('http://evil.example'));
    expect(plain.map((config) => config['root'])).toEqual(Array(5).fill(app.url));
    expect((await configOf(app.url))['root']).toBe(app.url);
  });

  it('/config.dependencies has one entry per endpoint with the fields the clients read', async () => {
    const { dependencies } = await configOf(app.url);
    const expected = [
      { api_name: 'greet', inputs: 1, outputs: 1, queue: true, generator: false, api_visibility: 'public' },
      { api_name: 'stream_words', inputs: 1, outputs: 1, queue: true, generator: true, api_visibility: 'public' },
      { api_name: 'direct', inputs: 1, outputs: 1, queue: false, generator: false, api_visibility: 'public' },
      { api_name: 'hidden', inputs: 0, outputs: 1, queue: true, generator: false, api_visibility: 'undocumented' },
      { api_name: 'secret', inputs: 0, outputs: 1, queue: true, generator: false, api_visibility: 'private' },
      { api_name: 'two', inputs: 2, outputs: 2, queue: true, generator: false, api_visibility: 'public' },
    ];
    expect(dependencies).toHaveLength(expected.length);
    dependencies.forEach((dependency, index) => {
      const want = expected[index] as (typeof expected)[number];
      expect(dependency).toMatchObject({
        id: index,
        api_name: want.api_name,
        queue: want.queue,
        backend_fn: true,
        types: { generator: want.generator, cancel: false },
        api_visibility: want.api_visibility,
        connection: 'sse',
        targets: [],
      });
      expect(dependency['inputs']).toHaveLength(want.inputs);
      expect(dependency['outputs']).toHaveLength(want.outputs);
    });
    expect((dependencies[0] as Record<string, unknown>)['api_description']).toBe('Greets.');
    expect((dependencies[1] as Record<string, unknown>)['api_description']).toBeNull();
  });

  it('every component a dependency references exists, with type api, skip_api false and api_info', async () => {
    const { dependencies, components } = await configOf(app.url);
    const byId = new Map(components.map((component) => [component['id'], component]));
    expect(byId.size).toBe(components.length);
    const referenced = dependencies.flatMap((dependency) => [
      ...(dependency['inputs'] as number[]),
      ...(dependency['outputs'] as number[]),
    ]);
    expect(new Set(referenced).size).toBe(referenced.length);
    for (const id of referenced) {
      const component = byId.get(id);
      expect(component).toMatchObject({ id, type: 'api', skip_api: false });
      expect(component).toHaveProperty('api_info');
    }
    // docs/protocol.md#config: a parameter with a non-null default carries it as the first prop, and as example_inputs.
    const two = dependencies.find((dependency) => dependency['api_name'] === 'two') as Record<string, unknown>;
    const [aId, bId] = two['inputs'] as [number, number];
    expect(byId.get(aId)?.['example_inputs']).toBe('...');
    const b = byId.get(bId) as Record<string, unknown>;
    expect(Object.keys(b['props'] as object)[0]).toBe('value');
    expect(b['props']).toMatchObject({ value: 'x', label: '2nd' });
    expect(b['example_inputs']).toBe('x');
    expect(b['api_info']).toEqual({ type: 'string' });
  });

  it('/config.username is null without auth (the auth half belongs to the auth work)', async () => {
    const config = await configOf(app.url);
    expect(config).toHaveProperty('username', null);
  });
});
