import { literalValuesOf } from './literal-values.js';

describe('literalValuesOf', () => {
  it('spells the values of an enum, a const and a boolean as text', () => {
    expect(literalValuesOf({ enum: ['red', 'green', 3] })).toEqual(['red', 'green', '3']);
    expect(literalValuesOf({ const: 'only' })).toEqual(['only']);
    expect(literalValuesOf({ type: 'boolean' })).toEqual(['true', 'false']);
  });

  it('finds them inside a union, without null', () => {
    expect(literalValuesOf({ oneOf: [{ type: 'null' }, { enum: ['a', 'b'] }] })).toEqual(['a', 'b']);
    expect(literalValuesOf({ anyOf: [{ enum: ['a', null] }, { type: 'integer' }] })).toEqual(['a']);
  });

  it('gives nothing for a type with free values', () => {
    expect(literalValuesOf({ type: 'string' })).toBeUndefined();
    expect(literalValuesOf({})).toBeUndefined();
    expect(literalValuesOf({ enum: [null] })).toBeUndefined();
  });
});
