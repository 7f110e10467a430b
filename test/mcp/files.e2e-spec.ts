// Files in MCP calls (docs/mcp.md#files): file parameters are strings — an http(s) URL, a data URL or a path from
// POST /gradio_api/upload — and image outputs come back as image content plus their URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { FileData, Int, McpResource, McpTool } from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, texts } from './mcp-clients.js';

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT = 'twelve bytes';

@Injectable()
class FileTools {
  @McpTool({ description: 'The size of a file in bytes.' })
  async size(file: FileData): Promise<Int> {
    return (await readFile(file.path)).length;
  }

  @McpTool({ returns: FileData })
  pixel(): FileData {
    return FileData.fromBytes(PNG, 'pixel.png', 'image/png');
  }

  @McpResource('files://pixel.png', { mimeType: 'image/png', returns: FileData })
  pixelResource(): FileData {
    return FileData.fromBytes(PNG, 'pixel.png', 'image/png');
  }
}

let app: RunningApp;
let client: Client;
let files: Server;
let filesUrl: string;

beforeAll(async () => {
  files = createServer((request, response) => {
    if (request.url === '/notes.txt') response.end(TEXT);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  // The test's file server is on loopback, which server-side downloads refuse unless allowed.
  app = await startGradioApp({ mcpServer: true, ssrfAllowedHosts: ['127.0.0.1'] }, [FileTools]);
  client = await connectStreamableHttp(app.url);
});

afterAll(async () => {
  await client.close();
  await app.close();
  await new Promise((resolve) => files.close(resolve));
});

it('advertises a file parameter as a string', async () => {
  const tool = (await client.listTools()).tools.find((candidate) => candidate.name === 'size');
  expect(tool?.inputSchema.required).toEqual(['file']);
  expect(tool?.inputSchema.properties?.['file']).toMatchObject({ type: 'string' });
  expect(JSON.stringify(tool?.inputSchema)).not.toContain('gradio.FileData');
  const schema = (await (await fetch(`${app.url}/gradio_api/mcp/schema`)).json()) as {
    name: string;
    meta: { file_data_present: boolean };
  }[];
  expect(schema.map((entry) => [entry.name, entry.meta.file_data_present])).toEqual([
    ['size', true],
    ['pixel', false],
    ['pixelResource', false],
  ]);
});

it('accepts a data URL', async () => {
  const dataUrl = `data:text/plain;base64,${Buffer.from(TEXT).toString('base64')}`;
  expect(texts(await client.callTool({ name: 'size', arguments: { file: dataUrl } }))).toEqual([String(TEXT.length)]);
});

it('accepts an http(s) URL, which the server downloads', async () => {
  expect(texts(await client.callTool({ name: 'size', arguments: { file: `${filesUrl}/notes.txt` } }))).toEqual([
    String(TEXT.length),
  ]);
});

it('accepts a path from POST /gradio_api/upload', async () => {
  const form = new FormData();
  form.append('files', new Blob([PNG]), 'upload.png');
  const paths = (await (
    await fetch(`${app.url}/gradio_api/upload`, { method: 'POST', body: form })
  ).json()) as string[];
  expect(texts(await client.callTool({ name: 'size', arguments: { file: paths[0] } }))).toEqual([String(PNG.length)]);
});

it('refuses other strings, and unreadable data URLs, with isError results', async () => {
  const local = await client.callTool({ name: 'size', arguments: { file: '/etc/passwd' } });
  expect(local.isError).toBe(true);
  const missing = await client.callTool({ name: 'size', arguments: { file: `${filesUrl}/missing.txt` } });
  expect(missing.isError).toBe(true);
  const malformed = await client.callTool({ name: 'size', arguments: { file: 'data:no-comma' } });
  expect(malformed.isError).toBe(true);
  expect(texts(malformed)[0]).toContain('file');
});

it('returns an image as image content followed by its URL', async () => {
  const result = await client.callTool({ name: 'pixel', arguments: {} });
  expect(result.isError).toBeFalsy();
  const [image, link] = result.content as { type: string; data?: string; mimeType?: string; text?: string }[];
  expect(image).toEqual({ type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' });
  expect(link?.type).toBe('text');
  const url = (link?.text ?? '').replace(/^Image URL: /, '');
  expect(url).toMatch(new RegExp(`^${app.url}/gradio_api/file=`));
  expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG);
  expect(result.structuredContent).toMatchObject({ url, orig_name: 'pixel.png', meta: { _type: 'gradio.FileData' } });
});

it('reads a resource returned as a file as a blob', async () => {
  const { contents } = await client.readResource({ uri: 'files://pixel.png' });
  expect(contents).toEqual([{ uri: 'files://pixel.png', mimeType: 'image/png', blob: PNG.toString('base64') }]);
});
