import type { EndpointParameter } from '../discovery/endpoint.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { renderPythonType } from '../schema/python-type.renderer.js';

/**
 * Stands for "a file the caller uploads" inside an example value; each snippet language writes it its own way
 * (`handle_file('…')` in Python and JavaScript, an upload then a FileData reference in cURL).
 */
export const FILE_EXAMPLE: unique symbol = Symbol('nest-gradio:file-example');

/** The local file the snippets upload where an endpoint takes a file: a relative path users replace. */
export const EXAMPLE_FILE_PATH = 'path/to/file.txt';

/**
 * Gradio's placeholder for a value the docs do not know: the snippet writes it as a quoted string where the
 * parameter is a string and raw (`a=...`, Python's `Ellipsis`, invalid JSON) everywhere else. We keep it only
 * where it is a valid value, i.e. as a string.
 */
export const PLACEHOLDER = '...';

const EXAMPLE_INTEGER = 3;

/**
 * The value a snippet passes for a parameter: its default when it has one (as Gradio does, `null` included),
 * otherwise an example derived from its schema that the endpoint's validation accepts.
 */
export function exampleOf(parameter: Pick<EndpointParameter, 'schema' | 'hasDefault' | 'defaultValue'>): unknown {
  if (parameter.hasDefault) return parameter.defaultValue ?? null;
  return exampleForSchema(parameter.schema);
}

/** A valid instance of `schema`, kept small and predictable so that docs read well and tests can predict results. */
export function exampleForSchema(
  schema: JsonSchema | boolean | undefined,
  defs: Record<string, JsonSchema> = {},
): unknown {
  if (schema === undefined || typeof schema === 'boolean') return PLACEHOLDER;
  const definitions = schema.$defs ? { ...defs, ...schema.$defs } : defs;
  if (schema.$ref) return exampleForSchema(definitions[schema.$ref.split('/').pop() ?? ''], definitions);
  if (renderPythonType(schema, definitions) === 'filepath') return FILE_EXAMPLE;
  if (schema.default !== undefined) return schema.default;
  if ('const' in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const members = schema.oneOf ?? schema.anyOf ?? schema.allOf;
  if (members && members.length > 0) {
    const nonNull = members.find((member) => member.type !== 'null');
    return nonNull ? exampleForSchema(nonNull, definitions) : null;
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((name) => name !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string':
      return schema.minLength && schema.minLength > PLACEHOLDER.length ? '.'.repeat(schema.minLength) : PLACEHOLDER;
    case 'integer':
      return numberWithin(schema, EXAMPLE_INTEGER, true);
    case 'number':
      return numberWithin(schema, EXAMPLE_INTEGER, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return arrayExample(schema, definitions);
    case 'object':
      return objectExample(schema, definitions);
    default:
      return schema.properties ? objectExample(schema, definitions) : PLACEHOLDER;
  }
}

function numberWithin(schema: JsonSchema, preferred: number, integer: boolean): number {
  const low = Math.max(schema.minimum ?? -Infinity, schema.exclusiveMinimum ?? -Infinity);
  const high = Math.min(schema.maximum ?? Infinity, schema.exclusiveMaximum ?? Infinity);
  const lowOpen = schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum >= (schema.minimum ?? -Infinity);
  const highOpen = schema.exclusiveMaximum !== undefined && schema.exclusiveMaximum <= (schema.maximum ?? Infinity);
  const fits = (value: number): boolean =>
    (lowOpen ? value > low : value >= low) &&
    (highOpen ? value < high : value <= high) &&
    (!integer || Number.isInteger(value));
  const candidates = [
    preferred,
    integer ? Math.floor(low) + 1 : low + 1,
    integer ? Math.ceil(low) : low,
    integer ? Math.ceil(high) - 1 : high - 1,
    integer ? Math.floor(high) : high,
    integer ? Math.round((low + high) / 2) : (low + high) / 2,
  ];
  return candidates.find((value) => Number.isFinite(value) && fits(value)) ?? preferred;
}

function arrayExample(schema: JsonSchema, defs: Record<string, JsonSchema>): unknown[] {
  if (schema.prefixItems) return schema.prefixItems.map((item) => exampleForSchema(item, defs));
  const item = exampleForSchema(typeof schema.items === 'object' ? schema.items : {}, defs);
  const count = Math.max(1, schema.minItems ?? 1);
  return Array.from({ length: schema.uniqueItems && count > 1 ? 1 : count }, () => item);
}

function objectExample(schema: JsonSchema, defs: Record<string, JsonSchema>): Record<string, unknown> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length > 0) {
    const required = new Set(schema.required ?? properties.map(([name]) => name));
    return Object.fromEntries(
      properties
        .filter(([name]) => required.has(name))
        .map(([name, property]) => [name, exampleForSchema(property, defs)]),
    );
  }
  if (typeof schema.additionalProperties === 'object')
    return { key: exampleForSchema(schema.additionalProperties, defs) };
  return {};
}

/** Whether an example value holds a file to upload somewhere inside. */
export function containsFileExample(value: unknown): boolean {
  if (value === FILE_EXAMPLE) return true;
  if (Array.isArray(value)) return value.some(containsFileExample);
  return typeof value === 'object' && value !== null && Object.values(value).some(containsFileExample);
}
