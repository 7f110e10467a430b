import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Any, dictOf, Int, listOf, literal, nullable, tupleOf, unionOf } from './type-spec.js';
import { dtoClassOf, resolveTypeSpec } from './type-spec.resolver.js';

class Point {
  @IsInt() x!: number;
  @IsInt() @Min(0) @Max(10) y!: number;
}

class Shape {
  @IsString() name!: string;
  @IsIn(['red', 'blue']) @IsOptional() color?: string;
  @ValidateNested() origin!: Point;
}

describe('resolveTypeSpec', () => {
  it.each([
    ['String', String, { type: 'string' }],
    ['Number', Number, { type: 'number' }],
    ['Boolean', Boolean, { type: 'boolean' }],
    ['Int', Int, { type: 'integer' }],
    ['Any', Any, {}],
    // design:paramtypes says Object for any, unknown, unions and interfaces alike: it can only mean "any value".
    ['Object', Object, {}],
    ['Array', Array, { type: 'array', items: {} }],
    ['[String]', [String], { type: 'array', items: { type: 'string' } }],
    ['[[Int]]', [[Int]], { type: 'array', items: { type: 'array', items: { type: 'integer' } } }],
    ['listOf(Boolean)', listOf(Boolean), { type: 'array', items: { type: 'boolean' } }],
    [
      'tupleOf(Int, String)',
      tupleOf(Int, String),
      { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 },
    ],
    ['dictOf(Int)', dictOf(Int), { type: 'object', additionalProperties: { type: 'integer' } }],
    ["literal('x')", literal('x'), { const: 'x' }],
    ["literal('a', 'b')", literal('a', 'b'), { enum: ['a', 'b'] }],
    ['nullable(String)', nullable(String), { oneOf: [{ type: 'null' }, { type: 'string' }] }],
    ['unionOf(Int, String)', unionOf(Int, String), { anyOf: [{ type: 'integer' }, { type: 'string' }] }],
    ['a JSON Schema', { type: 'integer', minimum: 1 }, { type: 'integer', minimum: 1 }],
    ['Promise (unknown value type)', Promise, {}],
    ['a class without validation metadata', class Plain {}, {}],
    ['undefined', undefined, {}],
    ['null', null, { type: 'null' }],
  ])('%s', (_name, spec, expected) => {
    expect(resolveTypeSpec(spec as never)).toEqual(expected);
  });

  it('derives an object schema from a class-validator DTO, nested DTOs included', () => {
    expect(resolveTypeSpec(Shape)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        color: { enum: ['red', 'blue'] },
        origin: {
          type: 'object',
          properties: { x: { type: 'integer' }, y: { type: 'integer', minimum: 0, maximum: 10 } },
          required: ['x', 'y'],
        },
      },
      required: ['name', 'origin'],
    });
  });

  it('returns a fresh copy each time, so callers cannot change a shared schema', () => {
    const first = resolveTypeSpec(Int);
    first['minimum'] = 5;
    expect(resolveTypeSpec(Int)).toEqual({ type: 'integer' });
  });

  it('rejects an array spec with more than one item type', () => {
    expect(() => resolveTypeSpec([String, Number] as never)).toThrow('exactly one item type');
  });

  it('knows which specs are DTOs to instantiate and validate', () => {
    expect(dtoClassOf(Shape)).toBe(Shape);
    expect(dtoClassOf(String)).toBeUndefined();
    expect(dtoClassOf(Int)).toBeUndefined();
  });
});
