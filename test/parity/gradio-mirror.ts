import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { VENV_PYTHON } from '../support/python.js';

/** The real Python Gradio serving test/parity/showcase_server.py. */
export interface GradioMirror {
  url: string;
  close(): Promise<void>;
}

const SCRIPT = join(process.cwd(), 'test', 'parity', 'showcase_server.py');
const STARTUP_MS = 120_000;

/**
 * Starts the mirror (or another Gradio script of test/parity/) on a free loopback port and waits until Gradio
 * prints its URL (importing gradio takes a while).
 */
export async function startGradioMirror(script: string = SCRIPT): Promise<GradioMirror> {
  if (!existsSync(VENV_PYTHON)) {
    throw new Error(
      `No Python venv at ${VENV_PYTHON}: run bash scripts/setup.sh (it installs test/parity/requirements.txt).`,
    );
  }
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GRADIO_')));
  const child = spawn(VENV_PYTHON, [script], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Gradio printed no URL within ${STARTUP_MS / 1000} s:\n${output}`)),
      STARTUP_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Running on local URL:\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve((match[1] as string).replace(/\/+$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The Gradio mirror exited with code ${code}:\n${output}`));
    });
  });
  return { url, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
