// Abuse of the file routes: traversal in every spelling, symlinks out of the upload folder, oversize and slow
// uploads, abandoned uploads and a thousand at once. After each, the server still answers, has served nothing it
// should not, and has left no partial file behind.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Module } from '@nestjs/common';
import { GradioModule, launch } from 'nest-gradio';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import {
  callNamed,
  fileArg,
  filePart,
  freshDir,
  listFiles,
  multipartBody,
  rawHttp,
  removeDir,
  upload,
  uploadOne,
} from './file-helpers.js';

/** Generous bounds for a loaded 2-core machine; they only stop a hung run. */
const LONG = 180_000;

const SECRET = `secret-${randomBytes(8).toString('hex')}`;

/** Files in the upload folder other than the hashing seed: stored files, and anything left in `.incoming/`. */
async function storedFiles(uploadDir: string): Promise<string[]> {
  return (await listFiles(uploadDir)).filter((file) => file !== '.nest-gradio-seed');
}

async function alive(app: RunningApp): Promise<void> {
  const answer = await fetch(`${app.url}/config`);
  expect(answer.status).toBe(200);
}

/** The start of the one file part {@link openUpload} sends. */
function partStart(boundary = 'slowboundary'): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="slow.txt"\r\n\r\n`;
}

/** Opens a raw connection and sends an upload's headers and its part's start; the caller sends the rest (or not). */
function openUpload(
  app: RunningApp,
  contentLength: number,
  boundary = 'slowboundary',
  allowHalfOpen = false,
): Promise<Socket> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen }, () => {
      socket.write(
        `POST /gradio_api/upload HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
          `Content-Length: ${contentLength}\r\n\r\n`,
      );
      socket.write(partStart(boundary));
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Resolves with what the server sent once it closed the connection. */
function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
}

/** What a raw connection received until it closed, and the socket error it saw on the way, if any. */
function outcome(socket: Socket): Promise<{ received: string; error: string | undefined }> {
  return new Promise((resolve) => {
    let received = '';
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', (cause: NodeJS.ErrnoException) => (error ??= cause.code ?? cause.message));
    socket.on('close', () => resolve({ received, error }));
  });
}

/** Writes `bytes` bytes in 64 KiB chunks, honouring back-pressure, then ends the sending side. */
async function sendBody(socket: Socket, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let sent = 0; sent < bytes && !socket.destroyed; sent += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
    if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
  }
  if (!socket.destroyed) socket.end();
}

