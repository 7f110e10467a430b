import { compileUriTemplate } from './uri-template.js';

describe('compileUriTemplate (docs/mcp.md#resources-and-prompts)', () => {
  it('matches a fixed URI exactly', () => {
    const matcher = compileUriTemplate('app://about', []);
    expect(matcher.match('app://about')).toEqual({});
    expect(matcher.match('app://about/more')).toBeUndefined();
  });

  it('captures one path segment per variable, percent-decoded', () => {
    const matcher = compileUriTemplate('app://users/{id}/files/{name}', ['id', 'name']);
    expect(matcher.match('app://users/42/files/a%20b.txt')).toEqual({ id: '42', name: 'a b.txt' });
    expect(matcher.match('app://users/42/files/a/b')).toBeUndefined();
    expect(matcher.match('app://users//files/x')).toBeUndefined();
  });

  it('treats the rest of the template literally', () => {
    const matcher = compileUriTemplate('app://v1.0/{id}?x=(y)', ['id']);
    expect(matcher.match('app://v1.0/7?x=(y)')).toEqual({ id: '7' });
    expect(matcher.match('app://v1x0/7?x=(y)')).toBeUndefined();
  });
});
