// How tool results and failures reach MCP clients (docs/mcp.md#tool-calls, with the deliberate differences: JSON rather than
// Python reprs, one content item per output, structuredContent with an outputSchema).
import { Injectable } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Any,
  Ctx,
  GradioApi,
  GradioError,
  Int,
  listOf,
  McpContent,
  McpPrompt,
  McpResource,
  McpTool,
  type EventContext,
  type JsonSchema,
} from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, texts } from './mcp-clients.js';

const POINT: JsonSchema = {
  type: 'object',
  properties: { x: { type: 'number' }, y: { type: 'number' } },
  required: ['x', 'y'],
};

@Injectable()
class ResultProbe {
  @McpTool({ outputs: [Int, listOf(String)] })
  split(text: string): [number, string[]] {
    const words = text.split(' ');
    return [words.length, words];
  }

  @McpTool({ returns: POINT })
  point(x: number, y: number): { x: number; y: number } {
    return { x, y };
  }

  @McpTool({ returns: Any })
  anything(value: Any): Any {
    return value;
  }

  @McpTool({ returns: Int })
  async *countdown(@Ctx() ctx: EventContext): AsyncGenerator<number> {
    for (let n = 3; n >= 1; n--) {
      ctx.progress(4 - n, 3);
      yield n;
    }
  }

  @McpTool({ returns: Int })
  notAnInteger(): number {
    return 1.5;
  }

  @McpTool({ description: 'Crashes.' })
  crash(): string {
    throw new Error('database password is hunter2');
  }

  @McpTool({ timeLimit: 0.05 })
  async slow(@Ctx() ctx: EventContext): Promise<string> {
    await sleep(10_000, undefined, { signal: ctx.signal });
    return 'late';
  }

  @McpTool({ title: 'Meta tool', meta: { 'example.com/kind': 'demo' }, structuredOutput: false })
  @GradioApi({ name: 'meta_api', description: 'From @GradioApi.' })
  meta(): Int {
    return 1;
  }

  @McpResource('bin://pixel', { mimeType: 'image/gif' })
  pixel(): string {
    return Buffer.from('GIF89a').toString('base64');
  }

  @McpPrompt()
  structured(topic: string, count: Int = 2): Record<string, unknown> {
    return { topic, count };
  }

  @McpTool({ description: 'Chooses a content item MCP does not have.' })
  oddContent(): McpContent {
    return new McpContent({ type: 'hologram', text: 'hi' } as never);
  }

  @McpTool()
  userError(): string {
    throw new GradioError('Please give a smaller number.', { title: 'Too big' });
  }
}

async function withApp(showError: boolean, run: (client: Client) => Promise<void>): Promise<void> {
  const app: RunningApp = await startGradioApp({ mcpServer: true, showError }, [ResultProbe]);
  const client = await connectStreamableHttp(app.url);
  try {
    await run(client);
  } finally {
    await client.close();
    await app.close();
  }
}

