import { AsyncLocalStorage } from 'node:async_hooks';
import type { GradioRequest } from '../options/event-context.interface.js';
import { gradioRequestOf } from '../http/gradio-request.js';
import { type HttpRequest, queryValuesOf } from '../http/http-exchange.js';
import type { McpSelection } from './mcp-catalog.service.js';
import { McpLogLevel } from './mcp-logging.js';

/** One MCP connection: a stateless streamable-HTTP POST, or a legacy SSE session. */
export interface McpConnection {
  /** The `?tools=` selection of the URL the client connected to. */
  readonly selection: McpSelection;
  /** The HTTP request that carried the message being handled, as the handler's context shows it (headers, user). */
  request(): GradioRequest;
  /** The level `logging/setLevel` set: for its POST only on stateless HTTP, for the session on SSE. */
  readonly logLevel: McpLogLevel;
  /**
   * Whether the client's answer to a request the server sends it (sampling, elicitation) comes back to this
   * connection: on a session (legacy SSE, stateful streamable HTTP, stdio), not on a stateless POST.
   */
  readonly answersServerRequests: boolean;
}

/**
 * A connection whose messages arrive in `carrier()` — one POST for stateless HTTP, a POST per message on SSE.
 * `rootPath` is the module option, for the root URL of output files.
 */
export function mcpConnection(request: HttpRequest, rootPath: string, carrier?: () => HttpRequest): McpConnection {
  return {
    selection: selectionOf(request),
    request: () => gradioRequestOf(carrier?.() ?? request, rootPath),
    logLevel: new McpLogLevel(),
    // A connection whose messages arrive in several requests is a session.
    answersServerRequests: carrier !== undefined,
  };
}

const carrier = new AsyncLocalStorage<HttpRequest>();

/**
 * Runs `handle` (a transport handling one HTTP request) so that the MCP handlers it triggers know that request:
 * on an SSE session, each message arrives in a POST of its own, with its own headers.
 */
export function withCarrierRequest<T>(request: HttpRequest, handle: () => T): T {
  return carrier.run(request, handle);
}

export function carrierRequest(): HttpRequest | undefined {
  return carrier.getStore();
}

/** The `?tools=a,b` selection of a request, or undefined when it has none. */
export function selectionOf(request: HttpRequest): McpSelection {
  const tools = queryValuesOf(request, 'tools');
  if (tools.length === 0) return undefined;
  const value = tools.join(',');
  return new Set(value.split(',').map((name) => name.trim()));
}
