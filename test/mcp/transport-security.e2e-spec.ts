// DNS rebinding protection on the MCP routes (docs/mcp.md#transport-security): a request under a host name or from
// a page the app does not know is refused with 403, while agents on loopback and the app's own pages keep working.
import { rawRequest, type RawResponse } from '../support/http.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
});

function postMcp(app: RunningApp, headers: Record<string, string>): Promise<RawResponse> {
  return rawRequest(`${app.url}/gradio_api/mcp/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: INITIALIZE,
  });
}

describe('MCP transport security with the defaults, on loopback', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startShowcase({ mcpServer: true });
  });
  afterAll(() => app.close());

  it('refuses a foreign Host on every MCP route with 403 and says which option allows it', async () => {
    for (const [method, path] of [
      ['POST', '/gradio_api/mcp/'],
      ['GET', '/gradio_api/mcp/sse'],
      ['GET', '/gradio_api/mcp/schema'],
      ['POST', '/gradio_api/mcp/messages/?sessionId=x'],
    ] as const) {
      const response = await rawRequest(`${app.url}${path}`, {
        method,
        headers: { host: 'attacker.example:80', 'content-type': 'application/json' },
        body: method === 'POST' ? INITIALIZE : undefined,
      });
      expect([path, response.status]).toEqual([path, 403]);
      expect(JSON.parse(response.body).message).toContain('mcp.allowedHosts');
    }
  });

  it('refuses a page on a foreign origin with 403, even under a loopback Host', async () => {
    const response = await postMcp(app, { origin: 'https://attacker.example' });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).message).toBe(
      'MCP requests from pages on https://attacker.example are refused (DNS rebinding protection); ' +
        'add the origin to the GradioModule option mcp.allowedOrigins to allow them.',
    );
  });

  it('answers agents under the loopback names and pages on localhost (the MCP inspector)', async () => {
    const port = new URL(app.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect([host, (await postMcp(app, { host })).status]).toEqual([host, 200]);
    }
    expect((await postMcp(app, { origin: 'http://localhost:6274' })).status).toBe(200);
    expect((await postMcp(app, { origin: app.url })).status).toBe(200);
  });

  it("leaves Gradio's own routes alone: they have their own CORS rules", async () => {
    const response = await rawRequest(`${app.url}/config`, { headers: { host: 'attacker.example' } });
    expect(response.status).toBe(200);
  });
});

describe('MCP transport security with configured hosts and origins', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startShowcase({
      mcpServer: true,
      rootPath: 'https://spaces.example.org/demo',
      mcp: { allowedHosts: ['mcp.example.test'], allowedOrigins: ['https://agent.example.test/'] },
    });
  });
  afterAll(() => app.close());

  it('answers the listed host (any port), the host of a full-URL rootPath and their own pages', async () => {
    expect((await postMcp(app, { host: 'mcp.example.test:8443' })).status).toBe(200);
    expect((await postMcp(app, { host: 'spaces.example.org' })).status).toBe(200);
    expect((await postMcp(app, { host: 'mcp.example.test', origin: 'https://mcp.example.test' })).status).toBe(200);
  });

  it('answers pages on a listed origin and still refuses the others', async () => {
    expect((await postMcp(app, { origin: 'https://agent.example.test' })).status).toBe(200);
    expect((await postMcp(app, { origin: 'https://other.example.test' })).status).toBe(403);
    expect((await postMcp(app, { host: 'other.example.test' })).status).toBe(403);
  });

  it('refuses an option that is not a list of host names at bootstrap', async () => {
    await expect(
      startShowcase({ mcpServer: true, mcp: { allowedHosts: 'localhost' as unknown as string[] } }),
    ).rejects.toThrow('GradioModule option mcp.allowedHosts must be a list of non-empty strings.');
  });
});
