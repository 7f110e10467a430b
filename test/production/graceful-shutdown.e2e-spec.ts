// SIGTERM to a running app (the built showcase, started by `launch()` in a process of its own): new calls get 503
// with a message, the waiting call is told it will not run, the running call finishes, and the process ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { call, readCallStream, waitFor } from '../support/protocol.js';
import { postJson } from '../support/sse.js';

let child: ChildProcess;
let url: string;
let output = '';

beforeAll(async () => {
  child = spawn(process.execPath, [join(process.cwd(), 'dist', 'src', 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await waitFor(() => /Running on local URL: +(http:\/\/\S+)/.test(output), 'the showcase to start', 30_000);
  url = (/Running on local URL: +(http:\/\/\S+)/.exec(output) as RegExpExecArray)[1] as string;
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

it('drains: refuses new calls, tells the waiting one, lets the running one finish, then ends', async () => {
  // slow_echo runs one at a time: the first runs, the second waits behind it.
  const running = await call(url, 'slow_echo', { text: 'first', seconds: 2 }, true);
  const waiting = await call(url, 'slow_echo', { text: 'second', seconds: 1 }, true);
  const runningStream = readCallStream(url, 'slow_echo', running);
  const waitingStream = readCallStream(url, 'slow_echo', waiting);
  await waitFor(
    async () =>
      ((await (await fetch(`${url}/gradio_api/queue/status`)).json()) as { queue_size: number }).queue_size === 1,
    'the second call to wait',
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  child.kill('SIGTERM');

  const waitingBody = await waitingStream;
  expect(waitingBody).toMatch(/^event: error\ndata: /);
  expect(waitingBody).toContain(
    'The server is shutting down; this call had not started and will not run. Try again in a moment.',
  );
  expect(await postJson(`${url}/gradio_api/call/v2/add`, { a: 1, b: 2 })).toEqual({
    status: 503,
    json: { detail: 'The server is shutting down and takes no new calls; try again in a moment.' },
  });
  // An MCP client reconnecting its SSE session now would hold the server open: it is told to come back later.
  const mcpSse = await fetch(`${url}/gradio_api/mcp/sse`);
  expect({ status: mcpSse.status, body: await mcpSse.json() }).toEqual({
    status: 503,
    body: expect.objectContaining({
      message: 'The server is shutting down and takes no new calls; try again in a moment.',
    }),
  });
  expect(await runningStream).toBe('event: complete\ndata: ["first"]\n\n');
  // Once closed, Nest's shutdown hook raises the signal again, the conventional end of a process told to stop.
  expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
  expect(output).not.toMatch(/ERROR|Error:/);
});
