import type { EndpointOutput, EndpointParameter } from '../discovery/endpoint.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { inputSchemaOf, structuredContentOf, structuredOutputOf } from './tool-schema.js';

function parameter(name: string, schema: JsonSchema, extra: Partial<EndpointParameter> = {}): EndpointParameter {
  return {
    position: 0,
    name,
    schema,
    description: undefined,
    hasDefault: false,
    defaultValue: null,
    check: () => undefined,
    dto: undefined,
    ...extra,
  };
}

const output = (schema: JsonSchema): EndpointOutput => ({ schema });

describe('inputSchemaOf (docs/mcp.md#tools)', () => {
  it('gives the reference example for add(a: int, b: int)', () => {
    expect(inputSchemaOf([parameter('a', { type: 'integer' }), parameter('b', { type: 'integer' })])).toEqual({
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'integer' } },
      required: ['a', 'b'],
    });
  });

  it('adds descriptions and defaults, and leaves out an empty required list', () => {
    const schema = inputSchemaOf([
      parameter('text', { type: 'string' }, { description: 'What to echo.', hasDefault: true, defaultValue: 'hi' }),
      parameter('count', { type: 'integer' }, { hasDefault: true, defaultValue: 0 }),
      parameter('extra', { type: 'string' }, { hasDefault: true, defaultValue: null }),
    ]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        text: { type: 'string', description: 'What to echo.', default: 'hi' },
        count: { type: 'integer', default: 0 },
        extra: { type: 'string' },
      },
    });
  });

  it('gives a tool without parameters an empty object schema', () => {
    expect(inputSchemaOf([])).toEqual({ type: 'object', properties: {} });
  });

  it("moves parameters' $defs to the root, where their references point", () => {
    const schema = inputSchemaOf([parameter('p', { $defs: { P: { type: 'integer' } }, $ref: '#/$defs/P' })]);
    expect(schema).toEqual({
      type: 'object',
      properties: { p: { $ref: '#/$defs/P' } },
      required: ['p'],
      $defs: { P: { type: 'integer' } },
    });
  });
});

describe('structuredOutputOf', () => {
  it('wraps a non-object output as {"result": value}, as the Python MCP SDK does', () => {
    const structured = structuredOutputOf([output({ type: 'integer' })]);
    expect(structured?.schema).toEqual({
      type: 'object',
      properties: { result: { type: 'integer' } },
      required: ['result'],
    });
    expect(structuredContentOf(structured!, [8])).toEqual({ result: 8 });
  });

  it('sends an object output as it is', () => {
    const schema: JsonSchema = { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] };
    const structured = structuredOutputOf([output(schema)]);
    expect(structured?.schema).toEqual(schema);
    expect(structuredContentOf(structured!, [{ x: 1 }])).toEqual({ x: 1 });
  });

  it('sends several outputs as a tuple under "result"', () => {
    const structured = structuredOutputOf([
      output({ type: 'integer' }),
      output({ type: 'array', items: { type: 'string' } }),
    ]);
    expect(structured?.schema).toEqual({
      type: 'object',
      properties: {
        result: {
          type: 'array',
          prefixItems: [{ type: 'integer' }, { type: 'array', items: { type: 'string' } }],
          minItems: 2,
          maxItems: 2,
        },
      },
      required: ['result'],
    });
    expect(structuredContentOf(structured!, [3, ['b']])).toEqual({ result: [3, ['b']] });
  });

  it('advertises nothing when the output types are unknown or there are none', () => {
    expect(structuredOutputOf([])).toBeUndefined();
    expect(structuredOutputOf([output({})])).toBeUndefined();
    expect(structuredOutputOf([output({ description: 'anything' })])).toBeUndefined();
    expect(structuredOutputOf([output({}), output({})])).toBeUndefined();
  });
});
