// Issue 3: `/gradio_api/openapi.json` is a valid OpenAPI document that generic tooling can drive, and the Swagger
// UI at /docs documents the whole application (its own controllers and Gradio's routes) from local assets.
import 'reflect-metadata';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { GradioModule, type GradioModuleOptions, launch, setupGradioDocs } from 'nest-gradio';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { createHttpApp } from 'nest-gradio/testing';
import { startGradioApp, testAdapter, type RunningApp } from '../support/start-app.js';
import { TypeProbe, UsersController } from './type-probe.service.js';

type Operation = Record<string, unknown> & {
  operationId?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
};
type Document = { openapi: string; servers?: { url: string }[]; paths: Record<string, Record<string, Operation>> };
type Schema = Record<string, unknown>;

async function getDocument(url: string): Promise<Document> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Document;
}

/** A value of an OpenAPI 3.0 schema, made the way a generic client generator would: from the schema alone. */
function sample(schema: Schema): unknown {
  if (schema['example'] !== undefined) return schema['example'];
  if (schema['default'] !== undefined) return schema['default'];
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).find((value) => value !== null) ?? null;
  const members = (schema['anyOf'] ?? schema['oneOf'] ?? schema['allOf']) as Schema[] | undefined;
  if (members) return sample(members[0] as Schema);
  const minimum =
    typeof schema['minimum'] === 'number' ? (schema['minimum'] as number) + (schema['exclusiveMinimum'] ? 1 : 0) : 1;
  switch (schema['type']) {
    case 'string':
      return 'x'.repeat(Math.max(1, Number(schema['minLength'] ?? 1)));
    case 'integer':
      return Math.ceil(minimum);
    case 'number':
      return minimum + 0.5;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, Number(schema['minItems'] ?? 1)) }, () =>
        sample((schema['items'] ?? {}) as Schema),
      );
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = (schema['required'] ?? Object.keys(properties)) as string[];
      return Object.fromEntries(required.map((name) => [name, sample(properties[name] ?? {})]));
    }
    default:
      return 'anything';
  }
}

/** The last `event:` and its `data` in a curl-protocol stream. */
async function lastEvent(url: string): Promise<[string, unknown]> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(15_000) })).text();
  const blocks = text
    .split('\n\n')
    .filter((block) => block.startsWith('event: ') && !block.startsWith('event: heartbeat'));
  const last = blocks[blocks.length - 1] ?? '';
  return [/^event: (.*)$/m.exec(last)?.[1] ?? '', JSON.parse(/^data: (.*)$/m.exec(last)?.[1] ?? 'null')];
}

