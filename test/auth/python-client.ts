import { spawn } from 'node:child_process';
import { VENV_PYTHON } from '../support/python.js';

/**
 * Runs a snippet with the real Python `gradio_client` in a child process, without blocking this one (the server
 * under test runs here), and returns what it printed as JSON. Telemetry and Hub access are off.
 */
export function runPythonClient<T>(code: string, input: unknown, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HF_HUB_OFFLINE: '1',
      HF_HUB_DISABLE_TELEMETRY: '1',
      DO_NOT_TRACK: '1',
    };
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'])
      delete env[name];
    const child = spawn(VENV_PYTHON, ['-c', code], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`Python exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as T);
    });
    child.stdin.end(JSON.stringify(input));
  });
}
