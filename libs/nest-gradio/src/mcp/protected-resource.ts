import type { HttpRequest } from '../http/http-exchange.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { ResolvedMcpOAuthOptions } from '../options/mcp-oauth-options.js';
import { rootUrlOf } from '../http/root-url.js';
import { isLoopbackAddress } from './mcp-request-check.js';
import { MCP_PATH } from './mcp.constants.js';

/** Where RFC 9728 puts the protected-resource metadata: this, then the resource's path. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '.well-known/oauth-protected-resource';

type Options = Pick<ResolvedGradioOptions, 'rootPath' | 'title'>;

/** The app's root URL as the client reached it, from an MCP request or from a request for the metadata itself. */
function rootOf(request: HttpRequest, options: Options): string {
  return rootUrlOf(request, options.rootPath).replace(/\/\.well-known(\/.*)?$/, '');
}

/** The MCP server's resource identifier: the option, else the MCP URL as this client reached the app. */
export function resourceOf(request: HttpRequest, oauth: ResolvedMcpOAuthOptions, options: Options): string {
  return oauth.resource ?? `${rootOf(request, options)}/${MCP_PATH}`;
}

/**
 * What a JWT's `aud` must name (one of): the option `jwks.audience`, else the configured resource. Without either,
 * the resource as the request names it is trusted only on a loopback address (local development): elsewhere the
 * `Host` and `X-Forwarded-Host` headers are the client's to choose, and a token issued for another server of the same
 * authorization server would pass. Undefined then: the app must configure it.
 */
export function expectedAudiences(
  oauth: ResolvedMcpOAuthOptions,
  requestResource: string,
  localAddress: string | undefined,
): string[] | undefined {
  if (oauth.jwks?.audience) return oauth.jwks.audience;
  if (oauth.resource !== undefined) return [oauth.resource];
  return isLoopbackAddress(localAddress) ? [requestResource] : undefined;
}

/**
 * The metadata's URL, named in every 401 challenge (docs/mcp.md#oauth). It is the path-suffixed form under the app's
 * root, so that it is reached through whatever proxy path reaches the app.
 */
export function resourceMetadataUrlOf(request: HttpRequest, options: Options): string {
  return `${rootOf(request, options)}/${PROTECTED_RESOURCE_WELL_KNOWN}/${MCP_PATH}`;
}

/** The protected-resource metadata document (RFC 9728) of the MCP server. */
export function protectedResourceMetadata(
  request: HttpRequest,
  oauth: ResolvedMcpOAuthOptions,
  options: Options,
): Record<string, unknown> {
  const name = oauth.resourceName ?? options.title;
  return {
    resource: resourceOf(request, oauth, options),
    authorization_servers: oauth.authorizationServers,
    ...(oauth.scopesSupported ? { scopes_supported: oauth.scopesSupported } : {}),
    bearer_methods_supported: ['header'],
    ...(name ? { resource_name: name } : {}),
  };
}

/**
 * Whether a path suffix after `/.well-known/oauth-protected-resource` names the MCP server: none, or a path ending
 * in one of its URLs (`/gradio_api/mcp`, `…/sse`, `…/http`), after any mount or proxy prefix.
 */
export function namesMcpServer(suffix: string | undefined): boolean {
  if (suffix === undefined || suffix === '' || suffix === '/') return true;
  return new RegExp(`(^|/)${MCP_PATH}(/(sse|http))?/?$`).test(suffix);
}
