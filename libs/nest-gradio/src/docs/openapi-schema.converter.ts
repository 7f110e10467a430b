import type { JsonSchema } from '../schema/json-schema.interface.js';

/** Keywords an OpenAPI 3.0 Schema Object accepts and that mean the same as in JSON Schema. */
const KEPT = [
  'title',
  'description',
  'format',
  'default',
  'multipleOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'readOnly',
  'writeOnly',
  'deprecated',
] as const;

type OpenApiSchema = Record<string, unknown>;

/** Replaces a (sub)schema before it is converted, e.g. a file's output shape by what requests may send. */
export type SchemaSubstitute = (schema: JsonSchema) => JsonSchema | undefined;

/**
 * Turns one of our JSON Schemas (draft 2020-12 vocabulary, as `/gradio_api/info` publishes them) into an OpenAPI
 * 3.0 Schema Object, which is an older, stricter dialect: no `const`, `prefixItems`, `$defs` or `type: "null"`,
 * a single `type`, boolean `exclusiveMinimum`, and no unknown keywords. The meaning is kept wherever 3.0 can say
 * it (`const` → one-value `enum`, null → `nullable`, a tuple → `items.anyOf` with its length); what it cannot
 * (the per-position types of a tuple) is loosened, never tightened, so valid inputs stay valid.
 */
export function toOpenApi30(
  schema: JsonSchema | boolean | undefined,
  substitute: SchemaSubstitute = () => undefined,
  defs: Record<string, JsonSchema> = {},
  depth = 0,
): OpenApiSchema {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return { not: {} };
  // Recursive schemas ($ref cycles) cannot be inlined; past this depth they are left open.
  if (depth > 32) return {};
  const replacement = substitute(schema);
  if (replacement) return toOpenApi30(replacement, () => undefined, defs, depth + 1);
  const definitions = schema.$defs ? { ...defs, ...schema.$defs } : defs;
  if (schema.$ref) {
    const target = definitions[schema.$ref.split('/').pop() ?? ''];
    const { $ref: _ref, ...siblings } = schema;
    return target ? toOpenApi30({ ...target, ...siblings }, substitute, definitions, depth + 1) : {};
  }
  const convert = (inner: JsonSchema | boolean | undefined): OpenApiSchema =>
    toOpenApi30(inner, substitute, definitions, depth + 1);
  const result: OpenApiSchema = {};
  for (const keyword of KEPT) if (schema[keyword] !== undefined) result[keyword] = schema[keyword];
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) result['example'] = schema['examples'][0];

  if ('const' in schema) result['enum'] = [schema.const];
  if (Array.isArray(result['enum']) && (result['enum'] as unknown[]).includes(null)) result['nullable'] = true;

  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]).filter(
    (type) => type !== 'null',
  );
  const nullable = (Array.isArray(schema.type) ? schema.type : [schema.type]).includes('null');
  if (types.length === 1) result['type'] = types[0];
  else if (types.length > 1) result['anyOf'] = types.map((type) => convert({ ...schema, type, $defs: undefined }));
  if (nullable) {
    result['nullable'] = true;
    if (types.length === 0 && result['enum'] === undefined) result['enum'] = [null];
  }

  if (typeof schema.exclusiveMinimum === 'number') {
    result['minimum'] = Math.max(schema.exclusiveMinimum, schema.minimum ?? -Infinity);
    result['exclusiveMinimum'] = schema.minimum === undefined || schema.exclusiveMinimum >= schema.minimum;
  }
  if (typeof schema.exclusiveMaximum === 'number') {
    result['maximum'] = Math.min(schema.exclusiveMaximum, schema.maximum ?? Infinity);
    result['exclusiveMaximum'] = schema.maximum === undefined || schema.exclusiveMaximum <= schema.maximum;
  }

  if (schema.prefixItems) {
    const items = schema.prefixItems.map(convert);
    result['items'] = items.length === 1 ? items[0] : items.length > 1 ? { anyOf: items } : {};
  } else if (schema.items !== undefined) {
    result['items'] = convert(schema.items);
  }
  // 3.0 requires `items` on every array schema.
  if (result['type'] === 'array' && result['items'] === undefined) result['items'] = {};
  if (schema.properties) {
    result['properties'] = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, convert(value)]),
    );
    result['type'] ??= 'object';
  }
  if (schema.additionalProperties !== undefined) {
    result['additionalProperties'] =
      typeof schema.additionalProperties === 'boolean'
        ? schema.additionalProperties
        : convert(schema.additionalProperties);
  }
  if (schema['not'] !== undefined) result['not'] = convert(schema['not'] as JsonSchema);

  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const members = schema[keyword];
    if (!members) continue;
    const nonNull = members.filter((member) => member.type !== 'null');
    if (nonNull.length < members.length) result['nullable'] = true;
    if (nonNull.length === 1 && keyword !== 'allOf') {
      // `T | None` is the common case: 3.0 says it as `T` plus `nullable`.
      const single = convert(nonNull[0]);
      for (const [key, value] of Object.entries(single)) result[key] ??= value;
    } else if (nonNull.length > 0) {
      result[keyword] = nonNull.map(convert);
    }
  }
  return result;
}
