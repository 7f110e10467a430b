import type { Readable } from 'node:stream';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { API_PREFIX } from '../kernel/gradio.constants.js';
import { setMarkerSchema } from '../schema/type-spec.js';

/** The `meta._type` that marks a JSON object as a file (Gradio's `FileData`). */
export const FILE_DATA_TYPE = 'gradio.FileData';

const nullOr = (type: 'string' | 'integer'): JsonSchema => ({ oneOf: [{ type: 'null' }, { type }] });

/**
 * The JSON Schema of a file, exactly as Gradio publishes its pydantic `FileData` model (key order included): the
 * Python client reads it from `/config` to know which arguments to upload, and shows it as `filepath`.
 */
export const FILE_DATA_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  properties: {
    path: { type: 'string' },
    url: nullOr('string'),
    size: nullOr('integer'),
    orig_name: nullOr('string'),
    mime_type: nullOr('string'),
    is_stream: { type: 'boolean' },
    meta: { type: 'object', properties: { _type: { const: FILE_DATA_TYPE } }, required: ['_type'] },
  },
  required: ['path', 'url', 'size', 'orig_name', 'mime_type', 'is_stream', 'meta'],
}) as JsonSchema;

/**
 * What a request may send where a file goes: a path (from `POST /gradio_api/upload`, or an http(s) URL), bare or
 * as a `FileData` object of which only `path` is required — the clients send `{"path", "meta"}` and nothing else.
 */
export const FILE_INPUT_SCHEMA: JsonSchema = Object.freeze({
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      properties: {
        path: { type: 'string', minLength: 1 },
        url: nullOr('string'),
        size: nullOr('integer'),
        orig_name: nullOr('string'),
        mime_type: nullOr('string'),
        is_stream: { type: 'boolean' },
        meta: { type: 'object', properties: { _type: { const: FILE_DATA_TYPE } }, required: ['_type'] },
      },
      required: ['path'],
    },
  ],
}) as JsonSchema;

/** Why a value cannot be a file argument, in the words a caller needs to fix it. */
export function notAFileProblem(parameter: string): string {
  return (
    `${parameter} must be a file: {"path": <a path from POST ${API_PREFIX}/upload, or an http(s) URL>, ` +
    `"meta": {"_type": "${FILE_DATA_TYPE}"}}`
  );
}

/** The fields of a {@link FileData}; only `path` is required. @publicApi */
export interface FileDataInit {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
}

/** Bytes a handler returns as a file before they have a path: a buffer, a readable stream or an async iterable. */
export type FileContent = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** The bytes behind a `FileData.fromBytes()` value, kept out of its enumerable (JSON) fields. */
const contents = new WeakMap<FileData, FileContent>();

/**
 * A file, as Gradio's clients send and receive it. Use it as a parameter type (`file: FileData`) to receive an
 * uploaded file — its `path` is a local file the handler may read — and as a return type (`returns: FileData`) to
 * send one: return a `FileData`, a path, a `Buffer` or a stream, and the client gets a URL to download it from.
 *
 * @example
 * ```ts
 * @GradioApi({ returns: FileData })
 * async shout(file: FileData): Promise<FileData> {
 *   const text = await readFile(file.path, 'utf8');
 *   return FileData.fromBytes(Buffer.from(text.toUpperCase()), file.orig_name ?? 'shout.txt');
 * }
 * ```
 * @publicApi
 */
export class FileData {
  /** Where the file is: a path on the server (or, before it is fetched, an http(s) URL). */
  path: string;
  /** Where a client can download it (`<root>/gradio_api/file=<path>` once served). */
  url: string | null;
  /** Size in bytes, when known. */
  size: number | null;
  /** The name the file had on the client's machine. */
  orig_name: string | null;
  mime_type: string | null;
  is_stream: boolean;
  readonly meta: { _type: typeof FILE_DATA_TYPE };

  constructor(init: FileDataInit) {
    // Assigned in Gradio's field order, which is the order of the JSON sent to clients.
    this.path = init.path;
    this.url = init.url ?? null;
    this.size = init.size ?? null;
    this.orig_name = init.orig_name ?? null;
    this.mime_type = init.mime_type ?? null;
    this.is_stream = init.is_stream ?? false;
    this.meta = { _type: FILE_DATA_TYPE };
  }

  /** A file to send whose bytes are in memory or arrive as a stream; `name` is what the client sees. */
  static fromBytes(content: FileContent, name: string, mimeType?: string): FileData {
    const file = new FileData({ path: '', orig_name: name, mime_type: mimeType ?? null });
    contents.set(file, content);
    return file;
  }
}

setMarkerSchema(FileData, FILE_DATA_SCHEMA as JsonSchema);

/** The bytes of a `FileData.fromBytes()` value, if it is one. */
export function fileContentOf(file: FileData): FileContent | undefined {
  return contents.get(file);
}

/**
 * Gradio's test for a file in JSON data (`is_file_obj_with_meta`): an object with a string `path` and
 * `meta._type == "gradio.FileData"`. Objects without `meta` are ordinary JSON.
 */
export function isFileObjectWithMeta(value: unknown): value is { path: string; meta: { _type: string } } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as { path?: unknown; meta?: unknown };
  return (
    typeof candidate.path === 'string' &&
    typeof candidate.meta === 'object' &&
    candidate.meta !== null &&
    (candidate.meta as { _type?: unknown })._type === FILE_DATA_TYPE
  );
}

/** Whether a schema describes a file: an object with `path` and `meta._type` fixed to `gradio.FileData`. */
export function isFileDataSchema(schema: JsonSchema | boolean | undefined): boolean {
  if (typeof schema !== 'object') return false;
  const meta = schema.properties?.['meta'];
  return schema.properties?.['path'] !== undefined && meta?.properties?.['_type']?.const === FILE_DATA_TYPE;
}
