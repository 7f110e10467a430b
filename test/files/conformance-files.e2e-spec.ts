// uploads, serving files, FileData in and out (docs/protocol.md#files).
// Expected values come from the reference and from Gradio's own tests named in each item.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { FileEndpoints } from './file-endpoints.service.js';
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

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]);
const STORED = /^[0-9a-f]{64}$/;

describe('conformance: files', () => {
  let app: RunningApp;
  let uploadDir: string;
  let allowedDir: string;
  let allowedFile: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    allowedDir = await freshDir('nest-gradio-allowed-');
    const outside = await freshDir('nest-gradio-single-');
    allowedFile = join(outside, 'single.txt');
    await writeFile(allowedFile, 'a single allowed file');
    await mkdir(join(allowedDir, 'secret'));
    await writeFile(join(allowedDir, 'public.txt'), 'public text');
    await writeFile(join(allowedDir, 'page.html'), '<b>trusted</b>');
    await writeFile(join(allowedDir, 'secret', 'key.txt'), 'do not serve');
    app = await startGradioApp(
      {
        uploadDir,
        allowedPaths: [allowedDir, allowedFile],
        // Upper case on purpose: blocked paths are compared case-insensitively.
        blockedPaths: [join(allowedDir, 'SECRET')],
      },
      [...SHOWCASE_PROVIDERS, FileEndpoints],
    );
  });

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
    await removeDir(allowedDir);
    await removeDir(dirname(allowedFile ?? ''));
  });

  it('POST upload (multipart `files`) → JSON list of absolute paths with the uploaded names and identical bytes', async () => {
    const binary = randomBytes(100_000);
    const answer = await upload(app.url, [
      { name: 'alphabet.txt', content: 'abcdefghijklmnopqrstuvwxyz' },
      { name: 'data.bin', content: binary },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    const paths = answer.body as string[];
    expect(paths).toHaveLength(2);
    expect(paths.map((path) => basename(path))).toEqual(['alphabet.txt', 'data.bin']);
    for (const path of paths) {
      expect(isAbsolute(path)).toBe(true);
      expect(path.startsWith(`${uploadDir}/`)).toBe(true);
      expect(basename(dirname(path))).toMatch(STORED);
    }
    expect(await readFile(paths[0] as string, 'utf8')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect((await readFile(paths[1] as string)).equals(binary)).toBe(true);
    // A part under another name: nothing stored, a 400 naming it (Gradio ignores it and answers an empty list; see
    // the README's differences).
    const none = await upload(app.url, [{ name: 'x.txt', content: 'x', field: 'other' }]);
    expect(none).toMatchObject({
      status: 400,
      body: 'Unexpected form field "other": an upload sends its files under "files" and nothing else.',
    });
  });

  it('the upload folder follows GRADIO_TEMP_DIR (test_custom_upload_path)', async () => {
    const custom = await freshDir('nest-gradio-temp-dir-');
    const previous = process.env['GRADIO_TEMP_DIR'];
    process.env['GRADIO_TEMP_DIR'] = custom;
    let other: RunningApp | undefined;
    try {
      other = await startGradioApp({});
      const path = await uploadOne(other.url, 'custom.txt', 'in the custom folder');
      expect(path.startsWith(`${custom}/`)).toBe(true);
      expect(await readFile(path, 'utf8')).toBe('in the custom folder');
    } finally {
      if (previous === undefined) delete process.env['GRADIO_TEMP_DIR'];
      else process.env['GRADIO_TEMP_DIR'] = previous;
      await other?.close();
      await removeDir(custom);
    }
  });

  it('a 9000-byte file name header → 413; a file over max_file_size → 413; file name ".." → 400', async () => {
    const limitedDir = await freshDir();
    const limited = await startGradioApp({ uploadDir: limitedDir, maxFileSize: '1kb' });
    try {
      const config = (await (await fetch(`${limited.url}/config`)).json()) as { max_file_size: unknown };
      expect(config.max_file_size).toBe(1024);

      const longName = multipartBody([filePart(`${'a'.repeat(9000)}.txt`, 'small')]);
      const header = await rawHttp(limited.url, '/gradio_api/upload', {
        method: 'POST',
        headers: { 'Content-Type': longName.contentType },
        body: longName.body,
      });
      expect(header.status).toBe(413);

      const tooBig = await upload(limited.url, [{ name: 'big.bin', content: randomBytes(1025) }]);
      expect(tooBig.status).toBe(413);
      expect(tooBig.contentType).toMatch(/^text\/plain/);
      expect(tooBig.text).toBe('File size exceeded maximum allowed size of 1024 bytes.');
      const justRight = await upload(limited.url, [{ name: 'fits.bin', content: randomBytes(1024) }]);
      expect(justRight.status).toBe(200);

      const dotDot = multipartBody([filePart('..', 'parent')]);
      const parent = await rawHttp(limited.url, '/gradio_api/upload', {
        method: 'POST',
        headers: { 'Content-Type': dotDot.contentType },
        body: dotDot.body,
      });
      expect(parent.status).toBe(400);
      expect(JSON.parse(parent.body.toString())).toEqual({ detail: 'Invalid file name: ..' });

      // Only the accepted file is left: nothing of the refused ones, not even partially.
      const left = (await listFiles(limitedDir)).filter((file) => !file.startsWith('.nest-gradio-seed'));
      expect(left).toEqual([expect.stringMatching(/^[0-9a-f]{64}\/fits\.bin$/)]);
    } finally {
      await limited.close();
      await removeDir(limitedDir);
    }
  });

  it('GET file=<uploaded or produced path> → 200, file/<path> too; Range bytes=0- → all, bytes=0-10 → 11 bytes', async () => {
    const content = 'The quick brown fox jumps over the lazy dog';
    const uploaded = await uploadOne(app.url, 'fox.txt', content);
    const served = await fetch(`${app.url}/gradio_api/file=${uploaded}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('accept-ranges')).toBe('bytes');
    expect(await served.text()).toBe(content);

    const produced = (await callNamed(app.url, 'reverse_file', { file: fileArg(uploaded, 'fox.txt') })).data as [
      { path: string },
    ];
    const producedAnswer = await fetch(`${app.url}/gradio_api/file=${produced[0].path}`);
    expect(producedAnswer.status).toBe(200);
    expect(await producedAnswer.text()).toBe([...content].reverse().join(''));

    const alias = await rawHttp(app.url, `/gradio_api/file/${uploaded}`);
    expect(alias.status).toBe(200);
    expect(alias.body.toString()).toBe(content);

    const whole = await fetch(`${app.url}/gradio_api/file=${uploaded}`, { headers: { Range: 'bytes=0-' } });
    expect(await whole.text()).toBe(content);
    const part = await fetch(`${app.url}/gradio_api/file=${uploaded}`, { headers: { Range: 'bytes=0-10' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-10/${content.length}`);
    expect(await part.text()).toBe(content.slice(0, 11));

    const head = await fetch(`${app.url}/gradio_api/file=${uploaded}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));
  });

  it('file= of working-directory files, dot-files, folders or missing paths → 403, never 404', async () => {
    const uploaded = await uploadOne(app.url, 'exists.txt', 'exists');
    const cwd = process.cwd();
    const refused = [
      'package.json',
      `${cwd}/package.json`,
      '.gitignore',
      'test/files/../../package.json',
      `${uploadDir}/.nest-gradio-seed`,
      uploadDir,
      dirname(uploaded),
      allowedDir,
      `${dirname(uploaded)}/missing.txt`,
      '/nonexistent/file.txt',
      '/etc/passwd',
    ];
    for (const path of refused) {
      const answer = await rawHttp(app.url, `/gradio_api/file=${encodeURI(path)}`);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(answer.body.toString())).toEqual({ detail: `File not allowed: ${path}.` });
    }
  });

  it('allowedPaths (a file or a folder) make files servable; blockedPaths override them, case-insensitively', async () => {
    const inFolder = await fetch(`${app.url}/gradio_api/file=${join(allowedDir, 'public.txt')}`);
    expect(inFolder.status).toBe(200);
    expect(await inFolder.text()).toBe('public text');
    const single = await fetch(`${app.url}/gradio_api/file=${allowedFile}`);
    expect(single.status).toBe(200);
    expect(await single.text()).toBe('a single allowed file');
    // Other files next to the single allowed file are not allowed.
    await writeFile(join(dirname(allowedFile), 'neighbour.txt'), 'not listed');
    expect((await fetch(`${app.url}/gradio_api/file=${join(dirname(allowedFile), 'neighbour.txt')}`)).status).toBe(403);
    // The blocked folder was given as …/SECRET; the real folder is …/secret.
    expect((await fetch(`${app.url}/gradio_api/file=${join(allowedDir, 'secret', 'key.txt')}`)).status).toBe(403);
  });

  it('paths that start with a scheme or //, \\\\, \\/, /\\ → 403', async () => {
    for (const path of [
      'ftp://example.com/file',
      'smb://server/share/file',
      'file:///etc/passwd',
      '//etc/passwd',
      '\\\\server\\share',
      '\\/etc/passwd',
      '/\\etc\\passwd',
    ]) {
      const answer = await rawHttp(app.url, `/gradio_api/file=${encodeURI(path).replaceAll('%5C', '\\')}`);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
    }
  });

  it('safe types and allowed files are served inline with their type; other uploads as octet-stream attachments', async () => {
    const png = await uploadOne(app.url, 'pixel.png', PNG);
    const image = await fetch(`${app.url}/gradio_api/file=${png}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe('inline; filename="pixel.png"');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const html = await uploadOne(app.url, 'page.html', '<script>alert(1)</script>');
    const uploadedHtml = await fetch(`${app.url}/gradio_api/file=${html}`);
    expect(uploadedHtml.headers.get('content-type')).toBe('application/octet-stream');
    expect(uploadedHtml.headers.get('content-disposition')).toBe('attachment; filename="page.html"');
    expect(uploadedHtml.headers.get('x-content-type-options')).toBe('nosniff');

    const trusted = await fetch(`${app.url}/gradio_api/file=${join(allowedDir, 'page.html')}`);
    expect(trusted.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(trusted.headers.get('content-disposition')).toBe('inline; filename="page.html"');
  });

  it('file=<http URL> is fetched by the server; private, loopback and link-local targets → 403 without Location', async () => {
    let hits = 0;
    const target = createServer((_request, response) => {
      hits++;
      response.end('internal secret');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as { port: number };
    try {
      for (const url of [
        `http://127.0.0.1:${port}/`,
        `http://localhost:${port}/`,
        `http://[::1]:${port}/`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.1/',
        'http://192.168.0.1/',
        'http://127.0.0.1:22/',
      ]) {
        const answer = await rawHttp(app.url, `/gradio_api/file=${url}`);
        expect({ url, status: answer.status, location: answer.headers['location'] }).toEqual({
          url,
          status: 403,
          location: undefined,
        });
      }
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('input objects without meta are not files; FileData from outside the upload folder fails the event', async () => {
    const plain = { path: '/etc/passwd', orig_name: 'passwd' };
    expect(await callNamed(app.url, 'echo_json', { value: plain })).toEqual({ event: 'complete', data: [plain] });

    const marked = await callNamed(app.url, 'echo_json', { value: fileArg('/etc/passwd') });
    expect(marked.event).toBe('error');
    expect((marked.data as { error: string }).error).toContain('/etc/passwd was not uploaded to this server');

    const outside = await callNamed(app.url, 'file_size', { file: fileArg(join(allowedDir, '..', 'elsewhere.txt')) });
    expect(outside.event).toBe('error');
    const workingDir = await callNamed(app.url, 'file_size', { file: fileArg('package.json') });
    expect(workingDir.event).toBe('error');

    const uploaded = await uploadOne(app.url, 'ok.txt', '12345');
    expect(await callNamed(app.url, 'file_size', { file: fileArg(uploaded) })).toEqual({
      event: 'complete',
      data: [5],
    });
  });

  it('an output FileData gets url = <root>/gradio_api/file=<served path>, and its file is servable', async () => {
    const uploaded = await uploadOne(app.url, 'name with spaces & ü.txt', 'forwards');
    const direct = (await callNamed(app.url, 'reverse_file', { file: fileArg(uploaded, 'name with spaces & ü.txt') }))
      .data as [{ path: string; url: string; orig_name: string; meta: unknown }];
    const output = direct[0];
    expect(output.orig_name).toBe('name with spaces & ü.txt');
    expect(output.meta).toEqual({ _type: 'gradio.FileData' });
    // Python's quote(path, safe="/"): everything but unreserved characters and / is percent-encoded.
    const quoted = output.path
      .split('/')
      .map((segment) =>
        encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      )
      .join('/');
    expect(output.url).toBe(`${app.url}/gradio_api/file=${quoted}`);
    const downloaded = await fetch(output.url);
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe('sdrawrof');

    // The root is the one the submitting request reached the app by (a proxy's forwarded host).
    const proxied = (
      await callNamed(app.url, 'reverse_file', { file: fileArg(uploaded) }, { 'X-Forwarded-Host': 'files.example.org' })
    ).data as [{ url: string }];
    expect(proxied[0].url).toBe(`http://files.example.org/gradio_api/file=${quoted}`);
  });

  it('encoded .. cannot escape through the file routes (403); /static and /assets serve nothing here: 404, escapes included', async () => {
    const secret = join(dirname(uploadDir), `nest-gradio-escape-${randomBytes(4).toString('hex')}.txt`);
    await writeFile(secret, 'outside the upload folder');
    try {
      const uploaded = await uploadOne(app.url, 'inside.txt', 'inside');
      const folder = dirname(uploaded);
      const escapes = [
        `${folder}/../../${basename(secret)}`,
        `${folder}/..%2f..%2f${basename(secret)}`,
        `${folder}/%2e%2e/%2e%2e/${basename(secret)}`,
        `${folder}/%252e%252e/%252e%252e/${basename(secret)}`,
        `${folder}/..%5c..%5c${basename(secret)}`,
      ];
      for (const path of escapes) {
        const answer = await rawHttp(app.url, `/gradio_api/file=${path}`);
        expect({ path, status: answer.status }).toEqual({ path, status: 403 });
        expect(answer.body.toString()).not.toContain('outside the upload folder');
      }
      await symlink(secret, join(folder, 'link.txt'));
      expect((await rawHttp(app.url, `/gradio_api/file=${folder}/link.txt`)).status).toBe(403);
      for (const path of ['/static/missing.js', '/assets/missing.css', '/static/..%2f..%2fpackage.json']) {
        expect({ path, status: (await rawHttp(app.url, path)).status }).toEqual({ path, status: 404 });
      }
    } finally {
      await removeDir(secret);
    }
  });
});
