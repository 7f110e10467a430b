import type { Request } from 'express';
import { rootUrlOf } from './root-url.js';

function request(url: string, headers: Record<string, string> = {}): Request {
  const { host, pathname, search } = new URL(url);
  return { headers: { host, ...headers }, originalUrl: pathname + search, socket: {} } as unknown as Request;
}

describe('rootUrlOf (config.root, docs/protocol.md#root-url)', () => {
  it('is the request URL without the route, query or trailing slash', () => {
    expect(rootUrlOf(request('http://127.0.0.1:7860/config?x=1'), '')).toBe('http://127.0.0.1:7860');
    expect(rootUrlOf(request('http://127.0.0.1:7860/gradio_api/info/'), '')).toBe('http://127.0.0.1:7860');
    expect(rootUrlOf(request('http://127.0.0.1:7860/'), '')).toBe('http://127.0.0.1:7860');
  });

  it('keeps a mount prefix in front of the Gradio route', () => {
    expect(rootUrlOf(request('http://example.com/apps/demo/config'), '')).toBe('http://example.com/apps/demo');
    expect(rootUrlOf(request('http://example.com/apps/demo/gradio_api/queue/join'), '')).toBe(
      'http://example.com/apps/demo',
    );
  });

  // The cases of Gradio's test_get_root_url_headers, for a request to http://gradio.app.
  it.each([
    ['root_path /gradio/', {}, '/gradio/', 'http://gradio.app/gradio'],
    ['x-forwarded-proto https', { 'x-forwarded-proto': 'https' }, '/gradio/', 'https://gradio.app/gradio'],
    ['x-forwarded-host', { 'x-forwarded-host': 'gradio.dev' }, '/gradio/', 'http://gradio.dev/gradio'],
    [
      'first values of comma-separated forwarded headers',
      { 'x-forwarded-host': 'gradio.dev,internal.gradio.dev', 'x-forwarded-proto': 'https,http' },
      '/',
      'https://gradio.dev',
    ],
    [
      'a full-URL root_path over every header',
      { 'x-forwarded-host': 'gradio.dev' },
      'http://google.com',
      'http://google.com',
    ],
  ])('%s', (_title, headers, rootPath, expected) => {
    expect(rootUrlOf(request('http://gradio.app/config', headers), rootPath)).toBe(expected);
  });

  it('uses https for TLS connections', () => {
    const tls = { ...request('http://secure.example/config'), socket: { encrypted: true } } as unknown as Request;
    expect(rootUrlOf(tls, '')).toBe('https://secure.example');
  });
});
