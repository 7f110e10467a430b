import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { FileContent } from './file-data.js';
import { PathPolicy } from './path-policy.js';

/** Files still being received live here, out of what can be served, until complete. */
const INCOMING = '.incoming';
/** The per-install secret mixed into every content hash, so that a file's folder cannot be guessed from its bytes. */
const SEED_FILE = '.nest-gradio-seed';
const STORED_DIRECTORY = /^[0-9a-f]{64}$/;

/** A file received completely but not yet given its final place. */
export interface StagedFile {
  tempPath: string;
  /** SHA-256 of the seed and the bytes: the name of the folder the file goes to. */
  hash: string;
  size: number;
}

export interface StageOptions {
  /** Fail with {@link FileTooLargeError} past this many bytes. */
  maxBytes?: number | null;
  /** Told the size of every chunk as it arrives (upload progress). */
  onChunk?: (bytes: number) => void;
}

/** A file is larger than the configured maximum. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`File size exceeded maximum allowed size of ${maxBytes} bytes.`);
  }
}

/**
 * The upload folder: uploads, downloaded URLs and produced files are stored content-addressed, at
 * `<upload folder>/<sha256(seed + bytes)>/<name>`, as Gradio stores them. Bytes are streamed to a temporary file in
 * `.incoming/` while they are hashed — never held in memory — and renamed into place only when complete, so that a
 * failed or abandoned transfer leaves nothing behind and nothing partial is ever served. Files unused for
 * `deleteCache.age` are deleted.
 */
@Injectable()
export class FileStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('GradioFiles');
  private dir = '';
  private incoming = '';
  private seed: Buffer = Buffer.alloc(0);
  private cleanupTimer: NodeJS.Timeout | undefined;
  private policyPromise: Promise<PathPolicy> | undefined;

  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  async onModuleInit(): Promise<void> {
    const { uploadDir, deleteCache } = this.options.files;
    await mkdir(uploadDir, { recursive: true });
    this.dir = await realpath(uploadDir);
    this.incoming = join(this.dir, INCOMING);
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    this.seed = await this.loadSeed();
    if (deleteCache !== false) {
      this.cleanupTimer = setInterval(
        () => void this.deleteOldFiles(deleteCache.age * 1000),
        deleteCache.frequency * 1000,
      );
      this.cleanupTimer.unref();
      void this.deleteOldFiles(deleteCache.age * 1000);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanupTimer);
  }

  /** Real path of the upload folder. */
  get uploadDir(): string {
    return this.dir;
  }

  /** The path policy over this folder and the configured allowed and blocked paths. */
  policy(): Promise<PathPolicy> {
    const { allowedPaths, blockedPaths } = this.options.files;
    return (this.policyPromise ??= PathPolicy.create({ uploadDir: this.dir, allowedPaths, blockedPaths }));
  }

  /** Receives bytes into a temporary file while hashing them; the temporary file is removed if anything fails. */
  async stage(source: FileContent, options: StageOptions = {}): Promise<StagedFile> {
    const tempPath = join(this.incoming, randomBytes(16).toString('hex'));
    const hash = createHash('sha256').update(this.seed);
    let size = 0;
    const { maxBytes, onChunk } = options;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (maxBytes !== undefined && maxBytes !== null && size > maxBytes) {
          callback(new FileTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        onChunk?.(chunk.length);
        callback(null, chunk);
      },
    });
    const input = source instanceof Uint8Array ? Readable.from([Buffer.from(source)]) : source;
    // Cheap, and it survives a temp-folder cleaner removing the (empty) folder while the server runs.
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    try {
      await pipeline(input, meter, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    return { tempPath, hash: hash.digest('hex'), size };
  }

  /** Moves a staged file to `<hash>/<name>` (replacing an identical earlier copy) and returns its path. */
  async commit(staged: StagedFile, name: string): Promise<string> {
    const directory = join(this.dir, staged.hash);
    const target = join(directory, name);
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(directory, { recursive: true });
        await rename(staged.tempPath, target);
        return target;
      } catch (error) {
        // The clean-up may remove an emptied folder between the mkdir and the rename: try once more.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) {
          await this.discard(staged);
          throw error;
        }
      }
    }
  }

  async discard(staged: StagedFile): Promise<void> {
    await unlink(staged.tempPath).catch(() => undefined);
  }

  /** Stores bytes (a buffer or a stream) under `name`. */
  async store(content: FileContent, name: string, options: StageOptions = {}): Promise<{ path: string; size: number }> {
    const staged = await this.stage(content, options);
    return { path: await this.commit(staged, name), size: staged.size };
  }

  /** Copies a local file into the store (unless it is already a stored file) and returns the stored path. */
  async copyIn(path: string, name: string): Promise<{ path: string; size: number }> {
    return this.store(createReadStream(path), name);
  }

  /** Marks a stored file as used now, so that the clean-up keeps it. */
  async touch(path: string): Promise<void> {
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
  }

  /** Deletes stored files unused for `maxAgeMs`, and temporary files of transfers that cannot still be running. */
  async deleteOldFiles(maxAgeMs: number): Promise<number> {
    let deleted = 0;
    const now = Date.now();
    try {
      for (const entry of await readdir(this.dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || !STORED_DIRECTORY.test(entry.name)) continue;
        const directory = join(this.dir, entry.name);
        for (const file of await readdir(directory).catch(() => [] as string[])) {
          const path = join(directory, file);
          const stats = await stat(path).catch(() => undefined);
          if (
            stats?.isFile() &&
            now - stats.mtimeMs > maxAgeMs &&
            (await unlink(path).then(
              () => true,
              () => false,
            ))
          )
            deleted++;
        }
        await rmdir(directory).catch(() => undefined);
      }
      const staleAfter = this.options.files.uploadTimeoutMs + 60_000;
      for (const file of await readdir(this.incoming)) {
        const path = join(this.incoming, file);
        const stats = await stat(path).catch(() => undefined);
        if (stats && now - stats.mtimeMs > staleAfter) await rm(path, { force: true });
      }
    } catch (error) {
      this.logger.warn(`Cleaning the upload folder failed: ${(error as Error).message}`);
    }
    return deleted;
  }

  private async loadSeed(): Promise<Buffer> {
    const path = join(this.dir, SEED_FILE);
    try {
      await writeFile(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Another process sharing the folder may have created the file a moment ago and still be writing it.
    for (let attempt = 0; ; attempt++) {
      const seed = (await readFile(path, 'utf8')).trim();
      if (seed.length > 0 || attempt >= 50) return Buffer.from(seed);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
