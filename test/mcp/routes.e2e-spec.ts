// The MCP server's routes (docs/mcp.md#routes, #schema-route, #landing-page), and MCP-only methods staying off Gradio's
// own surfaces.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { rawRequest } from '../support/http.js';
import { getJson } from '../support/protocol.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';
import { queueOf } from '../support/lifecycle.js';
import { connectSse, connectStreamableHttp, texts, waitFor } from './mcp-clients.js';

const MCP_ROUTES: [string, string][] = [
  ['GET', '/gradio_api/mcp/'],
  ['POST', '/gradio_api/mcp/'],
  ['POST', '/gradio_api/mcp'],
  ['GET', '/gradio_api/mcp/sse'],
  ['POST', '/gradio_api/mcp/messages/?sessionId=x'],
  ['GET', '/gradio_api/mcp/schema'],
];

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

describe('with the MCP server off (the default)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startShowcase();
  });
  afterAll(() => app.close());

  it('publishes mcp_server: false and answers 404 on every MCP route', async () => {
    expect(((await getJson(`${app.url}/config`)).json as { mcp_server: unknown }).mcp_server).toBe(false);
    for (const [method, path] of MCP_ROUTES) {
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
  });
});

describe('GRADIO_MCP_SERVER=true', () => {
  it('turns the MCP server on: /config.mcp_server is true and the /gradio_api/mcp routes exist', async () => {
    const previous = process.env['GRADIO_MCP_SERVER'];
    process.env['GRADIO_MCP_SERVER'] = 'True';
    let app: RunningApp | undefined;
    try {
      app = await startShowcase();
    } finally {
      if (previous === undefined) delete process.env['GRADIO_MCP_SERVER'];
      else process.env['GRADIO_MCP_SERVER'] = previous;
    }
    try {
      expect(((await getJson(`${app.url}/config`)).json as { mcp_server: unknown }).mcp_server).toBe(true);
      expect((await fetch(`${app.url}/gradio_api/mcp/schema`)).status).toBe(200);
      const client = await connectStreamableHttp(app.url);
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await app.close();
    }
  });
});

