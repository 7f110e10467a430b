import type { McpAuthInfo } from '../options/mcp-oauth-options.js';

/**
 * What guards and interceptors see as the request of an MCP message that came over stdio (docs/mcp.md#stdio):
 * there is no HTTP request, so this stands in with no headers. The process was started by the user's own MCP
 * client, so whoever talks to it is that user; a guard that checks credentials can let it through with
 * {@link isMcpStdioRequest}.
 *
 * @publicApi
 */
export interface McpStdioRequest {
  readonly transport: 'stdio';
  readonly method: 'STDIO';
  readonly url: 'stdio:';
  readonly path: 'stdio:';
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Never set over stdio: no token is exchanged. Present so that `request.auth` reads as on HTTP. */
  readonly auth?: McpAuthInfo;
}

export function stdioRequest(): McpStdioRequest {
  return Object.freeze({ transport: 'stdio', method: 'STDIO', url: 'stdio:', path: 'stdio:', headers: {} });
}

/**
 * Whether a guard's request (`context.switchToHttp().getRequest()`) is an MCP message over stdio, from the local
 * user who launched the process.
 *
 * @publicApi
 */
export function isMcpStdioRequest(request: unknown): request is McpStdioRequest {
  return (request as { transport?: unknown } | null)?.transport === 'stdio';
}
