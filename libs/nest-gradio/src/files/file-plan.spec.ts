import { resolveTypeSpec } from '../schema/type-spec.resolver.js';
import { Any, Int, dictOf, listOf, literal, nullable, tupleOf } from '../schema/type-spec.js';
import { FileData } from './file-data.js';
import { compileFileWalker, type FileVisit } from './file-plan.js';

const file = (path: string): Record<string, unknown> => ({ path, meta: { _type: 'gradio.FileData' } });
const visit: FileVisit = async (value, typed) => ({
  visited: typeof value === 'string' ? value : (value as { path: string }).path,
  typed,
});

describe('compileFileWalker', () => {
  it('decides at bootstrap that primitive and fixed positions hold no files', () => {
    for (const spec of [
      String,
      Number,
      Boolean,
      Int,
      listOf(String),
      tupleOf(Int, String),
      literal('a', 'b'),
      nullable(String),
      dictOf(Int),
    ]) {
      expect(compileFileWalker(resolveTypeSpec(spec))).toBeNull();
    }
  });

  it('treats FileData positions as files, bare paths included', async () => {
    const walker = compileFileWalker(resolveTypeSpec(FileData));
    await expect(walker?.(file('/a'), visit)).resolves.toEqual({ visited: '/a', typed: true });
    await expect(walker?.('/bare', visit)).resolves.toEqual({ visited: '/bare', typed: true });
    await expect(walker?.(null, visit)).resolves.toBeNull();
  });

  it('walks lists, tuples, unions and objects down to their file positions, copying only what changes', async () => {
    const list = compileFileWalker(resolveTypeSpec(listOf(FileData)));
    const input = [file('/a'), '/b'];
    const output = await list?.(input, visit);
    expect(output).toEqual([
      { visited: '/a', typed: true },
      { visited: '/b', typed: true },
    ]);
    expect(input).toEqual([file('/a'), '/b']);
    const optional = compileFileWalker(resolveTypeSpec(nullable(FileData)));
    await expect(optional?.(null, visit)).resolves.toBeNull();
    await expect(optional?.(file('/c'), visit)).resolves.toEqual({ visited: '/c', typed: true });
    const tuple = compileFileWalker(resolveTypeSpec(tupleOf(String, FileData)));
    await expect(tuple?.(['text', '/d'], visit)).resolves.toEqual(['text', { visited: '/d', typed: true }]);
  });

  it('finds marked files anywhere in positions that accept any JSON, and leaves unmarked objects alone', async () => {
    const any = compileFileWalker(resolveTypeSpec(Any));
    const value = { a: [file('/x'), { path: '/y' }], b: 'text' };
    await expect(any?.(value, visit)).resolves.toEqual({
      a: [{ visited: '/x', typed: false }, { path: '/y' }],
      b: 'text',
    });
    const untouched = { path: '/y' };
    await expect(any?.(untouched, visit)).resolves.toBe(untouched);
  });

  it('refuses values nested deeper than it walks', async () => {
    let deep: unknown = file('/z');
    for (let i = 0; i < 200; i++) deep = [deep];
    await expect(compileFileWalker({})?.(deep, visit)).rejects.toThrow(RangeError);
  });
});
