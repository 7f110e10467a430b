/**
 * Gradio's naming rules (docs/protocol.md#server-mode): a default name is the function's name with every ASCII punctuation
 * character except `-` and `_` removed; a name already taken gets `_1`, `_2`, … appended.
 */
const PUNCTUATION = /[!"#$%&'()*+,./:;<=>?@[\\\]^`{|}~]/g;

export function defaultApiName(methodName: string): string {
  return methodName.replace(PUNCTUATION, '');
}

/**
 * Returns `name`, or `name_1`, `name_2`, … — the first not yet in `taken`. Like Gradio, the suffix is appended to
 * the requested name, so a third `p_1` becomes `p_1_1`.
 */
export function uniqueApiName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let suffix = 1; ; suffix++) {
    const candidate = `${name}_${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
