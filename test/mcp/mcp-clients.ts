import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** Connects the MCP SDK's `Client` to an app's MCP server, the way an agent would. */
export type McpConnector = (
  baseUrl: string,
  options?: { headers?: Record<string, string>; query?: string },
) => Promise<Client>;

function newClient(): Client {
  return new Client({ name: 'nest-gradio-tests', version: '1.0.0' });
}

/** Streamable HTTP at the canonical `/gradio_api/mcp/` (docs/mcp.md#routes). */
export const connectStreamableHttp: McpConnector = async (baseUrl, { headers, query = '' } = {}) => {
  const client = newClient();
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/gradio_api/mcp/${query}`), { requestInit: { headers } }),
  );
  return client;
};

/** The legacy HTTP+SSE transport at `/gradio_api/mcp/sse`. */
export const connectSse: McpConnector = async (baseUrl, { headers, query = '' } = {}) => {
  const client = newClient();
  const transport = new SSEClientTransport(new URL(`${baseUrl}/gradio_api/mcp/sse${query}`), {
    requestInit: { headers },
    eventSourceInit: {
      fetch: (url, init) =>
        fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    },
  });
  await client.connect(transport);
  return client;
};

export const TRANSPORTS: [string, McpConnector][] = [
  ['streamable HTTP', connectStreamableHttp],
  ['SSE', connectSse],
];

/** Resolves once `condition` holds, checking whenever the event loop is free; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The text of a tool result's content items. */
export function texts(result: object): string[] {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((item) => item.text ?? `<${item.type}>`);
}

/**
 * POSTs one JSON-RPC request to the app's MCP endpoint by hand (as a client that accepts JSON and SSE), for tests
 * that watch the HTTP exchange itself; resolves once the answer's headers came.
 */
export function postMcpRequest(baseUrl: string, method: string, params: Record<string, unknown>): Promise<Response> {
  return fetch(`${baseUrl}/gradio_api/mcp/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
}
