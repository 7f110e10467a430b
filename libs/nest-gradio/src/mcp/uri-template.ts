/** A resource URI template compiled once: `{name}` matches one path segment (`[^/]+`), as in Gradio (docs/mcp.md#resources-and-prompts). */
export interface UriTemplateMatcher {
  /** The variables' values (percent-decoded) when `uri` matches, else undefined. */
  match(uri: string): Record<string, string> | undefined;
}

export function compileUriTemplate(template: string, variables: readonly string[]): UriTemplateMatcher {
  if (variables.length === 0) return { match: (uri) => (uri === template ? {} : undefined) };
  const pattern = template
    .split(/(\{[^{}]*\})/)
    .map((part) => (/^\{[^{}]*\}$/.test(part) ? '([^/]+)' : escapeRegExp(part)))
    .join('');
  const regex = new RegExp(`^${pattern}$`);
  return {
    match(uri) {
      const found = regex.exec(uri);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      variables.forEach((name, index) => {
        values[name] = decode(found[index + 1] as string);
      });
      return values;
    },
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
