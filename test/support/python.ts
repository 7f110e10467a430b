import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The project's venv Python (created by `scripts/setup.sh`), where the real `gradio_client` is installed. */
export const VENV_PYTHON = join(process.cwd(), '.venv', 'bin', 'python');

/**
 * Runs a Python snippet in the venv with `input` as JSON on stdin and returns what it printed as JSON. Lets unit
 * specs use Gradio's own client functions as the oracle instead of our reading of them.
 */
export function runPython<T>(code: string, input: unknown): T {
  if (!existsSync(VENV_PYTHON)) throw new Error(`No Python venv at ${VENV_PYTHON}; run scripts/setup.sh first.`);
  const result = spawnSync(VENV_PYTHON, ['-c', code], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`Python failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
