import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { GradioError } from '../kernel/gradio.error.js';
import { API_PREFIX, GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import {
  FileData,
  fileContentOf,
  isFileDataSchema,
  isFileObjectWithMeta,
  notAFileProblem,
  type FileContent,
} from './file-data.js';
import { invalidFileMessage } from '../kernel/gradio.messages.js';
import { baseName, sanitizeFileName } from './file-name.js';
import { filePlanOf, type FileVisit, type FileWalker } from './file-plan.js';
import { FileStore, FileTooLargeError } from './file-store.service.js';
import { relativeFileUrl } from './file-url.js';
import type { EventFiles } from '../queue/event-files.port.js';
import type { PathDecision } from './path-policy.js';
import { safeFetch, UrlFetchError, UrlNotAllowedError } from './safe-fetch.js';

const HTTP_URL = /^https?:\/\//i;
const PROTOCOL_OR_UNC = /^(?:[a-z][a-z0-9+\-.]*:\/\/|\/\/|\\\\|\\\/|\/\\)/i;
const FILE_URL_PREFIX = `${API_PREFIX}/file=`;

type FileFields = { path: string; url?: unknown; orig_name?: unknown; mime_type?: unknown };

/**
 * FileData in and out of handlers (docs/protocol.md#uploads steps 4–5).
 *
 * In: a file must be one this server stored (an upload) or one under `allowedPaths`, never a blocked one; an
 * http(s) URL is downloaded by the server, SSRF-safely. Anything else fails the event with a message saying why.
 * Out: a returned `FileData`, path, `Buffer` or stream is stored in the upload folder (files already there stay
 * put) and gets `url = <root>/gradio_api/file=<path>`, so the client can download it.
 */
@Injectable()
export class FileProcessor implements EventFiles {
  constructor(
    private readonly store: FileStore,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  hasInputFiles(endpoint: Endpoint): boolean {
    return filePlanOf(endpoint).inputs !== null;
  }

  hasOutputFiles(endpoint: Endpoint): boolean {
    return filePlanOf(endpoint).outputs !== null;
  }

  isFileValue(endpoint: Endpoint, value: object): boolean {
    return value instanceof Readable && endpoint.outputs.length === 1 && isFileDataSchema(endpoint.outputs[0]?.schema);
  }

  async prepareInputs(endpoint: Endpoint, data: readonly unknown[]): Promise<unknown[]> {
    const walkers = filePlanOf(endpoint).inputs;
    if (!walkers) return [...data];
    const prepared = [...data];
    for (const parameter of endpoint.parameters) {
      const walker = walkers[parameter.position];
      const value = prepared[parameter.position];
      if (!walker || value === undefined) continue;
      try {
        const visit: FileVisit = (file, typed) => this.inputFile(file, typed, parameter.name, endpoint);
        prepared[parameter.position] = await walker(value, visit);
      } catch (error) {
        if (error instanceof RangeError) throw invalidFile(endpoint, `${parameter.name}: ${error.message}`);
        throw error;
      }
    }
    return prepared;
  }

  async prepareOutput(endpoint: Endpoint, value: unknown): Promise<unknown> {
    const walkers = filePlanOf(endpoint).outputs;
    if (!walkers) return value;
    const visit: FileVisit = (file, typed) => this.outputFile(file, typed, endpoint);
    const walk = (walker: FileWalker | null | undefined, item: unknown): Promise<unknown> =>
      walker ? walker(item, visit) : Promise.resolve(item);
    const count = endpoint.outputs.length;
    if (count === 0) return value;
    if (endpoint.batch) {
      // One list per output, one item per sample; a malformed value is reported by the queue after this step.
      if (!Array.isArray(value)) return value;
      return Promise.all(
        value.map((column, index) =>
          Array.isArray(column) ? Promise.all(column.map((item) => walk(walkers[index], item))) : column,
        ),
      );
    }
    if (count === 1) return walk(walkers[0], value);
    if (!Array.isArray(value)) return value;
    const outputs = [...value];
    for (let index = 0; index < Math.min(count, outputs.length); index++) {
      outputs[index] = await walk(walkers[index], outputs[index]);
    }
    return outputs;
  }

  addRoot(outputs: unknown[], root: string): void {
    forEachFile(outputs, (file) => {
      if (typeof file.url === 'string' && file.url.startsWith(FILE_URL_PREFIX)) file.url = `${root}${file.url}`;
    });
  }

  /** One file of an event's inputs, checked and made readable for the handler. */
  private async inputFile(value: unknown, typed: boolean, parameter: string, endpoint: Endpoint): Promise<FileData> {
    const fields = fileFields(value, typed);
    if (!fields) {
      throw invalidFile(endpoint, notAFileProblem(parameter));
    }
    const { path } = fields;
    if (HTTP_URL.test(path)) return this.download(path, fields, (problem) => invalidFile(endpoint, problem));
    if (PROTOCOL_OR_UNC.test(path)) {
      throw invalidFile(endpoint, `${path} is neither a file on this server nor an http(s) URL.`);
    }
    const decision = await (await this.store.policy()).check(path, 'input');
    if (!decision.ok) throw invalidFile(endpoint, refusal(path, decision, 'input'));
    await this.store.touch(decision.realPath);
    return this.served(decision.realPath, decision.size, fields);
  }

  /** One file of a handler's result, stored where clients can download it. */
  private async outputFile(value: unknown, typed: boolean, endpoint: Endpoint): Promise<unknown> {
    const content = value instanceof FileData ? fileContentOf(value) : typed ? contentOf(value) : undefined;
    if (content !== undefined) {
      const given = value instanceof FileData ? value : undefined;
      const name = sanitizeFileName(given?.orig_name ?? 'file');
      const stored = await this.store.store(content, name === '..' ? 'file' : name, { maxBytes: null });
      return this.served(stored.path, stored.size, {
        orig_name: given?.orig_name ?? name,
        mime_type: given?.mime_type,
      });
    }
    const fields = fileFields(value, typed);
    if (!fields) {
      throw new Error(
        `/${endpoint.apiName} returned ${describe(value)} where its outputs declare a file ` +
          '(a FileData, a path, a Buffer or a stream).',
      );
    }
    // A file already on the web is left where it is (Gradio does the same for an http(s) `url`).
    if (typeof fields.url === 'string' && HTTP_URL.test(fields.url)) {
      return { ...this.served(fields.url, null, fields), url: fields.url };
    }
    const { path } = fields;
    if (HTTP_URL.test(path)) {
      return this.download(
        path,
        fields,
        (problem) => new Error(`/${endpoint.apiName} returned a file URL that ${problem}`),
      );
    }
    if (PROTOCOL_OR_UNC.test(path))
      throw new Error(`/${endpoint.apiName} returned ${path}, which is not a local file.`);
    const decision = await (await this.store.policy()).check(path, 'output');
    if (!decision.ok) {
      throw new Error(`/${endpoint.apiName} returned a file that cannot be sent: ${refusal(path, decision, 'output')}`);
    }
    if (decision.reason === 'created') {
      await this.store.touch(decision.realPath);
      return this.served(decision.realPath, decision.size, fields);
    }
    const name = sanitizeFileName(basename(decision.realPath));
    const stored = await this.store.copyIn(decision.realPath, name === '..' ? 'file' : name);
    return this.served(stored.path, stored.size, {
      ...fields,
      orig_name: fields.orig_name ?? basename(decision.realPath),
    });
  }

  /** Downloads an http(s) URL into the store (only public addresses; at most `maxFileSize` bytes). */
  private async download(url: string, fields: FileFields, fail: (problem: string) => Error): Promise<FileData> {
    let fetched;
    try {
      fetched = await safeFetch(url, { allowedHosts: new Set(this.options.files.ssrfAllowedHosts) });
    } catch (error) {
      if (error instanceof UrlNotAllowedError) throw fail(`${url} cannot be fetched: ${error.message}`);
      if (error instanceof UrlFetchError) throw fail(`${url} could not be downloaded: ${error.message}`);
      throw error;
    }
    const { response } = fetched;
    if (response.statusCode !== 200) {
      response.destroy();
      throw fail(`${url} could not be downloaded (status ${response.statusCode}).`);
    }
    const fromUrl = baseName(safeDecode(new URL(fetched.url).pathname));
    const name = sanitizeFileName(fromUrl || 'file');
    try {
      const stored = await this.store.store(response, name === '..' ? 'file' : name, {
        maxBytes: this.options.files.maxFileSize,
      });
      return this.served(stored.path, stored.size, { ...fields, orig_name: fields.orig_name ?? (fromUrl || null) });
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        throw fail(`${url} is larger than the maximum file size (${error.maxBytes} bytes).`);
      }
      throw fail(`${url} could not be downloaded: ${(error as Error).message}`);
    }
  }

  private served(path: string, size: number | null, fields: Omit<FileFields, 'path'> & { path?: string }): FileData {
    return new FileData({
      path,
      url: relativeFileUrl(path),
      size,
      orig_name: typeof fields.orig_name === 'string' ? fields.orig_name : basename(path),
      mime_type: typeof fields.mime_type === 'string' ? fields.mime_type : null,
    });
  }
}

/** Calls `visit` on every file object in a JSON value (a snapshot the caller owns), depth first. */
function forEachFile(value: unknown, visit: (file: { url?: unknown }) => void, depth = 0): void {
  if (depth > 100 || typeof value !== 'object' || value === null) return;
  if (isFileObjectWithMeta(value)) {
    visit(value as { url?: unknown });
    return;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) forEachFile(item, visit, depth + 1);
}

/** The file fields of a value: an object with a string `path`, or — at a `FileData` position — a bare path. */
function fileFields(value: unknown, typed: boolean): FileFields | undefined {
  if (typed && typeof value === 'string') return { path: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const path = (value as { path?: unknown }).path;
  return typeof path === 'string' && path.length > 0 ? (value as FileFields) : undefined;
}

/** Bytes given directly at a `FileData` output position: a buffer, a readable stream or an async iterable. */
function contentOf(value: unknown): FileContent | undefined {
  if (value instanceof Uint8Array || value instanceof Readable) return value;
  if (typeof value === 'object' && value !== null && Symbol.asyncIterator in value) {
    return value as AsyncIterable<Uint8Array>;
  }
  return undefined;
}

function refusal(path: string, decision: Exclude<PathDecision, { ok: true }>, use: 'input' | 'output'): string {
  switch (decision.problem) {
    case 'blocked':
      return `${path} is in a blocked folder.`;
    case 'not-a-file':
      return `${path} is not a file that exists.`;
    case 'dot-file':
      return `${path} is a hidden file (add it to allowedPaths to send it).`;
    default:
      return use === 'input'
        ? `${path} was not uploaded to this server (upload files with POST ${API_PREFIX}/upload first).`
        : `${path} is not in the working directory, the system temp folder, the upload folder or allowedPaths.`;
  }
}

function invalidFile(endpoint: Endpoint, problem: string): GradioError {
  return new GradioError(invalidFileMessage(endpoint.apiName, problem), {
    title: 'Invalid file',
    printException: false,
  });
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object without a "path"' : `a ${typeof value}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
