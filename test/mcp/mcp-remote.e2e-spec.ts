// `mcp-remote`, the stdio bridge desktop agents (Claude Desktop…) use to reach a remote MCP server, spawned for
// real and driven by the MCP SDK's StdioClientTransport (issue 4; reference E).
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';
import { texts } from './mcp-clients.js';

const MCP_REMOTE = resolve('node_modules/.bin/mcp-remote');

let app: RunningApp;
let configDir: string;
/** `METHOD path status` of every request the app answered. */
const answered: string[] = [];

beforeAll(async () => {
  app = await startShowcase({ mcpServer: true });
  app.app.getHttpServer().prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    response.on('finish', () => answered.push(`${request.method} ${request.url} ${response.statusCode}`));
  });
  // mcp-remote keeps OAuth state under this directory; keep it out of the home directory.
  configDir = await mkdtemp(join(tmpdir(), 'mcp-remote-'));
});

afterAll(async () => {
  await app.close();
  await rm(configDir, { recursive: true, force: true });
});

async function bridge(args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MCP_REMOTE, ...args],
    env: { ...getDefaultEnvironment(), MCP_REMOTE_CONFIG_DIR: configDir },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => (log += String(chunk)));
  const client = new Client({ name: 'desktop-agent', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`mcp-remote did not connect: ${String(error)}\n${log}`, { cause: error });
  }
  return { client, stderr: () => log };
}

describe.each([
  ['streamable HTTP (its default, http-first)', '/gradio_api/mcp/', []],
  ['SSE (--transport sse-only)', '/gradio_api/mcp/sse', ['--transport', 'sse-only']],
])('mcp-remote over %s', (_name, path, extraArgs) => {
  it('lists and calls the tools, after OAuth discovery probes that all find nothing', async () => {
    const before = answered.length;
    const { client, stderr } = await bridge([`${app.url}${path}`, ...extraArgs]);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['hello', 'add', 'multiply']));
      expect(tools.find((tool) => tool.name === 'add')?.description).toBe('Add two numbers together.');
      const result = await client.callTool({ name: 'add', arguments: { a: 3, b: 5 } });
      expect(texts(result)).toEqual(['8']);
      expect(texts(await client.callTool({ name: 'hello', arguments: { name: 'Desktop' } }))).toEqual([
        'Hello, Desktop!',
      ]);
      // It asks for OAuth metadata first; a 404 tells it the server needs no login.
      const probes = answered.slice(before).filter((entry) => entry.includes('/.well-known/'));
      expect(probes.length).toBeGreaterThan(0);
      for (const probe of probes) expect(probe).toMatch(/ 404$/);
    } catch (error) {
      throw new Error(`${String(error)}\nmcp-remote said:\n${stderr()}`, { cause: error });
    } finally {
      await client.close();
    }
  }, 60_000);
});
