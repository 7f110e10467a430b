import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseFileSize } from './file-size.js';

/** How often old files are deleted, and how old they must be (seconds). @publicApi */
export interface DeleteCacheOptions {
  /** Seconds between two clean-ups. */
  frequency: number;
  /** Files not used for this many seconds are deleted. */
  age: number;
}

/** The file options of `GradioModule.forRoot()` (also listed there). @publicApi */
export interface GradioFileOptions {
  /**
   * Largest file a client may upload, in bytes or as `"10mb"` (units b, kb, mb, gb, tb; 1 kb = 1024 bytes).
   * Larger uploads get 413; also published as `config.max_file_size`, which the Python client checks before
   * uploading, and applied to URLs the server downloads. Default `null`: no limit, as in Gradio.
   */
  maxFileSize?: number | string | null;
  /**
   * Files or folders (absolute paths) whose files `GET /gradio_api/file=…` may serve and handlers may receive as
   * inputs, besides uploads. Files in them are served inline with their real type, so list only trusted content.
   */
  allowedPaths?: string[];
  /** Files or folders that are never served or accepted, whatever else allows them (compared case-insensitively). */
  blockedPaths?: string[];
  /** Where uploads and produced files are stored. Default `GRADIO_TEMP_DIR`, else `<system temp>/gradio`. */
  uploadDir?: string;
  /**
   * Deletes stored files that have not been used for `age` seconds, every `frequency` seconds (Gradio's
   * `delete_cache`). Default `{ frequency: 3600, age: 86400 }` (hourly, files unused for a day); `false` keeps
   * everything.
   */
  deleteCache?: DeleteCacheOptions | false;
  /**
   * Seconds an upload may take in total before it is cut off with 408. Default 300 (Node's own `requestTimeout`).
   */
  uploadTimeout?: number;
  /**
   * Seconds an upload may go without receiving a byte before it is cut off with 408. Default 30. Time in which the
   * server itself does not read (back-pressure from a slow disk, a busy event loop) does not count.
   */
  uploadIdleTimeout?: number;
  /**
   * Host names that server-side URL fetches may reach even though they resolve to private or loopback addresses
   * (for an internal file service). Default none: only public addresses are fetched.
   */
  ssrfAllowedHosts?: string[];
}

/** The file options after defaults and environment variables are applied. */
export interface ResolvedFileOptions {
  maxFileSize: number | null;
  allowedPaths: string[];
  blockedPaths: string[];
  uploadDir: string;
  deleteCache: DeleteCacheOptions | false;
  uploadTimeoutMs: number;
  uploadIdleTimeoutMs: number;
  ssrfAllowedHosts: string[];
}

export function resolveFileOptions(
  options: GradioFileOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedFileOptions {
  const deleteCache = options.deleteCache ?? { frequency: 3600, age: 86_400 };
  if (deleteCache !== false) {
    positiveSeconds(deleteCache.frequency, 'deleteCache.frequency');
    positiveSeconds(deleteCache.age, 'deleteCache.age');
  }
  return {
    maxFileSize: parseFileSize(options.maxFileSize ?? null),
    allowedPaths: absolutePaths(options.allowedPaths ?? [], 'allowedPaths'),
    blockedPaths: absolutePaths(options.blockedPaths ?? [], 'blockedPaths'),
    uploadDir: resolve(options.uploadDir ?? (env['GRADIO_TEMP_DIR'] || join(tmpdir(), 'gradio'))),
    deleteCache,
    uploadTimeoutMs: positiveSeconds(options.uploadTimeout ?? 300, 'uploadTimeout') * 1000,
    uploadIdleTimeoutMs: positiveSeconds(options.uploadIdleTimeout ?? 30, 'uploadIdleTimeout') * 1000,
    ssrfAllowedHosts: (options.ssrfAllowedHosts ?? []).map((host) => host.replace(/^\[|\]$/g, '').toLowerCase()),
  };
}

function absolutePaths(paths: string[], option: string): string[] {
  if (!Array.isArray(paths)) throw new Error(`GradioModule option ${option} must be a list of absolute paths.`);
  return paths.map((path) => {
    if (typeof path !== 'string' || !isAbsolute(path)) {
      throw new Error(`GradioModule option ${option} must list absolute paths; got ${JSON.stringify(path)}.`);
    }
    return resolve(path);
  });
}

function positiveSeconds(value: number, option: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new Error(`GradioModule option ${option} must be a positive number of seconds; got ${String(value)}.`);
  }
  return value;
}
