import { boundaryOf, MultipartPartCounter } from './multipart-parts.js';

/** The parts counted when the body arrives in chunks of `size` bytes. */
function partsIn(body: string, size: number, boundary = 'B0und'): number {
  const counter = new MultipartPartCounter(boundary);
  const bytes = Buffer.from(body, 'latin1');
  for (let at = 0; at < bytes.length; at += size) counter.push(bytes.subarray(at, at + size));
  return counter.parts;
}

const TWO_FILES =
  'preamble\r\n--B0und\r\nContent-Disposition: form-data; name="files"; filename="a"\r\n\r\n--B0un\r\n' +
  '--B0und\r\nContent-Disposition: form-data; name="files"; filename="b"\r\n\r\nb\r\n--B0und--\r\n' +
  'epilogue\r\n--B0und\r\n';

describe('MultipartPartCounter', () => {
  it('counts the parts between the delimiters, however the body is cut into chunks', () => {
    for (const size of [1, 2, 3, 7, 11, 1000]) {
      expect({ size, parts: partsIn(TWO_FILES, size) }).toEqual({ size, parts: 2 });
      // No parts: only the closing delimiter.
      expect({ size, parts: partsIn('--B0und--\r\n', size) }).toEqual({ size, parts: 0 });
      // One part with no header section at all, which Busboy passes over.
      expect({ size, parts: partsIn('--B0und\r\n--B0und--\r\n', size) }).toEqual({ size, parts: 1 });
    }
  });

  it('counts the last part of a body that never closes', () => {
    expect(partsIn('--B0und\r\nX: y\r\n\r\nabc', 4)).toBe(1);
  });
});

describe('boundaryOf', () => {
  it('reads the boundary parameter, quoted or not, in any case', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; BOUNDARY="a b;c"')).toBe('a b;c');
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
  });
});
