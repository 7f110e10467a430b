import type { IncomingMessage } from 'node:http';

/**
 * What a verified access token tells about its holder. The MCP SDK's `AuthInfo` shape: MCP handlers see it as
 * `extra.authInfo`, and guards on MCP tools read it as `request.auth` (docs/mcp.md#oauth).
 *
 * @publicApi
 */
export interface McpAuthInfo {
  /** The access token itself. */
  token: string;
  /** The OAuth client the token was issued to (JWT `client_id`, else `azp`, else `sub`). */
  clientId: string;
  /** The token's scopes (JWT `scope`, space-separated, or `scp`). */
  scopes: string[];
  /** When the token expires, in seconds since the epoch. */
  expiresAt?: number;
  /** The resource (RFC 8707) the token was issued for. */
  resource?: URL;
  /** Anything else; for a JWT, all of its claims (`sub`, `email`, …). */
  extra?: Record<string, unknown>;
}

/**
 * A token's info that travelled between processes as JSON, which made its resource URL a string: made whole again.
 * @internal
 */
export function authInfoFromJson(auth: McpAuthInfo): McpAuthInfo {
  return auth.resource === undefined ? auth : { ...auth, resource: new URL(String(auth.resource)) };
}

/**
 * Verifies access tokens against the authorization server's signing keys (a JWKS document): RS256/384/512,
 * PS256/384/512, ES256/384/512 and EdDSA signatures, with `exp`, `nbf`, `iss` and `aud` checked.
 *
 * @publicApi
 */
export interface McpJwksOptions {
  /** URL of the JSON Web Key Set, e.g. `https://auth.example.com/.well-known/jwks.json`. */
  uri: string;
  /** The `iss` the tokens must carry. */
  issuer: string;
  /**
   * The `aud` the tokens must carry (one of). Default: `resource`. Without either, only requests to a loopback address
   * (local development) are checked against the URL they reached; a server reached over the network must set one.
   */
  audience?: string | string[];
  /** Signature algorithms accepted. Default: all of the above. */
  algorithms?: string[];
}

/**
 * OAuth for agents (the MCP authorization spec): the MCP routes accept only requests with a valid Bearer access
 * token, and tell clients where to get one through the protected-resource metadata (RFC 9728). Either `jwks` or
 * `verifyToken` says how a token is checked.
 *
 * @publicApi
 */
export interface McpOAuthOptions {
  /** Issuer URLs of the authorization servers that issue tokens for this server. At least one. */
  authorizationServers: string[];
  /** Checks JWT access tokens with the authorization server's public keys. */
  jwks?: McpJwksOptions;
  /**
   * Checks a token yourself (introspection, opaque tokens, another library): answer its info, or undefined when the
   * token is not valid. Throw an `UnauthorizedException` to say why it is not; any other error is a server error.
   */
  verifyToken?: (token: string, request: IncomingMessage) => McpAuthInfo | undefined | Promise<McpAuthInfo | undefined>;
  /**
   * The resource identifier of the MCP server (its canonical URL, e.g. `https://mcp.example.com/gradio_api/mcp`),
   * announced in the metadata and, with `jwks`, the audience tokens must be for. Default: the URL the client
   * reached, up to `/gradio_api/mcp` — fine for the metadata, but as the audience only on loopback (set it, or
   * `jwks.audience`, on a server reached over the network).
   */
  resource?: string;
  /** Scopes announced in the metadata (`scopes_supported`). */
  scopesSupported?: string[];
  /** Scopes every token must have; a token without them gets 403 `insufficient_scope`. Default none. */
  requiredScopes?: string[];
  /** A human-readable name in the metadata (`resource_name`). Default: the app's title. */
  resourceName?: string;
}

export interface ResolvedMcpOAuthOptions {
  authorizationServers: string[];
  jwks?: Required<Pick<McpJwksOptions, 'uri' | 'issuer' | 'algorithms'>> & { audience?: string[] };
  verifyToken?: McpOAuthOptions['verifyToken'];
  resource?: string;
  scopesSupported?: string[];
  requiredScopes: string[];
  resourceName?: string;
}

/** Algorithms a JWKS verifier accepts by default: every asymmetric one Node verifies (never `none` nor HMAC). */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export function resolveMcpOAuthOptions(options: McpOAuthOptions | undefined): ResolvedMcpOAuthOptions | undefined {
  if (options === undefined) return undefined;
  const name = 'mcp.oauth';
  if (typeof options !== 'object' || options === null)
    throw new Error(`GradioModule option ${name} must be an object.`);
  const authorizationServers = urlList(options.authorizationServers, `${name}.authorizationServers`);
  if (authorizationServers.length === 0) {
    throw new Error(`GradioModule option ${name}.authorizationServers must name at least one authorization server.`);
  }
  if ((options.jwks === undefined) === (options.verifyToken === undefined)) {
    throw new Error(`GradioModule option ${name} needs exactly one of jwks and verifyToken.`);
  }
  if (options.verifyToken !== undefined && typeof options.verifyToken !== 'function') {
    throw new Error(`GradioModule option ${name}.verifyToken must be a function.`);
  }
  const resolved: ResolvedMcpOAuthOptions = {
    authorizationServers,
    requiredScopes: stringList(options.requiredScopes, `${name}.requiredScopes`),
  };
  if (options.jwks !== undefined) resolved.jwks = resolveJwks(options.jwks, `${name}.jwks`);
  if (options.verifyToken !== undefined) resolved.verifyToken = options.verifyToken;
  if (options.resource !== undefined) resolved.resource = url(options.resource, `${name}.resource`).replace(/#.*$/, '');
  if (options.scopesSupported !== undefined) {
    resolved.scopesSupported = stringList(options.scopesSupported, `${name}.scopesSupported`);
  }
  if (options.resourceName !== undefined) resolved.resourceName = String(options.resourceName);
  return resolved;
}

function resolveJwks(jwks: McpJwksOptions, name: string): NonNullable<ResolvedMcpOAuthOptions['jwks']> {
  if (typeof jwks !== 'object' || jwks === null) throw new Error(`GradioModule option ${name} must be an object.`);
  if (typeof jwks.issuer !== 'string' || jwks.issuer === '') {
    throw new Error(`GradioModule option ${name}.issuer must be the issuer the tokens carry.`);
  }
  const algorithms = stringList(jwks.algorithms, `${name}.algorithms`);
  const unknown = algorithms.find((algorithm) => !(JWT_ALGORITHMS as readonly string[]).includes(algorithm));
  if (unknown !== undefined) {
    throw new Error(`GradioModule option ${name}.algorithms: ${unknown} is not one of ${JWT_ALGORITHMS.join(', ')}.`);
  }
  const audience =
    jwks.audience === undefined
      ? undefined
      : typeof jwks.audience === 'string'
        ? [jwks.audience]
        : stringList(jwks.audience, `${name}.audience`);
  return {
    uri: url(jwks.uri, `${name}.uri`),
    issuer: jwks.issuer,
    algorithms: algorithms.length > 0 ? algorithms : [...JWT_ALGORITHMS],
    ...(audience !== undefined ? { audience } : {}),
  };
}

function urlList(value: unknown, name: string): string[] {
  return stringList(value, name).map((entry) => url(entry, name));
}

function url(value: unknown, name: string): string {
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
    try {
      new URL(value);
      return value;
    } catch {
      // reported below
    }
  }
  throw new Error(`GradioModule option ${name} must be an http(s) URL (got ${JSON.stringify(value)}).`);
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry !== '')) {
    throw new Error(`GradioModule option ${name} must be a list of non-empty strings.`);
  }
  return value as string[];
}
