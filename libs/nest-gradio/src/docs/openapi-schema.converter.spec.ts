import type { JsonSchema } from '../schema/json-schema.interface.js';
import { toOpenApi30 } from './openapi-schema.converter.js';

describe('toOpenApi30', () => {
  it('says null the 3.0 way: nullable', () => {
    expect(toOpenApi30({ oneOf: [{ type: 'null' }, { type: 'string' }] })).toEqual({ type: 'string', nullable: true });
    expect(toOpenApi30({ type: ['string', 'null'] })).toEqual({ type: 'string', nullable: true });
    expect(toOpenApi30({ type: 'null' })).toEqual({ nullable: true, enum: [null] });
    expect(toOpenApi30({ anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] })).toEqual({
      nullable: true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
  });

  it('turns const into a one-value enum and numeric exclusive bounds into boolean ones', () => {
    expect(toOpenApi30({ const: 'x' })).toEqual({ enum: ['x'] });
    expect(toOpenApi30({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual({
      type: 'integer',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: true,
    });
  });

  it('loosens a tuple to its member types and length, and gives every array items', () => {
    expect(
      toOpenApi30({ type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 }),
    ).toEqual({
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    });
    expect(toOpenApi30({ type: 'array' })).toEqual({ type: 'array', items: {} });
  });

  it('inlines $defs references, and leaves recursive ones open instead of looping', () => {
    expect(
      toOpenApi30({ $defs: { Id: { type: 'integer' } }, type: 'object', properties: { id: { $ref: '#/$defs/Id' } } }),
    ).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' } },
    });
    const tree: JsonSchema = {
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
      $ref: '#/$defs/Node',
    };
    expect(JSON.stringify(toOpenApi30(tree))).toContain('"child":{}');
  });

  it('drops keywords 3.0 does not know, and adds type object where properties are given', () => {
    expect(
      toOpenApi30({ $schema: 'x', $id: 'y', properties: { a: { type: 'string', examples: ['hi'] } } } as never),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string', example: 'hi' } },
    });
  });
});
