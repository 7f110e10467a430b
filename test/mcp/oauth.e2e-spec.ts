// OAuth for agents (docs/mcp.md#oauth): with mcp.oauth the MCP routes want a Bearer access token from the named
// authorization server, announce it through the protected-resource metadata, and hand the verified token to guards.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type OAuthClientProvider, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { Ctx, type EventContext, McpTool, type McpAuthInfo } from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { texts, TRANSPORTS, type McpConnector } from './mcp-clients.js';

/** Lets a tool run only for tokens with the `tools:write` scope, reading the token the app put on the request. */
@Injectable()
class WriteScopeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const auth = context.switchToHttp().getRequest<{ auth?: McpAuthInfo }>().auth;
    if (!auth?.scopes.includes('tools:write')) throw new ForbiddenException('This tool needs the tools:write scope.');
    return true;
  }
}

@Injectable()
class Notes {
  @McpTool({ description: 'Read the notes.' })
  read_notes(): string {
    return 'note one';
  }

  @McpTool({ description: 'Erase every note.' })
  @UseGuards(WriteScopeGuard)
  erase_notes(): string {
    return 'erased';
  }
}

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function signingKey(kid: string, alg: SigningKey['alg']): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** A compact JWS, signed the way an authorization server signs access tokens. */
function jwt(key: SigningKey, claims: Record<string, unknown>, kid = key.kid): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: key.alg, typ: 'at+jwt', kid })}.${encode(claims)}`;
  const signature =
    key.alg === 'RS256'
      ? sign('sha256', Buffer.from(input), key.privateKey)
      : sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const rsa = signingKey('rsa-1', 'RS256');
const ec = signingKey('ec-1', 'ES256');
/** Not in the key set: a token it signs under another key's id must be refused. */
const stranger = signingKey('rsa-1', 'RS256');

/** The authorization server of these tests, on loopback: its metadata, key set and token endpoint. */
let authServer: Server;
let issuer: string;
/** Codes the authorization server "issued" after a (simulated) user's consent, and what token requests carried. */
const issuedCodes = new Set<string>();
const tokenRequests: URLSearchParams[] = [];
let app: RunningApp;
let resource: string;

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    sub: 'alice',
    client_id: 'agent-1',
    aud: resource,
    scope: 'tools:read',
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

beforeAll(async () => {
  authServer = createServer((request, response) => {
    const json = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/jwks.json') return json(200, { keys: [rsa.publicJwk, ec.publicJwk] });
    if (request.url === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (request.url === '/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += String(chunk)));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        tokenRequests.push(form);
        const code = form.get('code') ?? '';
        if (!issuedCodes.delete(code)) return json(400, { error: 'invalid_grant' });
        const audience = form.get('resource') ?? '';
        const token = jwt(rsa, claims({ aud: audience, scope: 'tools:read tools:write' }));
        json(200, { access_token: token, token_type: 'Bearer', expires_in: 600, scope: 'tools:read tools:write' });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
  app = await startGradioApp(
    {
      mcpServer: true,
      title: 'Notes',
      mcp: {
        oauth: {
          authorizationServers: [issuer],
          jwks: { uri: `${issuer}/jwks.json`, issuer },
          scopesSupported: ['tools:read', 'tools:write'],
        },
      },
    },
    [Notes],
    { providers: [WriteScopeGuard] },
  );
  resource = `${app.url}/gradio_api/mcp`;
});

afterAll(async () => {
  await app.close();
  await new Promise((resolve) => authServer.close(resolve));
});

function initialize(headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/gradio_api/mcp/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    }),
  });
}

describe('the protected-resource metadata', () => {
  it.each(['', '/gradio_api/mcp', '/gradio_api/mcp/sse'])(
    'is served at /.well-known/oauth-protected-resource%s',
    async (suffix) => {
      const response = await fetch(`${app.url}/.well-known/oauth-protected-resource${suffix}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        resource: `${app.url}/gradio_api/mcp`,
        authorization_servers: [issuer],
        scopes_supported: ['tools:read', 'tools:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Notes',
      });
    },
  );

  it('is not served for other paths, and this server is no authorization server', async () => {
    expect((await fetch(`${app.url}/.well-known/oauth-protected-resource/elsewhere`)).status).toBe(404);
    expect((await fetch(`${app.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${app.url}/.well-known/openid-configuration`)).status).toBe(404);
  });
});

