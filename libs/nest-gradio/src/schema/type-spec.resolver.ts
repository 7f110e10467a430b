import { dtoSchema, isValidatedClass } from './dto-schema.factory.js';
import type { JsonSchema } from './json-schema.interface.js';
import { buildSchemaSpec, isSchemaSpec, schemaOfMarker, type TypeSpec } from './type-spec.js';

type Constructor = abstract new (...args: never[]) => unknown;

/** Built-in constructors as TypeScript's metadata records them, with the schema Gradio gives the Python type. */
const BUILT_INS = new Map<unknown, JsonSchema>([
  [String, { type: 'string' }],
  [Number, { type: 'number' }],
  [Boolean, { type: 'boolean' }],
  // TypeScript records `Object` for `any`, `unknown`, unions and interfaces alike, so it can only mean "any value".
  [Object, {}],
  [Array, { type: 'array', items: {} }],
]);

/**
 * Turns a type spec (or TypeScript's run-time type metadata) into JSON Schema. Anything it cannot describe, such as
 * `Promise`, `Function` or a class without validation metadata, becomes `{}` (any value), as Gradio does for
 * un-annotated Python types.
 */
export function resolveTypeSpec(spec: TypeSpec | null | undefined): JsonSchema {
  if (spec === undefined) return {};
  if (spec === null) return { type: 'null' };
  const marker = schemaOfMarker(spec);
  if (marker) return structuredClone(marker);
  if (isSchemaSpec(spec)) return buildSchemaSpec(spec, resolveTypeSpec);
  if (Array.isArray(spec)) {
    if (spec.length !== 1)
      throw new Error(`An array type spec names exactly one item type, as in [String]; got ${spec.length}.`);
    return { type: 'array', items: resolveTypeSpec(spec[0] as TypeSpec) };
  }
  if (typeof spec === 'function') {
    const builtIn = BUILT_INS.get(spec);
    if (builtIn) return structuredClone(builtIn);
    return isValidatedClass(spec as Constructor) ? dtoSchema(spec as Constructor, resolveTypeSpec) : {};
  }
  return structuredClone(spec as JsonSchema);
}

/** The DTO class behind a spec, when values of it should be built as instances of that class and validated. */
export function dtoClassOf(spec: TypeSpec | null | undefined): Constructor | undefined {
  return typeof spec === 'function' &&
    !BUILT_INS.has(spec) &&
    !schemaOfMarker(spec) &&
    isValidatedClass(spec as Constructor)
    ? (spec as Constructor)
    : undefined;
}
