// Issue 3: every code snippet of /gradio_api/info, run for real against the showcase — the Python one with the
// venv's gradio_client, the JavaScript one with node and @gradio/client, the cURL one with bash and with sh, the
// CLI one with Gradio's `gradio predict` — prints the result the endpoint's specification predicts.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { inspect } from 'node:util';
import { SHOWCASE_OPTIONS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import {
  prepareSnippetDir,
  run,
  runInLanes,
  SNIPPET_DIR,
  snippetsIn,
  type SnippetInfo,
  type SnippetRun,
  type Snippets,
} from './run-snippet.js';
import { EXAMPLE_FILE, SHOWCASE_ORACLE, type Expectation } from './showcase-oracle.js';

const ENDPOINTS = Object.keys(SHOWCASE_ORACLE);
const TIMEOUT = 120_000;

/** Python's `str()` of what the client returns: the value for one output, a tuple for several. */
function pythonPrinted(outputs: unknown[]): string {
  if (outputs.length === 1) return typeof outputs[0] === 'string' ? outputs[0] : pythonRepr(outputs[0]);
  return `(${outputs.map(pythonRepr).join(', ')}${outputs.length === 1 ? ',' : ''})`;
}

function pythonRepr(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    return `${quote}${value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
    .join(', ')}}`;
}

/** The SSE blocks a cURL snippet printed, as `[event, data]`. */
function sseEvents(stdout: string): [string, unknown][] {
  return stdout
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return [event, JSON.parse(data)];
    });
}

async function expectLocalFile(path: string, file: { name: string; bytes: Buffer }): Promise<void> {
  expect(basename(path)).toBe(file.name);
  expect(await readFile(path)).toEqual(file.bytes);
}

async function expectServedFile(url: string | undefined, file: { name: string; bytes: Buffer }): Promise<void> {
  if (!url) throw new Error('The result names no URL for the file.');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer())).toEqual(file.bytes);
}

function failure(label: string, result: SnippetRun): string {
  return `${label} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

describe('code snippets run for real against the showcase', () => {
  let app: RunningApp;
  let info: SnippetInfo;

  beforeAll(async () => {
    app = await startGradioApp(SHOWCASE_OPTIONS);
    info = (await (await fetch(`${app.url}/gradio_api/info`)).json()) as SnippetInfo;
    await prepareSnippetDir(SNIPPET_DIR, EXAMPLE_FILE);
  });

  afterAll(async () => {
    await app?.close();
  });

  const snippets = (name: string): Snippets => snippetsIn(info, name);

  /** Runs each endpoint's snippet of one kind two at a time, from the first test of that kind on. */
  const inLanes = (task: (name: string) => Promise<SnippetRun>): (() => Map<string, Promise<SnippetRun>>) => {
    let runs: Map<string, Promise<SnippetRun>> | undefined;
    return () => (runs ??= runInLanes(ENDPOINTS, 2, task));
  };
  const pythonRuns = inLanes(async (name) => {
    const file = join(SNIPPET_DIR, `${name}.py`);
    await writeFile(file, snippets(name).python);
    return run(join(process.cwd(), '.venv', 'bin', 'python'), [file], SNIPPET_DIR);
  });
  const cliRuns = inLanes((name) =>
    run('bash', ['-c', snippets(name).cli.replaceAll('{command}', 'gradio')], SNIPPET_DIR),
  );

  /** The named arguments a snippet passes, read from its CLI payload (plain JSON), and what the call must give. */
  const expectationOf = (name: string): Expectation => {
    const cli = snippets(name).cli;
    const payload = cli.slice(cli.indexOf(" '") + 2, cli.lastIndexOf("'")).replaceAll(`'\\''`, "'");
    return (SHOWCASE_ORACLE[name] as (args: Record<string, unknown>) => Expectation)(
      JSON.parse(payload) as Record<string, unknown>,
    );
  };

  it('covers every public endpoint of the showcase', () => {
    expect(Object.keys(info.named_endpoints).sort()).toEqual(ENDPOINTS.map((name) => `/${name}`).sort());
  });

  it.each(ENDPOINTS)(
    'Python: /%s',
    async (name) => {
      const result = await (pythonRuns().get(name) as Promise<SnippetRun>);
      const expected = expectationOf(name);
      if ('error' in expected) {
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(`AppError: ${expected.error}`);
        return;
      }
      if (result.code !== 0) throw new Error(failure('python', result));
      const printed = result.stdout.trimEnd().split('\n').pop() ?? '';
      // A file output is downloaded; the client prints its local path.
      if ('file' in expected) await expectLocalFile(printed, expected.file);
      else expect(printed).toBe(pythonPrinted(expected.outputs));
    },
    TIMEOUT,
  );

  it.each(ENDPOINTS)(
    'JavaScript: /%s',
    async (name) => {
      const file = join(SNIPPET_DIR, `${name}.mjs`);
      await writeFile(file, snippets(name).javascript);
      const result = await run(process.execPath, [file], SNIPPET_DIR);
      const expected = expectationOf(name);
      if ('error' in expected) {
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(expected.error);
        return;
      }
      if (result.code !== 0) throw new Error(failure('node', result));
      if ('file' in expected) {
        // The file comes back as FileData with a URL to fetch it from. In Node, @gradio/client uploads a path under
        // the path itself as the name, which the endpoint keeps as the original name.
        expect(result.stdout).toContain(`orig_name: '${EXAMPLE_FILE.path}'`);
        await expectServedFile(/url: '([^']+)'/.exec(result.stdout)?.[1], expected.file);
        return;
      }
      // console.log(result.data) prints util.inspect of the outputs list.
      expect(result.stdout.trimEnd()).toBe(inspect(expected.outputs));
    },
    TIMEOUT,
  );

  it.each(
    ENDPOINTS.flatMap((name) => [
      [name, 'bash'],
      [name, 'sh'],
    ]),
  )(
    'cURL: /%s in %s',
    async (name, shell) => {
      const result = await run(shell as string, ['-c', snippets(name as string).bash], SNIPPET_DIR);
      if (result.code !== 0) throw new Error(failure(shell as string, result));
      const events = sseEvents(result.stdout);
      const [event, data] = events[events.length - 1] ?? ['', null];
      const expected = expectationOf(name as string);
      if ('error' in expected) {
        expect(event).toBe('error');
        expect(data).toMatchObject({ error: expected.error });
      } else if ('file' in expected) {
        expect(event).toBe('complete');
        const [file] = data as { url: string; orig_name: string }[];
        expect(file?.orig_name).toBe(expected.file.name);
        await expectServedFile(file?.url, expected.file);
      } else {
        expect(event).toBe('complete');
        expect(data).toEqual(expected.outputs);
      }
    },
    TIMEOUT,
  );

  it.each(ENDPOINTS)(
    "CLI (Gradio's `gradio predict`): /%s",
    async (name) => {
      const result = await (cliRuns().get(name) as Promise<SnippetRun>);
      const expected = expectationOf(name);
      if ('error' in expected) {
        expect(result.code).not.toBe(0);
        expect(result.stdout + result.stderr).toContain(expected.error);
        return;
      }
      if (result.code !== 0) throw new Error(failure('gradio predict', result));
      // It prints the outputs as a JSON object keyed by their labels ("1st", "2nd", …); a file as its local copy.
      const outputs = Object.values(JSON.parse(result.stdout) as Record<string, unknown>);
      if ('file' in expected) await expectLocalFile(String(outputs[0]), expected.file);
      else expect(outputs).toEqual(expected.outputs);
    },
    TIMEOUT,
  );
});
