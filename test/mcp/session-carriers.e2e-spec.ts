// On an MCP session (legacy SSE, stateful streamable HTTP) every message comes in an HTTP request of its own: a
// tool's context, and the guards, see the request that carried its call — its headers — not the one that opened the
// session, even when calls overlap.
import { Injectable } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Ctx, type EventContext, McpTool } from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { texts } from './mcp-clients.js';

const STAMP = 'x-post-stamp';

@Injectable()
class Stamps {
  /** Answers the stamp of the request that carried the call, after a pause that lets the calls overlap. */
  @McpTool({ concurrencyLimit: null })
  async stamp(label: string, @Ctx() ctx: EventContext): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return `${label}:${String(ctx.request.headers[STAMP])}`;
  }
}

/** A fetch that stamps every POST with a number of its own, and records which call label each number carried. */
function stampingFetch(carried: Map<string, string>): typeof fetch {
  let next = 0;
  return (input, init) => {
    const stamp = String(++next);
    const body = typeof init?.body === 'string' ? init.body : '';
    const label = /"label":"([^"]+)"/.exec(body)?.[1];
    if (label !== undefined) carried.set(label, stamp);
    const headers = new Headers(init?.headers);
    headers.set(STAMP, stamp);
    return fetch(input, { ...init, headers });
  };
}

const SESSION_TRANSPORTS: [string, (url: string, fetcher: typeof fetch) => Transport][] = [
  ['SSE', (url, fetcher) => new SSEClientTransport(new URL(`${url}/gradio_api/mcp/sse`), { fetch: fetcher })],
  [
    'stateful streamable HTTP',
    (url, fetcher) => new StreamableHTTPClientTransport(new URL(`${url}/gradio_api/mcp/`), { fetch: fetcher }),
  ],
];

let app: RunningApp;

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true, mcp: { sessions: 'stateful' } }, [Stamps]);
});

afterAll(async () => {
  await app.close();
});

it.each(SESSION_TRANSPORTS)('a call over %s sees the request that carried it', async (_name, transportOf) => {
  const carried = new Map<string, string>();
  const client = new Client({ name: 'nest-gradio-tests', version: '1.0.0' });
  await client.connect(transportOf(app.url, stampingFetch(carried)));
  try {
    const labels = ['a', 'b', 'c', 'd'];
    const answers = await Promise.all(
      labels.map(async (label) => texts(await client.callTool({ name: 'stamp', arguments: { label } }))[0]),
    );
    expect(answers).toEqual(labels.map((label) => `${label}:${carried.get(label)}`));
    // The session was opened by another request (stamp 1): had a call seen it, its answer would say so.
    expect(new Set(answers.map((answer) => answer?.split(':')[1])).has('1')).toBe(false);
  } finally {
    await client.close();
  }
});
