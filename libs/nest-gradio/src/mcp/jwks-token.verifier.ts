import { constants, createPublicKey, type KeyObject, verify, type JsonWebKey } from 'node:crypto';
import type { McpAuthInfo, ResolvedMcpOAuthOptions } from '../options/mcp-oauth-options.js';

type JwksOptions = NonNullable<ResolvedMcpOAuthOptions['jwks']>;

/** A token's verdict: its info, or why it is refused (said to the client as `error_description`). */
export type TokenVerdict = { authInfo: McpAuthInfo } | { problem: string };

/** The key set is fetched again after this long, so that rotated keys are picked up. */
const KEYS_MAX_AGE_MS = 10 * 60_000;
/** A token signed with a key the cached set lacks fetches the set again, at most this often (no amplification). */
const UNKNOWN_KEY_REFETCH_MS = 30_000;
const FETCH_TIMEOUT_MS = 10_000;

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
  use?: string;
}

/**
 * Verifies JWT access tokens with the public keys of the authorization server's JSON Web Key Set
 * (docs/mcp.md#oauth), on node:crypto alone: the signature with an asymmetric algorithm the app accepts, then
 * `exp` (required), `nbf`, `iss` and `aud`. The key set is cached and fetched again when it is old or when a token
 * names a key it lacks (the server rotated its keys).
 */
export class JwksTokenVerifier {
  private keys?: Promise<Jwk[]>;
  private fetchedAt = 0;
  private readonly publicKeys = new WeakMap<Jwk, KeyObject | null>();

  constructor(private readonly options: JwksOptions) {}

  /** `audiences`: what `aud` must name (one of). */
  async verify(token: string, audiences: string[]): Promise<TokenVerdict> {
    const parts = token.split('.');
    if (parts.length !== 3) return { problem: 'The access token is not a JWT.' };
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    const header = jsonObjectOf(encodedHeader);
    const claims = jsonObjectOf(encodedPayload);
    if (!header || !claims) return { problem: 'The access token is not a well-formed JWT.' };
    const algorithm = header['alg'];
    if (typeof algorithm !== 'string' || !this.options.algorithms.includes(algorithm)) {
      return { problem: `The access token's algorithm ${String(algorithm)} is not accepted.` };
    }
    const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
    const signature = Buffer.from(encodedSignature, 'base64url');
    const candidates = await this.keysFor(algorithm, kid);
    if (candidates.length === 0) return { problem: 'The access token was signed with an unknown key.' };
    if (!candidates.some((key) => signatureHolds(algorithm, signed, key, signature))) {
      return { problem: 'The access token has an invalid signature.' };
    }
    const problem = this.claimsProblem(claims, audiences);
    if (problem !== undefined) return { problem };
    return { authInfo: authInfoOf(token, claims) };
  }

  private claimsProblem(claims: Record<string, unknown>, audiences: string[]): string | undefined {
    const now = Date.now() / 1000;
    const { exp, nbf, iss, aud } = claims;
    if (typeof exp !== 'number') return 'The access token has no expiry (exp).';
    if (exp <= now) return 'The access token has expired.';
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return 'The access token is not valid yet (nbf).';
    if (iss !== this.options.issuer) return 'The access token was not issued by the expected issuer.';
    const expected = audiences.map(withoutTrailingSlash);
    const given = (Array.isArray(aud) ? aud : [aud]).filter((value) => typeof value === 'string');
    if (!given.some((value) => expected.includes(withoutTrailingSlash(value)))) {
      return 'The access token was not issued for this server (aud).';
    }
    return undefined;
  }

  /** The keys that may have signed a token: the one its `kid` names, else every key of the algorithm's type. */
  private async keysFor(algorithm: string, kid: string | undefined): Promise<KeyObject[]> {
    let found = matchingKeys(await this.keySet(), algorithm, kid);
    if (found.length === 0 && Date.now() - this.fetchedAt > UNKNOWN_KEY_REFETCH_MS) {
      found = matchingKeys(await this.keySet(true), algorithm, kid);
    }
    return found.map((jwk) => this.publicKeyOf(jwk)).filter((key): key is KeyObject => key !== null);
  }

  private keySet(refresh = false): Promise<Jwk[]> {
    if (this.keys === undefined || refresh || Date.now() - this.fetchedAt > KEYS_MAX_AGE_MS) {
      const previous = this.keys;
      this.fetchedAt = Date.now();
      this.keys = fetchKeySet(this.options.uri).catch((error: unknown) => {
        // The next token tries again; until then keys fetched before still serve.
        this.keys = previous;
        this.fetchedAt = 0;
        if (previous) return previous;
        throw error;
      });
    }
    return this.keys;
  }

  private publicKeyOf(jwk: Jwk): KeyObject | null {
    if (!this.publicKeys.has(jwk)) {
      let key: KeyObject | null;
      try {
        key = createPublicKey({ key: jwk, format: 'jwk' });
      } catch {
        key = null;
      }
      this.publicKeys.set(jwk, key);
    }
    return this.publicKeys.get(jwk) ?? null;
  }
}

async function fetchKeySet(uri: string): Promise<Jwk[]> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`The JSON Web Key Set at ${uri} answered ${response.status}.`);
  const document = (await response.json()) as { keys?: unknown };
  if (!Array.isArray(document.keys)) throw new Error(`The document at ${uri} is not a JSON Web Key Set.`);
  return document.keys.filter((key): key is Jwk => typeof key === 'object' && key !== null);
}

function matchingKeys(keys: Jwk[], algorithm: string, kid: string | undefined): Jwk[] {
  return keys.filter(
    (key) =>
      (kid === undefined || key.kid === kid) &&
      (key.use === undefined || key.use === 'sig') &&
      (key.alg === undefined || key.alg === algorithm) &&
      fitsAlgorithm(key, algorithm),
  );
}

function fitsAlgorithm(key: Jwk, algorithm: string): boolean {
  if (algorithm.startsWith('RS') || algorithm.startsWith('PS')) return key.kty === 'RSA';
  if (algorithm.startsWith('ES')) return key.kty === 'EC' && key.crv === EC_CURVES[algorithm];
  return algorithm === 'EdDSA' && key.kty === 'OKP';
}

function signatureHolds(algorithm: string, signed: Buffer, key: KeyObject, signature: Buffer): boolean {
  const hash = HASHES[algorithm.slice(2)] ?? null;
  try {
    if (algorithm.startsWith('RS')) return verify(hash, signed, key, signature);
    if (algorithm.startsWith('PS')) {
      return verify(
        hash,
        signed,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
    }
    // JWS carries ECDSA signatures as r‖s, not DER.
    if (algorithm.startsWith('ES')) return verify(hash, signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
    return verify(null, signed, key, signature);
  } catch {
    return false;
  }
}

function authInfoOf(token: string, claims: Record<string, unknown>): McpAuthInfo {
  const scope = claims['scope'];
  const scp = claims['scp'];
  const scopes =
    typeof scope === 'string'
      ? scope.split(' ').filter(Boolean)
      : Array.isArray(scp)
        ? scp.filter((value): value is string => typeof value === 'string')
        : [];
  const clientId = [claims['client_id'], claims['azp'], claims['sub']].find((value) => typeof value === 'string');
  return {
    token,
    clientId: (clientId as string | undefined) ?? '',
    scopes,
    expiresAt: claims['exp'] as number,
    extra: claims,
  };
}

function jsonObjectOf(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
