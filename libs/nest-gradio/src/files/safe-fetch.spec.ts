import { createServer, type Server } from 'node:http';
import { safeFetch, UrlFetchError, UrlNotAllowedError, type ResolvedAddress } from './safe-fetch.js';

const resolver =
  (answers: Record<string, string[]>) =>
  async (host: string): Promise<ResolvedAddress[]> =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('safeFetch', () => {
  let server: Server;
  let port: number;
  let hits: string[];

  beforeAll(async () => {
    hits = [];
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      const loop = /^\/loop\/(\d+)$/.exec(request.url ?? '');
      if (loop) response.writeHead(302, { Location: `/loop/${Number(loop[1]) + 1}` }).end();
      else if (request.url === '/relative') response.writeHead(301, { Location: 'target?x=1' }).end();
      else
        response.end(
          `you asked for ${request.url} with range ${request.headers.range ?? 'none'}, cookie ${request.headers.cookie ?? 'none'}`,
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    hits = [];
  });

  it('refuses other schemes, credentials in the URL, and hosts that do not resolve', async () => {
    for (const url of [
      'ftp://example.com/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://user:pw@example.com/',
      'not a url',
    ]) {
      await expect(safeFetch(url)).rejects.toBeInstanceOf(UrlNotAllowedError);
    }
    await expect(safeFetch('http://nowhere.test/', { resolve: resolver({}) })).rejects.toBeInstanceOf(
      UrlNotAllowedError,
    );
  });

  it('refuses a name that resolves to a private address, even when another answer is public', async () => {
    await expect(
      safeFetch(`http://internal.test:${port}/`, { resolve: resolver({ 'internal.test': ['127.0.0.1'] }) }),
    ).rejects.toBeInstanceOf(UrlNotAllowedError);
    await expect(
      safeFetch(`http://mixed.test:${port}/`, { resolve: resolver({ 'mixed.test': ['93.184.216.34', '10.0.0.5'] }) }),
    ).rejects.toBeInstanceOf(UrlNotAllowedError);
    expect(hits).toEqual([]);
  });

  it('connects to the address it checked, not to a fresh DNS answer', async () => {
    // The trusted name resolves (once, for the check) to this server; the connection must use that address.
    let lookups = 0;
    const { response } = await safeFetch(`http://files.test:${port}/pinned`, {
      allowedHosts: new Set(['files.test']),
      resolve: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    response.resume();
    expect(lookups).toBe(1);
    expect(hits).toEqual(['/pinned']);
  });

  it('follows relative redirects on trusted hosts, forwards only the headers given, and stops after the limit', async () => {
    const allowedHosts = new Set(['127.0.0.1']);
    const { response, url } = await safeFetch(`http://127.0.0.1:${port}/relative`, {
      allowedHosts,
      headers: { range: 'bytes=0-1' },
    });
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(url).toBe(`http://127.0.0.1:${port}/target?x=1`);
    expect(body).toBe('you asked for /target?x=1 with range bytes=0-1, cookie none');
    await expect(
      safeFetch(`http://127.0.0.1:${port}/loop/0`, { allowedHosts, maxRedirects: 3 }),
    ).rejects.toBeInstanceOf(UrlFetchError);
    expect(hits.filter((hit) => hit.startsWith('/loop/'))).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3']);
  });

  it('reports a host that does not answer as a fetch failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      safeFetch(`http://127.0.0.1:${closedPort}/`, { allowedHosts: new Set(['127.0.0.1']) }),
    ).rejects.toBeInstanceOf(UrlFetchError);
  });
});
