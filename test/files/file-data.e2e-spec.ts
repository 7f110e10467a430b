// FileData in and out of handlers: what a handler receives, every way it may return a file, and files fetched from
// URLs by the server (docs/protocol.md#uploads steps 4–5, docs/protocol.md#file-serving step 1).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { FileEndpoints } from './file-endpoints.service.js';
import { callNamed, fileArg, freshDir, rawHttp, removeDir, uploadOne } from './file-helpers.js';

const STORED_FILE = /^[0-9a-f]{64}$/;

interface Output {
  path: string;
  url: string;
  size: number | null;
  orig_name: string | null;
  mime_type: string | null;
  is_stream: boolean;
  meta: unknown;
}

async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function stop(server: Server | undefined): Promise<void> {
  if (server) await new Promise((resolve) => server.close(resolve));
}

describe('FileData in and out of handlers', () => {
  let app: RunningApp;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    app = await startGradioApp({ uploadDir }, [...SHOWCASE_PROVIDERS, FileEndpoints]);
  });

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
  });

  it('gives the handler a FileData instance whose path it can read, with size and original name', async () => {
    const path = await uploadOne(app.url, 'note.txt', 'readable text');
    const { event, data } = await callNamed(app.url, 'inspect', { file: fileArg(path, 'my note.txt') });
    expect(event).toBe('complete');
    expect(data).toEqual([
      {
        isFileData: true,
        path,
        url: `/gradio_api/file=${path}`,
        size: 13,
        orig_name: 'my note.txt',
        content: 'readable text',
        username: null,
        root: app.url,
      },
    ]);
  });

  it('accepts a bare path at a FileData position (curl users), and files inside lists', async () => {
    const path = await uploadOne(app.url, 'bare.txt', 'bare');
    expect((await callNamed(app.url, 'file_size', { file: path })).data).toEqual([4]);
    const second = await uploadOne(app.url, 'second.txt', 'second');
    expect(await callNamed(app.url, 'concat', { files: [fileArg(path), second] })).toEqual({
      event: 'complete',
      data: ['bare+second'],
    });
    const refused = await callNamed(app.url, 'concat', { files: [fileArg(path), fileArg('/etc/hostname')] });
    expect(refused.event).toBe('error');
    expect((refused.data as { error: string }).error).toContain('/etc/hostname was not uploaded to this server');
  });

  it('refuses values that are not files before queueing them (422), with the shape a file takes', async () => {
    for (const value of [42, ['a'], { name: 'no path' }, { path: '', meta: { _type: 'gradio.FileData' } }]) {
      const response = await fetch(`${app.url}/gradio_api/call/v2/file_size`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ file: value }),
      });
      expect({ value, status: response.status }).toEqual({ value, status: 422 });
      expect(((await response.json()) as { detail: string }).detail).toBe(
        'Invalid file for /file_size: file must be a file: {"path": <a path from POST /gradio_api/upload, or an ' +
          'http(s) URL>, "meta": {"_type": "gradio.FileData"}}',
      );
    }
  });

  it('fails the event with a clear message for a path that is no file it may read', async () => {
    const { event, data } = await callNamed(app.url, 'file_size', {
      file: { path: 'ftp://example.com/x', meta: { _type: 'gradio.FileData' } },
    });
    expect(event).toBe('error');
    expect(data).toMatchObject({
      title: 'Invalid file',
      error: 'Invalid file for /file_size: ftp://example.com/x is neither a file on this server nor an http(s) URL.',
    });
  });

  it.each([
    ['buffer', 'from a buffer', 'file'],
    ['stream', 'from a stream', 'file'],
    ['named-bytes', 'named bytes', 'named.txt'],
    ['temp-path', 'from the temp folder', 'temp.txt'],
    ['temp-filedata', 'a FileData in the temp folder', 'shown.txt'],
  ])('stores a returned %s in the upload folder and gives it a URL', async (kind, content, origName) => {
    const { event, data } = await callNamed(app.url, 'produce', { kind });
    expect(event).toBe('complete');
    const [output] = data as [Output];
    expect(dirname(dirname(output.path))).toBe(uploadDir);
    expect(basename(dirname(output.path))).toMatch(STORED_FILE);
    expect(output).toMatchObject({
      orig_name: origName,
      size: Buffer.byteLength(content),
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    });
    expect(output.url).toBe(`${app.url}/gradio_api/file=${output.path}`);
    expect(await readFile(output.path, 'utf8')).toBe(content);
    expect(await (await fetch(output.url)).text()).toBe(content);
  });

  it('copies a returned working-directory file, but never a dot-file or a file from elsewhere', async () => {
    const copied = ((await callNamed(app.url, 'produce', { kind: 'cwd-file' })).data as [Output])[0];
    expect(copied.path.startsWith(`${uploadDir}/`)).toBe(true);
    expect(await readFile(copied.path, 'utf8')).toBe(await readFile('package.json', 'utf8'));
    for (const kind of ['cwd-dotfile', 'outside']) {
      const { event } = await callNamed(app.url, 'produce', { kind });
      expect({ kind, event }).toEqual({ kind, event: 'error' });
    }
  });

  it('passes a returned FileData with an http(s) url through untouched', async () => {
    const [output] = (await callNamed(app.url, 'produce', { kind: 'web' })).data as [Output];
    expect(output).toMatchObject({ path: 'https://example.com/file.png', url: 'https://example.com/file.png' });
  });

  it('refuses URL inputs that lead to private addresses, and leaves the target untouched', async () => {
    let hits = 0;
    const { server, port } = await startServer((_request, response) => {
      hits++;
      response.end('internal');
    });
    try {
      for (const url of [
        `http://127.0.0.1:${port}/a.txt`,
        `http://localhost:${port}/a.txt`,
        'http://169.254.169.254/latest',
      ]) {
        const { event, data } = await callNamed(app.url, 'file_size', { file: fileArg(url) });
        expect({ url, event }).toEqual({ url, event: 'error' });
        expect((data as { error: string }).error).toContain('cannot be fetched');
      }
      expect(hits).toBe(0);
    } finally {
      await stop(server);
    }
  });
});

