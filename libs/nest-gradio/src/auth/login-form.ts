import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { type HttpRequest, nodeRequestOf } from '../http/http-exchange.js';

/** Largest login form read (two short fields). */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * The fields of a login form, however it was sent: URL-encoded (the Python client; usually already parsed by
 * Nest's body parser), multipart (the JS client sends `FormData`) or, as a convenience, JSON.
 */
export async function readLoginForm(request: HttpRequest): Promise<Record<string, string>> {
  const body: unknown = request.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length > 0) {
    return Object.fromEntries(
      Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const stream = nodeRequestOf(request);
  if (stream.complete || stream.readableEnded) return {};
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(await readText(stream)));
  if (type === 'multipart/form-data') return readMultipart(stream);
  return {};
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        request.destroy();
        reject(new Error('The login form is too large.'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function readMultipart(request: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 0, fields: 10, fieldSize: MAX_FORM_BYTES } });
    } catch (error) {
      reject(error as Error);
      return;
    }
    parser.on('field', (name: string, value: string) => {
      fields[name] = value;
    });
    parser.on('file', (_name: string, stream: NodeJS.ReadableStream) => stream.resume());
    parser.on('close', () => resolve(fields));
    parser.on('error', reject);
    request.pipe(parser);
  });
}