describe('an MCP request without a valid token', () => {
  const metadataUrl = (): string => `${app.url}/.well-known/oauth-protected-resource/gradio_api/mcp`;

  it('gets 401 with a challenge naming the metadata', async () => {
    const response = await initialize();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
    expect(response.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');
    expect((await fetch(`${app.url}/gradio_api/mcp/sse`)).status).toBe(401);
    expect((await fetch(`${app.url}/gradio_api/mcp/schema`)).status).toBe(401);
    expect((await fetch(`${app.url}/gradio_api/mcp/http`, { method: 'POST' })).status).toBe(401);
    const message = await fetch(`${app.url}/gradio_api/mcp/messages/?sessionId=abc`, { method: 'POST' });
    expect(message.status).toBe(401);
  });

  it.each(TRANSPORTS)('cannot connect over %s', async (_name, connect) => {
    await expect(connect(app.url)).rejects.toThrow(/401|requires an OAuth access token/);
  });

  it.each<[string, () => string, RegExp]>([
    ['a token signed by a key outside the key set', () => jwt(stranger, claims()), /invalid signature/],
    ['an expired token', () => jwt(rsa, claims({ exp: Math.floor(Date.now() / 1000) - 60 })), /expired/],
    ['a token for another server', () => jwt(rsa, claims({ aud: 'https://other.example.test/mcp' })), /aud/],
    ['a token from another issuer', () => jwt(rsa, claims({ iss: 'https://evil.example.test' })), /issuer/],
    ['a token without an expiry', () => jwt(rsa, claims({ exp: undefined })), /expiry/],
    ['a token naming an unknown key', () => jwt(rsa, claims(), 'rsa-9'), /unknown key/],
    ['something that is not a JWT', () => 'not-a-jwt', /not a JWT/],
  ])('is refused with invalid_token for %s', async (_what, token, reason) => {
    const response = await initialize({ authorization: `Bearer ${token()}` });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"/);
    expect(challenge).toContain(`resource_metadata="${metadataUrl()}"`);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_token');
    expect(body.error_description).toMatch(reason);
  });
});

describe.each(TRANSPORTS)('an agent with a valid token, over %s', (_name, connect: McpConnector) => {
  const as = (token: string): ReturnType<McpConnector> =>
    connect(app.url, { headers: { authorization: `Bearer ${token}` } });

  it('lists and calls the tools its scopes allow (RS256)', async () => {
    const client = await as(jwt(rsa, claims()));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['read_notes']);
      expect(texts(await client.callTool({ name: 'read_notes', arguments: {} }))).toEqual(['note one']);
      const refused = await client.callTool({ name: 'erase_notes', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(texts(refused)).toEqual(['This tool needs the tools:write scope.']);
    } finally {
      await client.close();
    }
  });

  it("reaches a tool its guard allows for the token's scopes (ES256)", async () => {
    const client = await as(jwt(ec, claims({ scope: 'tools:read tools:write' })));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['read_notes', 'erase_notes']);
      expect(texts(await client.callTool({ name: 'erase_notes', arguments: {} }))).toEqual(['erased']);
    } finally {
      await client.close();
    }
  });
});

