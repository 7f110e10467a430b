// An MCP call its client gives up on (cancels, or hangs up) while the method's guards still decide is never run: a
// slow guard (a rate limiter's store, a user looked up) must not let a call through to run, holding its concurrency
// slot, for nobody. Tool calls pass their guards before the transport has the request (call-admission.ts); prompts
// and resources pass them in the call runner, once it has.
import type { ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Ctx, isMcpListing, McpPrompt, McpTool, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { queueOf } from '../support/lifecycle.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, waitFor } from './mcp-clients.js';

const gate = new Gate();
/** Keys whose guard began to decide, and keys it let through. */
const deciding: string[] = [];
const decided: string[] = [];

/**
 * Decides on a call once the test opens `guard:<key>` or once the call's HTTP response has closed (its client hung
 * up, or a cancel closed it), whichever comes first, and then lets it through.
 */
@Injectable()
class SlowGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isMcpListing(context)) return true;
    const http = context.switchToHttp();
    const body = http.getRequest<{ body: { params: { arguments: { key: string } } } }>().body;
    const key = body.params.arguments.key;
    // Express's response, or Fastify's reply around it.
    const reply = http.getResponse<ServerResponse | { raw: ServerResponse }>();
    const response = 'raw' in reply ? reply.raw : reply;
    deciding.push(key);
    const closed = new Promise((resolve) => (response.closed ? resolve(undefined) : response.once('close', resolve)));
    await Promise.race([gate.pass(`guard:${key}`), closed]);
    decided.push(key);
    return true;
  }
}

@Injectable()
class Guarded {
  @McpTool({ name: 'guarded_hold', concurrencyLimit: 1 })
  @UseGuards(SlowGuard)
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }

  @McpPrompt({ name: 'guarded_prompt', concurrencyLimit: 1 })
  @UseGuards(SlowGuard)
  async prompt(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return `Say ${key}.`;
  }
}

let app: RunningApp;
let client: Client;
/** The JSON-RPC id of each request the client sent, by its `key` argument. */
const sentIds = new Map<string, string | number>();

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, [Guarded]);
  client = await connectStreamableHttp(app.url);
  const transport = client.transport!;
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage, options) => {
    const key = (message as { params?: { arguments?: { key?: unknown } } }).params?.arguments?.key;
    const id = (message as { id?: string | number }).id;
    if (id !== undefined && typeof key === 'string') sentIds.set(key, id);
    return send(message, options);
  };
});

afterAll(async () => {
  gate.releaseAll();
  await client.close();
  await app.close();
});

/** Once the guard has let `key` through: its event, had it been queued, would be by now; nothing may run. */
async function expectNeverRun(key: string): Promise<void> {
  await waitFor(() => decided.includes(key), `the guard to let ${key} through`);
  // Give a call wrongly let through the time to be queued and reach its handler.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(gate.arrivals).not.toContain(key);
  expect(queueOf(app.app).snapshot()).toMatchObject({ waiting: 0, running: 0, liveEvents: 0 });
}

it('a tool call cancelled while its guards run is never queued', async () => {
  const key = 'cancelled-tool';
  const controller = new AbortController();
  const call = client.callTool({ name: 'guarded_hold', arguments: { key } }, undefined, {
    signal: controller.signal,
  });
  await waitFor(() => deciding.includes(key), 'its guard to run');
  // The cancel the SDK sends on abort, sent here so as to know the server has it before the guard decides.
  await client.notification({
    method: 'notifications/cancelled',
    params: { requestId: sentIds.get(key)!, reason: 'the agent gave up' },
  });
  controller.abort();
  await expect(call).rejects.toThrow();
  gate.release(`guard:${key}`);
  await expectNeverRun(key);
});

it('a tool call whose client hangs up while its guards run is never queued', async () => {
  const key = 'hung-up-tool';
  const leaving = await connectStreamableHttp(app.url);
  const call = leaving.callTool({ name: 'guarded_hold', arguments: { key } });
  await waitFor(() => deciding.includes(key), 'its guard to run');
  await leaving.close();
  await expect(call).rejects.toThrow();
  // The guard decides once the server has seen the hang-up.
  await expectNeverRun(key);
});

it('a prompt cancelled while its guards run is never queued', async () => {
  const key = 'cancelled-prompt';
  const controller = new AbortController();
  const call = client.getPrompt({ name: 'guarded_prompt', arguments: { key } }, { signal: controller.signal });
  await waitFor(() => deciding.includes(key), 'its guard to run');
  // The cancel closes the request's response, which is what the guard waits for.
  controller.abort();
  await expect(call).rejects.toThrow();
  await expectNeverRun(key);
});

it('a call its client keeps still runs once the guards let it through', async () => {
  const key = 'kept';
  const call = client.callTool({ name: 'guarded_hold', arguments: { key } });
  await waitFor(() => deciding.includes(key), 'its guard to run');
  gate.release(`guard:${key}`, key);
  expect(await call).toMatchObject({ content: [{ type: 'text', text: key }] });
});
