import type { JsonSchema } from './json-schema.interface.js';

/**
 * The values a schema enumerates (a literal union's `enum`, a `const`, `true`/`false` for a boolean, also inside
 * `anyOf`/`oneOf`), spelled as a client types them; undefined when it enumerates none. `null` is left out: it is the
 * absence of a choice.
 */
export function literalValuesOf(schema: JsonSchema): string[] | undefined {
  const values = new Set<string>();
  collect(schema, values);
  return values.size > 0 ? [...values] : undefined;
}

function collect(schema: JsonSchema, values: Set<string>): void {
  const listed = schema.enum ?? (Object.hasOwn(schema, 'const') ? [schema.const] : []);
  for (const value of listed) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.add(String(value));
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (listed.length === 0 && types.includes('boolean')) {
    values.add('true');
    values.add('false');
  }
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) collect(member, values);
}
