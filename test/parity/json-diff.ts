/** Where a value sits in a JSON document: object keys and array indices, from the root. */
export type JsonPath = readonly (string | number)[];

export type DifferenceKind = 'value' | 'type' | 'missing' | 'extra' | 'order';

/** One field where our output and Gradio's disagree. */
export interface Difference {
  path: JsonPath;
  kind: DifferenceKind;
  ours: unknown;
  gradio: unknown;
}

/**
 * Every field where `ours` and `gradio` differ: values, JSON types, keys only one side has (`missing` in ours,
 * `extra` in ours) and, for objects, the order of the keys both have (Gradio's clients do not depend on it, but
 * "field for field" includes it).
 */
export function diffJson(ours: unknown, gradio: unknown, path: JsonPath = []): Difference[] {
  if (jsonType(ours) !== jsonType(gradio)) return [{ path, kind: 'type', ours, gradio }];
  if (Array.isArray(ours) && Array.isArray(gradio)) {
    const differences: Difference[] = [];
    for (let index = 0; index < Math.max(ours.length, gradio.length); index++) {
      if (index >= ours.length)
        differences.push({ path: [...path, index], kind: 'missing', ours: undefined, gradio: gradio[index] });
      else if (index >= gradio.length)
        differences.push({ path: [...path, index], kind: 'extra', ours: ours[index], gradio: undefined });
      else differences.push(...diffJson(ours[index], gradio[index], [...path, index]));
    }
    return differences;
  }
  if (isObject(ours) && isObject(gradio)) {
    const differences: Difference[] = [];
    const ourKeys = Object.keys(ours);
    const gradioKeys = Object.keys(gradio);
    const shared = (keys: string[], other: Record<string, unknown>): string[] =>
      keys.filter((key) => Object.hasOwn(other, key));
    if (shared(ourKeys, gradio).join('\u0000') !== shared(gradioKeys, ours).join('\u0000')) {
      differences.push({ path, kind: 'order', ours: shared(ourKeys, gradio), gradio: shared(gradioKeys, ours) });
    }
    for (const key of gradioKeys) {
      if (!Object.hasOwn(ours, key))
        differences.push({ path: [...path, key], kind: 'missing', ours: undefined, gradio: gradio[key] });
      else differences.push(...diffJson(ours[key], gradio[key], [...path, key]));
    }
    for (const key of ourKeys) {
      if (!Object.hasOwn(gradio, key))
        differences.push({ path: [...path, key], kind: 'extra', ours: ours[key], gradio: undefined });
    }
    return differences;
  }
  return Object.is(ours, gradio) ? [] : [{ path, kind: 'value', ours, gradio }];
}

/**
 * Whether a path matches a pattern of segments: a literal key or index, `*` for any one segment, `**` for any
 * number of segments (none included).
 */
export function pathMatches(path: JsonPath, pattern: readonly string[]): boolean {
  const match = (p: number, q: number): boolean => {
    if (q === pattern.length) return p === path.length;
    const segment = pattern[q];
    if (segment === '**') return match(p, q + 1) || (p < path.length && match(p + 1, q));
    if (p === path.length) return false;
    return (segment === '*' || segment === String(path[p])) && match(p + 1, q + 1);
  };
  return match(0, 0);
}

export function formatPath(path: JsonPath): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
