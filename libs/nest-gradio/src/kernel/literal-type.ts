/**
 * The JSON Schema type of a literal default (`seconds = 1` → `number`), which is the best evidence of the type of a
 * parameter written without an annotation; undefined for anything that is not a string, number or boolean.
 */
export function literalJsonType(value: unknown): 'string' | 'number' | 'boolean' | undefined {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : undefined;
}
