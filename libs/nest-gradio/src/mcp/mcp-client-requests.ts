import type { Server } from '../kernel/optional-package.js';
import { mcpClientRequestsNeedSessionsMessage } from '../kernel/gradio.messages.js';
import type { GradioRequest, McpClientRequests } from '../options/event-context.interface.js';
import type { McpConnection } from './mcp-connection.js';

/**
 * What a handler may ask the MCP client that called it (docs/mcp.md#asking-the-client), for one request: sent as
 * requests related to it, so that a streamable-HTTP session carries them on that request's stream, as the SDK routes
 * them. A connection that cannot bring the answer back refuses at once rather than waiting for a timeout.
 */
export function mcpClientRequests(
  server: Server,
  requestId: string | number,
  connection: McpConnection,
): McpClientRequests {
  const refuse = (): Promise<never> => Promise.reject(new Error(mcpClientRequestsNeedSessionsMessage()));
  return {
    get capabilities() {
      return server.getClientCapabilities();
    },
    createMessage: (params) =>
      connection.answersServerRequests
        ? (server.createMessage(params as never, { relatedRequestId: requestId }) as never)
        : refuse(),
    elicitInput: (params) =>
      connection.answersServerRequests
        ? (server.elicitInput(params as never, { relatedRequestId: requestId }) as never)
        : refuse(),
  };
}

/**
 * The request a handler sees, with the client it may ask. The property is not enumerable: the request is copied
 * between processes in distributed mode, and a function cannot be.
 */
export function withMcpClient(request: GradioRequest, client: McpClientRequests | undefined): GradioRequest {
  if (client) Object.defineProperty(request, 'mcp', { value: client, enumerable: false });
  return request;
}
