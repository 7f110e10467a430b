import { Controller, Get, NotFoundException, Req } from '@nestjs/common';
import type { Request } from 'express';
import { MCP_PATH } from './mcp.constants.js';

/**
 * MCP clients such as `mcp-remote` probe OAuth discovery documents before connecting; without OAuth they must get a
 * 404 (an HTML 200 would be read as a broken authorization server). These routes make that explicit under every
 * suffix the clients try. The application's own routes, registered first, still win.
 */
@Controller()
export class OAuthDiscoveryController {
  @Get([
    '.well-known/oauth-protected-resource',
    '.well-known/oauth-protected-resource/*path',
    '.well-known/oauth-authorization-server',
    '.well-known/oauth-authorization-server/*path',
    '.well-known/openid-configuration',
    '.well-known/openid-configuration/*path',
    // OpenID Connect discovery appends the document to the issuer's path.
    `${MCP_PATH}/.well-known/openid-configuration`,
    `${MCP_PATH}/sse/.well-known/openid-configuration`,
  ])
  probe(@Req() request: Request): never {
    throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
  }
}
