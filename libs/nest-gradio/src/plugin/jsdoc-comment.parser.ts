import ts from 'typescript';

/** What a JSDoc comment says about a method (or a property), as the plugin records it. */
export interface JsDocSummary {
  /** The text before the first tag, with lines joined by spaces; undefined when there is none. */
  summary?: string;
  /** `@param name text`, by parameter name. */
  params: Record<string, string>;
  /** `@returns text` (or `@return`). */
  returns?: string;
  /** `@deprecated [reason]`: the reason, or `true` when none is given. */
  deprecated?: string | true;
}

const TAG = /^@(\w+)\s*([\s\S]*)$/;

/**
 * Reads the JSDoc block written just before a node. The comment is parsed from the source text itself rather than
 * from the compiler's JSDoc nodes, because `tsc` (and ts-jest's per-file compilation) may skip JSDoc parsing in
 * TypeScript files.
 */
export function readJsDoc(node: ts.Node, sourceFile: ts.SourceFile): JsDocSummary {
  const text = sourceFile.text;
  // A comment on the same line as the previous token (`{ /** Across. */ x: number }`) counts as that token's trailing one.
  const ranges = [
    ...(ts.getTrailingCommentRanges(text, node.pos) ?? []),
    ...(ts.getLeadingCommentRanges(text, node.pos) ?? []),
  ];
  const block = ranges.filter((range) => text.startsWith('/**', range.pos) && text[range.pos + 3] !== '/').pop();
  return block ? parseJsDoc(text.slice(block.pos + 3, block.end - 2)) : { params: {} };
}

export function parseJsDoc(body: string): JsDocSummary {
  const lines = body
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\*?\s?/, '').trimEnd())
    // A tag may follow text on the same line (`/** Adds. @param a The first. */`).
    .flatMap((line) => line.split(/\s+(?=@[A-Za-z])/));
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.trimStart().startsWith('@')) sections.push([line.trimStart()]);
    else (sections[sections.length - 1] as string[]).push(line);
  }
  const [first = [], ...tags] = sections;
  const result: JsDocSummary = { params: {} };
  const summary = joinLines(first);
  if (summary) result.summary = summary;
  for (const tag of tags) {
    const match = TAG.exec(joinLines(tag));
    if (!match) continue;
    const [, name, rest = ''] = match;
    if (name === 'param') {
      // `@param name text`, `@param {type} name - text`, `@param [name=1] text`.
      const param = /^(?:\{[^}]*\}\s*)?\[?([A-Za-z_$][\w$]*)[^\s]*\s*(?:-\s*)?([\s\S]*)$/.exec(rest);
      if (param?.[1] && param[2]) result.params[param[1]] = param[2].trim();
    } else if (name === 'returns' || name === 'return') {
      const description = rest.replace(/^\{[^}]*\}\s*/, '').trim();
      if (description) result.returns = description;
    } else if (name === 'deprecated') {
      result.deprecated = rest.trim() || true;
    }
  }
  return result;
}

/** Joins a paragraph's lines with spaces and keeps blank lines as paragraph breaks. */
function joinLines(lines: string[]): string {
  return lines
    .join('\n')
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trim())
        .join(' '),
    )
    .join('\n\n');
}
