// MCP calls run through the queue (issue 4): concurrency limits and the global cap apply, and a cancelled or
// abandoned call cancels its event, whose handler sees its AbortSignal fire.
import { Injectable } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Ctx, GradioApi, McpTool, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { queueOf } from '../support/lifecycle.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { postMcpRequest, texts, TRANSPORTS, waitFor } from './mcp-clients.js';

const gate = new Gate();
/** `key:reason` of every handler whose signal fired. */
const aborted: string[] = [];
let running = 0;
let mostRunning = 0;

@Injectable()
class QueueProbe {
  /** An MCP-only tool with concurrency limit 1. */
  @McpTool({ name: 'one_at_a_time', concurrencyLimit: 1 })
  async oneAtATime(key: string, @Ctx() ctx: EventContext): Promise<string> {
    running++;
    mostRunning = Math.max(mostRunning, running);
    try {
      await gate.pass(key, ctx.signal);
      return `done ${key}`;
    } finally {
      running--;
    }
  }

  /** An API endpoint that is also a tool, without a limit: only the global cap holds it back. */
  @McpTool()
  @GradioApi({ name: 'hold', concurrencyLimit: null })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    ctx.progress(0, 1);
    ctx.signal.addEventListener('abort', () => aborted.push(`${key}:${String(ctx.signal.reason)}`));
    await gate.pass(key, ctx.signal);
    return key;
  }
}

afterAll(() => gate.releaseAll());

describe.each(TRANSPORTS)('MCP calls over %s go through the queue', (transport, connect) => {
  let app: RunningApp;
  let client: Client;

  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [QueueProbe]);
    client = await connect(app.url);
  });

  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('runs 10 parallel calls to a tool with limit 1 one at a time, and completes all 10', async () => {
    mostRunning = 0;
    const keys = Array.from({ length: 10 }, (_unused, index) => `${transport}-${index}`);
    const calls = keys.map((key) => client.callTool({ name: 'one_at_a_time', arguments: { key } }));
    const arrivals = gate.arrivals.length;
    for (let done = 0; done < keys.length; done++) {
      await waitFor(() => gate.arrivals.length === arrivals + done + 1, `call ${done + 1} to start`);
      await waitFor(() => queueOf(app.app).snapshot().waiting === keys.length - done - 1, 'the others to wait');
      expect(queueOf(app.app).snapshot().running).toBe(1);
      gate.release(gate.arrivals.at(-1) as string);
    }
    const results = await Promise.all(calls);
    expect(results.map((result) => texts(result)[0])).toEqual(keys.map((key) => `done ${key}`));
    expect(mostRunning).toBe(1);
  }, 60_000);

  it("fires the handler's signal when the client cancels, and frees the slot", async () => {
    const key = `${transport}-cancel`;
    const controller = new AbortController();
    const call = client.callTool({ name: 'hold', arguments: { key } }, undefined, { signal: controller.signal });
    await gate.arrived(key);
    controller.abort();
    await expect(call).rejects.toThrow();
    await waitFor(() => aborted.includes(`${key}:cancelled`), 'the handler to be aborted');
    await waitFor(() => queueOf(app.app).snapshot().running === 0, 'the job to stop');
    expect(queueOf(app.app).snapshot()).toMatchObject({ waiting: 0, running: 0, liveEvents: 0 });
  });

  it("fires the handler's signal when the client goes away mid-call", async () => {
    const key = `${transport}-disconnect`;
    const leaving = await connect(app.url);
    const call = leaving.callTool({ name: 'hold', arguments: { key } });
    await gate.arrived(key);
    await leaving.close();
    await expect(call).rejects.toThrow();
    await waitFor(() => aborted.some((entry) => entry.startsWith(`${key}:`)), 'the handler to be aborted');
    await waitFor(() => queueOf(app.app).snapshot().liveEvents === 0, 'the event to end');
  });
});

describe('the global cap', () => {
  it('holds MCP calls back once maxThreads jobs run, whatever their endpoint allows', async () => {
    const app = await startGradioApp({ mcpServer: true, maxThreads: 2 }, [QueueProbe]);
    const client = await TRANSPORTS[0]![1](app.url);
    try {
      const keys = ['cap-1', 'cap-2', 'cap-3'];
      const calls = keys.map((key) => client.callTool({ name: 'hold', arguments: { key } }));
      await waitFor(
        () => queueOf(app.app).snapshot().running === 2 && queueOf(app.app).snapshot().waiting === 1,
        'two to run',
      );
      const [first, second] = gate.arrivals.filter((key) => key.startsWith('cap-'));
      gate.release(first as string);
      await waitFor(() => gate.arrivals.filter((key) => key.startsWith('cap-')).length === 3, 'the third to start');
      expect(queueOf(app.app).snapshot().running).toBe(2);
      gate.release(second as string, ...keys);
      expect((await Promise.all(calls)).map((result) => texts(result)[0])).toEqual(keys);
    } finally {
      await client.close();
      await app.close();
    }
  });
});

describe('a long stateless call', () => {
  it("has its answer's headers sent while it runs (a client waiting for them does not time out)", async () => {
    const app = await startGradioApp({ mcpServer: true }, [QueueProbe]);
    try {
      const key = 'headers-first';
      // `one_at_a_time` sends nothing before its result: only the headers can reach the client while it waits.
      const response = await postMcpRequest(app.url, 'tools/call', { name: 'one_at_a_time', arguments: { key } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      await gate.arrived(key);
      gate.release(key);
      // The headers came on their own: not with a keep-alive comment, the stream's first bytes otherwise.
      expect(await response.text()).toMatch(new RegExp(`^event: message\ndata: .*done ${key}`));
    } finally {
      await app.close();
    }
  });
});
