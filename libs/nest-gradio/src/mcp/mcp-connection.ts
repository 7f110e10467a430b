import type { GradioRequest } from '../options/event-context.interface.js';
import { gradioRequestOf } from '../http/gradio-request.js';
import { type HttpRequest, queryValuesOf } from '../http/http-exchange.js';
import type { McpSelection } from './mcp-catalog.service.js';
import { McpLogLevel } from './mcp-logging.js';
import type { MessageCarriers } from './message-carriers.js';

/** One MCP connection: a stateless streamable-HTTP POST, or a legacy SSE session. */
export interface McpConnection {
  /** The `?tools=` selection of the URL the client connected to. */
  readonly selection: McpSelection;
  /** The HTTP request that carried the message being handled, as the handler's context shows it (headers, user). */
  request(): GradioRequest;
  /**
   * The connection as the handler of JSON-RPC request `requestId` sees it, asked once when the handler starts: on a
   * session, {@link request} is then the HTTP request that carried that message. Elsewhere the connection itself.
   */
  forRequest(requestId: string | number): McpConnection;
  /** The level `logging/setLevel` set: for its POST only on stateless HTTP, for the session on SSE. */
  readonly logLevel: McpLogLevel;
  /**
   * Whether the client's answer to a request the server sends it (sampling, elicitation) comes back to this
   * connection: on a session (legacy SSE, stateful streamable HTTP, stdio), not on a stateless POST.
   */
  readonly answersServerRequests: boolean;
}

/**
 * A connection: a stateless POST (`request` carries its messages), or a session opened by `request` whose later
 * messages arrive in requests of their own, recorded in `carriers`. `rootPath` is the module option, for the root URL
 * of output files.
 */
export function mcpConnection(request: HttpRequest, rootPath: string, carriers?: MessageCarriers): McpConnection {
  const selection = selectionOf(request);
  const logLevel = new McpLogLevel();
  const connection = (carrier: HttpRequest): McpConnection => ({
    selection,
    request: () => gradioRequestOf(carrier, rootPath),
    forRequest: (requestId) => (carriers ? connection(carriers.take(requestId) ?? request) : self),
    logLevel,
    // A connection whose messages arrive in several requests is a session.
    answersServerRequests: carriers !== undefined,
  });
  const self = connection(request);
  return self;
}

/** The `?tools=a,b` selection of a request, or undefined when it has none. */
export function selectionOf(request: HttpRequest): McpSelection {
  const tools = queryValuesOf(request, 'tools');
  if (tools.length === 0) return undefined;
  const value = tools.join(',');
  return new Set(value.split(',').map((name) => name.trim()));
}
