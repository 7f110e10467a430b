import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './redis.js';

/** The built showcase (`npm run build`) running in a process of its own. */
export interface ShowcaseProcess {
  url: string;
  child: ChildProcess;
  /** Kills the process outright (SIGKILL: no shutdown hooks, like a crash or a lost machine). */
  kill(): Promise<void>;
}

/**
 * Starts `dist/src/main.js` on a free loopback port with `env` added, and waits until it answers `/config`.
 * `preload`: a module Node imports first (`--import`), given an IPC channel to the test (`child.send`).
 */
export async function startShowcaseProcess(env: Record<string, string>, preload?: string): Promise<ShowcaseProcess> {
  const port = await freePort();
  const script = join(process.cwd(), 'dist', 'src', 'main.js');
  const child = spawn(process.execPath, preload ? ['--import', preload, script] : [script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe', ...(preload ? (['ipc'] as const) : [])],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`The showcase exited with ${code}: ${stderr}`))),
  );
  await Promise.race([answers(url), exited]);
  return {
    url,
    child,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

async function answers(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${url}/config`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
