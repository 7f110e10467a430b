import { parseByteRange } from './byte-range.js';

describe('parseByteRange (RFC 9110 §14.1.2, single ranges)', () => {
  it('reads first-last, open-ended and suffix ranges', () => {
    expect(parseByteRange('bytes=0-10', 100)).toEqual({ start: 0, end: 10 });
    expect(parseByteRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-1000', 100)).toEqual({ start: 0, end: 99 });
  });

  it('clamps the end to the file', () => {
    expect(parseByteRange('bytes=50-1000', 100)).toEqual({ start: 50, end: 99 });
  });

  it('refuses ranges outside the file', () => {
    expect(parseByteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=5-4', 100)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('ignores what it does not understand, so the whole file is sent', () => {
    expect(parseByteRange(undefined, 100)).toBeUndefined();
    expect(parseByteRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseByteRange('items=0-1', 100)).toBeUndefined();
    expect(parseByteRange('bytes=-', 100)).toBeUndefined();
    expect(parseByteRange('bytes=a-b', 100)).toBeUndefined();
  });
});
