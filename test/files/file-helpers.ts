import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder for one test's uploads, so that what is left in it afterwards can be checked. */
export async function freshDir(prefix = 'nest-gradio-files-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(path: string | undefined): Promise<void> {
  if (path) await rm(path, { recursive: true, force: true });
}

export interface UploadPart {
  name: string;
  content: Buffer | string;
  field?: string;
}

/** `POST /gradio_api/upload` as the JS client sends it (`FormData`, one `files` part per file). */
export async function upload(
  url: string,
  parts: UploadPart[],
  query = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; text: string; contentType: string | null }> {
  const form = new FormData();
  for (const part of parts) form.append(part.field ?? 'files', new Blob([part.content]), part.name);
  const response = await fetch(`${url}/gradio_api/upload${query}`, { method: 'POST', body: form, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text answers (413, multipart errors)
  }
  return { status: response.status, body, text, contentType: response.headers.get('content-type') };
}

/** Uploads one file and returns its server path (fails the test otherwise). */
export async function uploadOne(url: string, name: string, content: Buffer | string): Promise<string> {
  const result = await upload(url, [{ name, content }]);
  if (result.status !== 200) throw new Error(`upload answered ${result.status}: ${result.text}`);
  return (result.body as string[])[0] as string;
}

/** A multipart body written byte for byte, as curl would send it (for names `FormData` would escape). */
export function multipartBody(
  parts: { headers: string[]; content: Buffer | string }[],
  boundary = 'nestgradioboundary',
): {
  body: Buffer;
  contentType: string;
} {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function filePart(
  fileName: string,
  content: Buffer | string,
  field = 'files',
): { headers: string[]; content: Buffer | string } {
  return {
    headers: [
      `Content-Disposition: form-data; name="${field}"; filename="${fileName}"`,
      'Content-Type: application/octet-stream',
    ],
    content,
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A request over `node:http` with the path sent exactly as given (no normalisation of `..` or `%2e`), like
 * `curl --path-as-is`.
 */
export function rawHttp(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Every file under a folder (recursively), relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(current, entry.name), relative);
      else found.push(relative);
    }
  };
  if ((await stat(dir).catch(() => undefined))?.isDirectory()) await walk(dir, '');
  return found.sort();
}

/** Runs an endpoint with the curl protocol (`call/v2`, named arguments) and returns its last event and data. */
export async function callNamed(
  url: string,
  apiName: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ event: string; data: unknown }> {
  const posted = await fetch(`${url}/gradio_api/call/v2/${apiName}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(args),
  });
  if (posted.status !== 200) throw new Error(`call/v2/${apiName} answered ${posted.status}: ${await posted.text()}`);
  const { event_id: eventId } = (await posted.json()) as { event_id: string };
  const text = await (
    await fetch(`${url}/gradio_api/call/${apiName}/${eventId}`, { signal: AbortSignal.timeout(30_000) })
  ).text();
  const blocks = text.trim().split('\n\n');
  const last = (blocks[blocks.length - 1] ?? '').split('\n');
  return {
    event: (last[0] ?? '').replace(/^event: /, ''),
    data: JSON.parse((last[1] ?? 'data: null').replace(/^data: /, '')) as unknown,
  };
}

/** A file argument as the clients send it after an upload. */
export function fileArg(path: string, origName?: string): Record<string, unknown> {
  return { path, ...(origName ? { orig_name: origName } : {}), meta: { _type: 'gradio.FileData' } };
}
