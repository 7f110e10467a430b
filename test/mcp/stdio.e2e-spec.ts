// MCP over stdio (docs/mcp.md#stdio): a desktop client starts the built app as a command and talks to it on
// stdin/stdout; the same tools, resources and prompts as over HTTP, with nothing else on stdout.
// Runs the built app: `npm run build` first.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { type CanActivate, type ExecutionContext, Injectable, Module, UseGuards } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  Ctx,
  type EventContext,
  GradioModule,
  isMcpStdioRequest,
  type McpAuthInfo,
  McpStdioServer,
  McpTool,
} from 'nest-gradio';
import { testAdapter } from '../support/start-app.js';
import { texts } from './mcp-clients.js';

interface StdioApp {
  client: Client;
  stderr: () => string;
  /** Errors the client met reading stdout: anything there that is not a protocol message. */
  readErrors: Error[];
}

async function startStdio(args: string[], env: Record<string, string> = {}): Promise<StdioApp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    // The adapter under test: with stdio it serves no request, but it is the one the app is created with.
    env: { ...getDefaultEnvironment(), GRADIO_HTTP_ADAPTER: testAdapter(), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const client = new Client({ name: 'desktop-client', version: '1.0.0' });
  const readErrors: Error[] = [];
  client.onerror = (error) => {
    // The SDK client handles a response at once but a notification a microtask later: progress read in the same
    // chunk as its call's result (a loaded machine's pipe gathers writes) is reported "for an unknown token", though
    // the server wrote it first. That is the client's reading order, not a stray line on stdout.
    if (!error.message.startsWith('Received a progress notification for an unknown token')) readErrors.push(error);
  };
  await client.connect(transport);
  return { client, stderr: () => stderr, readErrors };
}

describe('the showcase started with --mcp-stdio', () => {
  let app: StdioApp;
  beforeAll(async () => {
    app = await startStdio(['dist/src/main.js', '--mcp-stdio']);
  }, 30_000);
  afterAll(() => app.client.close());

  it('lists its tools, resources and prompts', async () => {
    const tools = (await app.client.listTools()).tools.map((tool) => tool.name);
    expect(tools).toEqual(expect.arrayContaining(['add', 'slow_echo', 'word_count']));
    const resources = (await app.client.listResources()).resources.map((resource) => resource.uri);
    expect(resources).toContain('showcase://about');
    const prompts = (await app.client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(prompts).toContain('review_code');
  });

  it('calls a tool, reporting its progress', async () => {
    const progress: { progress: number; message?: string }[] = [];
    const result = await app.client.callTool(
      { name: 'slow_echo', arguments: { text: 'hi', seconds: 0.05 } },
      undefined,
      {
        onprogress: (update) => progress.push(update),
      },
    );
    expect(texts(result)).toEqual(['hi']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((update) => update.message?.includes('Echoing'))).toBe(true);
  });

  it('reads a resource and gets a prompt', async () => {
    const about = await app.client.readResource({ uri: 'showcase://about' });
    expect(about.contents[0]).toMatchObject({ uri: 'showcase://about', mimeType: 'text/markdown' });
    expect((about.contents[0] as { text: string }).text).toMatch(/^# nest-gradio showcase/);
    const prompt = await app.client.getPrompt({
      name: 'review_code',
      arguments: { code: 'x = 1', language: 'Python' },
    });
    expect(prompt.messages[0]?.content).toMatchObject({ type: 'text' });
    expect((prompt.messages[0]?.content as { text: string }).text).toMatch(/^Please review this Python code/);
  });

  it('prints nothing but protocol messages on stdout; its own line goes to stderr', () => {
    expect(app.readErrors).toEqual([]);
    expect(app.stderr()).toContain('* MCP server running on stdio');
    expect(app.stderr()).not.toContain('Running on local URL');
  });
});

describe('GRADIO_MCP_STDIO=1', () => {
  it('serves an unchanged app over stdio', async () => {
    const app = await startStdio(['dist/apps/hello/main.js'], { GRADIO_MCP_STDIO: '1', GRADIO_MCP_SERVER: 'true' });
    try {
      // The hello app has API endpoints only, no MCP tools.
      expect(app.client.getServerVersion()?.name).toBe('Hello');
      expect((await app.client.listTools()).tools).toEqual([]);
      expect(app.readErrors).toEqual([]);
    } finally {
      await app.client.close();
    }
  }, 30_000);

  it('refuses to start without the MCP server, saying which option to set', async () => {
    const child = spawn(process.execPath, ['dist/apps/hello/main.js'], {
      env: { ...getDefaultEnvironment(), GRADIO_MCP_STDIO: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('MCP over stdio needs the MCP server: set the GradioModule option mcpServer: true');
    expect(stdout).toBe('');
  }, 30_000);
});

/** The client side of a stdio connection over in-process streams: the SDK's framing, without a child process. */
class StreamClientTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly buffer = new ReadBuffer();

  constructor(
    private readonly fromServer: PassThrough,
    private readonly toServer: PassThrough,
  ) {}

  async start(): Promise<void> {
    this.fromServer.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) {
        this.onmessage?.(message);
      }
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.toServer.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.toServer.end();
    this.onclose?.();
  }
}

/** Lets the local stdio user through; over HTTP it would want a token. */
@Injectable()
class LocalOrTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<unknown>();
    return isMcpStdioRequest(request) || (request as { auth?: McpAuthInfo }).auth !== undefined;
  }
}

/** Wants a token, which stdio never carries. */
@Injectable()
class TokenOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ auth?: McpAuthInfo }>().auth !== undefined;
  }
}

@Injectable()
class Desk {
  @McpTool({ description: 'Describe the request the tool runs for.' })
  where(@Ctx() ctx: EventContext): string {
    return `${ctx.request.url} ${String(ctx.request.username)} ${JSON.stringify(ctx.request.headers)}`;
  }

  @McpTool({ description: 'Only for token holders.' })
  @UseGuards(TokenOnlyGuard)
  vault(): string {
    return 'secret';
  }
}

describe("guards over stdio (the app's McpStdioServer on streams)", () => {
  it('see a request with no headers that isMcpStdioRequest recognises', async () => {
    @Module({
      imports: [GradioModule.forRoot({ mcpServer: true })],
      providers: [Desk, TokenOnlyGuard, { provide: APP_GUARD, useClass: LocalOrTokenGuard }],
    })
    class DeskModule {}
    const app = await NestFactory.create(DeskModule, { logger: ['error'] });
    await app.init();
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    await app.get(McpStdioServer).serve(toServer, fromServer);
    const client = new Client({ name: 'in-process', version: '1.0.0' });
    await client.connect(new StreamClientTransport(fromServer, toServer));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['where']);
      expect(texts(await client.callTool({ name: 'where', arguments: {} }))).toEqual(['stdio: null {}']);
      const refused = await client.callTool({ name: 'vault', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(texts(refused)).toEqual(['Forbidden resource']);
    } finally {
      await client.close();
      await app.close();
    }
  });
});