describe("the MCP SDK client's own OAuth flow", () => {
  /** A pre-registered public client that keeps what the SDK hands it, as a desktop agent would. */
  class AgentProvider implements OAuthClientProvider {
    authorizationUrl?: URL;
    saved?: OAuthTokens;
    private verifier = '';
    readonly redirectUrl = 'http://127.0.0.1:1/callback';
    readonly clientMetadata = { redirect_uris: [this.redirectUrl], client_name: 'agent' };
    clientInformation(): { client_id: string } {
      return { client_id: 'agent-1' };
    }
    tokens(): OAuthTokens | undefined {
      return this.saved;
    }
    saveTokens(tokens: OAuthTokens): void {
      this.saved = tokens;
    }
    redirectToAuthorization(url: URL): void {
      this.authorizationUrl = url;
    }
    saveCodeVerifier(verifier: string): void {
      this.verifier = verifier;
    }
    codeVerifier(): string {
      return this.verifier;
    }
  }

  it('discovers the authorization server from the 401, gets a token for this resource and connects with it', async () => {
    const provider = new AgentProvider();
    const mcpUrl = new URL(`${app.url}/gradio_api/mcp/`);
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'agent', version: '1' }).connect(first)).rejects.toThrow(UnauthorizedError);
    // The SDK sent the user to the authorization server named in the metadata, for this server's resource.
    const authorization = provider.authorizationUrl as URL;
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${issuer}/authorize`);
    expect(authorization.searchParams.get('resource')).toBe(resource);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    // The user consents; the authorization server redirects back with a code, which the client exchanges.
    issuedCodes.add('code-1');
    await first.finishAuth('code-1');
    expect(tokenRequests.at(-1)?.get('resource')).toBe(resource);
    const client = new Client({ name: 'agent', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['read_notes', 'erase_notes']);
    } finally {
      await client.close();
    }
  });
});

describe('a verifyToken function and required scopes', () => {
  let custom: RunningApp;
  const seen: McpAuthInfo[] = [];

  @Injectable()
  class WhoAmI {
    @McpTool({ description: 'Say which client called.' })
    whoami(@Ctx() ctx: EventContext): string {
      return `${ctx.request.auth?.clientId} ${String(ctx.request.auth?.extra?.['sub'])}`;
    }
  }

  @Injectable()
  class RecordingGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const auth = context.switchToHttp().getRequest<{ auth?: McpAuthInfo }>().auth;
      if (auth) seen.push(auth);
      return true;
    }
  }

  beforeAll(async () => {
    custom = await startGradioApp(
      {
        mcpServer: true,
        mcp: {
          oauth: {
            authorizationServers: [issuer],
            requiredScopes: ['mcp'],
            verifyToken: (token) => {
              if (token === 'revoked') throw new UnauthorizedException('The access token was revoked.');
              const scopes = { 'token-with-mcp': ['mcp'], 'token-without-mcp': ['other'] }[token];
              return scopes && { token, clientId: 'desk-agent', scopes, extra: { sub: 'bob' } };
            },
          },
        },
      },
      [WhoAmI],
      { providers: [{ provide: APP_GUARD, useClass: RecordingGuard }] },
    );
  });
  afterAll(() => custom.close());

  it('refuses a token the function rejects, with its reason', async () => {
    const response = await fetch(`${custom.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { authorization: 'Bearer revoked', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error_description="The access token was revoked."');
    const unknown = await fetch(`${custom.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { authorization: 'Bearer nobody-knows-me' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 403 insufficient_scope to a token without the required scope', async () => {
    const response = await fetch(`${custom.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { authorization: 'Bearer token-without-mcp' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope", scope="mcp"/);
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it("gives the application's global guard and the handler's context the verified token", async () => {
    const [, connect] = TRANSPORTS[0] as [string, McpConnector];
    const client = await connect(custom.url, { headers: { authorization: 'Bearer token-with-mcp' } });
    try {
      expect(texts(await client.callTool({ name: 'whoami', arguments: {} }))).toEqual(['desk-agent bob']);
    } finally {
      await client.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({
      token: 'token-with-mcp',
      clientId: 'desk-agent',
      scopes: ['mcp'],
      extra: { sub: 'bob' },
    });
  });
});

describe('without mcp.oauth', () => {
  let open: RunningApp;
  beforeAll(async () => {
    open = await startGradioApp({ mcpServer: true }, [Notes], { providers: [WriteScopeGuard] });
  });
  afterAll(() => open.close());

  it('answers the discovery probes with 404 and serves MCP without a token', async () => {
    expect((await fetch(`${open.url}/.well-known/oauth-protected-resource/gradio_api/mcp`)).status).toBe(404);
    const [, connect] = TRANSPORTS[0] as [string, McpConnector];
    const client = await connect(open.url);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['read_notes']);
    } finally {
      await client.close();
    }
  });
});
