import { resolveCorsOptions } from '../options/cors-options.js';
import { isAllowedOrigin } from './origin-policy.js';

const strict = resolveCorsOptions(undefined) as Exclude<ReturnType<typeof resolveCorsOptions>, false>;

describe('isAllowedOrigin', () => {
  it('allows localhost origins and the app’s own origin, nothing else, by default', () => {
    expect(isAllowedOrigin('http://localhost:5173', 'localhost:7860', strict)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:3000', 'localhost:7860', strict)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:3000', 'localhost:7860', strict)).toBe(true);
    expect(isAllowedOrigin('https://app.example.org', 'app.example.org', strict)).toBe(true);
    expect(isAllowedOrigin('https://example.com', 'localhost:7860', strict)).toBe(false);
    expect(isAllowedOrigin('https://example.com', 'app.example.org', strict)).toBe(false);
    expect(isAllowedOrigin('https://localhost.evil.com', 'localhost:7860', strict)).toBe(false);
    expect(isAllowedOrigin('not a url', 'localhost:7860', strict)).toBe(false);
  });

  it('accepts `null` only when not strict', () => {
    expect(isAllowedOrigin('null', 'localhost', strict)).toBe(false);
    expect(isAllowedOrigin('null', 'localhost', { allowedOrigins: [], strict: false })).toBe(true);
  });

  it('accepts configured origins (exact, case-insensitive, trailing slash ignored; or a pattern; or all)', () => {
    const options = resolveCorsOptions({
      allowedOrigins: ['https://Partner.example/', /^https:\/\/\w+\.trusted\.example$/],
    });
    if (options === false) throw new Error('unexpected');
    expect(isAllowedOrigin('https://partner.example', 'x', options)).toBe(true);
    expect(isAllowedOrigin('https://a.trusted.example', 'x', options)).toBe(true);
    expect(isAllowedOrigin('https://a.trusted.example.evil', 'x', options)).toBe(false);
    expect(isAllowedOrigin('https://anyone.example', 'x', { allowedOrigins: '*', strict: true })).toBe(true);
  });

  it('refuses malformed options at bootstrap', () => {
    expect(() => resolveCorsOptions({ allowedOrigins: [42 as unknown as string] })).toThrow(/allowedOrigins/);
    expect(resolveCorsOptions(false)).toBe(false);
  });
});
