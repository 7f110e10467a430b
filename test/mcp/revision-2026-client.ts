// The 2026-07-28 revision of MCP spoken as raw HTTP requests (no SDK client speaks it yet): requests carry their
// protocol version, client info and capabilities in `_meta`, with no initialize.

export const REVISION = '2026-07-28';

/** The capabilities `_meta` of a client that can answer elicitations. */
export const ELICIT = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };

/** An accepted elicitation's answer. */
export const accepted = (content: Record<string, unknown>) => ({ action: 'accept', content });

export interface RpcMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** One JSON-RPC request of the revision; every message of the answer (JSON, or each event of an SSE stream). */
export async function post(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  { meta = {}, headers = {} }: { meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<{ status: number; messages: RpcMessage[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': REVISION,
      // The revision repeats the method (and the tool, prompt or resource named) in headers, for proxies to route on.
      'Mcp-Method': method,
      ...(typeof params['name'] === 'string' ? { 'Mcp-Name': params['name'] } : {}),
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': REVISION,
          'io.modelcontextprotocol/clientInfo': { name: 'raw-http', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
          ...meta,
        },
      },
    }),
  });
  const text = await response.text();
  const messages = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => JSON.parse(line.slice('data:'.length)) as RpcMessage)
    : [JSON.parse(text) as RpcMessage];
  return { status: response.status, messages };
}

export function resultOf(messages: RpcMessage[]): Record<string, unknown> {
  const answer = messages.find((message) => message.id === 7);
  if (!answer?.result) throw new Error(`No result in ${JSON.stringify(messages)}`);
  return answer.result;
}