describe('tool results', () => {
  let app: RunningApp;
  let client: Client;
  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [ResultProbe]);
    client = await connectStreamableHttp(app.url);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('gives one content item per output and the outputs as a tuple in structuredContent', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'split')?.outputSchema).toEqual({
      type: 'object',
      properties: {
        result: {
          type: 'array',
          prefixItems: [{ type: 'integer' }, { type: 'array', items: { type: 'string' } }],
          minItems: 2,
          maxItems: 2,
        },
      },
      required: ['result'],
    });
    const result = await client.callTool({ name: 'split', arguments: { text: 'a b c' } });
    expect(result.content).toEqual([
      { type: 'text', text: '3' },
      { type: 'text', text: '["a","b","c"]' },
    ]);
    expect(result.structuredContent).toEqual({ result: [3, ['a', 'b', 'c']] });
  });

  it('sends an object output as structuredContent itself, and as JSON text', async () => {
    expect((await client.listTools()).tools.find((tool) => tool.name === 'point')?.outputSchema).toEqual(POINT);
    const result = await client.callTool({ name: 'point', arguments: { x: 1, y: 2.5 } });
    expect(result.content).toEqual([{ type: 'text', text: '{"x":1,"y":2.5}' }]);
    expect(result.structuredContent).toEqual({ x: 1, y: 2.5 });
  });

  it('advertises no outputSchema when the output type is unknown, and sends JSON, not Python reprs', async () => {
    expect((await client.listTools()).tools.find((tool) => tool.name === 'anything')?.outputSchema).toBeUndefined();
    for (const [value, text] of [
      [{ k: 'v', n: null }, '{"k":"v","n":null}'],
      [true, 'true'],
      [null, 'null'],
      [['a', 1], '["a",1]'],
      ['plain', 'plain'],
    ] as const) {
      const result = await client.callTool({ name: 'anything', arguments: { value } });
      expect(result.content).toEqual([{ type: 'text', text }]);
      expect(result.structuredContent).toBeUndefined();
    }
  });

  it("returns a stream's final value", async () => {
    const result = await client.callTool({ name: 'countdown', arguments: {} });
    expect(result.structuredContent).toEqual({ result: 1 });
  });

  it("passes a tool's title and _meta on, and can leave structured output out", async () => {
    const tool = (await client.listTools()).tools.find((candidate) => candidate.name === 'meta');
    expect(tool).toEqual({
      name: 'meta',
      title: 'Meta tool',
      description: 'From @GradioApi.',
      inputSchema: { type: 'object', properties: {} },
      _meta: { 'example.com/kind': 'demo' },
    });
    expect(await client.callTool({ name: 'meta', arguments: {} })).toEqual({
      content: [{ type: 'text', text: '1' }],
      _meta: { 'example.com/kind': 'demo' },
    });
  });

  it('answers a result that contradicts its declared type with an isError result', async () => {
    const result = await client.callTool({ name: 'notAnInteger', arguments: {} });
    expect(result.isError).toBe(true);
  });

  it('fails a call that passes its time limit', async () => {
    const result = await client.callTool({ name: 'slow', arguments: {} });
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('time limit');
  });

  it("shows a GradioError's message", async () => {
    expect(await client.callTool({ name: 'userError', arguments: {} })).toEqual({
      content: [{ type: 'text', text: 'Please give a smaller number.' }],
      isError: true,
    });
  });

  it('refuses a result whose chosen content MCP does not have with Invalid Params, as the SDK server does', async () => {
    await expect(client.callTool({ name: 'oddContent', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Invalid tools/call result'),
    });
  });

  it('reads a binary resource as a base64 blob', async () => {
    const { contents } = await client.readResource({ uri: 'bin://pixel' });
    expect(contents).toEqual([
      { uri: 'bin://pixel', mimeType: 'image/gif', blob: Buffer.from('GIF89a').toString('base64') },
    ]);
  });

  it('converts prompt arguments to the parameter types and sends a non-string result as JSON', async () => {
    const prompt = await client.getPrompt({ name: 'structured', arguments: { topic: 'queues', count: '5' } });
    expect(prompt.messages).toEqual([
      { role: 'user', content: { type: 'text', text: '{"topic":"queues","count":5}' } },
    ]);
    await expect(
      client.getPrompt({ name: 'structured', arguments: { topic: 'x', count: 'five' } }),
    ).rejects.toMatchObject({
      code: -32602,
    });
  });
});

// A POST holding one tool call is answered without an SDK server (stateless-tool-call.ts); one holding several messages
// is answered by the SDK's. The call's events must be the same bytes either way.
describe('a tool call alone and in a batch', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [ResultProbe]);
  });
  afterAll(() => app.close());

  /** The SSE events of the answer to a POST, those about request 1 (its notifications and its answer). */
  async function eventsOfFirstCall(messages: object[]): Promise<string[]> {
    const response = await fetch(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify(messages),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const data = (await response.text())
      .split('\n\n')
      .filter((event) => event.startsWith('event: message\ndata: '))
      .map((event) => event.slice('event: message\ndata: '.length));
    return (
      data
        .filter((json) => {
          const message = JSON.parse(json) as { id?: unknown; params?: { progressToken?: unknown } };
          return message.id === 1 || message.params?.progressToken === 'first';
        })
        // The queue's estimate of the time left depends on the calls before (none for the first).
        .map((json) => json.replace(/ Estimated time remaining: [\d.]+ seconds\./, ''))
    );
  }

  const call = (name: string, args: object) => ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: args, _meta: { progressToken: 'first' } },
  });
  const listing = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

  it.each([
    ['a result with progress on the way', call('countdown', {})],
    ['structured content', call('split', { text: 'a b' })],
    ['an isError result', call('userError', {})],
    ['an unknown tool', call('nowhere', {})],
    ['an invalid result', call('oddContent', {})],
  ])('%s', async (_what, message) => {
    const alone = await eventsOfFirstCall([message]);
    const inBatch = await eventsOfFirstCall([message, listing]);
    expect(alone.length).toBeGreaterThan(0);
    expect(JSON.parse(alone.at(-1)!)).toHaveProperty('id', 1);
    expect(alone).toEqual(inBatch);
  });
});

describe('unexpected errors', () => {
  it('are hidden unless showError is on, like Gradio', async () => {
    await withApp(false, async (client) => {
      const result = await client.callTool({ name: 'crash', arguments: {} });
      expect(result.isError).toBe(true);
      expect(texts(result)[0]).not.toContain('hunter2');
      expect(texts(result)[0]).toContain('showError');
    });
    await withApp(true, async (client) => {
      const result = await client.callTool({ name: 'crash', arguments: {} });
      expect(result).toEqual({ content: [{ type: 'text', text: 'database password is hunter2' }], isError: true });
    });
  });
});
