/** One parameter as written in a method's source. */
export interface SourceParameter {
  /** The identifier, or undefined for destructured and rest parameters. */
  name: string | undefined;
  hasDefault: boolean;
  /** The default when it is a JSON-like literal (`1`, `'a'`, `true`, `null`, `[1, 2]`); otherwise undefined. */
  literalDefault: unknown;
  rest: boolean;
}

/**
 * Reads parameter names and literal defaults from a method's source text (`Function.prototype.toString`), so that
 * authors do not repeat what they already wrote in the signature. Decorators cannot see names, and TypeScript's
 * metadata records only types.
 */
export function parseMethodSignature(method: Function): SourceParameter[] {
  const source = method.toString();
  const open = source.indexOf('(');
  if (open < 0) return [];
  const close = findClosing(source, open);
  return splitTopLevel(source.slice(open + 1, close))
    .filter((part) => withoutComments(part).trim().length > 0)
    .map(parseParameter);
}

function parseParameter(written: string): SourceParameter {
  const text = withoutComments(written).trim();
  const rest = text.startsWith('...');
  const body = rest ? text.slice(3).trim() : text;
  const equals = findTopLevelEquals(body);
  const binding = (equals < 0 ? body : body.slice(0, equals)).trim();
  const name = /^[A-Za-z_$][\w$]*$/.test(binding) ? binding : undefined;
  if (equals < 0) return { name, hasDefault: false, literalDefault: undefined, rest };
  return { name, hasDefault: true, literalDefault: parseLiteral(body.slice(equals + 1).trim()), rest };
}

/** Parses a default written as a JSON-like literal; single-quoted strings are accepted. */
function parseLiteral(text: string): unknown {
  const json = /^'([^'\\]|\\.)*'$/.test(text) ? JSON.stringify(text.slice(1, -1).replace(/\\'/g, "'")) : text;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function findClosing(source: string, open: number): number {
  let depth = 0;
  for (let index = open; index < source.length; index = skipQuoted(source, index) + 1) {
    const char = source[index] as string;
    if (char in OPENERS) depth++;
    else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return source.length;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index = skipQuoted(text, index) + 1) {
    const char = text[index] as string;
    if (char in OPENERS) depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function findTopLevelEquals(text: string): number {
  let depth = 0;
  for (let index = 0; index < text.length; index = skipQuoted(text, index) + 1) {
    const char = text[index] as string;
    if (char in OPENERS) depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === '=' && depth === 0) return index;
  }
  return -1;
}

function withoutComments(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const end = skipQuoted(text, index);
    const isComment = text[index] === '/' && (text[index + 1] === '*' || text[index + 1] === '/');
    if (!isComment) result += text.slice(index, end + 1);
    else result += ' ';
    index = end;
  }
  return result;
}

/** Returns the index of the last character of a string literal or comment starting at `index` (or `index`). */
function skipQuoted(text: string, index: number): number {
  const char = text[index];
  if (char === '/' && text[index + 1] === '*') {
    const end = text.indexOf('*/', index + 2);
    return end < 0 ? text.length : end + 1;
  }
  if (char === '/' && text[index + 1] === '/') {
    const end = text.indexOf('\n', index);
    return end < 0 ? text.length : end;
  }
  if (char !== '"' && char !== "'" && char !== '`') return index;
  for (let cursor = index + 1; cursor < text.length; cursor++) {
    if (text[cursor] === '\\') cursor++;
    else if (text[cursor] === char) return cursor;
  }
  return text.length;
}
