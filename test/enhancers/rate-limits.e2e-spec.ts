// Rate limits with @nestjs/throttler's ThrottlerGuard, through the enhancers, in apps/secured (THROTTLE_LIMIT=2 a
// minute): MCP tool calls past the limit are answered 429 with Retry-After and a JSON-RPC error the SDK client
// rejects with; listings are not counted (skipIf: isMcpListing); @Throttle and @SkipThrottle hold per tool; the npm
// Gradio client shows the throttler's message. The Python client's side: test/compat/test_rate_limits.py.
import { Client as GradioClient } from '@gradio/client';
import { connectSse, connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { bearer, type SecuredApp, startSecuredApp } from '../support/secured-app.js';

const LIMIT = 2;
/** What an agent reads past the limit of `echo` (the throttler's own message inside). */
const ECHO_LIMITED = /Too many calls of the tool echo \(ThrottlerException: Too Many Requests\); try again in \d+ s\./;

const echo = (text: string) => ({ name: 'echo', arguments: { text } });

function postToolCall(url: string, user: string, id: number): Promise<Response> {
  return fetch(`${url}/gradio_api/mcp/`, {
    method: 'POST',
    headers: { ...bearer(user), 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: echo('hi') }),
  });
}

const REVISION_2026 = '2026-07-28';

/** A `tools/call` of echo in the 2026-07-28 revision: no initialize, the version and client in `_meta`. */
function postToolCall2026(url: string, user: string, id: number): Promise<Response> {
  return fetch(`${url}/gradio_api/mcp/`, {
    method: 'POST',
    headers: {
      ...bearer(user),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': REVISION_2026,
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        ...echo('hi'),
        _meta: {
          'io.modelcontextprotocol/protocolVersion': REVISION_2026,
          'io.modelcontextprotocol/clientInfo': { name: 'raw-http', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
}

describe('stateless MCP and the Gradio clients', () => {
  let app: SecuredApp;

  beforeAll(async () => {
    app = await startSecuredApp({ THROTTLE_LIMIT: String(LIMIT) });
  }, 30_000);

  afterAll(() => app.stop());

  it('lets an agent make its calls, however often it lists the tools, then rejects the next call with the limit', async () => {
    const ada = await connectStreamableHttp(app.url, { headers: bearer('ada') });
    const grace = await connectStreamableHttp(app.url, { headers: bearer('grace') });
    try {
      for (let listing = 0; listing < LIMIT + 1; listing++) {
        expect((await ada.listTools()).tools.map((tool) => tool.name)).toContain('echo');
      }
      for (let call = 1; call <= LIMIT; call++) {
        expect(texts(await ada.callTool(echo(`call ${call}`)))).toEqual([`call ${call}`]);
      }
      await expect(ada.callTool(echo('one too many'))).rejects.toThrow(ECHO_LIMITED);
      // Limited, the tool is still there; and the limit is per agent.
      expect((await ada.listTools()).tools.map((tool) => tool.name)).toContain('echo');
      expect(texts(await grace.callTool(echo('mine')))).toEqual(['mine']);
    } finally {
      await Promise.all([ada.close(), grace.close()]);
    }
  });

  it('answers the POST past the limit 429 with Retry-After and a JSON-RPC error for its request', async () => {
    for (let call = 1; call <= LIMIT; call++) {
      const allowed = await postToolCall(app.url, 'bob', call);
      expect(allowed.status).toBe(200);
      // The throttler's headers reach the client on either adapter, though the MCP transport writes the answer.
      expect(allowed.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - call));
      await allowed.text();
    }
    const refused = await postToolCall(app.url, 'bob', 7);
    expect(refused.status).toBe(429);
    expect(refused.statusText).toBe('ThrottlerException: Too Many Requests');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32000,
        message: expect.stringMatching(ECHO_LIMITED) as unknown,
        data: { status: 429, retryAfter },
      },
    });
  });

  it('counts each call of the 2026-07-28 revision once and answers the one past the limit 429', async () => {
    for (let call = 1; call <= LIMIT; call++) {
      const allowed = await postToolCall2026(app.url, 'dana', call);
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('"text":"hi"');
    }
    const refused = await postToolCall2026(app.url, 'dana', 9);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ id: 9, error: { message: expect.stringMatching(ECHO_LIMITED) } });
  });

  it('rejects the call past the limit over the legacy SSE transport too', async () => {
    const agent = await connectSse(app.url, { headers: bearer('sse-agent') });
    try {
      for (let call = 1; call <= LIMIT; call++) expect(texts(await agent.callTool(echo('ok')))).toEqual(['ok']);
      const rejection = agent.callTool(echo('one too many'));
      await expect(rejection).rejects.toThrow(/HTTP 429/);
      await expect(rejection).rejects.toThrow(ECHO_LIMITED);
    } finally {
      await agent.close();
    }
  });

  it("holds a tool's own @Throttle() limit, and never limits a @SkipThrottle() tool", async () => {
    const agent = await connectStreamableHttp(app.url, { headers: bearer('cleo') });
    try {
      expect(texts(await agent.callTool({ name: 'summary', arguments: { text: 'one two three four' } }))).toEqual([
        'one two three…',
      ]);
      await expect(agent.callTool({ name: 'summary', arguments: { text: 'again' } })).rejects.toThrow(
        /Too many calls of the tool summary \(ThrottlerException: Too Many Requests\)/,
      );
      for (let call = 0; call < LIMIT + 2; call++) {
        const [time] = texts(await agent.callTool({ name: 'serverTime', arguments: {} }));
        expect(Number.isNaN(Date.parse(time as string))).toBe(false);
      }
    } finally {
      await agent.close();
    }
  });

  it("makes the npm Gradio client reject the call past the limit with the throttler's message", async () => {
    const client = await GradioClient.connect(app.url);
    try {
      for (let call = 1; call <= LIMIT; call++) {
        expect((await client.predict('/limited', { text: 'hi' })).data).toEqual(['hi']);
      }
      await expect(client.predict('/limited', { text: 'hi' })).rejects.toMatchObject({
        message: 'ThrottlerException: Too Many Requests',
      });
    } finally {
      client.close();
    }
  });
});

describe('MCP with sessions', () => {
  let app: SecuredApp;

  beforeAll(async () => {
    app = await startSecuredApp({ THROTTLE_LIMIT: String(LIMIT), MCP_SESSIONS: 'stateful' });
  }, 30_000);

  afterAll(() => app.stop());

  it('rejects the call past the limit, and the session goes on serving what is not limited', async () => {
    const agent = await connectStreamableHttp(app.url, { headers: bearer('ada') });
    try {
      for (let call = 1; call <= LIMIT; call++) expect(texts(await agent.callTool(echo('ok')))).toEqual(['ok']);
      await expect(agent.callTool(echo('one too many'))).rejects.toThrow(ECHO_LIMITED);
      expect(texts(await agent.callTool({ name: 'serverTime', arguments: {} }))).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
