// Issue 3: the snippets are valid for every kind of parameter type, not only the showcase's. Each public endpoint
// of the type probe (scalars, collections, a class-validator DTO, literals, unions, nullables, raw JSON Schemas
// with bounds and $refs, defaults, no parameters, a file) has its Python, JavaScript and cURL snippet run for real
// — gradio_client, node with @gradio/client, bash with curl — and must print what the probe's method returns for
// the example arguments the snippet passes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { prepareSnippetDir, run, snippetsIn, type SnippetInfo, type SnippetRun, type Snippets } from './run-snippet.js';
import { EXAMPLE_FILE } from './showcase-oracle.js';
import { TypeProbe } from './type-probe.service.js';

type Args = Record<string, unknown>;

/** Its own folder (not run-snippet's SNIPPET_DIR, which the showcase's snippet test empties), still inside the project. */
const DIR = join(process.cwd(), 'test', 'artifacts', 'type-snippets');
const TIMEOUT = 120_000;

/**
 * What each public method of TypeProbe returns for the given arguments, read from its source, not from the
 * server. `file_in` answers the length of a server-side path, which only has to be a positive integer.
 */
const ORACLE: Record<string, (args: Args) => unknown> = {
  scalars: () => true,
  collections: () => 6,
  choices: ({ constant, choice, numbers, maybe, either, eitherOrNone }) =>
    JSON.stringify([constant, choice, numbers, maybe, either, eitherOrNone]),
  raw_schemas: ({ positive, text, name }) =>
    (positive as number) + ((text as string | null)?.length ?? 0) + (name as string).length,
  defaults: ({ x, y, z, w }) => JSON.stringify([x, y, z, w]),
  no_parameters: () => 'none',
  file_in: () => expect.any(Number),
};
const ENDPOINTS = Object.keys(ORACLE);

function failure(label: string, result: SnippetRun): string {
  return `${label} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

describe('snippets for every kind of parameter type run for real', () => {
  let app: RunningApp;
  let info: SnippetInfo;

  beforeAll(async () => {
    app = await startGradioApp({}, [TypeProbe]);
    info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as SnippetInfo;
    await prepareSnippetDir(DIR, EXAMPLE_FILE);
  });

  afterAll(async () => {
    await app?.close();
  });

  const snippets = (name: string): Snippets => snippetsIn(info, name);

  /** The arguments the snippets pass, read from the CLI payload (plain JSON; the same values in every language). */
  const expected = (name: string): unknown => {
    const cli = snippets(name).cli;
    const args = JSON.parse(cli.slice(cli.indexOf(" '") + 2, cli.lastIndexOf("'")).replaceAll(`'\\''`, "'")) as Args;
    return (ORACLE[name] as (args: Args) => unknown)(args);
  };

  it('covers every public endpoint of the probe', () => {
    expect(Object.keys(info.named_endpoints).sort()).toEqual(ENDPOINTS.map((name) => `/${name}`).sort());
  });

  it('passes no placeholder where a value of another type is needed', () => {
    for (const name of ENDPOINTS) {
      for (const language of ['python', 'javascript', 'bash'] as const) {
        // Gradio's raw `...` (Python's Ellipsis, invalid JSON); a quoted "..." is a valid string.
        expect({ name, language, raw: /[=:[,]\s*\.\.\.\s*[,\]}\n]/.test(snippets(name)[language]) }).toEqual({
          name,
          language,
          raw: false,
        });
      }
    }
  });

  it.each(ENDPOINTS)(
    'Python: /%s',
    async (name) => {
      // Prefixed: a script named collections.py would shadow Python's own module.
      const file = join(DIR, `snippet_${name}.py`);
      await writeFile(file, snippets(name).python);
      const result = await run(join(process.cwd(), '.venv', 'bin', 'python'), [file], DIR);
      if (result.code !== 0) throw new Error(failure('python', result));
      const printed = result.stdout.trimEnd().split('\n').pop() ?? '';
      const value = expected(name);
      // print() shows a string as is, a bool as True/False and a number in decimal.
      if (typeof value === 'string') expect(printed).toBe(value);
      else if (typeof value === 'boolean') expect(printed).toBe(value ? 'True' : 'False');
      else expect(Number(printed)).toEqual(value);
    },
    TIMEOUT,
  );

  it.each(ENDPOINTS)(
    'JavaScript: /%s',
    async (name) => {
      const file = join(DIR, `snippet_${name}.mjs`);
      await writeFile(file, snippets(name).javascript);
      const result = await run(process.execPath, [file], DIR);
      if (result.code !== 0) throw new Error(failure('node', result));
      const value = expected(name);
      // console.log(result.data) prints util.inspect of the outputs list.
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
        expect(result.stdout.trimEnd()).toBe(inspect([value]));
      } else {
        expect(Number(/^\[ (\d+) \]$/.exec(result.stdout.trimEnd())?.[1])).toEqual(value);
      }
    },
    TIMEOUT,
  );

  it.each(ENDPOINTS)(
    'cURL: /%s',
    async (name) => {
      const result = await run('bash', ['-c', snippets(name).bash], DIR);
      if (result.code !== 0) throw new Error(failure('bash', result));
      const blocks = result.stdout.split('\n\n').filter((block) => block.startsWith('event: '));
      const last = blocks[blocks.length - 1] ?? '';
      expect(/^event: (.*)$/m.exec(last)?.[1]).toBe('complete');
      expect(JSON.parse(/^data: (.*)$/m.exec(last)?.[1] ?? 'null')).toEqual([expected(name)]);
    },
    TIMEOUT,
  );
});
