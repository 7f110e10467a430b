import { parseMethodSignature } from './method-signature.parser.js';

class Sample {
  plain(a: string, b: number) {
    return [a, b];
  }
  defaults(text: string, seconds = 1, mode = 'fast', flags = [1, 2], options = { deep: true }, computed = Date.now()) {
    return [text, seconds, mode, flags, options, computed];
  }
  async *stream(n: number, /* a (tricky, comment) */ label = 'a,b)') {
    yield [n, label];
  }
  destructured({ x }: { x: number }, ...rest: number[]) {
    return [x, rest];
  }
}

describe('parseMethodSignature', () => {
  it('reads parameter names from the compiled source', () => {
    expect(parseMethodSignature(Sample.prototype.plain).map((parameter) => parameter.name)).toEqual(['a', 'b']);
  });

  it('reads literal defaults and marks other defaults as present but unknown', () => {
    expect(parseMethodSignature(Sample.prototype.defaults)).toEqual([
      { name: 'text', hasDefault: false, literalDefault: undefined, rest: false },
      { name: 'seconds', hasDefault: true, literalDefault: 1, rest: false },
      { name: 'mode', hasDefault: true, literalDefault: 'fast', rest: false },
      { name: 'flags', hasDefault: true, literalDefault: [1, 2], rest: false },
      { name: 'options', hasDefault: true, literalDefault: undefined, rest: false },
      { name: 'computed', hasDefault: true, literalDefault: undefined, rest: false },
    ]);
  });

  it('is not fooled by comments, commas and parentheses inside strings, or generator syntax', () => {
    expect(parseMethodSignature(Sample.prototype.stream)).toEqual([
      { name: 'n', hasDefault: false, literalDefault: undefined, rest: false },
      { name: 'label', hasDefault: true, literalDefault: 'a,b)', rest: false },
    ]);
  });

  it('has no name for destructured parameters and flags rest parameters', () => {
    expect(parseMethodSignature(Sample.prototype.destructured)).toEqual([
      { name: undefined, hasDefault: false, literalDefault: undefined, rest: false },
      { name: 'rest', hasDefault: false, literalDefault: undefined, rest: true },
    ]);
  });
});
