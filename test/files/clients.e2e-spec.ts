// Files through the real JS client (`handle_file(Buffer)`), and through the real curl the way the cURL snippets do it:
// upload, then `call/v2` with a FileData argument, then download the output. Plus upload progress (docs/protocol.md#upload-progress).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, handle_file } from '@gradio/client';
import { startShowcase, type RunningApp } from '../support/start-app.js';
import { freshDir, removeDir } from './file-helpers.js';

/** Runs the real curl and returns what it printed (fails on an HTTP error, with the body in the message). */
async function curl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('curl', ['--max-time', '60', ...args], { encoding: 'utf8' });
  return stdout;
}

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
    const source = join(uploadDir, '..', `from-curl-${randomBytes(4).toString('hex')}.txt`);
    await writeFile(source, content);
    try {
      // The commands the cURL snippets of the API page run, with the real curl.
      const uploaded = await curl(
        '-sS',
        '--fail-with-body',
        '-F',
        `files=@${source};filename=from-curl.txt`,
        `${app.url}/gradio_api/upload`,
      );
      const [path] = JSON.parse(uploaded) as [string];
      expect(await readFile(path, 'utf8')).toBe(content);

      const body = JSON.stringify({ file: { path, meta: { _type: 'gradio.FileData' } } });
      const posted = await curl(
        '-sS',
        '--fail-with-body',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-d',
        body,
        `${app.url}/gradio_api/call/v2/reverse_file`,
      );
      const { event_id: eventId } = JSON.parse(posted) as { event_id: string };
      const stream = await curl('-sSN', '--fail-with-body', `${app.url}/gradio_api/call/reverse_file/${eventId}`);
      const [eventLine, dataLine] = stream.trim().split('\n');
      expect(eventLine).toBe('event: complete');
      const [output] = JSON.parse((dataLine ?? '').slice('data: '.length)) as [{ url: string; orig_name: string }];
      expect(output.orig_name).toBe('from-curl.txt');
      expect(await curl('-sS', '--fail-with-body', output.url)).toBe([...content].reverse().join(''));
    } finally {
      await removeDir(source);
    }
  });

  it('upload progress: update messages add up to the file size, then done (Python json.dumps format)', async () => {
    const uploadId = `progress-${randomBytes(4).toString('hex')}`;
    const progress = fetch(`${app.url}/gradio_api/upload_progress?upload_id=${uploadId}`).then((response) =>
      response.text(),
    );
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
