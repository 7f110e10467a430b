import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInside, PathPolicy } from './path-policy.js';

const HASH = 'ab'.repeat(32);

describe('PathPolicy', () => {
  let root: string;
  let policy: PathPolicy;
  let upload: string;
  let allowed: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nest-gradio-policy-'));
    upload = join(root, 'upload');
    allowed = join(root, 'allowed');
    outside = join(root, 'outside');
    for (const dir of [join(upload, HASH), join(upload, '.incoming'), join(allowed, 'Private'), outside])
      await mkdir(dir, { recursive: true });
    await writeFile(join(upload, HASH, 'stored.txt'), 'stored');
    await writeFile(join(upload, '.incoming', 'partial'), 'partial');
    await writeFile(join(upload, '.nest-gradio-seed'), 'seed');
    await writeFile(join(allowed, 'open.txt'), 'open');
    await writeFile(join(allowed, 'Private', 'key.txt'), 'key');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(join(outside, 'secret.txt'), join(upload, HASH, 'link.txt'));
    await symlink(join(outside, 'secret.txt'), join(allowed, 'link.txt'));
    await symlink(outside, join(upload, 'cd'.repeat(32)));
    policy = await PathPolicy.create({
      uploadDir: upload,
      allowedPaths: [allowed],
      blockedPaths: [join(allowed, 'PRIVATE')],
    });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('allows stored files and files under allowed paths, with the reason', async () => {
    await expect(policy.check(join(upload, HASH, 'stored.txt'), 'serve')).resolves.toMatchObject({
      ok: true,
      reason: 'created',
      size: 6,
    });
    await expect(policy.check(join(allowed, 'open.txt'), 'input')).resolves.toMatchObject({
      ok: true,
      reason: 'allowed',
    });
  });

  it('refuses everything else in the upload folder: files being received, the seed, other folders', async () => {
    for (const path of [
      join(upload, '.incoming', 'partial'),
      join(upload, '.nest-gradio-seed'),
      upload,
      join(upload, HASH),
    ]) {
      const decision = await policy.check(path, 'serve');
      expect({ path, ok: decision.ok }).toEqual({ path, ok: false });
    }
  });

  it('resolves symlinks before deciding: links out of allowed folders lead nowhere', async () => {
    for (const path of [
      join(upload, HASH, 'link.txt'),
      join(allowed, 'link.txt'),
      join(upload, 'cd'.repeat(32), 'secret.txt'),
    ]) {
      await expect(policy.check(path, 'serve')).resolves.toEqual({ ok: false, problem: 'not-allowed' });
    }
  });

  it('lets blocked paths win, compared case-insensitively', async () => {
    await expect(policy.check(join(allowed, 'Private', 'key.txt'), 'serve')).resolves.toEqual({
      ok: false,
      problem: 'blocked',
    });
  });

  it('gives missing paths and folders the same answer', async () => {
    await expect(policy.check(join(upload, HASH, 'missing.txt'), 'serve')).resolves.toEqual({
      ok: false,
      problem: 'not-a-file',
    });
    await expect(policy.check(allowed, 'serve')).resolves.toEqual({ ok: false, problem: 'not-a-file' });
    await expect(policy.check(`${allowed}/open.txt\0.png`, 'serve')).resolves.toEqual({
      ok: false,
      problem: 'not-a-file',
    });
  });

  it('accepts outputs from the system temp folder and the working directory, except dot-files', async () => {
    await expect(policy.check(join(outside, 'secret.txt'), 'serve')).resolves.toEqual({
      ok: false,
      problem: 'not-allowed',
    });
    await expect(policy.check(join(outside, 'secret.txt'), 'output')).resolves.toMatchObject({
      ok: true,
      reason: 'source',
    });
    await expect(policy.check('package.json', 'output')).resolves.toMatchObject({ ok: true, reason: 'source' });
    await expect(policy.check('.gitignore', 'output')).resolves.toEqual({ ok: false, problem: 'dot-file' });
    await expect(policy.check('package.json', 'input')).resolves.toEqual({ ok: false, problem: 'not-allowed' });
  });

  it('compares whole path components', () => {
    expect(isInside('/a/b', '/a')).toBe(true);
    expect(isInside('/a', '/a')).toBe(true);
    expect(isInside('/ab', '/a')).toBe(false);
    expect(isInside('/x', '/')).toBe(true);
  });
});
