import type { JsonSchema } from './json-schema.interface.js';

const PRIMITIVES: Record<string, string> = {
  string: 'str',
  integer: 'int',
  number: 'float',
  boolean: 'bool',
  null: 'None',
};

/**
 * Renders a JSON Schema as the Python type string Gradio shows in `python_type.type` (and the Python client prints
 * in `view_api()`): `int`, `list[str]`, `dict(str, Any)`, `None | str`, `Literal['a', 'b']`, `filepath`, …
 */
export function renderPythonType(
  schema: JsonSchema | boolean | undefined,
  defs: Record<string, JsonSchema> = {},
): string {
  if (schema === undefined || schema === true || schema === false) return 'Any';
  const definitions = { ...defs, ...(schema.$defs ?? {}) };
  if (schema.$ref) {
    const target = definitions[schema.$ref.split('/').pop() ?? ''];
    return target ? renderPythonType(target, definitions) : 'Any';
  }
  if (isFileData(schema)) return 'filepath';
  if ('const' in schema) return `Literal[${pythonStr(schema.const)}]`;
  if (schema.enum) return `Literal[${schema.enum.map((value) => `'${pythonStr(value)}'`).join(', ')}]`;
  if (schema.oneOf) return schema.oneOf.map((member) => renderPythonType(member, definitions)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map((member) => renderPythonType(member, definitions)).join(' | ');
  if (schema.allOf) return `All[${schema.allOf.map((member) => renderPythonType(member, definitions)).join(', ')}]`;
  if (Array.isArray(schema.type)) {
    return schema.type.map((type) => renderPythonType({ ...schema, type }, definitions)).join(' | ');
  }
  switch (schema.type) {
    case 'array':
      return renderArray(schema, definitions);
    case 'object':
      return renderObject(schema, definitions);
    case undefined:
      return schema.properties ? renderObject(schema, definitions) : 'Any';
    default:
      return PRIMITIVES[schema.type] ?? 'Any';
  }
}

function renderArray(schema: JsonSchema, defs: Record<string, JsonSchema>): string {
  if (schema.prefixItems) return `tuple[${schema.prefixItems.map((item) => renderPythonType(item, defs)).join(', ')}]`;
  // Gradio crashes on a bare array schema (Python's bare `tuple`/`set`); `list[Any]` is what it means.
  return `list[${renderPythonType(schema.items === undefined ? {} : schema.items, defs)}]`;
}

function renderObject(schema: JsonSchema, defs: Record<string, JsonSchema>): string {
  const parts: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const description = property.description ? ` (${property.description})` : '';
    parts.push(`${name}: ${renderPythonType(property, defs)}${description}`);
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    parts.push(`str, ${renderPythonType(schema.additionalProperties, defs)}`);
  }
  return `dict(${parts.join(', ')})`;
}

/** Gradio's FileData model (`path` plus `meta` with `_type: "gradio.FileData"`) is shown as `filepath`. */
function isFileData(schema: JsonSchema): boolean {
  const meta = schema.properties?.meta?.properties?._type;
  return schema.properties?.path !== undefined && meta !== undefined && meta.const === 'gradio.FileData';
}

/** Python's `str()` of a JSON value, as Gradio's renderer interpolates it. */
function pythonStr(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
