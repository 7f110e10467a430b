// Stateful streamable HTTP (`mcp.sessions: 'stateful'`, docs/mcp.md#sessions): initialize issues an Mcp-Session-Id,
// later requests must carry it (404 once unknown, DELETE ends it), a session keeps its log level, has a standalone
// GET stream, and a stream cut short resumes from Last-Event-ID. The default stays stateless.
import { Injectable } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { Ctx, type EventContext, McpTool } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, texts, waitFor } from './mcp-clients.js';
import { Greeter, Notes } from './session-fixtures.js';

const gate = new Gate();

@Injectable()
class Tools {
  /** Adds two numbers. */
  @McpTool()
  add(a: number, b: number): number {
    return a + b;
  }

  /** Reports one message of each level. */
  @McpTool()
  chatty(@Ctx() ctx: EventContext): string {
    ctx.info('Warming up.');
    ctx.warning('Almost out of tea.');
    return 'done';
  }

  /** Asks the user for a name and lists the client's roots, in one ask. */
  @McpTool()
  async survey(@Ctx() ctx: EventContext): Promise<string> {
    const answers = await ctx.request.mcp?.ask({
      name: {
        method: 'elicitation/create',
        params: { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
      },
      roots: { method: 'roots/list' },
    });
    return `${String(answers?.name.content?.['name'])} works in ${answers?.roots.roots.map((root) => root.uri).join(', ')}`;
  }

  /** Says it started, then waits for the test. */
  @McpTool()
  async waiting(@Ctx() ctx: EventContext): Promise<string> {
    ctx.info('Started.');
    await gate.pass('waiting', ctx.signal);
    return 'finished';
  }
}

const JSON_AND_SSE = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

async function connect(
  url: string,
  capabilities: Record<string, object> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'sessions-test', version: '1.0.0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/gradio_api/mcp/`));
  await client.connect(transport);
  return { client, transport };
}

/** The SSE events of a response body as they arrive: `{ id, data }` each. */
async function* eventsOf(response: globalThis.Response): AsyncGenerator<{ id?: string; data: unknown }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: ?(.*)$/m.exec(block)?.[1];
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (data) yield { ...(id !== undefined ? { id } : {}), data: JSON.parse(data) as unknown };
    }
  }
}

