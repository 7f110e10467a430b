import { resolveMcpOAuthOptions } from '../options/mcp-oauth-options.js';
import { expectedAudiences, namesMcpServer } from './protected-resource.js';

const JWKS = { uri: 'https://auth.example.com/jwks.json', issuer: 'https://auth.example.com' };
const REQUESTED = 'http://app.example.com/gradio_api/mcp';

function oauth(extra: object = {}) {
  const resolved = resolveMcpOAuthOptions({ authorizationServers: [JWKS.issuer], jwks: JWKS, ...extra });
  if (!resolved) throw new Error('resolved to nothing');
  return resolved;
}

describe('expectedAudiences', () => {
  it('takes the configured audience, else the configured resource', () => {
    expect(expectedAudiences(oauth({ jwks: { ...JWKS, audience: 'notes-api' } }), REQUESTED, '10.0.0.5')).toEqual([
      'notes-api',
    ]);
    expect(
      expectedAudiences(oauth({ resource: 'https://mcp.example.com/gradio_api/mcp' }), REQUESTED, '10.0.0.5'),
    ).toEqual(['https://mcp.example.com/gradio_api/mcp']);
  });

  it("trusts the request's own URL only on a loopback address", () => {
    expect(expectedAudiences(oauth(), REQUESTED, '127.0.0.1')).toEqual([REQUESTED]);
    expect(expectedAudiences(oauth(), REQUESTED, '::ffff:127.0.0.1')).toEqual([REQUESTED]);
    expect(expectedAudiences(oauth(), REQUESTED, '10.0.0.5')).toBeUndefined();
    expect(expectedAudiences(oauth(), REQUESTED, undefined)).toBeUndefined();
  });
});

describe('namesMcpServer', () => {
  it.each(['', '/', 'gradio_api/mcp', 'gradio_api/mcp/', 'gradio_api/mcp/sse', 'prefix/gradio_api/mcp/http'])(
    'accepts the metadata suffix "%s"',
    (suffix) => expect(namesMcpServer(suffix)).toBe(true),
  );

  it.each(['elsewhere', 'gradio_api/mcp/schema', 'gradio_api/mcpx', 'xgradio_api/mcp'])(
    'refuses the metadata suffix "%s"',
    (suffix) => expect(namesMcpServer(suffix)).toBe(false),
  );
});

describe('resolveMcpOAuthOptions', () => {
  it.each<[string, object, RegExp]>([
    ['no authorization server', { authorizationServers: [] }, /authorizationServers must name at least one/],
    ['a relative issuer URL', { authorizationServers: ['/auth'] }, /authorizationServers must be an http\(s\) URL/],
    ['neither jwks nor verifyToken', { jwks: undefined }, /exactly one of jwks and verifyToken/],
    ['both jwks and verifyToken', { verifyToken: () => undefined }, /exactly one of jwks and verifyToken/],
    ['an HMAC algorithm', { jwks: { ...JWKS, algorithms: ['HS256'] } }, /HS256 is not one of RS256/],
    ['a jwks without issuer', { jwks: { uri: JWKS.uri } }, /jwks.issuer must be the issuer/],
    ['a resource that is no URL', { resource: 'notes' }, /mcp.oauth.resource must be an http\(s\) URL/],
  ])('rejects %s at bootstrap', (_what, extra, message) => {
    expect(() => resolveMcpOAuthOptions({ authorizationServers: [JWKS.issuer], jwks: JWKS, ...extra })).toThrow(
      message,
    );
  });
});