describe('/gradio_api/openapi.json', () => {
  let app: RunningApp;
  let document: Document;

  beforeAll(async () => {
    app = await startGradioApp({ title: 'OpenAPI probe' }, [...SHOWCASE_PROVIDERS, TypeProbe]);
    document = await getDocument(`${app.url}/gradio_api/openapi.json`);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('passes the OpenAPI validator (@apidevtools/swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toBe('3.0.2');
    expect(document.servers).toEqual([{ url: app.url }]);
  });

  it("needs its 3.0 schemas: the validator refuses the same document with /info's JSON Schemas", async () => {
    const info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as {
      named_endpoints: Record<string, { parameters: { parameter_name: string; type: Schema }[] }>;
    };
    const raw = structuredClone(document);
    const schema = raw.paths['/gradio_api/call/v2/choices']?.['post']?.requestBody?.content['application/json']?.schema;
    for (const parameter of info.named_endpoints['/choices']?.parameters ?? []) {
      (schema?.['properties'] as Record<string, Schema>)[parameter.parameter_name] = parameter.type;
    }
    await expect(SwaggerParser.validate(raw as never)).rejects.toThrow(/schema validation failed/i);
  });

  it('describes the upload route and each public endpoint, and no other', async () => {
    const info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as {
      named_endpoints: Record<string, unknown>;
    };
    const expected = Object.keys(info.named_endpoints).flatMap((key) => [
      `/gradio_api/call/v2${key}`,
      `/gradio_api/call${key}/{event_id}`,
    ]);
    expect(Object.keys(document.paths)).toEqual(['/gradio_api/upload', ...expected]);
    expect(Object.keys(document.paths).filter((path) => /hidden|secret/.test(path))).toEqual([]);
    expect(document.paths['/gradio_api/call/v2/add']?.['post']?.operationId).toBe('add');
    expect(document.paths['/gradio_api/call/add/{event_id}']?.['get']?.operationId).toBe('add_get');
  });

  it('carries @Arg descriptions, defaults and the required parameters', () => {
    const body = document.paths['/gradio_api/call/v2/defaults']?.['post']?.requestBody?.content['application/json'];
    expect(body?.schema).toEqual({
      type: 'object',
      // An argument with a default takes null ("use the default"); unknown names are refused.
      properties: {
        x: { type: 'number', default: 1.5, nullable: true },
        y: { type: 'string', nullable: true },
        z: { type: 'boolean', default: false, nullable: true },
        w: { enum: ['a', 'b'], description: 'A choice.', default: 'a', nullable: true },
      },
      additionalProperties: false,
    });
    const scalars =
      document.paths['/gradio_api/call/v2/scalars']?.['post']?.requestBody?.content['application/json']?.schema;
    expect(scalars?.['required']).toEqual(['s', 'i', 'f', 'b', 'any']);
    expect((scalars?.['properties'] as Record<string, Schema>)['any']).toEqual({ description: 'Anything JSON.' });
  });

  it('is usable by generic tooling: each operation, driven only by the document, queues a call whose stream completes', async () => {
    const base = document.servers?.[0]?.url ?? '';
    const calls = Object.entries(document.paths).filter(([path]) => path.startsWith('/gradio_api/call/v2/'));
    expect(calls.length).toBeGreaterThan(10);
    for (const [path, item] of calls) {
      const name = path.slice('/gradio_api/call/v2/'.length);
      const media = item['post']?.requestBody?.content['application/json'];
      if (name === 'file_in' || name === 'reverse_file' || name === 'file_size') {
        // Their files must be uploaded first; the snippets' tests cover them.
        expect(media?.example).toBeUndefined();
        continue;
      }
      const body = media?.example ?? sample(media?.schema ?? {});
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      const { event_id: eventId } = (await response.json()) as { event_id: string };
      const streamPath = Object.keys(document.paths).find(
        (candidate) => candidate === `/gradio_api/call/${name}/{event_id}`,
      );
      const [event, data] = await lastEvent(`${base}${(streamPath ?? '').replace('{event_id}', eventId)}`);
      if (name === 'fail')
        expect([event, data]).toEqual([
          'error',
          expect.objectContaining({ error: (body as { message: string }).message }),
        ]);
      else expect({ name, event }).toEqual({ name, event: 'complete' });
    }
  }, 60_000);

  it('is honest about refusals: a body against the schema answers its documented 422', async () => {
    expect(Object.keys(document.paths['/gradio_api/call/v2/add']?.['post']?.['responses'] as object)).toContain('422');
    const response = await fetch(`${app.url}/gradio_api/call/v2/add`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: 1, b: 2, c: 3 }),
    });
    expect(response.status).toBe(422);
  });
});

@Controller()
class OwnDocsController {
  @Get('docs')
  docs(): string {
    return 'my own docs';
  }
}

