import type { EndpointParameter } from '../discovery/endpoint.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { fromStringArgument, positionalArguments } from './mcp-arguments.js';

function parameter(name: string, schema: JsonSchema, hasDefault = false): EndpointParameter {
  return {
    position: 0,
    name,
    schema,
    description: undefined,
    hasDefault,
    defaultValue: null,
    check: () => undefined,
    dto: undefined,
  };
}

const a = parameter('a', { type: 'integer' });
const b = parameter('b', { type: 'integer' }, true);

describe('positionalArguments', () => {
  it('orders named arguments by parameter and leaves left-out optional ones undefined', () => {
    expect(positionalArguments([a, b], { b: 2, a: 1 })).toEqual({ data: [1, 2] });
    expect(positionalArguments([a, b], { a: 1 })).toEqual({ data: [1, undefined] });
    expect(positionalArguments([], undefined)).toEqual({ data: [] });
  });

  it('names unknown and missing arguments', () => {
    expect(positionalArguments([a, b], { a: 1, c: 3 }).problem).toBe(
      'unknown argument "c"; valid arguments are "a", "b".',
    );
    expect(positionalArguments([a, b], { b: 1 }).problem).toBe('missing required argument "a".');
    expect(positionalArguments([], { x: 1 }).problem).toBe('unknown argument "x"; it takes none.');
    expect(positionalArguments([a], [1]).problem).toBe('the arguments must be an object of named values.');
  });
});

describe('fromStringArgument', () => {
  it("converts strings to the parameter's type when they spell one", () => {
    expect(fromStringArgument(a, '42')).toBe(42);
    expect(fromStringArgument(parameter('n', { type: 'number' }), '-1.5e2')).toBe(-150);
    expect(fromStringArgument(parameter('f', { type: 'boolean' }), 'true')).toBe(true);
    expect(fromStringArgument(parameter('l', { type: 'array', items: { type: 'string' } }), '["x"]')).toEqual(['x']);
  });

  it('leaves strings alone for string or untyped parameters, and when they spell nothing', () => {
    expect(fromStringArgument(parameter('s', { type: 'string' }), '42')).toBe('42');
    expect(fromStringArgument(parameter('any', {}), '42')).toBe('42');
    expect(fromStringArgument(a, 'five')).toBe('five');
    expect(fromStringArgument(parameter('u', { type: ['integer', 'string'] }), '7')).toBe('7');
  });
});
