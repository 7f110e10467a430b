import type { Server } from '../kernel/optional-package.js';
import { mcpClientRequestsNeedSessionsMessage } from '../kernel/gradio.messages.js';
import type { GradioRequest, McpClientRequests, McpInputRequest } from '../options/event-context.interface.js';
import type { McpConnection } from './mcp-connection.js';

/**
 * What a handler may ask the MCP client that called it (docs/mcp.md#asking-the-client), for one request of a 2025
 * revision (the 2026-07-28 revision asks through input-required results: see InputRound): sent as
 * requests related to it, so that a streamable-HTTP session carries them on that request's stream, as the SDK routes
 * them. A connection that cannot bring the answer back refuses at once rather than waiting for a timeout. `server` is
 * undefined for a stateless tool call answered without one (stateless-tool-call.ts): it could not ask either.
 */
export function mcpClientRequests(
  server: Server | undefined,
  requestId: string | number,
  connection: McpConnection,
): McpClientRequests {
  return new RelatedClientRequests(server, { relatedRequestId: requestId }, connection);
}

/**
 * Made for every MCP call, whether its handler asks or not: a class, because V8 makes an object literal with a getter
 * a dictionary-mode object, slower to make and to read.
 */
class RelatedClientRequests implements McpClientRequests {
  constructor(
    private readonly server: Server | undefined,
    private readonly related: { relatedRequestId: string | number },
    private readonly connection: McpConnection,
  ) {}

  get capabilities(): McpClientRequests['capabilities'] {
    return this.server?.getClientCapabilities();
  }

  // Properties, not methods: a handler may take them apart (`const { ask } = request.mcp`).
  readonly createMessage: McpClientRequests['createMessage'] = (params) =>
    this.send({ method: 'sampling/createMessage', params }) as never;

  readonly elicitInput: McpClientRequests['elicitInput'] = (params) =>
    this.send({ method: 'elicitation/create', params }) as never;

  readonly listRoots: McpClientRequests['listRoots'] = () => this.send({ method: 'roots/list' }) as never;

  /** One after the other: a client may show its user one question at a time. */
  readonly ask: McpClientRequests['ask'] = async (requests) => {
    const answers: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) answers[key] = await this.send(request);
    return answers as never;
  };

  private send(request: McpInputRequest): Promise<unknown> {
    const { server } = this;
    if (!this.connection.answersServerRequests || server === undefined) {
      return Promise.reject(new Error(mcpClientRequestsNeedSessionsMessage()));
    }
    switch (request.method) {
      case 'elicitation/create':
        return server.elicitInput(request.params as never, this.related);
      case 'sampling/createMessage':
        return server.createMessage(request.params as never, this.related);
      case 'roots/list':
        return server.listRoots(undefined, this.related);
    }
  }
}

/**
 * The request a handler sees, with the client it may ask. The property is not enumerable: the request is copied
 * between processes in distributed mode, and a function cannot be (MCP_CLIENT_FACET sends a stand-in instead).
 */
export function withMcpClient(request: GradioRequest, client: McpClientRequests | undefined): GradioRequest {
  if (client) Object.defineProperty(request, 'mcp', { value: client, enumerable: false });
  return request;
}
