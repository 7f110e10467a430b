import { Controller, Get, Header, Inject, NotFoundException, Param, Req } from '@nestjs/common';
import { type HttpRequest, requestPathOf } from '../http/http-exchange.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { MCP_PATH } from './mcp.constants.js';
import { namesMcpServer, PROTECTED_RESOURCE_WELL_KNOWN, protectedResourceMetadata } from './protected-resource.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { OAUTH_PROBE_DOC, PROTECTED_RESOURCE_DOC } from './mcp.route-docs.js';

/**
 * OAuth discovery documents that MCP clients such as `mcp-remote` probe before connecting (docs/mcp.md#oauth).
 * With `mcp.oauth` set, the protected-resource metadata names the authorization servers; everything else (and
 * everything without OAuth) is a 404, which tells clients that this server is not an authorization server: an HTML
 * 200 would be read as a broken one. The application's own routes, registered first, still win.
 */
@Controller()
export class OAuthDiscoveryController {
  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  @Get([PROTECTED_RESOURCE_WELL_KNOWN, `${PROTECTED_RESOURCE_WELL_KNOWN}/*path`])
  // A public document: browser-based MCP clients read it from other origins.
  @Header('Access-Control-Allow-Origin', '*')
  @DocumentedRoute(PROTECTED_RESOURCE_DOC)
  protectedResource(@Req() request: HttpRequest, @Param('path') path?: string | string[]): Record<string, unknown> {
    const oauth = this.options.mcp.oauth;
    const suffix = Array.isArray(path) ? path.join('/') : path;
    if (!oauth || !this.options.mcpServer || !namesMcpServer(suffix)) return this.probe(request);
    return protectedResourceMetadata(request, oauth, this.options);
  }

  @Get([
    '.well-known/oauth-authorization-server',
    '.well-known/oauth-authorization-server/*path',
    '.well-known/openid-configuration',
    '.well-known/openid-configuration/*path',
    // OpenID Connect discovery appends the document to the issuer's path.
    `${MCP_PATH}/.well-known/openid-configuration`,
    `${MCP_PATH}/sse/.well-known/openid-configuration`,
  ])
  @DocumentedRoute(OAUTH_PROBE_DOC)
  probe(@Req() request: HttpRequest): never {
    throw new NotFoundException(`Cannot ${request.method} ${requestPathOf(request)}`);
  }
}
