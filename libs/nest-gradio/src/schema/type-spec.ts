import type { JsonSchema } from './json-schema.interface.js';

/**
 * A type spec is how an author tells nest-gradio the shape of a parameter or an output when TypeScript's run-time
 * metadata (`design:paramtypes`, `design:returntype`) cannot: `Int`, `[String]`, `literal('a', 'b')`, a
 * class-validator DTO class, or a plain JSON Schema object.
 *
 * @publicApi
 */
export type TypeSpec = Function | readonly [TypeSpec] | SchemaSpec | JsonSchema;

const BUILD = Symbol.for('nest-gradio:schema-builder');
const MARKER_SCHEMA = Symbol.for('nest-gradio:marker-schema');

/** Turns a nested spec into JSON Schema; handed to the builders below by the resolver. */
export type ResolveSpec = (spec: TypeSpec) => JsonSchema;

/** A spec built by one of the helpers below. It resolves its nested specs only when asked. */
export interface SchemaSpec {
  readonly [BUILD]: (resolve: ResolveSpec) => JsonSchema;
}

export function isSchemaSpec(value: unknown): value is SchemaSpec {
  return typeof value === 'object' && value !== null && BUILD in value;
}

export function buildSchemaSpec(spec: SchemaSpec, resolve: ResolveSpec): JsonSchema {
  return spec[BUILD](resolve);
}

function schemaSpec(build: (resolve: ResolveSpec) => JsonSchema): SchemaSpec {
  return Object.freeze({ [BUILD]: build });
}

/**
 * Declares a marker class that is both a type alias and a run-time value: a parameter written `a: Int` stays a
 * `number` for the compiler, while `design:paramtypes` records the marker instead of `Number`.
 */
function markerClass(name: string, schema: JsonSchema): abstract new () => unknown {
  const marker = { [name]: class {} }[name] as abstract new () => unknown;
  Object.defineProperty(marker, MARKER_SCHEMA, { value: Object.freeze(schema) });
  return marker;
}

/**
 * Gives an ordinary class (one with instances, such as `FileData`) a fixed schema, so that a parameter or return
 * type naming it resolves to that schema instead of being read as a class-validator DTO.
 */
export function setMarkerSchema(target: Function, schema: JsonSchema): void {
  Object.defineProperty(target, MARKER_SCHEMA, { value: Object.freeze(schema) });
}

/** The schema of a marker class such as `Int`, or undefined for anything else. */
export function schemaOfMarker(value: unknown): JsonSchema | undefined {
  return typeof value === 'function' && Object.prototype.hasOwnProperty.call(value, MARKER_SCHEMA)
    ? ((value as unknown as Record<symbol, JsonSchema>)[MARKER_SCHEMA] as JsonSchema)
    : undefined;
}

/**
 * An integer (`{"type":"integer"}`, Python `int`). Write it as the parameter's type (`a: Int`) and the schema
 * follows from TypeScript's metadata.
 * @publicApi
 */
export type Int = number;
/** @publicApi */
export const Int = markerClass('Int', { type: 'integer' });

/**
 * Any JSON value (`{}`, Python `Any`).
 * @publicApi
 */
// The point of this type is to accept anything, as Python's `Any` does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;
/** @publicApi */
export const Any = markerClass('Any', {});

/** An array whose items all have one type (`list[T]`). `[T]` is a shorthand. @publicApi */
export function listOf(item: TypeSpec): SchemaSpec {
  return schemaSpec((resolve) => ({ type: 'array', items: resolve(item) }));
}

/** A fixed-length array (`tuple[A, B]`). @publicApi */
export function tupleOf(...items: TypeSpec[]): SchemaSpec {
  return schemaSpec((resolve) => ({
    type: 'array',
    prefixItems: items.map(resolve),
    minItems: items.length,
    maxItems: items.length,
  }));
}

/** An object with string keys and values of one type (`dict[str, T]`). @publicApi */
export function dictOf(value: TypeSpec): SchemaSpec {
  return schemaSpec((resolve) => ({ type: 'object', additionalProperties: resolve(value) }));
}

/** One of a fixed set of values (`Literal["a", "b"]`). @publicApi */
export function literal(...values: (string | number | boolean | null)[]): SchemaSpec {
  if (values.length === 0) throw new Error('literal() needs at least one value.');
  return schemaSpec(() => (values.length === 1 ? { const: values[0] } : { enum: [...values] }));
}

/**
 * The type or `null` (`Optional[T]`). Like in Python it does not make the parameter optional: give it a default
 * for that.
 * @publicApi
 */
export function nullable(spec: TypeSpec): SchemaSpec {
  return schemaSpec((resolve) => ({ oneOf: [{ type: 'null' }, resolve(spec)] }));
}

/** Any one of several types (`A | B`). @publicApi */
export function unionOf(...specs: TypeSpec[]): SchemaSpec {
  return schemaSpec((resolve) => ({ anyOf: specs.map(resolve) }));
}
