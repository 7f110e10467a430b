import { HttpException, Inject, Injectable, Logger, type NestMiddleware, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { mcpOAuthAudienceMessage } from '../kernel/gradio.messages.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { McpAuthInfo, ResolvedMcpOAuthOptions } from '../options/mcp-oauth-options.js';
import { JwksTokenVerifier, type TokenVerdict } from './jwks-token.verifier.js';
import { sendJson } from '../http/http-exchange.js';
import { expectedAudiences, resourceMetadataUrlOf, resourceOf } from './protected-resource.js';

const logger = new Logger('GradioMcp');

/** A request the middleware let through: `auth` is the verified token's info, as the MCP SDK's transports read it. */
export type AuthenticatedRequest = IncomingMessage & { auth?: McpAuthInfo };

/**
 * OAuth on the MCP routes (docs/mcp.md#oauth), when `mcp.oauth` is set: a request without a valid Bearer token gets
 * 401 with a `WWW-Authenticate` challenge naming the protected-resource metadata, one without the required scopes
 * 403. A valid token's info goes on the request as `request.auth`, before any guard runs: the application's guards
 * read it, and the SDK hands it to the MCP handlers as `extra.authInfo`. Nest middleware gets Node's request and
 * response under both adapters.
 */
@Injectable()
export class BearerAuthMiddleware implements NestMiddleware {
  private jwks?: JwksTokenVerifier;

  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  async use(request: AuthenticatedRequest, response: ServerResponse, next: () => void): Promise<void> {
    const oauth = this.options.mcp.oauth;
    // Preflights carry no credentials; a server without MCP answers 404 on these routes further on.
    if (!oauth || !this.options.mcpServer || request.method === 'OPTIONS') {
      next();
      return;
    }
    const challenge = (fields: Record<string, string>, status: number, body: Record<string, string>): void => {
      const parameters = { ...fields, resource_metadata: resourceMetadataUrlOf(request, this.options) };
      const header = Object.entries(parameters)
        .map(([key, value]) => `${key}="${value.replace(/["\\]/g, '')}"`)
        .join(', ');
      // Browser-based clients (the MCP Inspector) read the challenge across origins.
      sendJson(response, status, body, {
        'Access-Control-Expose-Headers': 'WWW-Authenticate',
        'WWW-Authenticate': `Bearer ${header}`,
      });
    };
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      const scope: Record<string, string> =
        oauth.requiredScopes.length > 0 ? { scope: oauth.requiredScopes.join(' ') } : {};
      // RFC 6750: a request that carried no token is told where to get one, without an error code.
      challenge(scope, 401, {
        error: 'unauthorized',
        error_description: 'This MCP server requires an OAuth access token (Authorization: Bearer <token>).',
      });
      return;
    }
    let verdict: TokenVerdict;
    try {
      verdict = await this.verify(token, request, oauth);
    } catch (error) {
      logger.error(
        `An MCP access token could not be verified: ${error instanceof Error ? error.message : String(error)}`,
      );
      sendJson(response, 500, { error: 'server_error', error_description: 'The access token could not be verified.' });
      return;
    }
    if ('problem' in verdict) {
      challenge({ error: 'invalid_token', error_description: verdict.problem }, 401, {
        error: 'invalid_token',
        error_description: verdict.problem,
      });
      return;
    }
    const missing = oauth.requiredScopes.filter((scope) => !verdict.authInfo.scopes.includes(scope));
    if (missing.length > 0) {
      const description = `The access token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}.`;
      challenge(
        { error: 'insufficient_scope', scope: oauth.requiredScopes.join(' '), error_description: description },
        403,
        { error: 'insufficient_scope', error_description: description },
      );
      return;
    }
    request.auth = verdict.authInfo;
    next();
  }

  private async verify(token: string, request: IncomingMessage, oauth: ResolvedMcpOAuthOptions): Promise<TokenVerdict> {
    if (oauth.jwks) {
      const audiences = expectedAudiences(oauth, resourceOf(request, oauth, this.options), request.socket.localAddress);
      if (audiences === undefined) throw new Error(mcpOAuthAudienceMessage());
      this.jwks ??= new JwksTokenVerifier(oauth.jwks);
      return this.jwks.verify(token, audiences);
    }
    let authInfo: McpAuthInfo | undefined;
    try {
      authInfo = await oauth.verifyToken?.(token, request);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 401) return { problem: error.message };
      throw error;
    }
    if (authInfo === undefined) return { problem: 'The access token is not valid.' };
    if (authInfo.expiresAt !== undefined && authInfo.expiresAt <= Date.now() / 1000) {
      return { problem: 'The access token has expired.' };
    }
    return { authInfo };
  }
}

interface FastifyDecorators {
  hasRequestDecorator(name: string): boolean;
  decorateRequest(
    name: string,
    property: { getter(this: { raw: { auth?: McpAuthInfo } }): McpAuthInfo | undefined },
  ): void;
}

/**
 * Under Fastify, middleware gets the Node request, while guards and handlers get Fastify's request, which wraps it:
 * this makes `request.auth` of Fastify's request read what the middleware set on the Node one (unless the app
 * decorated requests with an `auth` of its own).
 */
@Injectable()
export class FastifyRequestAuth implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const instance = adapter.getInstance() as FastifyDecorators;
    if (instance.hasRequestDecorator('auth')) return;
    instance.decorateRequest('auth', {
      getter() {
        return this.raw.auth;
      },
    });
  }
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined. */
function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
