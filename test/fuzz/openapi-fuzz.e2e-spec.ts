// The showcase's OpenAPI documents hold under property-based fuzzing: schemathesis (from .venv, see
// test/fuzz/requirements.txt) derives requests from each document — valid ones, invalid ones, other methods — and
// checks every answer against it (`--checks all`: no 5xx, documented status codes, content types, headers and
// schemas, 405 with Allow for undeclared methods, valid requests accepted and invalid ones refused), with the
// settings of schemathesis.toml. Both documents: the application's (`/openapi.json`, every route of the app, Gradio's
// included) and Gradio's own (`/gradio_api/openapi.json`). The seed is fixed so that a run is repeatable; the server
// must also still be up at the end.
//
// Every operation is fuzzed. For time, each document's paths are split among a few schemathesis processes run side
// by side (its own `--workers` share one Python process, whose generator is not thread-safe); most of a run's time is
// spent waiting on the server (`upload_progress` waits 3 s for an upload that never starts), not computing.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { launch } from 'nest-gradio';
import { AppModule } from '../../src/app.module.js';

const SCHEMATHESIS = join(process.cwd(), '.venv', 'bin', 'schemathesis');
const CONFIG = join(process.cwd(), 'test', 'fuzz', 'schemathesis.toml');
/** Test cases per operation and phase. */
const MAX_EXAMPLES = 20;
/** The processes among which each document's paths are split. */
const PROCESSES: Record<string, number> = { '/openapi.json': 3, '/gradio_api/openapi.json': 1 };
const DOCUMENTS = Object.keys(PROCESSES);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface FuzzRun {
  paths: string[];
  code: number | null;
  output: string;
}

interface Fuzzed {
  operations: number;
  runs: FuzzRun[];
}

let app: INestApplication;
let url: string;
let workDir: string;
const children = new Set<ChildProcess>();
const fuzzed = new Map<string, Promise<Fuzzed>>();

beforeAll(async () => {
  app = await launch(AppModule, { port: 0, host: '127.0.0.1', printUrl: false, logLevels: [] });
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  workDir = await mkdtemp(join(tmpdir(), 'schemathesis-'));
  // Both documents at once: the runs overlap, each test waits for its own.
  for (const path of DOCUMENTS) fuzzed.set(path, fuzzDocument(`${url}${path}`, PROCESSES[path] ?? 1));
});

afterAll(async () => {
  for (const child of children) child.kill();
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

async function fuzzDocument(documentUrl: string, processes: number): Promise<Fuzzed> {
  const document = (await (await fetch(documentUrl)).json()) as { paths: Record<string, Record<string, unknown>> };
  const paths = Object.keys(document.paths).sort();
  const operations = paths.flatMap((path) => Object.keys(document.paths[path] ?? {}).filter((key) => METHODS.has(key)));
  const groups = Array.from({ length: processes }, (_, index) => paths.filter((__, at) => at % processes === index));
  const runs = await Promise.all(groups.filter((group) => group.length > 0).map((group) => fuzz(documentUrl, group)));
  return { operations: operations.length, runs };
}

/** Runs schemathesis on the operations of `paths`, without blocking this process's event loop: the server lives in it. */
function fuzz(documentUrl: string, paths: string[]): Promise<FuzzRun> {
  return new Promise((resolve) => {
    const child = spawn(
      SCHEMATHESIS,
      [
        '--config-file',
        CONFIG,
        'run',
        documentUrl,
        '--checks',
        'all',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        '1',
        '--no-color',
        ...paths.flatMap((path) => ['--include-path', path]),
      ],
      { cwd: workDir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ paths, code: null, output: `${output}\n${error.message}` }));
    child.on('close', (code) => {
      children.delete(child);
      resolve({ paths, code, output });
    });
  });
}

/** The lines of the summary that name failures and errors (`❌ ST202 …: 1`, `🚫 Network Error: 3`). */
function problems(output: string): string[] {
  return output.split('\n').filter((line) => /^\s+(❌|🚫) /u.test(line) && !/Fuzzing|Coverage|Examples/.test(line));
}

/** How many operations a run tested (`Tested: 23` in its summary). */
function tested(output: string): number {
  return Number(/^\s*Tested: (\d+)/m.exec(output)?.[1] ?? 0);
}

it.each(DOCUMENTS)(
  '%s: every answer to every operation agrees with the document, and the server survives',
  async (path) => {
    const { operations, runs } = await (fuzzed.get(path) as Promise<Fuzzed>);
    const failed = runs.filter((run) => run.code !== 0);
    expect({
      problems: runs.flatMap((run) => problems(run.output)),
      reports: failed.map((run) => `${run.paths.join(' ')}:\n${run.output.slice(-6000)}`),
    }).toEqual({ problems: [], reports: [] });
    expect(operations).toBeGreaterThan(20);
    expect(runs.reduce((sum, run) => sum + tested(run.output), 0)).toBe(operations);
    expect((await fetch(`${url}/gradio_api/info`)).status).toBe(200);
  },
  240_000,
);
