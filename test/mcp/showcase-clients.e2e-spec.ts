// The MCP SDK's own Client, over streamable HTTP and over legacy SSE, against the showcase (docs/mcp.md#tools to
// #resources-and-prompts for the expected shapes, the README's showcase table for the tools).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';
import { texts, TRANSPORTS, waitFor } from './mcp-clients.js';

const string = { type: 'string' };
const integer = { type: 'integer' };
/** What an output of type T is advertised as: MCP wants an object, so it is wrapped as {"result": T}. */
const resultOf = (schema: Record<string, unknown>) => ({
  type: 'object',
  properties: { result: schema },
  required: ['result'],
});

/** The showcase's tools as the README's showcase table describes them, in the shape of docs/mcp.md#tools */
const EXPECTED_TOOLS = [
  {
    name: 'hello',
    description: 'Say hello to someone.',
    inputSchema: { type: 'object', properties: { name: string }, required: ['name'] },
    outputSchema: resultOf(string),
  },
  {
    name: 'add',
    description: 'Add two numbers together.',
    inputSchema: { type: 'object', properties: { a: integer, b: integer }, required: ['a', 'b'] },
    outputSchema: resultOf(integer),
  },
  {
    name: 'multiply',
    description: 'Multiply two numbers together.',
    inputSchema: { type: 'object', properties: { a: integer, b: integer }, required: ['a', 'b'] },
    outputSchema: resultOf(integer),
  },
  {
    name: 'slow_echo',
    description: 'Echo the text after a pause, reporting progress.',
    inputSchema: {
      type: 'object',
      properties: { text: string, seconds: { type: 'number', default: 1 } },
      required: ['text'],
    },
    outputSchema: resultOf(string),
  },
  {
    name: 'fail',
    description: 'Always fail with the given message.',
    inputSchema: { type: 'object', properties: { message: string }, required: ['message'] },
    outputSchema: resultOf(string),
  },
  {
    name: 'word_count',
    description: 'Count the words in a text.',
    inputSchema: {
      type: 'object',
      properties: { text: { type: 'string', description: 'The text whose words to count.' } },
      required: ['text'],
    },
    outputSchema: resultOf(integer),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
];

let app: RunningApp;
let log: LifecycleLog;

beforeAll(async () => {
  app = await startShowcase({ mcpServer: true });
  log = new LifecycleLog(app.app);
});

afterAll(async () => {
  log.stop();
  await app.close();
});

describe.each(TRANSPORTS)('MCP SDK Client over %s', (_name, connect) => {
  let client: Client;

  beforeAll(async () => {
    client = await connect(app.url);
  });

  afterAll(async () => {
    await client.close();
  });

  it("introduces itself with the app's title and offers tools, resources and prompts", () => {
    expect(client.getServerVersion()?.name).toBe('nest-gradio showcase');
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
  });

  it('lists the MCP tools with their names, descriptions and schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools).toEqual(EXPECTED_TOOLS);
  });

  it('calls add: 3 + 5 = 8, as text and as structured content', async () => {
    const result = await client.callTool({ name: 'add', arguments: { a: 3, b: 5 } });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: '8' }]);
    expect(result.structuredContent).toEqual({ result: 8 });
  });

  it('calls hello and the MCP-only word_count', async () => {
    expect(texts(await client.callTool({ name: 'hello', arguments: { name: 'World' } }))).toEqual(['Hello, World!']);
    const counted = await client.callTool({ name: 'word_count', arguments: { text: ' one two  three ' } });
    expect(counted.structuredContent).toEqual({ result: 3 });
  });

  it('answers invalid arguments with an isError result that names the argument', async () => {
    const wrongType = await client.callTool({ name: 'add', arguments: { a: 'three', b: 5 } });
    expect(wrongType.isError).toBe(true);
    expect(texts(wrongType)[0]).toMatch(/\ba\b.*integer/);

    const missing = await client.callTool({ name: 'add', arguments: { a: 3 } });
    expect(missing.isError).toBe(true);
    expect(texts(missing)[0]).toContain('"b"');

    const unknown = await client.callTool({ name: 'add', arguments: { a: 3, b: 5, c: 1 } });
    expect(unknown.isError).toBe(true);
    expect(texts(unknown)[0]).toContain('"c"');

    const noSuchTool = await client.callTool({ name: 'divide', arguments: {} });
    expect(noSuchTool.isError).toBe(true);
    expect(texts(noSuchTool)[0]).toContain('divide');
  });

  it("returns a handler's user-facing error as an isError result with its message", async () => {
    const result = await client.callTool({ name: 'fail', arguments: { message: 'Something broke.' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Something broke.' }], isError: true });
  });

  it('sends progress notifications for a progress token before the result', async () => {
    const updates: Progress[] = [];
    const result = await client.callTool({ name: 'slow_echo', arguments: { text: 'hi', seconds: 0.3 } }, undefined, {
      onprogress: (progress) => updates.push(progress),
    });
    expect(texts(result)).toEqual(['hi']);
    expect(updates.length).toBeGreaterThan(0);
    const values = updates.map((update) => update.progress);
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(new Set(values).size).toBe(values.length);
    // slow_echo reports its steps (the README's showcase table); they arrive as "Echoing: i of 10 steps".
    expect(updates.some((update) => /^Echoing: \d+ of 10 steps$/.test(update.message ?? ''))).toBe(true);
  });

  it('cancels the queued event when the client cancels the call, freeing the slot', async () => {
    const controller = new AbortController();
    const stepped: Progress[] = [];
    const call = client.callTool({ name: 'slow_echo', arguments: { text: 'never', seconds: 120 } }, undefined, {
      signal: controller.signal,
      onprogress: (progress) => stepped.push(progress),
    });
    const started = log.ids('started', 'slow_echo').length;
    await waitFor(() => log.ids('started', 'slow_echo').length > started, 'slow_echo to start');
    const eventId = log.ids('started', 'slow_echo').at(-1) as string;
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitFor(() => log.has('cancelled', eventId), 'the event to be cancelled');
    await waitFor(() => queueOf(app.app).snapshot().running === 0, 'the slot to be free');
    expect(log.has('completed', eventId)).toBe(false);
    // slow_echo allows one job at a time: the next call runs only because the cancelled one no longer does.
    expect(texts(await client.callTool({ name: 'slow_echo', arguments: { text: 'next', seconds: 0.05 } }))).toEqual([
      'next',
    ]);
  }, 30_000);

  it('lists and reads the fixed resource and the resource template', async () => {
    expect((await client.listResources()).resources).toEqual([
      { uri: 'showcase://about', name: 'about', description: 'What this app is.', mimeType: 'text/markdown' },
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
      {
        uriTemplate: 'showcase://endpoints/{name}',
        name: 'endpoint',
        description: 'The parameters of one API endpoint, as JSON.',
        mimeType: 'application/json',
      },
    ]);

    const about = await client.readResource({ uri: 'showcase://about' });
    expect(about.contents).toHaveLength(1);
    expect(about.contents[0]).toMatchObject({ uri: 'showcase://about', mimeType: 'text/markdown' });
    expect((about.contents[0] as { text: string }).text).toContain('`add`');

    const add = await client.readResource({ uri: 'showcase://endpoints/add' });
    expect(add.contents[0]).toMatchObject({ uri: 'showcase://endpoints/add', mimeType: 'application/json' });
    const described = JSON.parse((add.contents[0] as { text: string }).text) as Record<string, unknown>;
    expect(described).toEqual({
      name: 'add',
      description: 'Add two numbers together.',
      parameters: [
        { name: 'a', schema: integer },
        { name: 'b', schema: integer },
      ],
    });
  });

  it('answers unreadable resources with JSON-RPC errors', async () => {
    await expect(client.readResource({ uri: 'showcase://nothing' })).rejects.toMatchObject({ code: -32002 });
    const failure = await client.readResource({ uri: 'showcase://endpoints/nope' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(McpError);
    expect((failure as McpError).message).toContain('There is no endpoint named nope.');
  });

  it('lists the prompt with its arguments and fills it in', async () => {
    expect((await client.listPrompts()).prompts).toEqual([
      {
        name: 'review_code',
        description: 'Ask for a review of a piece of code.',
        arguments: [
          { name: 'code', description: 'The code to review.', required: true },
          { name: 'language', description: 'Its programming language.', required: false },
        ],
      },
    ]);
    const byDefault = await client.getPrompt({ name: 'review_code', arguments: { code: 'let x = 1' } });
    expect(byDefault.messages).toHaveLength(1);
    expect(byDefault.messages[0]?.role).toBe('user');
    expect(byDefault.messages[0]?.content).toMatchObject({ type: 'text' });
    const text = (byDefault.messages[0]?.content as { text: string }).text;
    expect(text).toContain('TypeScript');
    expect(text).toContain('let x = 1');

    const rust = await client.getPrompt({ name: 'review_code', arguments: { code: 'fn main() {}', language: 'Rust' } });
    expect((rust.messages[0]?.content as { text: string }).text).toContain('Rust code');

    await expect(client.getPrompt({ name: 'review_code', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    await expect(client.getPrompt({ name: 'nope', arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });
});
