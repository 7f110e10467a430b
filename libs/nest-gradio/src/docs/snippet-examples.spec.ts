import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { resolveTypeSpec } from '../schema/type-spec.resolver.js';
import { Any, dictOf, Int, listOf, literal, nullable, tupleOf, unionOf } from '../schema/type-spec.js';
import { exampleForSchema, exampleOf, FILE_EXAMPLE } from './snippet-examples.js';

const SCHEMAS: Record<string, JsonSchema> = {
  string: resolveTypeSpec(String),
  integer: resolveTypeSpec(Int),
  number: resolveTypeSpec(Number),
  boolean: resolveTypeSpec(Boolean),
  any: resolveTypeSpec(Any),
  list: resolveTypeSpec(listOf(Int)),
  tuple: resolveTypeSpec(tupleOf(Int, String, Boolean)),
  dict: resolveTypeSpec(dictOf(Int)),
  constant: resolveTypeSpec(literal('x')),
  choice: resolveTypeSpec(literal(1, 2)),
  nullable: resolveTypeSpec(nullable(Int)),
  union: resolveTypeSpec(unionOf(String, Int)),
  bounded: { type: 'integer', minimum: 10, maximum: 20 },
  exclusive: { type: 'number', exclusiveMinimum: 5, exclusiveMaximum: 6 },
  upperBound: { type: 'integer', maximum: -1 },
  longText: { type: 'string', minLength: 8 },
  manyItems: { type: 'array', items: { type: 'string' }, minItems: 3 },
  object: { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'string' } }, required: ['x'] },
  typeList: { type: ['null', 'boolean'] },
  reference: {
    $defs: { Pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }] } },
    $ref: '#/$defs/Pair',
  },
  withDefault: { type: 'string', default: 'preset' },
};

describe('exampleForSchema', () => {
  const ajv = new Ajv2020({ strict: false });

  it.each(Object.keys(SCHEMAS))('gives a value that JSON Schema validation accepts: %s', (name) => {
    const schema = SCHEMAS[name] as JsonSchema;
    const example = exampleForSchema(schema);
    expect(ajv.validate(schema, example)).toBe(true);
  });

  it("keeps Gradio's placeholder where it is valid (strings) and replaces it everywhere else", () => {
    expect(exampleForSchema(SCHEMAS['string'])).toBe('...');
    expect(exampleForSchema(SCHEMAS['integer'])).toBe(3);
    expect(exampleForSchema(SCHEMAS['any'])).toBe('...');
  });

  it('stands for a file with a marker the snippets write as an upload', () => {
    const fileData: JsonSchema = {
      type: 'object',
      properties: {
        path: { type: 'string' },
        meta: { type: 'object', properties: { _type: { const: 'gradio.FileData' } } },
      },
    };
    expect(exampleForSchema(fileData)).toBe(FILE_EXAMPLE);
    expect(exampleForSchema({ type: 'array', items: fileData })).toEqual([FILE_EXAMPLE]);
  });

  it('prefers the default, null included, as Gradio does', () => {
    expect(exampleOf({ schema: { type: 'integer' }, hasDefault: true, defaultValue: 7 })).toBe(7);
    expect(exampleOf({ schema: { type: 'integer' }, hasDefault: true, defaultValue: null })).toBeNull();
    expect(exampleOf({ schema: { type: 'integer' }, hasDefault: false, defaultValue: null })).toBe(3);
  });
});
