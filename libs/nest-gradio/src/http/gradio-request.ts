import type { IncomingHttpHeaders } from 'node:http';
import type { HttpRequest } from './http-exchange.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import type { McpAuthInfo } from '../options/mcp-oauth-options.js';
import { attachNativeRequest } from '../kernel/native-request.js';
import { requestUserOf } from './request-user.js';
import { rootUrlFrom, rootUrlSourceOf } from './root-url.js';

/**
 * What a handler may know about the HTTP request that submitted its event. `rootPath` is the module's `rootPath`
 * option (for the root URL); the user is the one the auth guard resolved.
 */
export function gradioRequestOf(request: HttpRequest, rootPath = ''): GradioRequest {
  return attachNativeRequest(new HttpGradioRequest(request, rootPath), request);
}

/**
 * The root URL is worked out when first read (it parses a URL: a good part of a join's own cost, for the few events
 * whose outputs carry files), then kept. It is worked out from what this object keeps anyway, never from the adapter's
 * request: a waiting event would otherwise hold that request (and, on Express, its response) as long as it waits.
 *
 * A class rather than an object literal: V8 makes a literal with a getter a dictionary-mode object, half a kilobyte
 * more per waiting event (the idle-streams benchmark holds 10 000).
 */
class HttpGradioRequest implements GradioRequest {
  readonly headers: IncomingHttpHeaders;
  readonly clientAddress: string | undefined;
  readonly url: string;
  readonly username: string | null;
  // Set by the MCP routes' OAuth middleware; absent (not undefined) otherwise.
  declare readonly auth?: McpAuthInfo;
  readonly #encrypted: boolean;
  readonly #rootPath: string;
  #root: string | undefined;

  constructor(request: HttpRequest, rootPath: string) {
    const source = rootUrlSourceOf(request);
    this.headers = source.headers;
    this.clientAddress = request.socket.remoteAddress;
    this.url = source.url;
    this.username = requestUserOf(request);
    const auth = authOf(request);
    if (auth !== undefined) (this as { auth?: McpAuthInfo }).auth = auth;
    this.#encrypted = source.encrypted;
    this.#rootPath = rootPath;
  }

  get root(): string {
    this.#root ??= rootUrlFrom({ headers: this.headers, url: this.url, encrypted: this.#encrypted }, this.#rootPath);
    return this.#root;
  }
}

function authOf(request: HttpRequest): McpAuthInfo | undefined {
  // Middleware gets the Node request under Fastify: the middleware's `auth` is there.
  const carrier = request as { auth?: McpAuthInfo; raw?: { auth?: McpAuthInfo } };
  return carrier.auth ?? carrier.raw?.auth;
}
