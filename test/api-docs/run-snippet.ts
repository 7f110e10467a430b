import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VENV_PYTHON } from '../support/python.js';

/** The `code_snippets` of one endpoint in `/gradio_api/info`. */
export type Snippets = Record<'python' | 'javascript' | 'bash' | 'cli', string>;
/** The part of `/gradio_api/info` the snippet tests read. */
export type SnippetInfo = { named_endpoints: Record<string, { code_snippets: Snippets }> };

/** The snippets of the endpoint `/name` in `info`; throws when it has none. */
export function snippetsIn(info: SnippetInfo, name: string): Snippets {
  const endpoint = info.named_endpoints[`/${name}`];
  if (!endpoint) throw new Error(`/gradio_api/info has no /${name}`);
  return endpoint.code_snippets;
}

/** Empties `dir` and puts the file the snippets upload (`handle_file('path/to/…')`) at its place inside it. */
export async function prepareSnippetDir(dir: string, file: { path: string; bytes: Buffer }): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(join(dir, file.path)), { recursive: true });
  await writeFile(join(dir, file.path), file.bytes);
}

export interface SnippetRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment snippets run in: the venv first on PATH (its `gradio` command and `python`), and the Python
 * client kept off the network (its telemetry obeys huggingface_hub's switches, see test/compat/conftest.py).
 */
export function snippetEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(GRADIO_|HTTPS?_PROXY$|ALL_PROXY$)/i.test(key)),
  ) as NodeJS.ProcessEnv;
  return {
    ...env,
    PATH: `${dirname(VENV_PYTHON)}:${process.env['PATH'] ?? ''}`,
    HF_HUB_DISABLE_TELEMETRY: '1',
    HF_HUB_OFFLINE: '1',
    DO_NOT_TRACK: '1',
    GRADIO_ANALYTICS_ENABLED: 'False',
    PYTHONUNBUFFERED: '1',
    NO_COLOR: '1',
    COLUMNS: '200',
  };
}

/** Runs a command to completion (or kills it after `timeoutMs`) and collects its output. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 90_000): Promise<SnippetRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: snippetEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Where snippets run: a git-ignored folder inside the project, so that `@gradio/client` resolves from it. */
export const SNIPPET_DIR = join(process.cwd(), 'test', 'artifacts', 'snippets');

/**
 * Starts `task` for every key, `lanes` at a time in the keys' order, and gives each key its own promise: a test
 * awaits its own while the next ones already run. A Python client or `gradio predict` spends seconds importing before
 * it sends anything; run one at a time, the machine's other core would sit idle meanwhile.
 */
export function runInLanes<T>(
  keys: readonly string[],
  lanes: number,
  task: (key: string) => Promise<T>,
): Map<string, Promise<T>> {
  const results = new Map<string, Promise<T>>();
  const laneEnds: Promise<unknown>[] = Array.from({ length: lanes }, () => Promise.resolve());
  keys.forEach((key, index) => {
    const lane = index % lanes;
    const result = (laneEnds[lane] as Promise<unknown>).then(() => task(key));
    laneEnds[lane] = result.catch(() => undefined);
    results.set(key, result);
  });
  return results;
}
