import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Ctx, type EventContext, McpTool } from 'nest-gradio';
import { startRoundRobinProxy } from '../../scripts/round-robin-proxy.mjs';
import { QueueService } from 'nest-gradio/testing';
import { postMcpRequest, texts, waitFor } from '../mcp/mcp-clients.js';
import { accepted, ELICIT, post, resultOf } from '../mcp/revision-2026-client.js';
import { Greeter, Notes } from '../mcp/session-fixtures.js';
import { Gate } from '../support/gate.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
/** What a question asked after its call ended was answered (see `late`). */
let lateAnswer: string | undefined;

@Injectable()
class Asking {
  /** Asks for a city, then for a seat: two questions, two rounds on the 2026 revision. */
  @McpTool()
  async book(@Ctx() ctx: EventContext): Promise<string> {
    const mcp = ctx.request.mcp;
    if (!mcp) return 'not over MCP';
    const city = await mcp.elicitInput({
      message: 'Where to?',
      requestedSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    const seat = await mcp.elicitInput(
      {
        message: 'Which seat?',
        requestedSchema: { type: 'object', properties: { seat: { type: 'string' } }, required: ['seat'] },
      },
      { key: 'seat' },
    );
    return `Booked ${String(city.content?.['city'])}, seat ${String(seat.content?.['seat'])}.`;
  }

  /** Waits for the test, ignoring a cancel, then asks its client. */
  @McpTool()
  async late(@Ctx() ctx: EventContext): Promise<string> {
    await gate.pass('late');
    try {
      await ctx.request.mcp?.elicitInput({
        message: 'Still there?',
        requestedSchema: { type: 'object', properties: {} },
      });
      lateAnswer = 'answered';
    } catch (error) {
      lateAnswer = (error as Error).message;
    }
    return 'done';
  }
}

/**
 * Distributed mode, where the process that receives an MCP call (a front process: `runJobs: false`) is not the one
 * that runs its job: the handler's `ctx.request.mcp` asks through the receiving process, which holds the client.
 */
describe('distributed mode: MCP across processes', () => {
  let redis: RedisServer;
  let front: RunningApp;
  let worker: RunningApp;
  /** Events that started on the worker. */
  const ranOnWorker: string[] = [];
  let prefix: string;
  const options = (runJobs: boolean) => ({
    redis: redis.url,
    distributed: { prefix, runJobs },
    mcpServer: true,
    mcp: { sessions: 'stateful' as const },
  });

  beforeAll(async () => {
    redis = await startRedis();
    prefix = `asking-${randomBytes(4).toString('hex')}`;
    front = await startGradioApp(options(false), [Asking, Greeter, Notes]);
    worker = await startGradioApp(options(true), [Asking, Greeter, Notes]);
    worker.app.get(QueueService).lifecycle$.subscribe((entry) => {
      if (entry.type === 'started' && !entry.elsewhere) ranOnWorker.push(entry.endpoint.apiName);
    });
  });

  afterAll(async () => {
    gate.releaseAll();
    await front?.close();
    await worker?.close();
    await redis?.stop();
  });

  it("elicits through the session's process, on the 2025 revision with a session", async () => {
    const client = new Client({ name: 'asker', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${front.url}/gradio_api/mcp/`)));
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    try {
      expect(texts(await client.callTool({ name: 'greet', arguments: {} }))).toEqual(['Hello, Ada!']);
      expect(asked).toEqual(['Who are you?']);
      expect(ranOnWorker).toContain('greet');
    } finally {
      await client.close();
    }
  });

  it('ends 2026 input-required rounds from the worker, and takes the next round on any process', async () => {
    const before = ranOnWorker.filter((name) => name === 'book').length;
    const book = (url: string, extra: Record<string, unknown> = {}) =>
      post(`${url}/gradio_api/mcp`, 'tools/call', { name: 'book', arguments: {}, ...extra }, { meta: ELICIT });

    const first = resultOf((await book(front.url)).messages);
    expect(first).toMatchObject({
      resultType: 'input_required',
      inputRequests: { 'elicitation-1': { method: 'elicitation/create', params: { message: 'Where to?' } } },
    });
    // The state the front signed is good on the worker: the deployment shares the key.
    const second = resultOf(
      (
        await book(worker.url, {
          inputResponses: { 'elicitation-1': accepted({ city: 'Lima' }) },
          requestState: first['requestState'],
        })
      ).messages,
    );
    expect(second).toMatchObject({
      resultType: 'input_required',
      inputRequests: { seat: { method: 'elicitation/create' } },
    });
    const done = resultOf(
      (
        await book(front.url, {
          inputResponses: { seat: accepted({ seat: '12A' }) },
          requestState: second['requestState'],
        })
      ).messages,
    );
    expect(texts(done)).toEqual(['Booked Lima, seat 12A.']);
    expect(ranOnWorker.filter((name) => name === 'book').length - before).toBe(3);
  });

  it('refuses, with a message, a question asked after the call that could carry it ended', async () => {
    const client = new Client({ name: 'leaver', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${front.url}/gradio_api/mcp/`)));
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: {} }));
    const giveUp = new AbortController();
    try {
      const call = client.callTool({ name: 'late', arguments: {} }, undefined, { signal: giveUp.signal });
      await gate.arrived('late');
      giveUp.abort();
      await expect(call).rejects.toThrow();
      // The front stops serving the call's client once the cancel ended it; then the handler asks.
      await new Promise((resolve) => setTimeout(resolve, 200));
      gate.release('late');
      await waitFor(() => lateAnswer !== undefined, 'the late question to be answered');
      expect(lateAnswer).toBe(
        'The MCP client of this call cannot be asked any more: the server process that received the call no longer serves it.',
      );
    } finally {
      await client.close();
    }
  });

  describe('a stateful session behind a round-robin balancer (no sticky routing)', () => {
    let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;

    beforeAll(async () => {
      // Each request goes to the next process: the session's requests alternate between its process and the other.
      proxy = await startRoundRobinProxy([front.url, worker.url]);
    });
    afterAll(() => proxy?.close());

    async function connectThroughProxy(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
      const client = new Client({ name: 'balanced', version: '1.0.0' }, { capabilities: { elicitation: {} } });
      const transport = new StreamableHTTPClientTransport(new URL(`${proxy.url}/gradio_api/mcp/`));
      await client.connect(transport);
      return { client, transport };
    }

    it('serves every request of the session, a tool asking its client included, whichever process gets it', async () => {
      const { client, transport } = await connectThroughProxy();
      client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Grace' } }));
      try {
        expect(transport.sessionId).toEqual(expect.any(String));
        for (let round = 0; round < 3; round++) {
          const { tools } = await client.listTools();
          expect(tools.map((tool) => tool.name).sort()).toEqual(['book', 'greet', 'late', 'touch']);
          expect(texts(await client.callTool({ name: 'greet', arguments: {} }))).toEqual(['Hello, Grace!']);
        }
        expect(await client.readResource({ uri: 'notes://tea' })).toMatchObject({
          contents: [{ uri: 'notes://tea', text: 'About tea.' }],
        });
      } finally {
        await client.close();
      }
    });

    it("carries the session's standalone stream: a resource changed on another process reaches its subscriber", async () => {
      const { client } = await connectThroughProxy();
      const updated: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        updated.push(notification.params.uri);
      });
      try {
        await client.subscribeResource({ uri: 'notes://tea' });
        await client.callTool({ name: 'touch', arguments: { topic: 'coffee' } });
        await client.callTool({ name: 'touch', arguments: { topic: 'tea' } });
        await waitFor(() => updated.length > 0, 'the update notification');
        expect(updated).toEqual(['notes://tea']);
      } finally {
        await client.close();
      }
    });

    it("ends a relayed stream once the session's process is gone: its pings find nobody there", async () => {
      const holder = await startGradioApp(options(true), [Asking, Greeter, Notes]);
      try {
        // A session held by `holder` (initialized by hand: the SDK's client would open the standalone stream itself).
        const version = '2025-06-18';
        const initialized = await postMcpRequest(holder.url, 'initialize', {
          protocolVersion: version,
          capabilities: {},
          clientInfo: { name: 'held', version: '1.0.0' },
        });
        await initialized.text();
        const sessionId = initialized.headers.get('mcp-session-id') as string;
        // Its standalone stream, asked of another process, which relays it to the holder.
        const stream = await fetch(`${front.url}/gradio_api/mcp/`, {
          headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': version },
        });
        expect(stream.status).toBe(200);
        // The holder vanishes without a word, as a killed process does: its Redis subscriptions drop.
        const queue = holder.app.get(QueueService) as unknown as { runtime: { subscriber: { disconnect(): void } } };
        queue.runtime.subscriber.disconnect();
        // The relaying process's next ping finds nobody listening for the session and ends the stream.
        expect(await stream.text()).toBe('');
      } finally {
        await holder.close();
      }
    });

    it('ends the session on DELETE from either process: its id is then unknown on both', async () => {
      const { client, transport } = await connectThroughProxy();
      const sessionId = transport.sessionId as string;
      await transport.terminateSession();
      await client.close();
      for (const url of [front.url, worker.url]) {
        const answer = await fetch(`${url}/gradio_api/mcp/`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            'Mcp-Session-Id': sessionId,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        expect(answer.status).toBe(404);
      }
    });
  });
});
