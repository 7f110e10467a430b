import type { Endpoint } from '../discovery/endpoint.interface.js';
import { API_PREFIX } from '../kernel/gradio.constants.js';
import { pythonJsonDumps } from '../wire/python-json.js';
import { containsFileExample, EXAMPLE_FILE_PATH, exampleOf, FILE_EXAMPLE } from './snippet-examples.js';

/** The languages of `code_snippets` in `/gradio_api/info`. */
export type SnippetLanguage = 'python' | 'javascript' | 'bash' | 'cli';

/**
 * The snippets of an endpoint in `/gradio_api/info` (`code_snippets`), laid out line for line like Gradio's
 * (`gradio_client/snippet.py` and hf-gradio's CLI template, docs/protocol.md#clients), with two fixes:
 * - every value is a valid literal of its language, derived from the schema where Gradio writes the placeholder
 *   `...` (`a=...` is Python's Ellipsis and invalid JSON in cURL), so each snippet runs as shown;
 * - the cURL pipeline groups `read` with the second request (`| { read EVENT_ID; curl …; }`): Gradio's
 *   `| read EVENT_ID; curl …` only works in zsh, as bash and sh run `read` in a subshell and lose the id.
 * The CLI snippet keeps Gradio's literal `{command}` (`gradio` or `hf gradio`), filled in by the page.
 */
export function codeSnippets(endpoint: Endpoint, root: string): Record<SnippetLanguage, string> {
  const examples = endpoint.parameters.map((parameter) => [parameter.name, exampleOf(parameter)] as const);
  return {
    python: pythonSnippet(endpoint.apiName, examples, root),
    javascript: javascriptSnippet(endpoint.apiName, examples, root),
    bash: bashSnippet(endpoint.apiName, examples, root),
    cli: cliSnippet(endpoint.apiName, examples, root),
  };
}

type Examples = readonly (readonly [name: string, value: unknown])[];

function pythonSnippet(apiName: string, examples: Examples, root: string): string {
  const withFile = examples.some(([, value]) => containsFileExample(value));
  return [
    `from gradio_client import Client${withFile ? ', handle_file' : ''}`,
    '',
    `client = Client(${JSON.stringify(root)})`,
    'result = client.predict(',
    ...examples.map(([name, value]) => `\t${name}=${literal(value, 'python')},`),
    `\tapi_name="/${apiName}",`,
    ')',
    'print(result)',
  ].join('\n');
}

function javascriptSnippet(apiName: string, examples: Examples, root: string): string {
  const withFile = examples.some(([, value]) => containsFileExample(value));
  return [
    `import { ${withFile ? 'Client, handle_file' : 'Client'} } from "@gradio/client";`,
    '',
    `const client = await Client.connect(${JSON.stringify(root)});`,
    `const result = await client.predict("/${apiName}", {`,
    ...examples.map(([name, value]) => `\t\t${name}: ${literal(value, 'javascript')},`),
    '});',
    '',
    'console.log(result.data);',
  ].join('\n');
}

function bashSnippet(apiName: string, examples: Examples, root: string): string {
  const upload = examples.some(([, value]) => containsFileExample(value))
    ? [
        `FILE_PATH=$(curl -s -X POST ${root}${API_PREFIX}/upload -F ${shellQuote(`files=@${EXAMPLE_FILE_PATH}`)} | tr -d '[]" ')`,
        '',
      ]
    : [];
  const body = `{${examples.map(([name, value]) => `${JSON.stringify(name)}: ${literal(value, 'bash')}`).join(', ')}}`;
  return [
    ...upload,
    `curl -X POST ${root}${API_PREFIX}/call/v2/${apiName} -s -H "Content-Type: application/json" \\`,
    // The uploaded path is spliced in by closing and reopening the single quotes around the body.
    `  -d ${shellQuote(body).replaceAll(FILE_PATH_MARK, `'$FILE_PATH'`)} \\`,
    `  | awk -F'"' '{ print $4}' \\`,
    `  | { read EVENT_ID; curl -N ${root}${API_PREFIX}/call/${apiName}/$EVENT_ID; }`,
  ].join('\n');
}

function cliSnippet(apiName: string, examples: Examples, root: string): string {
  const payload = Object.fromEntries(
    examples.map(([name, value]) => [name, fileAsReference(value, EXAMPLE_FILE_PATH)]),
  );
  return `{command} predict ${root} /${apiName} ${shellQuote(pythonIndentedJson(payload))}\n`;
}

/** Where the uploaded path goes in the cURL body, replaced once the body is shell-quoted. */
const FILE_PATH_MARK = 'FILE_PATH_PLACEHOLDER';

/**
 * A value as a literal of the snippet's language. Top-level strings are written as they are (JSON escapes only,
 * as Gradio's `"{value}"`); nested values use Python's `json.dumps` spacing, as Gradio's snippets do.
 */
function literal(value: unknown, language: 'python' | 'javascript' | 'bash'): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (language === 'bash') return pythonJsonDumps(fileAsReference(value, FILE_PATH_MARK));
  return structuredLiteral(value, language);
}

function structuredLiteral(value: unknown, language: 'python' | 'javascript'): string {
  if (value === FILE_EXAMPLE) {
    return language === 'python'
      ? `handle_file('${EXAMPLE_FILE_PATH}')`
      : `handle_file(${JSON.stringify(EXAMPLE_FILE_PATH)})`;
  }
  if (language === 'python') {
    if (value === null || value === undefined) return 'None';
    if (value === true) return 'True';
    if (value === false) return 'False';
  }
  if (Array.isArray(value)) return `[${value.map((item) => structuredLiteral(item, language)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${pythonJsonDumps(key)}: ${structuredLiteral(item, language)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return pythonJsonDumps(value ?? null);
}

/** cURL and the CLI send a file as a FileData reference to what was uploaded (Gradio's simplified form). */
function fileAsReference(value: unknown, path: string): unknown {
  if (value === FILE_EXAMPLE) return { path, meta: { _type: 'gradio.FileData' } };
  if (Array.isArray(value)) return value.map((item) => fileAsReference(item, path));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fileAsReference(item, path)]));
  }
  return value;
}

/** Python's `json.dumps(value, indent=2)`: JSON.stringify's layout with non-ASCII escaped (`ensure_ascii`). */
function pythonIndentedJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Single-quotes a shell word; a `'` inside becomes `'\''`. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
