// Real Nest ecosystem guards on Gradio and MCP calls, unchanged: @nestjs/passport's AuthGuard('jwt') with
// passport-jwt, and @nestjs/throttler's ThrottlerGuard, in the example app apps/secured (built in dist/), run by
// Node as a user runs it. (@nestjs/throttler is CommonJS requiring Nest's ESM packages, which Node 20 loads and
// Jest's module system cannot.)
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { postJson } from '../support/sse.js';

const JWT_SECRET = 'a-test-secret-of-reasonable-length';

/** An HS256 JSON Web Token, signed as any issuer would. */
function signJwt(payload: Record<string, unknown>, secret = JWT_SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iat: Math.floor(Date.now() / 1000), ...payload })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

let child: ChildProcess;
let app: { url: string };

beforeAll(async () => {
  child = spawn(process.execPath, ['dist/apps/secured/main.js'], {
    env: { ...process.env, PORT: '0', JWT_SECRET, THROTTLE_LIMIT: '2' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /Running on local URL: +(http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`apps/secured exited with ${code}: ${output}`)));
  });
  app = { url };
}, 30_000);

afterAll(() => {
  child.kill();
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
