import type { HttpRequest } from './http-exchange.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import type { McpAuthInfo } from '../options/mcp-oauth-options.js';
import { attachNativeRequest } from '../kernel/native-request.js';
import { requestUserOf } from './request-user.js';
import { rootUrlFrom, rootUrlSourceOf } from './root-url.js';

/**
 * What a handler may know about the HTTP request that submitted its event. `rootPath` is the module's `rootPath`
 * option (for the root URL); the user is the one the auth guard resolved. The root URL is worked out when first
 * read (it parses a URL: a good part of a join's own cost, for the few events whose outputs carry files), then kept.
 * It is worked out from what this object keeps anyway, never from the adapter's request: a waiting event would
 * otherwise hold that request (and, on Express, its response) as long as it waits.
 */
export function gradioRequestOf(request: HttpRequest, rootPath = ''): GradioRequest {
  let root: string | undefined;
  const auth = authOf(request);
  const source = rootUrlSourceOf(request);
  return attachNativeRequest(
    {
      headers: source.headers,
      clientAddress: request.socket.remoteAddress,
      url: source.url,
      username: requestUserOf(request),
      get root(): string {
        return (root ??= rootUrlFrom(source, rootPath));
      },
      // Set by the MCP routes' OAuth middleware.
      ...(auth !== undefined ? { auth } : {}),
    },
    request,
  );
}

function authOf(request: HttpRequest): McpAuthInfo | undefined {
  // Middleware gets the Node request under Fastify: the middleware's `auth` is there.
  const carrier = request as { auth?: McpAuthInfo; raw?: { auth?: McpAuthInfo } };
  return carrier.auth ?? carrier.raw?.auth;
}
