import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { resolveGradioOptions } from '../options/gradio-options.js';
import { FileStore, FileTooLargeError } from './file-store.service.js';

async function storeIn(dir: string): Promise<FileStore> {
  const store = new FileStore(resolveGradioOptions({ uploadDir: dir, deleteCache: false }));
  await store.onModuleInit();
  return store;
}

describe('FileStore', () => {
  let dir: string;
  let store: FileStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nest-gradio-store-'));
    store = await storeIn(dir);
  });

  afterEach(async () => {
    store.onModuleDestroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores content at <sha256(seed + bytes)>/<name>; the same bytes land in the same folder, across instances', async () => {
    const first = await store.store(Buffer.from('same bytes'), 'a.txt');
    const streamed = await store.store(Readable.from([Buffer.from('same '), Buffer.from('bytes')]), 'b.txt');
    expect(dirname(first.path)).toBe(dirname(streamed.path));
    expect(basename(dirname(first.path))).toMatch(/^[0-9a-f]{64}$/);
    expect(first.size).toBe(10);
    expect(await readFile(streamed.path, 'utf8')).toBe('same bytes');
    const other = await storeIn(dir);
    expect(dirname((await other.store(Buffer.from('same bytes'), 'c.txt')).path)).toBe(dirname(first.path));
    // Another folder has another seed: the folder name of known bytes cannot be predicted.
    const elsewhere = await mkdtemp(join(tmpdir(), 'nest-gradio-store-'));
    try {
      const foreign = await storeIn(elsewhere);
      expect(basename(dirname((await foreign.store(Buffer.from('same bytes'), 'a.txt')).path))).not.toBe(
        basename(dirname(first.path)),
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('leaves no temporary file behind when a transfer is too large or fails', async () => {
    await expect(store.store(Buffer.alloc(2000), 'big.bin', { maxBytes: 1000 })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection lost'));
      },
    });
    await expect(store.store(failing, 'broken.bin')).rejects.toThrow('connection lost');
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    expect((await readdir(dir)).filter((entry) => entry !== '.incoming' && entry !== '.nest-gradio-seed')).toEqual([]);
  });

  it('commits or discards staged files', async () => {
    const kept = await store.stage(Buffer.from('keep'));
    const dropped = await store.stage(Buffer.from('drop'));
    const path = await store.commit(kept, 'kept.txt');
    await store.discard(dropped);
    expect(await readFile(path, 'utf8')).toBe('keep');
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
  });

  it('deletes files unused for longer than the age, and empty folders, but keeps recent and touched ones', async () => {
    const old = await store.store(Buffer.from('old'), 'old.txt');
    const touched = await store.store(Buffer.from('touched'), 'touched.txt');
    const recent = await store.store(Buffer.from('recent'), 'recent.txt');
    const longAgo = new Date(Date.now() - 3 * 86_400_000);
    await utimes(old.path, longAgo, longAgo);
    await utimes(touched.path, longAgo, longAgo);
    await store.touch(touched.path);
    // A stale partial transfer from a crashed process.
    const stale = join(dir, '.incoming', 'leftover');
    await writeFile(stale, 'partial');
    await utimes(stale, longAgo, longAgo);
    expect(await store.deleteOldFiles(86_400_000)).toBe(1);
    await expect(readFile(old.path)).rejects.toThrow();
    await expect(readdir(dirname(old.path))).rejects.toThrow();
    expect(await readFile(touched.path, 'utf8')).toBe('touched');
    expect(await readFile(recent.path, 'utf8')).toBe('recent');
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
  });
});
