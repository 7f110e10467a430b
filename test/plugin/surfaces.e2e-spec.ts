// The schema the compiler plugin records from a signature (test/parity/type-probes.service.ts: no @Arg, no
// `returns`) is the one every surface uses: /gradio_api/info, OpenAPI, MCP inputSchema/outputSchema, validation.
import { Injectable } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { GradioApi } from 'nest-gradio';
import { connectStreamableHttp } from '../mcp/mcp-clients.js';
import { TypeProbes } from '../parity/type-probes.service.js';
import { call, readCallStream } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const CHOICES = {
  mode: { enum: ['fast', 'slow'] },
  level: { enum: [1, 2, 3] },
  color: { enum: ['red', 'green'] },
  maybe: { oneOf: [{ type: 'null' }, { type: 'string' }] },
  either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
};
@Injectable()
class Legacy {
  /**
   * Say hello the old way.
   * @deprecated Use /hello.
   */
  @GradioApi({ name: 'old_hello' })
  oldHello(name: string): string {
    return `Hello ${name}`;
  }
}

const POINT = { type: 'object', properties: { x: { type: 'number' }, y: { type: 'integer' } }, required: ['x', 'y'] };

describe('types recorded by the compiler plugin, on every surface', () => {
  let app: RunningApp;
  let client: Client;
  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [TypeProbes, Legacy]);
    client = await connectStreamableHttp(app.url);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  /** Calls through the cURL protocol and reads the whole result stream. */
  const callAndRead = async (name: string, body: Record<string, unknown>): Promise<string> =>
    readCallStream(app.url, name, await call(app.url, name, body, true));

  it('/gradio_api/info: JSON Schemas and the Python types Gradio shows', async () => {
    const info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as {
      named_endpoints: Record<
        string,
        { parameters: { parameter_name: string; type: unknown; python_type: { type: string } }[] }
      >;
    };
    const choices = info.named_endpoints['/choices']?.parameters ?? [];
    expect(Object.fromEntries(choices.map((parameter) => [parameter.parameter_name, parameter.type]))).toEqual(CHOICES);
    expect(choices.map((parameter) => parameter.python_type.type)).toEqual([
      "Literal['fast', 'slow']",
      "Literal['1', '2', '3']",
      "Literal['red', 'green']",
      'None | str',
      'int | str',
    ]);
  });

  it('OpenAPI: the request body of each operation has the same property schemas, and the required ones', async () => {
    const document = (await (await fetch(`${app.url}/gradio_api/openapi.json`)).json()) as {
      paths: Record<
        string,
        {
          post?: {
            requestBody: {
              content: { 'application/json': { schema: { properties: Record<string, unknown>; required?: string[] } } };
            };
          };
        }
      >;
    };
    const body = (name: string) =>
      document.paths[`/gradio_api/call/v2/${name}`]?.post?.requestBody.content['application/json'].schema;
    expect(body('choices')?.properties['mode']).toMatchObject({ enum: ['fast', 'slow'] });
    expect(body('choices')?.properties['level']).toMatchObject({ enum: [1, 2, 3] });
    expect(body('objects')?.properties['point']).toMatchObject(POINT);
    expect(body('defaults')?.required).toEqual(['text']);
    expect(body('defaults')?.properties['count']).toMatchObject({ type: 'integer', default: 3 });
    // JSDoc: the summary is the description, and @deprecated marks the operation.
    const legacy = document.paths['/gradio_api/call/v2/old_hello']?.post as Record<string, unknown> | undefined;
    expect(legacy).toMatchObject({ summary: 'Say hello the old way.', deprecated: true });
    expect(document.paths['/gradio_api/call/v2/choices']?.post).not.toHaveProperty('deprecated');
  });

  it('MCP: tools list the same input schema, and the output types as outputSchema', async () => {
    const { tools } = await client.listTools();
    const tool = (name: string) => tools.find((candidate) => candidate.name === name);
    expect(tool('choices')?.inputSchema).toMatchObject({ type: 'object', required: Object.keys(CHOICES) });
    for (const [name, schema] of Object.entries(CHOICES))
      expect(tool('choices')?.inputSchema.properties?.[name]).toMatchObject(schema);
    expect(tool('objects')?.inputSchema.properties?.['point']).toMatchObject(POINT);
    expect(tool('objects')?.outputSchema).toMatchObject(POINT);
    expect(tool('outputs')?.outputSchema).toEqual({
      type: 'object',
      properties: {
        result: {
          type: 'array',
          prefixItems: [
            { type: 'integer' },
            { type: 'array', items: { type: 'string' } },
            { oneOf: [{ type: 'null' }, { type: 'string' }] },
          ],
          minItems: 3,
          maxItems: 3,
        },
      },
      required: ['result'],
    });
    const result = await client.callTool({ name: 'outputs', arguments: { n: 2 } });
    expect(result.structuredContent).toEqual({ result: [2, ['0', '1'], 'many'] });
  });

  it('validation: values outside the type are refused by the API and by MCP, before the handler runs', async () => {
    const valid = { mode: 'fast', level: 2, color: 'red', maybe: null, either: 'x' };
    expect(await callAndRead('choices', valid)).toBe('event: complete\ndata: ["fast,2,red,,x"]\n\n');
    // The cURL protocol refuses it at the POST, before anything is queued.
    expect(await postJson(`${app.url}/gradio_api/call/v2/choices`, { ...valid, mode: 'medium' })).toEqual({
      status: 422,
      json: { detail: 'Invalid argument for /choices: mode must be one of "fast", "slow".' },
    });
    const mcp = await client.callTool({ name: 'choices', arguments: { ...valid, level: 4 } });
    expect(mcp.isError).toBe(true);
    expect(JSON.stringify(mcp.content)).toContain('level');
    const point = await client.callTool({ name: 'objects', arguments: { point: { x: 1 }, points: [] } });
    expect(point.isError).toBe(true);
    expect(JSON.stringify(point.content)).toContain('y');
  });
});