describe('abuse of the file routes', () => {
  let app: RunningApp;
  let uploadDir: string;
  let outsideDir: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    outsideDir = await freshDir('nest-gradio-outside-');
    await writeFile(join(outsideDir, 'secret.txt'), SECRET);
    app = await startGradioApp(
      { uploadDir, maxFileSize: '64kb', uploadIdleTimeout: 1, uploadTimeout: 4 },
      SHOWCASE_PROVIDERS,
    );
  }, LONG);

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
    await removeDir(outsideDir);
  });

  afterEach(async () => {
    await alive(app);
  }, LONG);

  it(
    'does not let any spelling of path traversal out of the upload folder',
    async () => {
      const stored = await uploadOne(app.url, 'anchor.txt', 'anchor');
      const folder = dirname(stored);
      // From <upload>/<hash>/ up to the parent of the upload folder, then into the folder with the secret.
      const up = '../../..';
      const target = `${basename(outsideDir)}/secret.txt`;
      const spellings = [
        `${folder}/${up}/tmp/${target}`,
        `${folder}/${up}${outsideDir}/secret.txt`,
        `${folder}/${up.replaceAll('/', '%2f')}%2f..%2ftmp%2f${target.replace('/', '%2f')}`,
        `${folder}/${up.replaceAll('.', '%2e')}/tmp/${target}`,
        `${folder}/${up.replaceAll('.', '%252e')}/tmp/${target}`,
        `${folder}/${up.replaceAll('/', '%252f')}%252ftmp%252f${target.replace('/', '%252f')}`,
        `${folder}/${up.replaceAll('/', '\\')}\\tmp\\${target.replace('/', '\\')}`,
        `${folder}/${up.replaceAll('/', '%5c')}%5ctmp%5c${target.replace('/', '%5c')}`,
        `${folder}/..%c0%af..%c0%af..%c0%aftmp/${target}`,
        `${outsideDir}/secret.txt`,
        `${outsideDir}/./secret.txt`,
        `${outsideDir}//secret.txt`,
        `${outsideDir}/secret.txt%00.png`,
      ];
      for (const route of ['/gradio_api/file=', '/gradio_api/file/', '/gradio_api/file//']) {
        for (const spelling of spellings) {
          const answer = await rawHttp(app.url, `${route}${spelling}`);
          expect({ route, spelling, status: answer.status }).toEqual({
            route,
            spelling,
            status: answer.status === 400 ? 400 : 403,
          });
          expect(answer.body.toString()).not.toContain(SECRET);
        }
      }
      // As an input file too.
      for (const spelling of [`${folder}/${up}${outsideDir}/secret.txt`, `${outsideDir}/secret.txt`]) {
        const { event, data } = await callNamed(app.url, 'file_size', { file: fileArg(spelling) });
        expect(event).toBe('error');
        expect(JSON.stringify(data)).not.toContain(SECRET);
      }
    },
    LONG,
  );

  it(
    'stores uploads with traversal in their names inside the upload folder only',
    async () => {
      for (const name of [
        '../../evil.txt',
        '..\\..\\evil.txt',
        '/etc/passwd',
        '%2e%2e%2fevil.txt',
        '....//evil.txt',
        'a/../../b.txt',
      ]) {
        const body = multipartBody([filePart(name, 'payload')]);
        const answer = await rawHttp(app.url, '/gradio_api/upload', {
          method: 'POST',
          headers: { 'Content-Type': body.contentType },
          body: body.body,
        });
        expect({ name, status: answer.status }).toEqual({ name, status: 200 });
        const [path] = JSON.parse(answer.body.toString()) as [string];
        expect(dirname(dirname(path))).toBe(uploadDir);
        expect(basename(path)).not.toMatch(/[/\\]|^\.\.?$/);
      }
      await expect(readFile(join(dirname(uploadDir), 'evil.txt'))).rejects.toThrow();
    },
    LONG,
  );

  it(
    'follows no symlink out of the upload folder, for serving or as an input',
    async () => {
      const stored = await uploadOne(app.url, 'real.txt', 'real');
      const link = join(dirname(stored), 'link.txt');
      await symlink(join(outsideDir, 'secret.txt'), link);
      const linkedFolder = join(uploadDir, 'a'.repeat(64));
      await symlink(outsideDir, linkedFolder);
      for (const path of [link, join(linkedFolder, 'secret.txt')]) {
        const served = await rawHttp(app.url, `/gradio_api/file=${path}`);
        expect({ path, status: served.status }).toEqual({ path, status: 403 });
        expect(served.body.toString()).not.toContain(SECRET);
        const input = await callNamed(app.url, 'file_size', { file: fileArg(path) });
        expect({ path, event: input.event }).toEqual({ path, event: 'error' });
      }
    },
    LONG,
  );

  it(
    'answers malformed uploads 400 with the reason (Gradio’s texts), and keeps nothing of them',
    async () => {
      const before = await storedFiles(uploadDir);
      const post = (contentType: string, body: Buffer | string): ReturnType<typeof rawHttp> =>
        rawHttp(app.url, '/gradio_api/upload', { method: 'POST', headers: { 'Content-Type': contentType }, body });
      const notMultipart = await post('application/json', '{"files": []}');
      expect({ status: notMultipart.status, body: JSON.parse(notMultipart.body.toString()) as unknown }).toEqual({
        status: 400,
        body: { detail: 'Invalid content type.' },
      });
      const noBoundary = await post('multipart/form-data', multipartBody([filePart('a.txt', 'a')]).body);
      expect({ status: noBoundary.status, body: noBoundary.body.toString() }).toEqual({
        status: 400,
        body: 'Missing boundary in multipart.',
      });
      // Cut off before the closing boundary: the part that did arrive is not kept either.
      const whole = multipartBody([filePart('cut.txt', 'cut short')]);
      const truncated = await post(whole.contentType, whole.body.subarray(0, whole.body.length - 30));
      expect(truncated.status).toBe(400);
      expect(truncated.body.toString()).toMatch(/^Could not parse multipart request: \S/);
      // A part whose headers name no field (none at all, or no Content-Disposition), next to a good file.
      const type = 'multipart/form-data; boundary=B0und';
      for (const body of [
        '--B0und\r\n--B0und--\r\n',
        `${multipartBody([filePart('kept.txt', 'x')], 'B0und')
          .body.toString()
          .replace(/--B0und--\r\n$/, '')}` + '--B0und\r\nContent-Type: text/plain\r\n\r\nx\r\n--B0und--\r\n',
      ]) {
        const unnamed = await post(type, body);
        expect({ body, status: unnamed.status, text: unnamed.body.toString() }).toEqual({
          body,
          status: 400,
          text: 'The Content-Disposition header field "name" must be provided.',
        });
      }
      // No part at all is no mistake: nothing to store.
      const empty = await post(type, '--B0und--\r\n');
      expect({ status: empty.status, body: empty.body.toString() }).toEqual({ status: 200, body: '[]' });
      expect(await storedFiles(uploadDir)).toEqual(before);
    },
    LONG,
  );

  it(
    'refuses an oversize upload with 413 and keeps no part of it',
    async () => {
      const before = await storedFiles(uploadDir);
      const answer = await upload(app.url, [{ name: 'huge.bin', content: randomBytes(5 * 1024 * 1024) }]);
      expect(answer.status).toBe(413);
      expect(answer.text).toBe(`File size exceeded maximum allowed size of ${64 * 1024} bytes.`);
      // Several files where the last is too large: none of them is kept.
      const mixed = await upload(app.url, [
        { name: 'small-1.txt', content: randomBytes(10) },
        { name: 'small-2.txt', content: randomBytes(10) },
        { name: 'large.bin', content: randomBytes(100 * 1024) },
      ]);
      expect(mixed.status).toBe(413);
      expect(await storedFiles(uploadDir)).toEqual(before);
    },
    LONG,
  );

  it(
    'cuts off a slow-loris upload (408) while serving others, and keeps nothing of it',
    async () => {
      const before = await storedFiles(uploadDir);
      const socket = await openUpload(app, 1_000_000);
      const done = closed(socket);
      // One byte every 200 ms: never idle for the 1 s idle limit, but never finishing within the 4 s total limit.
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write('x');
      }, 200);
      try {
        // The server keeps answering everyone else meanwhile.
        const path = await uploadOne(app.url, 'meanwhile.txt', 'meanwhile');
        expect(await readFile(path, 'utf8')).toBe('meanwhile');
        const received = await done;
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
      expect((await storedFiles(uploadDir)).filter((file) => !before.includes(file))).toEqual([
        expect.stringMatching(/^[0-9a-f]{64}\/meanwhile\.txt$/),
      ]);
    },
    LONG,
  );

  it(
    'cuts off an upload that stalls (408), and one whose client goes away, keeping nothing',
    async () => {
      const before = await storedFiles(uploadDir);
      const stalled = await openUpload(app, 1_000_000);
      stalled.write('some bytes and then nothing');
      expect(await closed(stalled)).toMatch(/^HTTP\/1\.1 408 /);

      const abandoned = await openUpload(app, 1_000_000);
      abandoned.write(randomBytes(30_000));
      // Wait until the server has the partial file, then vanish.
      const deadline = Date.now() + 30_000;
      while ((await listFiles(join(uploadDir, '.incoming'))).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      abandoned.destroy();
      while ((await listFiles(join(uploadDir, '.incoming'))).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await listFiles(join(uploadDir, '.incoming'))).toEqual([]);
      expect(await storedFiles(uploadDir)).toEqual(before);
    },
    LONG,
  );

  it(
    'does not cut off a client that kept sending while the server was too busy to read (event loop blocked)',
    async () => {
      const tail = 'world\r\n--slowboundary--\r\n';
      const socket = await openUpload(app, partStart().length + 'hello '.length + tail.length);
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.write('hello ');
      // Let the server read that much, so that its idle timer runs from here.
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Send the rest, then keep this process — which is also the server — busy past the 1 s idle limit: when the
      // server's timers run again, the bytes have long been waiting in its socket.
      socket.write(tail);
      const busyUntil = Date.now() + 1500;
      while (Date.now() < busyUntil) {
        // blocking on purpose
      }
      // The answer is a JSON list: complete once it ends with `]` (or the server closes the connection).
      const deadline = Date.now() + 60_000;
      while (!received.endsWith(']') && !socket.destroyed && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
      expect(received).toMatch(/^HTTP\/1\.1 200 /);
      const [path] = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as [string];
      expect(await readFile(path, 'utf8')).toBe('hello world');
    },
    LONG,
  );

  it(
    'answers a refused upload that is still being sent with its status, never a reset (413, and 408 to a late sender)',
    async () => {
      const before = await storedFiles(uploadDir);
      // Clients that write their whole body whatever the server says (as most HTTP clients do), so they keep sending
      // after the server's answer and its end of the connection (half-open sockets).
      const oversize = await openUpload(app, 2 * 1024 * 1024, 'slowboundary', true);
      const oversizeOutcome = outcome(oversize);
      await sendBody(oversize, 2 * 1024 * 1024 - partStart().length);
      expect(await oversizeOutcome).toEqual({
        received: expect.stringMatching(
          new RegExp(`^HTTP/1\\.1 413 [^]*File size exceeded maximum allowed size of ${64 * 1024} bytes\\.$`),
        ),
        error: undefined,
      });
      // A client that falls silent past the idle limit and then sends the rest: it is told 408, not reset.
      const late = await openUpload(app, 1_000_000, 'slowboundary', true);
      const lateOutcome = outcome(late);
      late.write('a first few bytes');
      const deadline = Date.now() + 60_000;
      let answered = '';
      late.on('data', (chunk: Buffer) => (answered += chunk.toString()));
      while (!answered.includes('\r\n\r\n') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await sendBody(late, 1_000_000 - partStart().length - 'a first few bytes'.length);
      expect(await lateOutcome).toEqual({
        received: expect.stringMatching(/^HTTP\/1\.1 408 [^]*no data received\.$/),
        error: undefined,
      });
      expect(await storedFiles(uploadDir)).toEqual(before);
    },
    LONG,
  );
});

// An app started by `launch()`, as in production, with the server's default upload time limits: a thousand clients
// in this one process (which also runs the server) on a loaded machine can fall silent for longer than the 1 s idle
// limit the tests above use to stay quick.
describe('a thousand concurrent uploads', () => {
  let app: RunningApp;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    @Module({ imports: [GradioModule.forRoot({ uploadDir, maxFileSize: '64kb' })], providers: SHOWCASE_PROVIDERS })
    class ThousandUploadsModule {}
    const nest = await launch(ThousandUploadsModule, {
      port: 0,
      host: '127.0.0.1',
      printUrl: false,
      logLevels: ['error'],
    });
    const { port } = nest.getHttpServer().address() as { port: number };
    app = { url: `http://127.0.0.1:${port}`, app: nest, processes: [nest], close: () => nest.close() };
  }, LONG);

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
  });

  it('listens with a backlog that holds a thousand connections arriving at once (2048, capped by somaxconn)', async () => {
    // With Node's default of 511, a burst of connections on a busy server overflows the kernel's accept queue, and
    // some of the clients are reset (`write ECONNRESET`) before the server ever sees them.
    const { port } = new URL(app.url);
    const somaxconn = Number((await readFile('/proc/sys/net/core/somaxconn', 'utf8')).trim());
    const { stdout } = await promisify(execFile)('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
    const [, , backlog] = stdout.trim().split(/\s+/);
    expect(Number(backlog)).toBe(Math.min(2048, somaxconn));
  });

  it(
    'takes 1000 concurrent uploads (some abandoned), stays up, and leaves only complete files',
    async () => {
      const contents = Array.from(
        { length: 1000 },
        (_unused, index) => `upload number ${index} ${randomBytes(8).toString('hex')}`,
      );
      const abandoned = await Promise.all(Array.from({ length: 50 }, () => openUpload(app, 1_000_000)));
      for (const socket of abandoned) socket.write(randomBytes(1000));
      const answers = await Promise.all(
        contents.map((content, index) => upload(app.url, [{ name: `file-${index}.txt`, content }])),
      );
      for (const socket of abandoned) socket.destroy();
      expect(answers.map((answer) => answer.status)).toEqual(contents.map(() => 200));
      for (const [index, answer] of answers.entries()) {
        const [path] = answer.body as [string];
        expect(basename(path)).toBe(`file-${index}.txt`);
        expect(await readFile(path, 'utf8')).toBe(contents[index]);
      }
      const deadline = Date.now() + 30_000;
      while ((await listFiles(join(uploadDir, '.incoming'))).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await listFiles(join(uploadDir, '.incoming'))).toEqual([]);
      // Nothing of it is served but the stored files themselves.
      expect((await rawHttp(app.url, `/gradio_api/file=${uploadDir}/.incoming`)).status).toBe(403);
      expect((await rawHttp(app.url, `/gradio_api/file=${uploadDir}/.nest-gradio-seed`)).status).toBe(403);
      await mkdir(join(uploadDir, 'not-a-hash'), { recursive: true });
      await writeFile(join(uploadDir, 'not-a-hash', 'x.txt'), 'x');
      expect((await rawHttp(app.url, `/gradio_api/file=${uploadDir}/not-a-hash/x.txt`)).status).toBe(403);
      await alive(app);
    },
    LONG,
  );
});