describe("MCP sessions (mcp.sessions: 'stateful')", () => {
  let app: RunningApp;
  let mcpUrl: string;

  beforeAll(async () => {
    app = await startGradioApp({ title: 'Sessions', mcpServer: true, mcp: { sessions: 'stateful' } }, [
      Tools,
      Greeter,
      Notes,
    ]);
    mcpUrl = `${app.url}/gradio_api/mcp/`;
  });
  afterAll(async () => {
    gate.releaseAll();
    await app.close();
  });

  it('issues a session id on initialize that the SDK client then uses for its calls', async () => {
    const { client, transport } = await connect(app.url);
    try {
      expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
      expect(texts(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toEqual(['5']);
    } finally {
      await client.close();
    }
  });

  it('keeps the log level a client set for the rest of its session', async () => {
    const { client } = await connect(app.url);
    const logs: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    try {
      await client.setLoggingLevel('warning');
      await client.callTool({ name: 'chatty', arguments: {} });
      expect(logs.map((log) => log.data)).toEqual(['Almost out of tea.']);
    } finally {
      await client.close();
    }
  });

  it('answers 404 for an unknown session and 400 for a request without one', async () => {
    const unknown = await fetch(mcpUrl, {
      method: 'POST',
      headers: { ...JSON_AND_SSE, 'Mcp-Session-Id': 'no-such-session', 'MCP-Protocol-Version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
    const without = await fetch(mcpUrl, {
      method: 'POST',
      headers: JSON_AND_SSE,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(without.status).toBe(400);
  });

  it('ends a session on DELETE: its id is then unknown', async () => {
    const { client, transport } = await connect(app.url);
    const id = transport.sessionId as string;
    await transport.terminateSession();
    await client.close();
    const after = await fetch(mcpUrl, {
      method: 'POST',
      headers: { ...JSON_AND_SSE, 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it('opens the standalone GET stream of a session', async () => {
    const { client, transport } = await connect(app.url);
    try {
      // The SDK client opened it after initialize; a second one for the same session is a conflict.
      const second = await fetch(mcpUrl, {
        headers: {
          Accept: 'text/event-stream',
          'Mcp-Session-Id': transport.sessionId as string,
          'MCP-Protocol-Version': '2025-11-25',
        },
      });
      expect(second.status).toBe(409);
      await second.body?.cancel();
    } finally {
      await client.close();
    }
  });

  it('resumes a call whose stream was cut short from Last-Event-ID, with its result', async () => {
    const { client, transport } = await connect(app.url);
    const session = {
      'Mcp-Session-Id': transport.sessionId as string,
      'MCP-Protocol-Version': '2025-11-25',
    };
    try {
      const cut = new AbortController();
      const call = await fetch(mcpUrl, {
        method: 'POST',
        headers: { ...JSON_AND_SSE, ...session },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 41,
          method: 'tools/call',
          params: { name: 'waiting', arguments: {} },
        }),
        signal: cut.signal,
      });
      const first = (await eventsOf(call).next()).value as { id?: string; data: unknown };
      expect(first.data).toEqual(expect.objectContaining({ method: 'notifications/message' }));
      expect(first.id).toBeDefined();
      cut.abort();
      await waitFor(() => gate.arrivals.includes('waiting'), 'the tool to wait');
      gate.release('waiting');

      const resumed = await fetch(mcpUrl, {
        headers: { Accept: 'text/event-stream', ...session, 'Last-Event-ID': first.id as string },
      });
      expect(resumed.status).toBe(200);
      let result: unknown;
      for await (const event of eventsOf(resumed)) {
        const message = event.data as { id?: number; result?: unknown };
        if (message.id !== 41) continue;
        result = message.result;
        break;
      }
      expect(texts(result as object)).toEqual(['finished']);
      await resumed.body?.cancel().catch(() => undefined);
    } finally {
      await client.close();
    }
  });

  it("lets a tool ask the session's client (elicitation) through ctx.request.mcp", async () => {
    const { client } = await connect(app.url, { elicitation: {} });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    try {
      expect(texts(await client.callTool({ name: 'greet', arguments: {} }))).toEqual(['Hello, Ada!']);
      expect(asked).toEqual(['Who are you?']);
    } finally {
      await client.close();
    }
  });

  it("asks the session's client several questions of different kinds, one after the other (ask)", async () => {
    const { client } = await connect(app.url, { elicitation: {}, roots: {} });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, () => {
      asked.push('elicitation');
      return { action: 'accept', content: { name: 'Ada' } };
    });
    client.setRequestHandler(ListRootsRequestSchema, () => {
      asked.push('roots');
      return { roots: [{ uri: 'file:///home/ada/project' }] };
    });
    try {
      expect(texts(await client.callTool({ name: 'survey', arguments: {} }))).toEqual([
        'Ada works in file:///home/ada/project',
      ]);
      expect(asked).toEqual(['elicitation', 'roots']);
    } finally {
      await client.close();
    }
  });

  it('tells a session subscribed to a resource that it changed, and stops after unsubscribe', async () => {
    const { client } = await connect(app.url);
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updated.push(notification.params.uri);
    });
    try {
      expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
      await client.subscribeResource({ uri: 'notes://tea' });
      await client.callTool({ name: 'touch', arguments: { topic: 'coffee' } });
      await client.callTool({ name: 'touch', arguments: { topic: 'tea' } });
      await waitFor(() => updated.length > 0, 'the update notification');
      expect(updated).toEqual(['notes://tea']);
      await client.unsubscribeResource({ uri: 'notes://tea' });
      await client.callTool({ name: 'touch', arguments: { topic: 'tea' } });
      // Had it been sent, the notification would be on the session stream by the time a later call is answered.
      await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
      expect(updated).toEqual(['notes://tea']);
    } finally {
      await client.close();
    }
  });

  it('refuses to ask a client that did not declare the capability', async () => {
    const { client } = await connect(app.url);
    try {
      const result = await client.callTool({ name: 'greet', arguments: {} });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('stays stateless by default: no session id, GET is 405, and asking the client says sessions are needed', async () => {
    const stateless = await startGradioApp({ title: 'Stateless', mcpServer: true, showError: true }, [Tools, Greeter]);
    try {
      const client = await connectStreamableHttp(stateless.url);
      const transport = (client as unknown as { transport: StreamableHTTPClientTransport }).transport;
      expect(transport.sessionId).toBeUndefined();
      await client.close();
      const asking = new Client({ name: 'stateless', version: '1.0.0' }, { capabilities: { elicitation: {} } });
      asking.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada' } }));
      await asking.connect(new StreamableHTTPClientTransport(new URL(`${stateless.url}/gradio_api/mcp/`)));
      const refused = await asking.callTool({ name: 'greet', arguments: {} });
      await asking.close();
      expect(refused.isError).toBe(true);
      expect(texts(refused)[0]).toContain("mcp: { sessions: 'stateful' }");
      const get = await fetch(`${stateless.url}/gradio_api/mcp/`, { headers: { Accept: 'text/event-stream' } });
      expect(get.status).toBe(405);
    } finally {
      await stateless.close();
    }
  });
});