async function createApp(
  options: GradioModuleOptions,
  controllers: Function[] = [UsersController],
): Promise<INestApplication> {
  @Module({ imports: [GradioModule.forRoot(options)], controllers: controllers as never[], providers: [TypeProbe] })
  class DocsAppModule {}
  return createHttpApp(DocsAppModule, testAdapter(), { logger: false });
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

describe('Swagger UI at /docs (setupGradioDocs)', () => {
  describe('with the defaults', () => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      app = await createApp({ title: 'Docs probe' });
      await expect(setupGradioDocs(app)).resolves.toBe(true);
      url = await listen(app);
    });

    afterAll(async () => {
      await app?.close();
    });

    it("serves a valid OpenAPI document of the whole app at /openapi.json, as FastAPI does in Gradio's Server mode", async () => {
      const document = await getDocument(`${url}/openapi.json`);
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
      expect(document.paths['/users']?.['get']).toBeDefined();
      expect(document.paths['/config']?.['get']?.tags).toEqual(['Gradio protocol']);
      expect(document.paths['/gradio_api/queue/join']?.['post']?.tags).toEqual(['Gradio protocol']);
      const scalars = document.paths['/gradio_api/call/v2/scalars']?.['post'];
      expect(scalars?.tags).toEqual(['Gradio API']);
      expect(scalars?.requestBody?.content['application/json']?.schema['required']).toEqual([
        's',
        'i',
        'f',
        'b',
        'any',
      ]);
      expect(document.paths['/gradio_api/call/v2/hidden']).toBeUndefined();
      expect(Object.keys(document.paths).filter((path) => /__nest_gradio|view_api/.test(path))).toEqual([]);
    });

    it("describes each of Gradio's routes it lists: parameters, body and every answer", async () => {
      const document = await getDocument(`${url}/openapi.json`);
      const gradio = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, operation]) => operation.tags?.[0] === 'Gradio protocol')
          .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, operation })),
      );
      expect(gradio.length).toBeGreaterThan(30);
      const undescribed = gradio.flatMap(({ route, path, operation }) => {
        const responses = Object.entries((operation['responses'] ?? {}) as Record<string, { description?: string }>);
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
        const parameters = ((operation['parameters'] ?? []) as { name: string; in: string }[])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name);
        return [
          ...(responses.length === 0 || responses.some(([, response]) => !response.description)
            ? [`${route}: an answer without a description`]
            : []),
          // @nestjs/swagger's guess for a POST without a declaration: none of Gradio's routes answers it.
          ...(responses.some(([status]) => status === '201') ? [`${route}: 201`] : []),
          ...(inPath.sort().join() === parameters.sort().join() ? [] : [`${route}: path parameters`]),
        ];
      });
      expect(undescribed).toEqual([]);
      const join = document.paths['/gradio_api/queue/join']?.['post'];
      expect(join?.requestBody?.content['application/json']?.schema['required']).toEqual([
        'data',
        'fn_index',
        'session_hash',
      ]);
      // Without a login configured, nothing answers 401 and /login only redirects.
      expect(gradio.filter(({ operation }) => '401' in (operation['responses'] as object))).toEqual([]);
      expect(Object.keys(document.paths['/login']?.['post']?.['responses'] as object)).toEqual(['302']);
      // The MCP server is off: its routes answer 404 as if missing, and are left out (the OAuth discovery probes
      // under its path answer 404 either way, which is what they are for).
      const mcp = Object.keys(document.paths).filter((path) => /^\/gradio_api\/mcp(?!.*well-known)/.test(path));
      expect(mcp).toEqual([]);
    });

    it('serves the UI from local assets only: no CDN, every asset it loads answers 200', async () => {
      const response = await fetch(`${url}/docs`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<title>Docs probe · Swagger UI</title>');
      const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1] as string);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) {
        expect(asset).not.toMatch(/^(https?:)?\/\//);
        const loaded = await fetch(new URL(asset, `${url}/docs`));
        expect({ asset, status: loaded.status, empty: (await loaded.arrayBuffer()).byteLength === 0 }).toEqual({
          asset,
          status: 200,
          empty: false,
        });
      }
    });

    it('is linked from the View API page', async () => {
      expect(await (await fetch(`${url}/?view=api`)).text()).toContain('data-docs="/docs"');
    });
  });

  it('follows the options: a password login adds 401 where a login is asked and the form to /login; MCP on adds its routes', async () => {
    const app = await createApp({ auth: [['admin', 'secret']], mcpServer: true });
    try {
      await setupGradioDocs(app);
      const document = await getDocument(`${await listen(app)}/openapi.json`);
      expect(Object.keys(document.paths['/config']?.['get']?.['responses'] as object)).toEqual(['200', '401']);
      // Open without a login, as in Gradio.
      expect(document.paths['/gradio_api/cancel']?.['post']?.['responses']).not.toHaveProperty('401');
      expect(Object.keys(document.paths['/login']?.['post']?.requestBody?.content ?? {})).toEqual([
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ]);
      expect(document.paths['/gradio_api/mcp']?.['post']).toBeDefined();
      // Stateless: DELETE is refused, so it is not an operation.
      expect(document.paths['/gradio_api/mcp']?.['delete']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('is off with docs: false, and the page does not link to it', async () => {
    const app = await createApp({ docs: false });
    try {
      await expect(setupGradioDocs(app)).resolves.toBe(false);
      const url = await listen(app);
      expect((await fetch(`${url}/docs`)).status).toBe(404);
      expect((await fetch(`${url}/openapi.json`)).status).toBe(404);
      expect(await (await fetch(`${url}/?view=api`)).text()).toContain('data-docs=""');
    } finally {
      await app.close();
    }
  });

  it('takes its paths from the docs option', async () => {
    const app = await createApp({ docs: { path: '/api-docs', jsonPath: false } });
    try {
      await setupGradioDocs(app);
      const url = await listen(app);
      expect((await fetch(`${url}/api-docs`)).status).toBe(200);
      expect((await fetch(`${url}/api-docs-json`)).status).toBe(200);
      expect((await fetch(`${url}/openapi.json`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("leaves /docs to the application's own route", async () => {
    const app = await createApp({}, [OwnDocsController]);
    try {
      await expect(setupGradioDocs(app)).resolves.toBe(false);
      const url = await listen(app);
      expect(await (await fetch(`${url}/docs`)).text()).toBe('my own docs');
    } finally {
      await app.close();
    }
  });

  it('is set up by launch()', async () => {
    @Module({ imports: [GradioModule.forRoot({})], providers: [TypeProbe] })
    class LaunchedModule {}
    const app = await launch(LaunchedModule, { port: 0, printUrl: false, logLevels: [], adapter: testAdapter() });
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      expect((await fetch(`${url}/docs`)).status).toBe(200);
      expect((await getDocument(`${url}/openapi.json`)).paths['/gradio_api/call/v2/scalars']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
