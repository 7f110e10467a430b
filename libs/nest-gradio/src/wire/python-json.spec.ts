import { pythonJsonDumps } from './python-json.js';

describe('pythonJsonDumps (Python json.dumps defaults)', () => {
  it.each([
    [['a', 'b'], '["a", "b"]'],
    [{ error: null }, '{"error": null}'],
    [
      { error: 'Custom user-facing error message', duration: 10, visible: true, title: 'Error' },
      '{"error": "Custom user-facing error message", "duration": 10, "visible": true, "title": "Error"}',
    ],
    [['Hello, world!'], '["Hello, world!"]'],
    [[123, 'abc'], '[123, "abc"]'],
    [{ a: 1 }, '{"a": 1}'],
    [[], '[]'],
    [{}, '{}'],
    [null, 'null'],
    [[true, false], '[true, false]'],
    [{ nested: { list: [1, [2, {}]] } }, '{"nested": {"list": [1, [2, {}]]}}'],
  ])('writes %j as %s', (value, expected) => {
    expect(pythonJsonDumps(value)).toBe(expected);
  });

  it('escapes every non-ASCII character as \\uXXXX, astral ones as surrogate pairs (ensure_ascii)', () => {
    expect(pythonJsonDumps('héllo ✓ 😀')).toBe('"h\\u00e9llo \\u2713 \\ud83d\\ude00"');
  });

  it('escapes quotes, backslashes and control characters like Python', () => {
    expect(pythonJsonDumps('a"b\\c\nd\te\r\b\f\u0001\u007f')).toBe('"a\\"b\\\\c\\nd\\te\\r\\b\\f\\u0001\\u007f"');
  });

  it('prints floats like Python repr: exponent notation below 1e-4', () => {
    expect(pythonJsonDumps([0.5, 0.0001, 0.00001, 1.5e-7, 123.456, -2.5e-5])).toBe(
      '[0.5, 0.0001, 1e-05, 1.5e-07, 123.456, -2.5e-05]',
    );
  });

  it('prints large integers in full, as Python ints', () => {
    expect(pythonJsonDumps(1e21)).toBe('1000000000000000000000');
  });

  it('prints non-finite numbers as Python does (NaN, Infinity)', () => {
    expect(pythonJsonDumps([NaN, Infinity, -Infinity])).toBe('[NaN, Infinity, -Infinity]');
  });

  it('drops undefined object values and writes undefined list items as null, like JSON.stringify', () => {
    expect(pythonJsonDumps({ a: undefined, b: [undefined] })).toBe('{"b": [null]}');
  });
});
