import type { JsonSchema } from './json-schema.interface.js';
import { compileSchemaCheck } from './schema.validator.js';

describe('compileSchemaCheck', () => {
  const check = (schema: JsonSchema, value: unknown) => compileSchemaCheck(schema)(value, 'a');

  it('accepts values of the right type', () => {
    expect(check({ type: 'integer' }, 3)).toBeUndefined();
    expect(check({ type: 'number' }, 2.5)).toBeUndefined();
    expect(check({ type: 'string' }, '')).toBeUndefined();
    expect(check({ type: 'array', items: { type: 'string' } }, ['x'])).toBeUndefined();
    expect(check({}, { anything: [1] })).toBeUndefined();
  });

  it('names the parameter, the expected type and what it received', () => {
    expect(check({ type: 'integer' }, 'five')).toBe('a must be an integer, got "five"');
    expect(check({ type: 'integer' }, 2.5)).toBe('a must be an integer, got 2.5');
    expect(check({ type: 'string' }, null)).toBe('a must be a string, got null');
    expect(check({ type: 'boolean' }, [1, 2])).toBe('a must be a boolean (true or false), got a list of 2 items');
  });

  it('points into lists and objects', () => {
    expect(check({ type: 'array', items: { type: 'string' } }, ['x', 2])).toBe('a[1] must be a string, got 2');
    const point: JsonSchema = { type: 'object', properties: { x: { type: 'integer' } }, required: ['x', 'y'] };
    expect(check(point, { x: 1 })).toBe('a is missing the required field "y"');
    expect(check(point, { x: 'one', y: 2 })).toBe('a.x must be an integer, got "one"');
    expect(check({ type: 'object', additionalProperties: { type: 'integer' } }, { k: 'v' })).toBe(
      'a.k must be an integer, got "v"',
    );
  });

  it('checks tuples, enums, consts and bounds', () => {
    const tuple: JsonSchema = {
      type: 'array',
      prefixItems: [{ type: 'integer' }, { type: 'string' }],
      minItems: 2,
      maxItems: 2,
    };
    expect(check(tuple, [1, 'x'])).toBeUndefined();
    expect(check(tuple, [1])).toBe('a must have at least 2 items, got 1');
    expect(check(tuple, ['x', 'y'])).toBe('a[0] must be an integer, got "x"');
    expect(check({ enum: ['a', 'b'] }, 'c')).toBe('a must be one of "a", "b"');
    expect(check({ const: 'x' }, 'y')).toBe('a must be "x"');
    expect(check({ type: 'integer', minimum: 1, maximum: 3 }, 4)).toBe('a must be at most 3, got 4');
    expect(check({ type: 'string', minLength: 2 }, 'x')).toBe('a must have at least 2 characters');
    expect(check({ type: 'string', pattern: '^[a-z]+$' }, 'X')).toBe('a must match the pattern ^[a-z]+$');
  });

  it('accepts any member of a union and explains when none fits', () => {
    const optional: JsonSchema = { oneOf: [{ type: 'null' }, { type: 'string' }] };
    expect(check(optional, null)).toBeUndefined();
    expect(check(optional, 'x')).toBeUndefined();
    expect(check(optional, 1)).toBe(
      'a matches none of the allowed types (a must be null, got 1; a must be a string, got 1)',
    );
  });

  it('rejects NaN and Infinity as numbers (JSON cannot carry them)', () => {
    expect(check({ type: 'number' }, Infinity)).toBe('a must be a number, got Infinity');
  });
});
