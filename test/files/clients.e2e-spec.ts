// Files through the real JS client (`handle_file(Buffer)`), and through raw HTTP the way the curl snippets do it:
// upload, then `call/v2` with a FileData argument, then download the output. Plus upload progress (reference §9.3).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, handle_file } from '@gradio/client';
import { startShowcase, type RunningApp } from '../support/start-app.js';
import { filePart, freshDir, multipartBody, rawHttp, removeDir } from './file-helpers.js';

describe('files through real clients', () => {
  let app: RunningApp;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    app = await startShowcase({ uploadDir });
  });

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
  });

  it('JS client: handle_file(Buffer) round trip through reverse_file, bytes checked', async () => {
    const bytes = randomBytes(50_000);
    const client = await Client.connect(app.url);
    const result = await client.predict('/reverse_file', { file: handle_file(bytes) });
    const [output] = result.data as [{ path: string; url: string; orig_name: string; meta: { _type: string } }];
    expect(output.meta).toEqual({ _type: 'gradio.FileData' });
    expect(output.url.startsWith(`${app.url}/gradio_api/file=`)).toBe(true);
    const downloaded = Buffer.from(await (await fetch(output.url)).arrayBuffer());
    expect(downloaded.equals(Buffer.from(bytes).reverse())).toBe(true);
    const size = await client.predict('/file_size', { file: handle_file(bytes) });
    expect(size.data).toEqual([50_000]);
  });

  it('curl: multipart upload, call/v2 with a FileData argument, then GET the output file', async () => {
    const content = 'curl sends this file';
    const form = multipartBody([filePart('from-curl.txt', content)]);
    const uploaded = await rawHttp(app.url, '/gradio_api/upload', {
      method: 'POST',
      headers: { 'Content-Type': form.contentType },
      body: form.body,
    });
    expect(uploaded.status).toBe(200);
    const [path] = JSON.parse(uploaded.body.toString()) as [string];
    expect(await readFile(path, 'utf8')).toBe(content);

    const body = JSON.stringify({ file: { path, meta: { _type: 'gradio.FileData' } } });
    const posted = await rawHttp(app.url, '/gradio_api/call/v2/reverse_file', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(posted.status).toBe(200);
    const { event_id: eventId } = JSON.parse(posted.body.toString()) as { event_id: string };
    const stream = (await rawHttp(app.url, `/gradio_api/call/reverse_file/${eventId}`)).body.toString();
    const [eventLine, dataLine] = stream.trim().split('\n');
    expect(eventLine).toBe('event: complete');
    const [output] = JSON.parse((dataLine ?? '').slice('data: '.length)) as [{ url: string; orig_name: string }];
    expect(output.orig_name).toBe('from-curl.txt');
    const file = await rawHttp(app.url, new URL(output.url).pathname);
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe([...content].reverse().join(''));
  });

  it('upload progress: update messages add up to the file size, then done (Python json.dumps format)', async () => {
    const uploadId = `progress-${randomBytes(4).toString('hex')}`;
    const progress = fetch(`${app.url}/gradio_api/upload_progress?upload_id=${uploadId}`).then((response) => response.text());
    // The progress stream may be opened first; the upload starts a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const size = 3 * 1024 * 1024;
    const form = new FormData();
    form.append('files', new Blob([randomBytes(size)]), 'big.bin');
    const uploaded = await fetch(`${app.url}/gradio_api/upload?upload_id=${uploadId}`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(200);
    const blocks = (await progress).trim().split('\n\n');
    expect(blocks[blocks.length - 1]).toBe('data: {"msg": "done"}');
    let total = 0;
    for (const block of blocks.slice(0, -1)) {
      const match = /^data: \{"msg": "update", "orig_name": "big\.bin", "chunk_size": (\d+)\}$/.exec(block);
      expect({ block, matches: match !== null }).toEqual({ block, matches: true });
      total += Number(match?.[1]);
    }
    expect(total).toBe(size);
  });

  it('upload progress of an upload that never starts → 404 "Upload not found" (after Gradio’s 3 s wait)', async () => {
    const answer = await fetch(`${app.url}/gradio_api/upload_progress?upload_id=never-started`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('Upload not found');
  }, 30_000);
});
