// The routes every call goes through (queue/join, queue/data, call/ POST and GET, heartbeat, the MCP POST) run the
// application's global guards like any other route: whatever is done to make them fast must keep it so.
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { fnIndexes, newSessionHash } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

/** Refuses every HTTP request that carries `x-refuse`, and notes the paths it saw. */
@Injectable()
class RefuseMarkedGuard implements CanActivate {
  static readonly seen: string[] = [];

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    // Express's request or Fastify's: both have the method, headers and the URL as sent.
    const request = context
      .switchToHttp()
      .getRequest<{ method: string; url: string; headers: Record<string, unknown> }>();
    RefuseMarkedGuard.seen.push(`${request.method} ${request.url.split('?')[0]}`);
    return request.headers['x-refuse'] === undefined;
  }
}

let app: RunningApp;
let addIndex: number;

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, undefined, {
    providers: [{ provide: APP_GUARD, useClass: RefuseMarkedGuard }],
  });
  addIndex = (await fnIndexes(app.url))['add'] as number;
});

afterAll(async () => {
  await app?.close();
});

const REFUSE = { 'x-refuse': '1' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** One request; the status and the body as text (a refused stream is a short JSON body, not a stream). */
async function send(path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${app.url}${path}`, init);
  return { status: response.status, text: await response.text() };
}

describe('a global guard refuses each hot route', () => {
  beforeEach(() => {
    RefuseMarkedGuard.seen.length = 0;
  });

  it('POST /gradio_api/queue/join', async () => {
    const body = JSON.stringify({ data: [1, 2], fn_index: addIndex, session_hash: newSessionHash() });
    const refused = await send('/gradio_api/queue/join', {
      method: 'POST',
      headers: { ...JSON_TYPE, ...REFUSE },
      body,
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ message: 'Forbidden resource' });
    const served = await send('/gradio_api/queue/join', { method: 'POST', headers: JSON_TYPE, body });
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text)).toEqual({ event_id: expect.any(String) });
    expect(RefuseMarkedGuard.seen).toContain('POST /gradio_api/queue/join');
  });

  it('GET /gradio_api/queue/data', async () => {
    const refused = await send(`/gradio_api/queue/data?session_hash=${newSessionHash()}`, { headers: REFUSE });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('data:');
  });

  it('POST /gradio_api/call/{name} and GET /gradio_api/call/{name}/{event_id}', async () => {
    const post = { method: 'POST', body: JSON.stringify({ data: [1, 2] }) };
    expect((await send('/gradio_api/call/add', { ...post, headers: { ...JSON_TYPE, ...REFUSE } })).status).toBe(403);
    const served = await send('/gradio_api/call/add', { ...post, headers: JSON_TYPE });
    expect(served.status).toBe(200);
    const eventId = (JSON.parse(served.text) as { event_id: string }).event_id;
    const refused = await send(`/gradio_api/call/add/${eventId}`, { headers: REFUSE });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('event: complete');
    // The result is still there for a request the guard lets through.
    expect((await send(`/gradio_api/call/add/${eventId}`)).text).toContain('data: [3]');
  });

  it('GET /gradio_api/heartbeat/{session_hash}', async () => {
    const refused = await send(`/gradio_api/heartbeat/${newSessionHash()}`, { headers: REFUSE });
    expect(refused.status).toBe(403);
    expect(RefuseMarkedGuard.seen).toEqual([expect.stringMatching(/^GET \/gradio_api\/heartbeat\//)]);
  });

  it('POST /gradio_api/mcp/', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const refused = await send('/gradio_api/mcp/', {
      method: 'POST',
      headers: { ...JSON_TYPE, accept: 'application/json, text/event-stream', ...REFUSE },
      body,
    });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('"tools"');
    expect(RefuseMarkedGuard.seen).toEqual(['POST /gradio_api/mcp/']);
  });
});
