// Handlers that hang and ignore their AbortSignal: a Promise that never settles, an async method that never returns,
// an async generator that stops between two steps. The time limit still ends the event: its client gets one clear
// error completion, the concurrency slot is freed for the next call, and the server goes on serving.
import { Injectable } from '@nestjs/common';
import { GradioApi, McpTool } from 'nest-gradio';
import { runPythonClient } from '../auth/python-client.js';
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import { fnIndexes, join, messagesOf, newSessionHash, readSession, waitFor } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const LIMIT_SECONDS = 0.5;
const never = new Promise<never>(() => undefined);

/** How many calls of each endpoint started: a call waiting for the slot has not. */
const started = new Map<string, number>();
const count = (name: string): void => void started.set(name, (started.get(name) ?? 0) + 1);

@Injectable()
class HangingService {
  /** Not `async`: it returns a Promise that never settles. */
  @GradioApi({ name: 'hang_promise', concurrencyLimit: 1, timeLimit: LIMIT_SECONDS })
  hangPromise(hang: boolean): Promise<string> {
    count('hang_promise');
    return hang ? never : Promise.resolve('done');
  }

  /** Never returns when asked to hang. */
  @McpTool()
  @GradioApi({ name: 'hang_async', concurrencyLimit: 1, timeLimit: LIMIT_SECONDS })
  async hangAsync(hang: boolean): Promise<string> {
    count('hang_async');
    if (hang) await never;
    return 'done';
  }

  /** Gives one step, then, when asked to hang, never the next. */
  @GradioApi({ name: 'hang_generator', concurrencyLimit: 1, timeLimit: LIMIT_SECONDS })
  async *hangGenerator(hang: boolean): AsyncGenerator<string> {
    count('hang_generator');
    yield 'first';
    if (hang) await never;
    yield 'done';
  }
}

const TIME_LIMIT_ERROR = `The event took longer than its time limit of ${LIMIT_SECONDS} s and was stopped.`;

let app: RunningApp;
let fn: Record<string, number>;
let log: LifecycleLog;

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, [HangingService]);
  fn = await fnIndexes(app.url);
  log = new LifecycleLog(app.app);
});

afterAll(async () => {
  log?.stop();
  await app?.close();
});

it.each(['hang_promise', 'hang_async', 'hang_generator'])(
  '/%s: one error completion at the time limit, then the next call gets the slot',
  async (apiName) => {
    const hung = newSessionHash();
    const next = newSessionHash();
    const hungId = await join(app.url, fn[apiName] as number, [true], hung);
    await waitFor(() => started.get(apiName) === 1, `${apiName} to start`);
    const nextId = await join(app.url, fn[apiName] as number, [false], next);
    // The limit is 1: the second call waits for the slot the hung one holds.
    expect(started.get(apiName)).toBe(1);

    // Only a guard against hangs bounds the reads: the event ends at its time limit, far sooner.
    const [hungStream, nextStream] = await Promise.all([
      readSession(app.url, hung, 15_000),
      readSession(app.url, next, 15_000),
    ]);
    const hungCompletions = messagesOf(hungStream.messages, hungId).filter(
      (message) => message.msg === 'process_completed',
    );
    expect(hungCompletions).toEqual([
      expect.objectContaining({
        success: false,
        title: 'Time limit exceeded',
        output: expect.objectContaining({ error: TIME_LIMIT_ERROR }),
      }),
    ]);
    const nextCompletions = messagesOf(nextStream.messages, nextId).filter(
      (message) => message.msg === 'process_completed',
    );
    expect(nextCompletions).toEqual([
      expect.objectContaining({ success: true, output: expect.objectContaining({ data: ['done'] }) }),
    ]);
    expect(started.get(apiName)).toBe(2);
    for (const eventId of [hungId, nextId]) {
      expect(log.entries.filter((entry) => entry.eventId === eventId && entry.type === 'completed')).toHaveLength(1);
    }
  },
);

it("the real Python client raises the time limit's message, then its next call runs", async () => {
  const result = await runPythonClient<{ error: string; next: string }>(
    `
import json, sys
from gradio_client import Client
args = json.load(sys.stdin)
client = Client(args["url"], verbose=False)
try:
    client.predict(True, api_name="/hang_async")
    error = "no error"
except Exception as exc:
    error = str(exc)
print(json.dumps({"error": error, "next": client.predict(False, api_name="/hang_async")}))
`,
    { url: app.url },
  );
  expect(result).toEqual({ error: TIME_LIMIT_ERROR, next: 'done' });
}, 60_000);

it('an MCP tools/call of a hanging tool answers an error result at the time limit', async () => {
  const client = await connectStreamableHttp(app.url);
  try {
    const result = await client.callTool({ name: 'hangAsync', arguments: { hang: true } });
    expect(result.isError).toBe(true);
    expect(texts(result)).toEqual([TIME_LIMIT_ERROR]);
    expect(texts(await client.callTool({ name: 'hangAsync', arguments: { hang: false } }))).toEqual(['done']);
  } finally {
    await client.close();
  }
});

it('leaves the server serving and the queue holding nothing', async () => {
  const session = newSessionHash();
  const eventId = await join(app.url, fn['hang_generator'] as number, [false], session);
  const { messages } = await readSession(app.url, session);
  expect(messagesOf(messages, eventId).at(-1)).toMatchObject({ msg: 'process_completed', success: true });
  await waitFor(() => queueOf(app.app).snapshot().liveEvents === 0, 'the queue to hold no event');
  expect(queueOf(app.app).snapshot()).toMatchObject({ waiting: 0, running: 0, liveEvents: 0 });
  // Every event that joined ended exactly once.
  const joined = log.ids('joined');
  const ends = log.entries.filter((entry) => entry.type !== 'joined' && entry.type !== 'started');
  expect(ends.map((entry) => entry.eventId).sort()).toEqual([...joined].sort());
});
