// A minimal MCP client over Streamable HTTP (JSON-RPC POSTs), enough to call one tool in a loop without the SDK's
// per-call overhead on the client side: `initialize`, `notifications/initialized`, then `tools/list` and
// `tools/call`. A server may answer a POST with JSON or with an SSE stream carrying the response; both are read.
import { SseSplitter } from './sse.mjs';

const PROTOCOL_VERSION = '2025-06-18';

export class McpSession {
  #nextId = 0;
  sessionId = null;
  protocolVersion = PROTOCOL_VERSION;

  constructor(pools, path = '/gradio_api/mcp/') {
    this.pools = pools;
    this.path = `${pools.prefix}${path}`;
  }

  /** Opens the MCP session; returns the server's `initialize` result. */
  async initialize() {
    const result = await this.request('initialize', {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'nest-gradio-bench', version: '1.0.0' },
    });
    this.protocolVersion = result.protocolVersion ?? PROTOCOL_VERSION;
    await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return result;
  }

  async listTools() {
    return (await this.request('tools/list', {})).tools ?? [];
  }

  callTool(name, args) {
    return this.request('tools/call', { name, arguments: args });
  }

  /** One JSON-RPC request; resolves with its `result`, rejects with its `error`. */
  async request(method, params) {
    const id = ++this.#nextId;
    const reply = await this.#post({ jsonrpc: '2.0', id, method, params });
    if (!reply) throw new Error(`MCP ${method}: no response`);
    if (reply.error) throw new Error(`MCP ${method}: ${reply.error.message ?? JSON.stringify(reply.error)}`);
    return reply.result;
  }

  async #post(message) {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (message.method !== 'initialize') headers['mcp-protocol-version'] = this.protocolVersion;
    const response = await this.pools.requests.request({
      path: this.path,
      method: 'POST',
      headers,
      body: JSON.stringify(message),
    });
    const sessionId = response.headers['mcp-session-id'];
    if (typeof sessionId === 'string') this.sessionId = sessionId;
    const type = String(response.headers['content-type'] ?? '');
    if (response.statusCode === 202 || message.id === undefined) {
      await response.body.dump();
      if (response.statusCode >= 400) throw new Error(`MCP ${message.method} answered ${response.statusCode}`);
      return undefined;
    }
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new Error(`MCP ${message.method} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    if (type.includes('text/event-stream')) return readSseReply(response.body, message.id);
    return JSON.parse(await response.body.text());
  }
}

/**
 * Reads SSE `data:` lines for the JSON-RPC response with the given id. The server ends the stream after it; reading
 * to the end (rather than hanging up) keeps the connection reusable.
 */
async function readSseReply(body, id) {
  const splitter = new SseSplitter({ crlf: true });
  let found;
  for await (const chunk of body) {
    for (const block of splitter.push(chunk)) {
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue;
      const reply = JSON.parse(data);
      if (reply.id === id) found ??= reply;
    }
  }
  return found;
}
