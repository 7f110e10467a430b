// Node's async hooks stay off unless the app asks for the async event context (docs/performance.md#the-event-context-is-opt-in):
// the built showcase, in a process of its own (Jest's runner turns the hooks on in its own), serves the queue (a
// function and a generator), call/, MCP over streamable HTTP, legacy SSE and the 2026 revision, and then a probe
// preloaded into it says whether the hooks are on. The library itself may not import async_hooks outside the event
// context (an ESLint rule); this checks that its dependencies on these paths do not either.
import { Client } from '@gradio/client';
import { join } from 'node:path';
import { connectSse, connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { post, resultOf } from '../mcp/revision-2026-client.js';
import { startShowcaseProcess, type ShowcaseProcess } from '../support/showcase-process.js';

const PROBE = join(process.cwd(), 'test', 'support', 'async-hooks-probe.mjs');

function ask(server: ShowcaseProcess, question: 'async hooks on?' | 'turn async hooks on'): Promise<boolean> {
  return new Promise((resolve) => {
    server.child.once('message', (answer) => resolve((answer as { asyncHooksOn: boolean }).asyncHooksOn));
    server.child.send(question);
  });
}

async function callEveryPath(url: string): Promise<void> {
  const client = await Client.connect(url);
  expect((await client.predict('/add', { a: 1, b: 2 })).data).toEqual([3]);
  expect((await client.predict('/count', { n: 3 })).data).toEqual([3]);
  const posted = await fetch(`${url}/gradio_api/call/add`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: [2, 3] }),
  });
  const { event_id: eventId } = (await posted.json()) as { event_id: string };
  expect(await (await fetch(`${url}/gradio_api/call/add/${eventId}`)).text()).toContain('[5]');
  for (const connect of [connectStreamableHttp, connectSse]) {
    const mcp = await connect(url);
    expect(texts(await mcp.callTool({ name: 'add', arguments: { a: 4, b: 5 } }))).toEqual(['9']);
    await mcp.close();
  }
  const modern = await post(`${url}/gradio_api/mcp`, 'tools/call', { name: 'add', arguments: { a: 6, b: 7 } });
  expect(texts(resultOf(modern.messages))).toEqual(['13']);
}

describe.each([
  ['Express', {}],
  ['Fastify', { GRADIO_HTTP_ADAPTER: 'fastify' }],
])('async hooks in the showcase on %s', (_adapter, env) => {
  let server: ShowcaseProcess;
  beforeAll(async () => {
    server = await startShowcaseProcess(env, PROBE);
  });
  afterAll(() => server?.kill());

  it('stay off while it serves every path', async () => {
    await callEveryPath(server.url);
    expect(await ask(server, 'async hooks on?')).toBe(false);
  });

  it('are seen by the probe once something turns them on', async () => {
    expect(await ask(server, 'turn async hooks on')).toBe(true);
  });
});