describe('with mcpServer: true', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startShowcase({ mcpServer: true });
  });
  afterAll(() => app.close());

  it('serves streamable HTTP without the trailing slash too', async () => {
    const client = new Client({ name: 'no-slash', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${app.url}/gradio_api/mcp`)));
    expect(texts(await client.callTool({ name: 'multiply', arguments: { a: 6, b: 7 } }))).toEqual(['42']);
    await client.close();
  });

  it('answers a POST as an SSE stream, statelessly (no Mcp-Session-Id)', async () => {
    const response = await fetch(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(INITIALIZE),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const body = await response.text();
    expect(body).toMatch(/^event: message\ndata: \{.*"serverInfo":\{"name":"nest-gradio showcase"/m);
  });

  it("refuses what the streamable HTTP transport does not accept, with the SDK's statuses", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${app.url}/gradio_api/mcp/`, { method: 'POST', headers, body });
    expect(
      (await post({ 'content-type': 'application/json', accept: 'application/json' }, JSON.stringify(INITIALIZE)))
        .status,
    ).toBe(406);
    expect(
      (await post({ 'content-type': 'text/plain', accept: 'application/json, text/event-stream' }, 'hello')).status,
    ).toBe(415);
    const notification = await post(
      { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    );
    expect(notification.status).toBe(202);
  });

  it('reads an Accept header of */* (or none) as accepting both answers, as HTTP does', async () => {
    for (const accept of ['*/*', 'text/html, */*;q=0.8', undefined]) {
      const response = await rawRequest(`${app.url}/gradio_api/mcp/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
        body: JSON.stringify(INITIALIZE),
      });
      expect({ accept, status: response.status }).toEqual({ accept, status: 200 });
      expect(response.body).toMatch(/^event: message\ndata: \{.*"serverInfo"/m);
    }
    // Any type refused (q=0) is no longer any type accepted.
    const refused = await rawRequest(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, */*;q=0' },
      body: JSON.stringify(INITIALIZE),
    });
    expect(refused.status).toBe(406);
  });

  it("refuses an empty batch with JSON-RPC's Invalid Request", async () => {
    const response = await rawRequest(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '[]',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request: an empty batch.' },
      id: null,
    });
  });

  it('refuses a POST the transport cannot serve with 400 and a JSON-RPC error that says why', async () => {
    const post = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await rawRequest(`${app.url}/gradio_api/mcp/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, answer: JSON.parse(response.body) as { id: unknown; error: unknown } };
    };
    const listTools = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });
    const tooMany = Array.from({ length: 101 }, (_, index) => listTools(index));
    expect(await post(tooMany)).toEqual({
      status: 400,
      answer: { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('100 messages') } },
    });
    expect(await post({ jsonrpc: '1.0', id: 1, method: 'tools/list' })).toEqual({
      status: 400,
      answer: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: Invalid JSON-RPC message' } },
    });
    expect(await post([INITIALIZE, listTools(1)])).toEqual({
      status: 400,
      answer: {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Invalid Request: Only one initialization request is allowed' },
      },
    });
    const unknownRevision = await post(listTools(1), { 'mcp-protocol-version': '1999-01-01' });
    expect(unknownRevision.status).toBe(400);
    expect(unknownRevision.answer.error).toEqual({
      code: -32000,
      message: expect.stringMatching(
        /^Bad Request: Unsupported protocol version: 1999-01-01 \(supported versions: .*2025-06-18/,
      ),
    });
  });

  it('answers a batch of requests on one SSE stream that ends after the last answer', async () => {
    const call = (id: number, a: number, b: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'add', arguments: { a, b } },
    });
    const response = await rawRequest(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify([call(1, 1, 2), { jsonrpc: '2.0', method: 'notifications/initialized' }, call(2, 40, 2)]),
    });
    expect(response.status).toBe(200);
    const answers = response.body
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as { id: number; result: { structuredContent: unknown } })
      .map(({ id, result }) => [id, result.structuredContent]);
    expect(answers.sort()).toEqual([
      [1, { result: 3 }],
      [2, { result: 42 }],
    ]);
  });

  it('lists GET and POST, not DELETE, in Allow: stateless, it takes no DELETE', async () => {
    for (const path of ['/gradio_api/mcp', '/gradio_api/mcp/http']) {
      const options = await rawRequest(`${app.url}${path}`, { method: 'OPTIONS' });
      const trace = await rawRequest(`${app.url}${path}`, { method: 'TRACE' });
      const remove = await rawRequest(`${app.url}${path}`, { method: 'DELETE' });
      expect([options.status, options.headers['allow']]).toEqual([204, 'GET, HEAD, POST, OPTIONS']);
      expect([trace.status, trace.headers['allow']]).toEqual([405, 'GET, HEAD, POST, OPTIONS']);
      expect([remove.status, remove.headers['allow']]).toEqual([405, 'GET, HEAD, POST, OPTIONS']);
    }
  });

  it('answers a GET for an event stream and a DELETE with 405, which clients accept', async () => {
    const get = await fetch(`${app.url}/gradio_api/mcp/`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed.' },
      id: null,
    });
    expect((await fetch(`${app.url}/gradio_api/mcp/`, { method: 'DELETE' })).status).toBe(405);
  });

  it('shows a browser the landing page with the server URL and client setups (docs/mcp.md#landing-page)', async () => {
    for (const path of ['/gradio_api/mcp/', '/gradio_api/mcp', '/gradio_api/mcp/http']) {
      const response = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('Model Context Protocol');
      expect(html).toContain('Connect your AI assistant');
      expect(html).toContain(`${app.url}/gradio_api/mcp/`);
      for (const client of ['Cursor', 'Claude Desktop', 'Claude Code', 'VS Code', 'Cline', 'Windsurf'])
        expect(html).toContain(client);
      expect(html).toContain(`claude mcp add --transport http nest-gradio-showcase ${app.url}/gradio_api/mcp/`);
    }
  });

  it('builds the landing page URL from the forwarded host and scheme', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/mcp/`, {
      headers: { 'X-Forwarded-Host': 'agents.example.com', 'X-Forwarded-Proto': 'https' },
    });
    expect(response.body).toContain('https://agents.example.com/gradio_api/mcp/');
  });

  it('describes the tools, resources and prompts at /gradio_api/mcp/schema (docs/mcp.md#schema-route)', async () => {
    const { status, json } = await getJson(`${app.url}/gradio_api/mcp/schema`);
    expect(status).toBe(200);
    const entries = json as { name: string; meta: { mcp_type: string; endpoint_name: string | null } }[];
    // The reference's example element for add, word for word.
    expect(entries.find((entry) => entry.name === 'add')).toEqual({
      name: 'add',
      description: 'Add two numbers together.',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'integer' }, b: { type: 'integer' } },
        required: ['a', 'b'],
      },
      meta: { file_data_present: false, mcp_type: 'tool', endpoint_name: 'add' },
    });
    expect(entries.map((entry) => [entry.name, entry.meta.mcp_type, entry.meta.endpoint_name])).toEqual(
      expect.arrayContaining([
        ['word_count', 'tool', null],
        ['about', 'resource', null],
        ['endpoint', 'resource', null],
        ['review_code', 'prompt', null],
      ]),
    );
    const filtered = await getJson(`${app.url}/gradio_api/mcp/schema?tools=add,review_code`);
    expect((filtered.json as { name: string }[]).map((entry) => entry.name)).toEqual(['add', 'review_code']);
  });

  it('serves only the ?tools= selection: listing, calling, resources and prompts (docs/mcp.md#tools)', async () => {
    const client = await connectStreamableHttp(app.url, { query: '?tools=add,hello,about' });
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['hello', 'add']);
      expect(texts(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toEqual(['3']);
      const outside = await client.callTool({ name: 'multiply', arguments: { a: 1, b: 2 } });
      expect(outside.isError).toBe(true);
      expect((await client.listResources()).resources.map((resource) => resource.uri)).toEqual(['showcase://about']);
      expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);
      expect((await client.listPrompts()).prompts).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('answers OAuth discovery probes with 404 JSON, as mcp-remote needs', async () => {
    for (const document of ['oauth-protected-resource', 'oauth-authorization-server', 'openid-configuration']) {
      for (const suffix of ['', '/gradio_api/mcp', '/gradio_api/mcp/sse']) {
        const response = await fetch(`${app.url}/.well-known/${document}${suffix}`);
        expect([document, suffix, response.status]).toEqual([document, suffix, 404]);
        expect(response.headers.get('content-type')).toContain('application/json');
        await response.json();
      }
    }
    for (const path of [
      '/gradio_api/mcp/.well-known/openid-configuration',
      '/gradio_api/mcp/sse/.well-known/openid-configuration',
    ]) {
      const response = await fetch(`${app.url}${path}`);
      expect([path, response.status, response.headers.get('content-type')?.split(';')[0]]).toEqual([
        path,
        404,
        'application/json',
      ]);
    }
  });

  it('answers bad SSE message posts like Gradio: 400 without a session id, 404 for an unknown one', async () => {
    const post = (query: string) =>
      fetch(`${app.url}/gradio_api/mcp/messages/${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post('')).status).toBe(400);
    expect((await post('?sessionId=no-such-session')).status).toBe(404);
  });

  it("advertises a messages URL on the SSE stream's first event, same-origin and relative", async () => {
    const controller = new AbortController();
    const response = await fetch(`${app.url}/gradio_api/mcp/sse`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    controller.abort();
    expect(new TextDecoder().decode(value)).toMatch(
      /^event: endpoint\ndata: \/gradio_api\/mcp\/messages\/\?sessionId=[0-9a-f-]{36}\n\n/,
    );
  });

  it('keeps MCP-only methods off Gradio surfaces, with contiguous fn_index numbering', async () => {
    const config = (await getJson(`${app.url}/config`)).json as {
      mcp_server: boolean;
      dependencies: { id: number; api_name: string }[];
    };
    expect(config.mcp_server).toBe(true);
    const names = config.dependencies.map((dependency) => dependency.api_name);
    expect(config.dependencies.map((dependency) => dependency.id)).toEqual(names.map((_name, index) => index));
    for (const mcpOnly of ['word_count', 'wordCount', 'about', 'endpoint', 'review_code', 'reviewCode']) {
      expect(names).not.toContain(mcpOnly);
    }
    const info = (await getJson(`${app.url}/gradio_api/info`)).json as { named_endpoints: Record<string, unknown> };
    expect(Object.keys(info.named_endpoints)).toEqual(names.map((name) => `/${name}`));
    const openApi = JSON.stringify((await getJson(`${app.url}/gradio_api/openapi.json`)).json);
    expect(openApi).not.toMatch(/word_?[cC]ount|review_?[cC]ode/);
    const call = await fetch(`${app.url}/gradio_api/call/wordCount`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: ['a b'] }),
    });
    expect(call.status).toBe(404);
  });
});

describe('shutdown', () => {
  it('closes open SSE sessions and ends calls in flight, so that the server can stop', async () => {
    const app = await startShowcase({ mcpServer: true });
    const sse = await connectSse(app.url);
    const http = await connectStreamableHttp(app.url);
    const inFlight = http.callTool({ name: 'slow_echo', arguments: { text: 'never', seconds: 120 } });
    await waitFor(() => queueOf(app.app).snapshot().running === 1, 'the call to start');
    // Resolves only once no connection is left open: the SSE session's stream and the call's response included.
    await app.close();
    const result = await inFlight.catch((error: unknown) => error);
    // The server tells the agent it stopped, or the connection ends: either way the call is over.
    expect(result instanceof Error || (result as { isError?: boolean }).isError === true).toBe(true);
    await sse.close();
    await http.close();
  }, 30_000);
});
