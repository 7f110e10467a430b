import { realpath, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, relative, resolve, sep } from 'node:path';

/** What a path is checked for: serving it, giving it to a handler as an input, or sending it as an output. */
export type PathUse = 'serve' | 'input' | 'output';

/** Why a file is acceptable: listed in `allowedPaths`, stored by this server, or (outputs only) a usual source. */
export type PathReason = 'allowed' | 'created' | 'source';

export type PathDecision =
  | { ok: true; realPath: string; reason: PathReason; size: number; mtimeMs: number }
  | { ok: false; problem: PathProblem };

export type PathProblem = 'blocked' | 'not-allowed' | 'not-a-file' | 'dot-file';

/** The folders a policy works with, already resolved. */
export interface PathPolicyRoots {
  /** Real path of the upload folder; only `<64 hex>/<name>` files in it are files this server stored. */
  uploadDir: string;
  allowedPaths: readonly string[];
  blockedPaths: readonly string[];
}

const STORED_DIRECTORY = /^[0-9a-f]{64}$/;

/**
 * Which files may be served or handed over (docs/protocol.md#file-serving step 4, docs/protocol.md#uploads steps 4–5). Every decision is made on the
 * real path, after symlinks are resolved, so that a link cannot lead out of an allowed folder; blocked paths win
 * over everything and are compared case-insensitively, on both the path as given and the real one.
 *
 * - serve: files under `allowedPaths`, and files this server stored (uploads and outputs).
 * - input: the same — a client may only name what it uploaded, or what the app explicitly allows.
 * - output: also files in the working directory (except dot-files) and the system temp folder, which handlers
 *   commonly write to; they are copied into the upload folder before a client can fetch them.
 */
export class PathPolicy {
  private readonly blocked: string[];

  private constructor(
    private readonly roots: PathPolicyRoots,
    blockedReal: readonly string[],
    private readonly workingDir: string,
    private readonly tempDir: string,
  ) {
    this.blocked = [...roots.blockedPaths, ...blockedReal].map((path) => path.toLowerCase());
  }

  /** Resolves the configured folders (and symlinks in them) once. */
  static async create(roots: PathPolicyRoots): Promise<PathPolicy> {
    const real = async (path: string): Promise<string> => realpath(path).catch(() => resolve(path));
    return new PathPolicy(
      {
        uploadDir: await real(roots.uploadDir),
        allowedPaths: await Promise.all(roots.allowedPaths.map(real)),
        blockedPaths: roots.blockedPaths.map((path) => resolve(path)),
      },
      await Promise.all(roots.blockedPaths.map(real)),
      await real(process.cwd()),
      await real(tmpdir()),
    );
  }

  get uploadDir(): string {
    return this.roots.uploadDir;
  }

  async check(path: string, use: PathUse): Promise<PathDecision> {
    if (path.includes('\0')) return { ok: false, problem: 'not-a-file' };
    const absolute = resolve(path);
    let realPath: string;
    let size: number;
    let mtimeMs: number;
    try {
      realPath = await realpath(absolute);
      const stats = await stat(realPath);
      if (!stats.isFile()) return { ok: false, problem: 'not-a-file' };
      size = stats.size;
      mtimeMs = stats.mtimeMs;
    } catch {
      return { ok: false, problem: 'not-a-file' };
    }
    if (this.isBlocked(absolute) || this.isBlocked(realPath)) return { ok: false, problem: 'blocked' };
    const found = (reason: PathReason): PathDecision => ({ ok: true, realPath, reason, size, mtimeMs });
    if (this.roots.allowedPaths.some((allowed) => isInside(realPath, allowed))) return found('allowed');
    if (this.isStored(realPath)) return found('created');
    // Nothing else in the upload folder is handed out: files still being received, the hashing seed.
    if (isInside(realPath, this.roots.uploadDir)) return { ok: false, problem: 'not-allowed' };
    if (use === 'output') {
      if (isInside(realPath, this.workingDir)) {
        const hidden = relative(this.workingDir, realPath)
          .split(sep)
          .some((part) => part.startsWith('.'));
        return hidden ? { ok: false, problem: 'dot-file' } : found('source');
      }
      if (isInside(realPath, this.tempDir)) return found('source');
    }
    return { ok: false, problem: 'not-allowed' };
  }

  /** Whether a real path is a file this server stored: `<upload folder>/<64 hex>/<name>`. */
  isStored(realPath: string): boolean {
    if (!isInside(realPath, this.roots.uploadDir) || realPath === this.roots.uploadDir) return false;
    const parts = relative(this.roots.uploadDir, realPath).split(sep);
    return parts.length === 2 && STORED_DIRECTORY.test(parts[0] ?? '') && basename(realPath) === parts[1];
  }

  private isBlocked(path: string): boolean {
    const lower = path.toLowerCase();
    return this.blocked.some((blocked) => isInside(lower, blocked));
  }
}

/** Whether `path` is `folder` or inside it (both absolute and normalised). */
export function isInside(path: string, folder: string): boolean {
  if (path === folder) return true;
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  return path.startsWith(prefix);
}
