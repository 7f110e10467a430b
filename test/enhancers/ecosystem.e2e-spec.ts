// Real Nest ecosystem guards on Gradio and MCP calls, unchanged: @nestjs/passport's AuthGuard('jwt') with
// passport-jwt, and @nestjs/throttler's ThrottlerGuard, in the example app apps/secured (test/support/secured-app.ts).
// Rate limits on MCP and the Gradio clients: rate-limits.e2e-spec.ts.
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { type SecuredApp, signJwt, startSecuredApp } from '../support/secured-app.js';
import { postJson } from '../support/sse.js';

let app: SecuredApp;

beforeAll(async () => {
  app = await startSecuredApp({ THROTTLE_LIMIT: '2' });
}, 30_000);

afterAll(() => {
  app.stop();
});

async function callBalance(headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${app.url}/gradio_api/call/balance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ data: [] }),
  });
  return { status: response.status, body: await response.json() };
}

describe("@nestjs/passport's AuthGuard('jwt') with passport-jwt", () => {
  it('answers 401 with a JSON detail without a token, or with a token signed by someone else', async () => {
    expect(await callBalance({})).toEqual({ status: 401, body: { detail: 'Unauthorized' } });
    const forged = signJwt({ sub: 'mallory' }, 'another-secret-entirely');
    expect(await callBalance({ authorization: `Bearer ${forged}` })).toEqual({
      status: 401,
      body: { detail: 'Unauthorized' },
    });
  });

  it('runs the call for a valid token, and the queued run sees the user passport found', async () => {
    const { status, body } = await callBalance({ authorization: `Bearer ${signJwt({ sub: 'ada' })}` });
    expect(status).toBe(200);
    const stream = await (
      await fetch(`${app.url}/gradio_api/call/balance/${(body as { event_id: string }).event_id}`)
    ).text();
    expect(stream).toContain('data: ["42 coins (for ada)"]');
  });

  it('hides the tool from agents without a token and serves agents with one', async () => {
    const anonymous = await connectStreamableHttp(app.url);
    const signedIn = await connectStreamableHttp(app.url, {
      headers: { authorization: `Bearer ${signJwt({ sub: 'agent' })}` },
    });
    try {
      expect((await anonymous.listTools()).tools.map((tool) => tool.name)).not.toContain('agentBalance');
      const refused = await anonymous.callTool({ name: 'agentBalance', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(texts(refused)).toEqual(['Unauthorized']);
      expect((await signedIn.listTools()).tools.map((tool) => tool.name)).toContain('agentBalance');
      expect(texts(await signedIn.callTool({ name: 'agentBalance', arguments: {} }))).toEqual(['7 coins']);
    } finally {
      await Promise.all([anonymous.close(), signedIn.close()]);
    }
  });
});

describe("@nestjs/throttler's ThrottlerGuard", () => {
  it('lets the limit through and answers 429 past it, with its message and Retry-After', async () => {
    const send = () =>
      fetch(`${app.url}/gradio_api/call/limited`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: ['hi'] }),
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ detail: 'ThrottlerException: Too Many Requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const { status } = await postJson(`${app.url}/gradio_api/queue/join`, {
      data: ['hi'],
      fn_index: 1,
      session_hash: 'throttled',
    });
    expect(status).toBe(429);
  });
});
