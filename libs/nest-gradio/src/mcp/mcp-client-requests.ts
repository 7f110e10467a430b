import type { Server } from '../kernel/optional-package.js';
import { mcpClientRequestsNeedSessionsMessage } from '../kernel/gradio.messages.js';
import type { GradioRequest, McpClientRequests, McpInputRequest } from '../options/event-context.interface.js';
import type { McpConnection } from './mcp-connection.js';

/**
 * What a handler may ask the MCP client that called it (docs/mcp.md#asking-the-client), for one request of a 2025
 * revision (the 2026-07-28 revision asks through input-required results: see InputRound): sent as
 * requests related to it, so that a streamable-HTTP session carries them on that request's stream, as the SDK routes
 * them. A connection that cannot bring the answer back refuses at once rather than waiting for a timeout.
 */
export function mcpClientRequests(
  server: Server,
  requestId: string | number,
  connection: McpConnection,
): McpClientRequests {
  const related = { relatedRequestId: requestId };
  const send = (request: McpInputRequest): Promise<unknown> => {
    if (!connection.answersServerRequests) return Promise.reject(new Error(mcpClientRequestsNeedSessionsMessage()));
    switch (request.method) {
      case 'elicitation/create':
        return server.elicitInput(request.params as never, related);
      case 'sampling/createMessage':
        return server.createMessage(request.params as never, related);
      case 'roots/list':
        return server.listRoots(undefined, related);
    }
  };
  return {
    get capabilities() {
      return server.getClientCapabilities();
    },
    createMessage: (params) => send({ method: 'sampling/createMessage', params }) as never,
    elicitInput: (params) => send({ method: 'elicitation/create', params }) as never,
    listRoots: () => send({ method: 'roots/list' }) as never,
    // One after the other: a client may show its user one question at a time.
    ask: async (requests) => {
      const answers: Record<string, unknown> = {};
      for (const [key, request] of Object.entries(requests)) answers[key] = await send(request);
      return answers as never;
    },
  };
}

/**
 * The request a handler sees, with the client it may ask. The property is not enumerable: the request is copied
 * between processes in distributed mode, and a function cannot be (MCP_CLIENT_FACET sends a stand-in instead).
 */
export function withMcpClient(request: GradioRequest, client: McpClientRequests | undefined): GradioRequest {
  if (client) Object.defineProperty(request, 'mcp', { value: client, enumerable: false });
  return request;
}
