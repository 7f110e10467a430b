import { readFile, stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { EndpointParameter } from '../discovery/endpoint.interface.js';
import { FILE_DATA_TYPE, isFileDataSchema, isFileObjectWithMeta } from '../files/file-data.js';
import { compileFileWalker, type FileWalker } from '../files/file-plan.js';
import { FileStore, FileTooLargeError } from '../files/file-store.service.js';
import { guessMimeType } from '../files/mime-types.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { contentOf } from './mcp-results.js';

/**
 * What a file parameter looks like to an agent (docs/mcp.md#files): a string. Gradio takes http(s) URLs; we also
 * take data URLs and the paths `POST /gradio_api/upload` returns.
 */
export const FILE_INPUT_SCHEMA: JsonSchema = Object.freeze({
  type: 'string',
  description:
    'A file: an http(s) URL to download it from, a data URL (data:<mime type>;base64,<data>), ' +
    'or a path returned by POST /gradio_api/upload.',
}) as JsonSchema;

/** Keywords whose values are data, not schemas: never searched for files. */
const VALUE_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
/** Images and audio up to this size are sent inline; larger ones as their URL only. */
const MAX_INLINE_BYTES = 10 * 1024 * 1024;
const DATA_URL = /^data:([^;,]*)((?:;[^;,=]+=[^;,]*)*)(;base64)?,(.*)$/is;
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/ogg': 'ogg',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/pdf': 'pdf',
};

/** Replaces every file in a parameter's schema by {@link FILE_INPUT_SCHEMA}. */
export function mcpInputSchema(schema: JsonSchema): JsonSchema {
  return replaceFiles(schema) as JsonSchema;
}

/** Whether any parameter can hold a file (`meta.file_data_present` of `/schema`). */
export function hasFileInput(parameters: readonly EndpointParameter[]): boolean {
  return parameters.some((parameter) => containsFile(parameter.schema));
}

/**
 * Files in MCP calls: the string an agent gives for a file becomes something the files feature accepts, and a file
 * a tool returns becomes image or audio content the model can see.
 */
@Injectable()
export class McpFiles {
  private readonly walkers = new WeakMap<EndpointParameter, FileWalker | null>();

  constructor(
    private readonly store: FileStore,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /**
   * Stores the data URLs found at file positions of the arguments and puts the stored file there. URLs and upload
   * paths are left as they are: the queue's file handling downloads or checks them like any client's.
   * @throws Error naming the parameter when a data URL cannot be read or is too large.
   */
  async prepareArguments(parameters: readonly EndpointParameter[], data: unknown[]): Promise<unknown[]> {
    const prepared = [...data];
    for (const parameter of parameters) {
      const value = prepared[parameter.position];
      const walker = this.walkerOf(parameter);
      if (!walker || value === undefined) continue;
      prepared[parameter.position] = await walker(value, async (file, typed) => {
        if (!typed || typeof file !== 'string' || !file.startsWith('data:')) return file;
        try {
          return await this.storeDataUrl(file);
        } catch (error) {
          throw new Error(`${parameter.name}: ${(error as Error).message}`, { cause: error });
        }
      });
    }
    return prepared;
  }

  /** The content items of one output: image or audio content plus its URL for such files, else text. */
  async contentOf(value: unknown): Promise<ContentBlock[]> {
    if (!isFileObjectWithMeta(value)) return [contentOf(value)];
    const file = value as { path: string; url?: unknown; mime_type?: unknown; orig_name?: unknown; size?: unknown };
    const where = typeof file.url === 'string' ? file.url : file.path;
    const named = String(file.orig_name ?? file.path);
    const mimeType = (typeof file.mime_type === 'string' && file.mime_type) || guessMimeType(named) || '';
    const kind = mimeType.startsWith('image/') ? 'image' : mimeType.startsWith('audio/') ? 'audio' : undefined;
    if (!kind) return [{ type: 'text', text: where }];
    const data = await this.inlineData(file.path);
    if (data === undefined) return [{ type: 'text', text: where }];
    return [
      { type: kind, data, mimeType },
      { type: 'text', text: `${kind === 'image' ? 'Image' : 'Audio'} URL: ${where}` },
    ];
  }

  /** The bytes of a returned file (a resource may return one), or undefined for any other value. */
  async bytesOf(value: unknown): Promise<Buffer | undefined> {
    return isFileObjectWithMeta(value) ? readFile(value.path) : undefined;
  }

  private async inlineData(path: string): Promise<string | undefined> {
    try {
      if ((await stat(path)).size > MAX_INLINE_BYTES) return undefined;
      return (await readFile(path)).toString('base64');
    } catch {
      return undefined;
    }
  }

  private async storeDataUrl(dataUrl: string): Promise<Record<string, unknown>> {
    const match = DATA_URL.exec(dataUrl);
    if (!match) throw new Error('the data URL is malformed; expected data:<mime type>;base64,<data>.');
    const mimeType = (match[1] || 'text/plain').toLowerCase();
    const payload = match[4] as string;
    const bytes = match[3] ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
    const name = `file.${EXTENSIONS[mimeType] ?? 'bin'}`;
    try {
      const stored = await this.store.store(bytes, name, { maxBytes: this.options.files.maxFileSize });
      return { path: stored.path, orig_name: name, mime_type: mimeType, meta: { _type: FILE_DATA_TYPE } };
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      throw new Error(`the file is larger than the maximum file size (${error.maxBytes} bytes).`, { cause: error });
    }
  }

  private walkerOf(parameter: EndpointParameter): FileWalker | null {
    if (!this.walkers.has(parameter)) {
      this.walkers.set(parameter, containsFile(parameter.schema) ? compileFileWalker(parameter.schema) : null);
    }
    return this.walkers.get(parameter) ?? null;
  }
}

function replaceFiles(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(replaceFiles);
  if (typeof schema !== 'object' || schema === null) return schema;
  if (isFileDataSchema(schema as JsonSchema)) return { ...FILE_INPUT_SCHEMA };
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, VALUE_KEYWORDS.has(key) ? value : replaceFiles(value)]),
  );
}

function containsFile(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(containsFile);
  if (typeof schema !== 'object' || schema === null) return false;
  if (isFileDataSchema(schema as JsonSchema)) return true;
  return Object.entries(schema).some(([key, value]) => !VALUE_KEYWORDS.has(key) && containsFile(value));
}
