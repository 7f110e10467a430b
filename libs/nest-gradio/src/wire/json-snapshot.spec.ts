import { jsonSnapshot } from './json-snapshot.js';

/** What the wire makes of a value: JSON's own round trip is the reference. */
function throughJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

describe('jsonSnapshot', () => {
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const long = Array.from({ length: 40 }, (_unused, index) => index);
  it.each([
    ['a number', 3],
    ['minus zero', -0],
    ['NaN', NaN],
    ['undefined', undefined],
    ['a list of scalars', [1, 'two', true, null]],
    ['a list with undefined, NaN, infinities and minus zero', [undefined, NaN, Infinity, -Infinity, -0]],
    ['a list with a hole', sparse],
    ['a list longer than the copied ones', long],
    ['a list holding an object', [1, { a: [2, undefined] }]],
    ['a list holding a date', [new Date(0)]],
    ['an object', { x: 1, f: () => 1 }],
  ])('gives %s as JSON would', (_what, value) => {
    const snapshot = jsonSnapshot(value);
    expect(snapshot).toStrictEqual(throughJson(value));
    expect(Object.is(snapshot, -0)).toBe(false);
  });

  it('copies a list, so that a later change of the handler’s list is not sent', () => {
    const outputs = [1, 2];
    const snapshot = jsonSnapshot(outputs) as number[];
    outputs[0] = 9;
    expect(snapshot).toEqual([1, 2]);
  });

  it('refuses what JSON cannot carry with a message naming the handler', () => {
    expect(() => jsonSnapshot([1n])).toThrow('The handler returned a value that cannot be sent as JSON');
  });
});
