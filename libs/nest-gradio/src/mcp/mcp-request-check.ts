import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { type HttpRequest, requestPathOf } from '../http/http-exchange.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { isLoopbackName } from '../cors/origin-policy.js';

/**
 * The checks every MCP route makes before anything else:
 * - the MCP routes are always registered (options may only be known at run time, with `forRootAsync`) and answer
 *   exactly like a missing route while the MCP server is off (404);
 * - a request under a host or from a page the app does not know is refused (403): the transport guard against DNS
 *   rebinding (docs/mcp.md#transport-security).
 */
export function assertMcpRequest(
  options: Pick<ResolvedGradioOptions, 'mcpServer' | 'mcp' | 'rootPath'>,
  request: HttpRequest,
): void {
  if (!options.mcpServer) throw new NotFoundException(`Cannot ${request.method} ${requestPathOf(request)}`);
  const host = request.headers.host?.toLowerCase();
  if (!isAllowedHost(host, options, request)) {
    throw new ForbiddenException(
      `MCP requests under the host "${host ?? ''}" are refused (DNS rebinding protection); ` +
        'add it to the GradioModule option mcp.allowedHosts if this server is meant to be reached under that name.',
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, host, options.mcp.allowedOrigins)) {
    throw new ForbiddenException(
      `MCP requests from pages on ${origin} are refused (DNS rebinding protection); ` +
        'add the origin to the GradioModule option mcp.allowedOrigins to allow them.',
    );
  }
}

function isAllowedHost(
  host: string | undefined,
  options: Pick<ResolvedGradioOptions, 'mcp' | 'rootPath'>,
  request: HttpRequest,
): boolean {
  if (host === undefined) return false;
  const { allowedHosts } = options.mcp;
  const configuredHost = hostOfUrl(options.rootPath);
  const hostname = hostnameOf(host);
  if (allowedHosts.includes(host) || allowedHosts.includes(hostname)) return true;
  if (configuredHost !== undefined && (configuredHost === host || hostnameOf(configuredHost) === hostname)) return true;
  if (isLoopbackName(hostname)) return true;
  // On a public address the server is reached under names it cannot know, unless the app lists them.
  return allowedHosts.length === 0 && configuredHost === undefined && !isLoopbackAddress(request.socket.localAddress);
}

function isAllowedOrigin(origin: string, host: string | undefined, allowedOrigins: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (isLoopbackName(parsed.hostname.toLowerCase())) return true;
  if (host !== undefined && parsed.host.toLowerCase() === host) return true;
  return allowedOrigins.includes(origin.replace(/\/+$/, '').toLowerCase());
}

/** Whether the socket's local address is a loopback one: the request came from this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/** `name` of `name:port`, `[::1]` of `[::1]:port`. */
function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

function hostOfUrl(rootPath: string): string | undefined {
  if (!/^https?:\/\//i.test(rootPath)) return undefined;
  try {
    return new URL(rootPath).host.toLowerCase();
  } catch {
    return undefined;
  }
}
