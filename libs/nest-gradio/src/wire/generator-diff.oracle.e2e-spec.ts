import fc from 'fast-check';
import { runPython } from '../../../../test/support/python.js';
import { applyDiff, diffValues } from './generator-diff.js';

describe('generator diffs (docs/protocol.md#generator-diffs)', () => {
  it('sends an append for a string that grows', () => {
    expect(diffValues('H', 'He')).toEqual([['append', [], 'e']]);
  });

  it('sends nothing for an unchanged value', () => {
    expect(diffValues({ a: [1, 'x'] }, { a: [1, 'x'] })).toEqual([]);
  });

  it('replaces a value whose JSON type changed', () => {
    expect(diffValues('1', 1)).toEqual([['replace', [], 1]]);
  });

  it('shrinks a list by deleting the same (shifting) index, as Gradio does', () => {
    expect(diffValues([1, 2, 3, 4, 5], [1, 2])).toEqual([
      ['delete', [2], null],
      ['delete', [2], null],
      ['delete', [2], null],
    ]);
  });

  it('grows a list with adds at the new indices', () => {
    expect(diffValues([1], [1, 2, 3])).toEqual([
      ['add', [1], 2],
      ['add', [2], 3],
    ]);
  });

  it('recurses into objects: changed keys, deleted keys, then added keys', () => {
    expect(diffValues({ a: 'x', b: 1, c: 2 }, { a: 'xy', c: 3, d: 4 })).toEqual([
      ['append', ['a'], 'y'],
      ['replace', ['c'], 3],
      ['delete', ['b'], null],
      ['add', ['d'], 4],
    ]);
  });

  it("reconstructs nested list deletions exactly (Gradio's own diff gets [[1,2,3],[4]] -> [[1],[4]] wrong)", () => {
    const before = [[1, 2, 3], [4]];
    const after = [[1], [4]];
    expect(applyDiff(before, diffValues(before, after))).toEqual(after);
  });

  it('reproduces every value when the real gradio_client apply_diff applies the edits (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    // Chains of values, as a generator yields them; strings often grow by a suffix, which produces appends.
    const chains = fc.sample(
      fc.array(
        fc.oneof(
          json,
          fc.tuple(fc.string(), fc.string()).map(([a, b]) => [a, a + b]),
        ),
        { minLength: 2, maxLength: 6 },
      ),
      { numRuns: 300, seed: 20261121 },
    );
    const cases = chains.flatMap((chain) =>
      chain
        .slice(1)
        .map((next, index) => ({ before: chain[index], after: next, edits: diffValues(chain[index], next) })),
    );
    // Our own applyDiff must agree with the client's, and both must give the new value.
    for (const { before, after, edits } of cases) expect(applyDiff(before, edits)).toEqual(after);
    const applied = runPython<unknown[]>(
      'import json, sys\nfrom gradio_client.utils import apply_diff\n' +
        'print(json.dumps([apply_diff(c["before"], c["edits"]) for c in json.load(sys.stdin)]))',
      cases,
    );
    expect(applied).toEqual(cases.map((item) => item.after));
  });
});
