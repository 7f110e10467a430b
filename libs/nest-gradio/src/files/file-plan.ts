import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { FileData, isFileDataSchema, isFileObjectWithMeta } from './file-data.js';

/**
 * Handles one file found in a value. `typed` is true where the schema says a file goes (a `FileData` position: the
 * value may be a bare path there), false where any JSON may go and only an explicit `FileData` object counts.
 */
export type FileVisit = (value: unknown, typed: boolean) => Promise<unknown>;

/** Finds the files in a value of one schema and replaces each by what `visit` returns (copy on write). */
export type FileWalker = (value: unknown, visit: FileVisit, depth?: number) => Promise<unknown>;

/** Which parameters and outputs of an endpoint can hold files (`null`: none, nothing to do). */
export interface FilePlan {
  readonly inputs: readonly (FileWalker | null)[] | null;
  readonly outputs: readonly (FileWalker | null)[] | null;
}

/** Deeper JSON than this is refused rather than walked (it would only serve to exhaust the stack). */
const MAX_DEPTH = 100;

const plans = new WeakMap<Endpoint, FilePlan>();

/**
 * The file plan of an endpoint, compiled once from its schemas. Parameters typed `string`, `int`, `list[str]` and
 * the like cannot hold files and are never looked at; `FileData` positions are; so are positions that accept any
 * JSON (`Any`, plain objects), where — as in Gradio — every object marked `gradio.FileData` is a file.
 */
export function filePlanOf(endpoint: Endpoint): FilePlan {
  let plan = plans.get(endpoint);
  if (!plan) {
    plan = {
      inputs: nonEmpty(endpoint.parameters.map((parameter) => compileFileWalker(parameter.schema))),
      outputs: nonEmpty(endpoint.outputs.map((output) => compileFileWalker(output.schema))),
    };
    plans.set(endpoint, plan);
  }
  return plan;
}

function nonEmpty(walkers: (FileWalker | null)[]): (FileWalker | null)[] | null {
  return walkers.some((walker) => walker !== null) ? walkers : null;
}

/** Compiles the walker of a schema, or `null` when no value of the schema can contain a file. */
export function compileFileWalker(
  schema: JsonSchema | boolean | undefined,
  defs: Record<string, JsonSchema> = {},
  seen: ReadonlySet<JsonSchema> = new Set(),
): FileWalker | null {
  if (schema === false) return null;
  if (schema === undefined || schema === true) return walkAny;
  if (seen.has(schema)) return walkAny;
  const inner = new Set(seen).add(schema);
  const definitions = schema.$defs ? { ...defs, ...schema.$defs } : defs;
  const compile: Compile = (member) => compileFileWalker(member, definitions, inner);

  if (isFileDataSchema(schema)) return walkFile;
  if (schema.$ref !== undefined) {
    const target = definitions[schema.$ref.split('/').pop() ?? ''];
    return target ? compile(target) : walkAny;
  }
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return compileUnion(union, compile);
  if (schema.allOf) return schema.allOf.some((member) => compile(member) !== null) ? walkAny : null;
  if ('const' in schema || schema.enum) return null;

  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  const isArray = types?.includes('array') || schema.items !== undefined || schema.prefixItems !== undefined;
  const isObject =
    types?.includes('object') || schema.properties !== undefined || schema.additionalProperties !== undefined;
  if (types && types.length > 1 && (types.includes('array') || types.includes('object'))) return walkAny;
  if (isArray) return compileArray(schema, compile);
  if (isObject) return compileObject(schema, compile);
  // A schema with no type and no structure accepts anything.
  return types === undefined ? walkAny : null;
}

type Compile = (member: JsonSchema | boolean | undefined) => FileWalker | null;

function compileArray(schema: JsonSchema, compile: Compile): FileWalker | null {
  const prefix = (schema.prefixItems ?? []).map(compile);
  // Without `items`, further items may be anything — unless `maxItems` leaves no room for them (a tuple).
  const closed = schema.items === undefined && schema.maxItems !== undefined && schema.maxItems <= prefix.length;
  const rest = closed ? null : compile(schema.items);
  if (rest === null && prefix.every((walker) => walker === null)) return null;
  return async (value, visit, depth = 0) => {
    if (!Array.isArray(value)) return value;
    checkDepth(depth);
    let result: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const walker = index < prefix.length ? prefix[index] : rest;
      if (!walker) continue;
      const item = await walker(value[index], visit, depth + 1);
      if (item !== value[index]) (result ??= [...value])[index] = item;
    }
    return result ?? value;
  };
}

function compileObject(schema: JsonSchema, compile: Compile): FileWalker | null {
  const properties = new Map(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [name, compile(property)]),
  );
  // Unlisted keys may hold anything unless the schema forbids them.
  const extra = schema.additionalProperties === false ? null : compile(schema.additionalProperties);
  if (extra === null && [...properties.values()].every((walker) => walker === null)) return null;
  return async (value, visit, depth = 0) => {
    if (!isRecord(value)) return value;
    checkDepth(depth);
    let result: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const walker = properties.has(key) ? properties.get(key) : extra;
      if (!walker) continue;
      const next = await walker(item, visit, depth + 1);
      if (next !== item) (result ??= { ...value })[key] = next;
    }
    return result ?? value;
  };
}

/** A union: the first member whose JSON type fits the value decides; a `FileData` member takes file-like values. */
function compileUnion(members: JsonSchema[], compile: Compile): FileWalker | null {
  const walkers = members.map((member) => ({ member, walker: compile(member) }));
  if (walkers.every(({ walker }) => walker === null)) return null;
  return async (value, visit, depth = 0) => {
    for (const { member, walker } of walkers) {
      if (!fitsType(member, value)) continue;
      return walker ? walker(value, visit, depth) : value;
    }
    return walkAny(value, visit, depth);
  };
}

function fitsType(schema: JsonSchema, value: unknown): boolean {
  // Outputs may also give a file as bytes or a stream.
  if (isFileDataSchema(schema)) {
    return typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));
  }
  if ('const' in schema) return JSON.stringify(schema.const) === JSON.stringify(value);
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types) return true;
  return types.some((type) => {
    switch (type) {
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isRecord(value);
      case 'integer':
      case 'number':
        return typeof value === 'number';
      default:
        return typeof value === type;
    }
  });
}

/** A `FileData` position: anything but null is handed to `visit`, which decides whether it is a usable file. */
const walkFile: FileWalker = async (value, visit) =>
  value === null || value === undefined ? value : visit(value, true);

/** A position that accepts any JSON: objects marked `gradio.FileData` (and `FileData` instances) are files. */
export const walkAny: FileWalker = async (value, visit, depth = 0) => {
  if (value instanceof FileData || isFileObjectWithMeta(value)) return visit(value, false);
  if (Array.isArray(value)) {
    checkDepth(depth);
    let result: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item = await walkAny(value[index], visit, depth + 1);
      if (item !== value[index]) (result ??= [...value])[index] = item;
    }
    return result ?? value;
  }
  if (isRecord(value)) {
    checkDepth(depth);
    let result: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = await walkAny(item, visit, depth + 1);
      if (next !== item) (result ??= { ...value })[key] = next;
    }
    return result ?? value;
  }
  return value;
};

function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError(`The value is nested more than ${MAX_DEPTH} levels deep.`);
}

/** An object whose fields are JSON fields: not a list, bytes, a date, a collection or a stream. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  if (value instanceof Date || value instanceof Map || value instanceof Set || value instanceof ArrayBuffer)
    return false;
  return typeof (value as { pipe?: unknown }).pipe !== 'function' && !(Symbol.asyncIterator in value);
}