describe('server-side URL fetches with ssrfAllowedHosts', () => {
  let app: RunningApp;
  let uploadDir: string;
  let trusted: { server: Server; port: number };
  let internal: { server: Server; port: number };
  let internalHits = 0;

  beforeAll(async () => {
    uploadDir = await freshDir();
    internal = await startServer((_request, response) => {
      internalHits++;
      response.end('internal secret');
    });
    trusted = await startServer((request, response) => {
      if (request.url === '/hop') {
        // A trusted host redirecting to one that is not trusted: the hop is checked again and refused.
        response.writeHead(302, { Location: `http://127.0.0.1:${internal.port}/secret` }).end();
      } else if (request.url === '/page.html') {
        response.writeHead(200, { 'Content-Type': 'text/html' }).end('<script>alert(1)</script>');
      } else {
        const body = 'trusted content';
        const range = /bytes=(\d+)-(\d+)/.exec(request.headers.range ?? '');
        if (range) {
          const [start, end] = [Number(range[1]), Number(range[2])];
          response.writeHead(206, {
            'Content-Type': 'text/plain',
            'Content-Range': `bytes ${start}-${end}/${body.length}`,
          });
          response.end(body.slice(start, end + 1));
        } else {
          response.writeHead(200, { 'Content-Type': 'text/plain', ETag: '"v1"' }).end(body);
        }
      }
    });
    // Only the name `localhost` is trusted; 127.0.0.1 is not.
    app = await startGradioApp({ uploadDir, ssrfAllowedHosts: ['localhost'] }, [...SHOWCASE_PROVIDERS, FileEndpoints]);
  });

  afterAll(async () => {
    await app?.close();
    await stop(trusted?.server);
    await stop(internal?.server);
    await removeDir(uploadDir);
  });

  it('serves file=<URL> of a trusted host with the safe-type rules, forwarding Range', async () => {
    const base = `http://localhost:${trusted.port}`;
    const whole = await rawHttp(app.url, `/gradio_api/file=${base}/a.txt`);
    expect(whole.status).toBe(200);
    expect(whole.body.toString()).toBe('trusted content');
    expect(whole.headers['content-type']).toBe('text/plain');
    expect(whole.headers['content-disposition']).toBe('inline');
    expect(whole.headers['x-content-type-options']).toBe('nosniff');
    expect(whole.headers['etag']).toBe('"v1"');
    const part = await rawHttp(app.url, `/gradio_api/file=${base}/a.txt`, { headers: { Range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('trusted');
    const html = await rawHttp(app.url, `/gradio_api/file=${base}/page.html`);
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['content-disposition']).toBe('attachment');
  });

  it('checks every redirect again: a trusted host cannot redirect to an untrusted private one', async () => {
    const answer = await rawHttp(app.url, `/gradio_api/file=http://localhost:${trusted.port}/hop`);
    expect(answer.status).toBe(403);
    expect(answer.headers['location']).toBeUndefined();
    const input = await callNamed(app.url, 'file_size', { file: fileArg(`http://localhost:${trusted.port}/hop`) });
    expect(input.event).toBe('error');
    expect(internalHits).toBe(0);
  });

  it('downloads a URL input into the upload folder for the handler', async () => {
    const { event, data } = await callNamed(app.url, 'inspect', {
      file: fileArg(`http://localhost:${trusted.port}/doc.txt`),
    });
    expect(event).toBe('complete');
    const [seen] = data as [{ path: string; content: string; orig_name: string }];
    expect(seen.content).toBe('trusted content');
    expect(seen.orig_name).toBe('doc.txt');
    expect(seen.path.startsWith(`${uploadDir}/`)).toBe(true);
  });
});
