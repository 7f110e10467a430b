// The showcase's OpenAPI documents hold under property-based fuzzing: schemathesis (from .venv, see
// test/fuzz/requirements.txt) derives thousands of requests from each document — valid ones, invalid ones, other
// methods — and checks every answer against it (`--checks all`: no 5xx, documented status codes, content types and
// schemas, 405 for undeclared methods, valid requests accepted and invalid ones refused). The seed is fixed so that
// a run is repeatable; the server must also still be up at the end.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { launch } from 'nest-gradio';
import { AppModule } from '../../src/app.module.js';

const SCHEMATHESIS = join(process.cwd(), '.venv', 'bin', 'schemathesis');

let app: INestApplication;
let url: string;
let workDir: string;

beforeAll(async () => {
  app = await launch(AppModule, { port: 0, host: '127.0.0.1', printUrl: false, logLevels: [] });
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  workDir = await mkdtemp(join(tmpdir(), 'schemathesis-'));
});

afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

interface FuzzRun {
  code: number | null;
  output: string;
}

/** Runs schemathesis without blocking this process's event loop: the server under test lives in it. */
function fuzz(documentUrl: string): Promise<FuzzRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      SCHEMATHESIS,
      ['run', documentUrl, '--checks', 'all', '--max-examples', '30', '--seed', '1', '--no-color'],
      { cwd: workDir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The lines of the summary that name failures and errors (`❌ ST202 …: 1`, `🚫 Network Error: 3`). */
function problems(output: string): string[] {
  return output.split('\n').filter((line) => /^\s+(❌|🚫) /u.test(line) && !/Fuzzing|Coverage|Examples/.test(line));
}

it.each(['/gradio_api/openapi.json'])(
  '%s: every answer agrees with the document, and the server survives',
  async (path) => {
    const run = await fuzz(`${url}${path}`);
    expect({ problems: problems(run.output), report: run.code === 0 ? '' : run.output.slice(-6000) }).toEqual({
      problems: [],
      report: '',
    });
    expect(run.output).toMatch(/Tested: [1-9]\d*/);
    expect((await fetch(`${url}/gradio_api/info`)).status).toBe(200);
  },
  240_000,
);
