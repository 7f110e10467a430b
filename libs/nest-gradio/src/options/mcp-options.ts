import { resolveMcpOAuthOptions, type McpOAuthOptions, type ResolvedMcpOAuthOptions } from './mcp-oauth-options.js';

/**
 * Which requests the MCP routes answer: the guard against DNS rebinding, where a web page on another site makes the
 * browser send requests to a server on the user's machine under the attacker's host name (docs/mcp.md#transport-security).
 *
 * @publicApi
 */
export interface GradioMcpOptions {
  /**
   * `Host` header values (`name` or `name:port`) the MCP routes answer, besides the host of a full-URL `rootPath`.
   * Default: when a request reached a loopback address, only the loopback names (`localhost`, `127.0.0.1`, `[::1]`);
   * on any other address every host (a public server is reached under names it cannot know).
   */
  allowedHosts?: string[];
  /**
   * Origins (`scheme://host[:port]`) of browser pages that may call the MCP routes, besides pages on the loopback
   * names and on the app's own origin. Requests without an `Origin` header (agents, CLIs) are not affected.
   */
  allowedOrigins?: string[];
  /**
   * Require OAuth access tokens from agents (docs/mcp.md#oauth): the MCP routes answer 401 without a valid Bearer
   * token, and `/.well-known/oauth-protected-resource` tells clients which authorization server issues them.
   * Default: off (the MCP routes are open, or guarded by the app's own guards).
   */
  oauth?: McpOAuthOptions;
  /**
   * `'stateless'` (default, as Gradio): every streamable-HTTP POST is served on its own. `'stateful'`: `initialize`
   * opens a session whose `Mcp-Session-Id` the client sends on later requests (404 once unknown, `DELETE` ends it);
   * a session keeps its log level, has a standalone `GET` SSE stream, and its streams resume after a disconnect from
   * `Last-Event-ID` (docs/mcp.md#sessions). The 2026-07-28 revision is stateless either way.
   */
  sessions?: 'stateless' | 'stateful';
  /**
   * The key (at least 32 bytes) that signs the state of a 2026-07-28 call asking its client for input, which the
   * client sends back with its answers (docs/mcp.md#asking-the-client). Default: `GRADIO_MCP_STATE_KEY`, else a
   * random key made at start — for this process, or in distributed mode for every process of the deployment (kept in
   * Redis). Set one to keep rounds valid across restarts, or for processes that do not share a Redis.
   */
  requestStateKey?: string;
}

export interface ResolvedMcpOptions {
  sessions: 'stateless' | 'stateful';
  requestStateKey?: string;
  /** Lower-cased `host` or `host:port` entries; empty means the default of the address the request reached. */
  allowedHosts: string[];
  /** Lower-cased origins without a trailing slash. */
  allowedOrigins: string[];
  oauth?: ResolvedMcpOAuthOptions;
}

export function resolveMcpOptions(options: GradioMcpOptions | undefined): ResolvedMcpOptions {
  const oauth = resolveMcpOAuthOptions(options?.oauth);
  const requestStateKey = requestStateKeyOf(options?.requestStateKey ?? process.env['GRADIO_MCP_STATE_KEY']);
  return {
    ...(oauth !== undefined ? { oauth } : {}),
    ...(requestStateKey !== undefined ? { requestStateKey } : {}),
    sessions: sessionsOf(options?.sessions),
    allowedHosts: stringList(options?.allowedHosts, 'mcp.allowedHosts').map((host) => host.toLowerCase()),
    allowedOrigins: stringList(options?.allowedOrigins, 'mcp.allowedOrigins').map((origin) =>
      origin.replace(/\/+$/, '').toLowerCase(),
    ),
  };
}

function requestStateKeyOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || Buffer.byteLength(value) < 32) {
    throw new Error(
      'GradioModule option mcp.requestStateKey (or GRADIO_MCP_STATE_KEY) must be a string of at least 32 bytes.',
    );
  }
  return value;
}

function sessionsOf(value: unknown): 'stateless' | 'stateful' {
  if (value === undefined) return 'stateless';
  if (value !== 'stateless' && value !== 'stateful') {
    throw new Error(
      `GradioModule option mcp.sessions must be 'stateless' or 'stateful'; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry !== '')) {
    throw new Error(`GradioModule option ${name} must be a list of non-empty strings.`);
  }
  return value as string[];
}
