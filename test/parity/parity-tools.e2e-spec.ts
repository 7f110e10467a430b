// The parity test's own tools must catch what they are meant to catch; otherwise "no unexplained difference"
// would prove nothing.
import { diffJson, formatPath, pathMatches } from './json-diff.js';
import { ALLOWED_DIFFERENCES } from './parity-differences.js';
import { snippetProblems } from './snippet-parity.js';

const GRADIO_PYTHON =
  'from gradio_client import Client\n\nclient = Client("<root>")\nresult = client.predict(\n\ta=...,\n\tname="...",\n\tapi_name="/x",\n)\nprint(result)';
const GRADIO_BASH =
  'curl -X POST <root>/gradio_api/call/v2/x -s -H "Content-Type: application/json" \\\n  -d \'{"a": ..., "name": "..."}\' \\\n' +
  "  | awk -F'\"' '{ print $4}' \\\n  | read EVENT_ID; curl -N <root>/gradio_api/call/x/$EVENT_ID";

describe('json-diff', () => {
  it('finds changed values, types, missing and extra keys, and a change of key order', () => {
    const differences = diffJson(
      { b: 1, a: [1, 2], c: 'x', extra: true },
      { a: [1, 3, 4], b: '1', c: 'x', gone: null },
    );
    expect(differences.map((difference) => `${formatPath(difference.path)} ${difference.kind}`)).toEqual([
      ' order',
      'a[1] value',
      'a[2] missing',
      'b type',
      'gone missing',
      'extra extra',
    ]);
  });

  it('matches path patterns with * and **', () => {
    expect(
      pathMatches(
        ['info', 'named_endpoints', '/x', 'code_snippets', 'bash'],
        ['info', 'named_endpoints', '*', 'code_snippets', '*'],
      ),
    ).toBe(true);
    expect(
      pathMatches(
        ['info', 'named_endpoints', '/x', 'description'],
        ['info', 'named_endpoints', '*', 'code_snippets', '*'],
      ),
    ).toBe(false);
    expect(pathMatches(['openapi', 'paths', '/p', 'post', 'description'], ['openapi', '**', 'description'])).toBe(true);
    expect(pathMatches(['config', 'footer_links'], ['config', 'footer_links', '**'])).toBe(true);
  });
});

describe('the allowed differences', () => {
  it('do not cover fields that must match, such as an endpoint description or a parameter type', () => {
    for (const path of [
      ['info', 'named_endpoints', '/add', 'description'],
      ['info', 'named_endpoints', '/add', 'parameters', 0, 'type'],
      ['config', 'dependencies', 0, 'api_name'],
      ['openapi', 'paths', '/gradio_api/call/v2/add', 'post', 'operationId'],
    ]) {
      expect({
        path,
        allowed: ALLOWED_DIFFERENCES.some((rule) => rule.paths.some((pattern) => pathMatches(path, pattern))),
      }).toEqual({
        path,
        allowed: false,
      });
    }
  });

  it('each give a reason', () => {
    for (const rule of ALLOWED_DIFFERENCES) expect(rule.reason.length).toBeGreaterThan(20);
  });
});

describe('snippetProblems', () => {
  const names = ['a', 'name'];

  it("accepts a valid value where Gradio has its placeholder, and Gradio's own value elsewhere", () => {
    const ours = GRADIO_PYTHON.replace('a=...,', 'a=3,');
    expect(snippetProblems('python', ours, GRADIO_PYTHON, names)).toEqual([]);
  });

  it('refuses a different template, an invalid value, or a changed value where Gradio has a real one', () => {
    expect(
      snippetProblems(
        'python',
        GRADIO_PYTHON.replace('a=...,', 'a=3,').replace('print(result)', 'print(result.data)'),
        GRADIO_PYTHON,
        names,
      ),
    ).toHaveLength(1);
    expect(snippetProblems('python', GRADIO_PYTHON.replace('a=...,', 'a=[3,'), GRADIO_PYTHON, names)).toEqual([
      '"[3" is not a valid python value',
    ]);
    expect(
      snippetProblems(
        'python',
        GRADIO_PYTHON.replace('a=...,', 'a=3,').replace('name="..."', 'name="x"'),
        GRADIO_PYTHON,
        names,
      ),
    ).toHaveLength(1);
  });

  it("accepts the bash fix of Gradio's last cURL line, and only that", () => {
    const fixed = GRADIO_BASH.replace('"a": ...', '"a": 3').replace(
      '| read EVENT_ID; curl -N <root>/gradio_api/call/x/$EVENT_ID',
      '| { read EVENT_ID; curl -N <root>/gradio_api/call/x/$EVENT_ID; }',
    );
    expect(snippetProblems('bash', fixed, GRADIO_BASH, names)).toEqual([]);
    expect(snippetProblems('bash', fixed.replace('curl -N', 'curl -sN'), GRADIO_BASH, names)).toHaveLength(1);
  });
});
