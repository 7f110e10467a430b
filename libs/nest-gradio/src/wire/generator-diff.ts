/**
 * Gradio's generator diffs (docs/protocol.md#generator-diffs). After the first yield of a generator, each `process_generating`
 * message carries, per output, a list of edits that turns the previous value into the new one; both official
 * clients apply them in order. Unlike Gradio's own `utils.diff`, deletions inside nested lists are emitted with the
 * right indices, so applying the edits always reproduces the new value exactly.
 */
export type DiffEdit = ['replace' | 'append' | 'add' | 'delete', (string | number)[], unknown];

export function diffValues(previous: unknown, next: unknown, path: (string | number)[] = []): DiffEdit[] {
  if (previous === next) return [];
  const previousKind = jsonKind(previous);
  if (previousKind !== jsonKind(next)) return [['replace', path, next]];
  switch (previousKind) {
    case 'string':
      return (next as string).startsWith(previous as string)
        ? [['append', path, (next as string).slice((previous as string).length)]]
        : [['replace', path, next]];
    case 'array':
      return diffArrays(previous as unknown[], next as unknown[], path);
    case 'object':
      return diffObjects(previous as Record<string, unknown>, next as Record<string, unknown>, path);
    default:
      return Object.is(previous, next) ? [] : [['replace', path, next]];
  }
}

function diffArrays(previous: unknown[], next: unknown[], path: (string | number)[]): DiffEdit[] {
  const edits: DiffEdit[] = [];
  const shared = Math.min(previous.length, next.length);
  for (let index = 0; index < shared; index++)
    edits.push(...diffValues(previous[index], next[index], [...path, index]));
  // Each deletion shifts what follows, so the surplus is removed by deleting the same index repeatedly.
  for (let count = shared; count < previous.length; count++) edits.push(['delete', [...path, shared], null]);
  for (let index = shared; index < next.length; index++) edits.push(['add', [...path, index], next[index]]);
  return edits;
}

// Keys are checked with Object.hasOwn: `in` would see inherited names such as `constructor` and `toString`.
function diffObjects(
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
  path: (string | number)[],
): DiffEdit[] {
  const edits: DiffEdit[] = [];
  for (const key of Object.keys(previous)) {
    if (Object.hasOwn(next, key)) edits.push(...diffValues(previous[key], next[key], [...path, key]));
  }
  for (const key of Object.keys(previous)) if (!Object.hasOwn(next, key)) edits.push(['delete', [...path, key], null]);
  for (const key of Object.keys(next))
    if (!Object.hasOwn(previous, key)) edits.push(['add', [...path, key], next[key]]);
  return edits;
}

function jsonKind(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Applies edits as the official clients do (their `apply_diff`); used by tests and the load generator. */
export function applyDiff(value: unknown, edits: DiffEdit[]): unknown {
  let result = structuredClone(value);
  for (const [action, path, editValue] of edits) {
    if (path.length === 0) {
      result = action === 'append' ? (result as string) + (editValue as string) : structuredClone(editValue);
      continue;
    }
    let parent = result as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    if (action === 'replace') parent[key] = structuredClone(editValue);
    else if (action === 'append') parent[key] = (parent[key] as string) + (editValue as string);
    else if (action === 'add' && Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(editValue));
    else if (action === 'add') parent[key] = structuredClone(editValue);
    else if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  }
  return result;
}

/**
 * The `output.data` of one `process_generating` message: the outputs themselves on a generator's first step and for
 * clients that asked for the simple format, otherwise each output's edits against the step before.
 */
export function generatingData(
  previous: readonly unknown[] | undefined,
  current: unknown[],
  simpleFormat: boolean,
): unknown[] {
  return previous === undefined || simpleFormat
    ? current
    : current.map((value, output) => diffValues(previous[output], value));
}
