import type { Readable, Writable } from 'node:stream';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { mcpStdioOffMessage } from '../kernel/gradio.messages.js';
import { attachNativeRequest } from '../kernel/native-request.js';
import { type Server, StdioServerTransport } from '../kernel/optional-package.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { McpConnection } from './mcp-connection.js';
import { McpLogLevel } from './mcp-logging.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { stdioRequest } from './stdio-request.js';

/**
 * The MCP server over stdio (docs/mcp.md#stdio), for desktop clients that start the app as a child process: the
 * same tools, resources and prompts as over HTTP, from the same factory, on one connection for the process's life.
 * `launch(AppModule, { mcp: 'stdio' })` uses it; an app with its own bootstrap calls
 * `app.get(McpStdioServer).serve()` after `app.init()`.
 *
 * @publicApi
 */
@Injectable()
export class McpStdioServer implements OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly servers: McpServerFactory,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /** Serves the MCP messages arriving on `input`, answering on `output`; resolves once it listens. */
  async serve(input: Readable = process.stdin, output: Writable = process.stdout): Promise<void> {
    if (!this.options.mcpServer) throw new Error(mcpStdioOffMessage());
    if (this.server) throw new Error('The MCP server is already serving stdio.');
    this.server = this.servers.create(stdioConnection());
    await this.server.connect(new StdioServerTransport(input, output));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/** The one connection of stdio: every tool, and a request with no headers (see {@link stdioRequest}). */
function stdioConnection(): McpConnection {
  const native = stdioRequest();
  const request = (): GradioRequest =>
    attachNativeRequest(
      { headers: native.headers, clientAddress: undefined, url: native.url, username: null, root: '' },
      native,
    );
  // One connection for the process's life: a `logging/setLevel` holds until the next one.
  const connection: McpConnection = {
    selection: undefined,
    request,
    forRequest: () => connection,
    logLevel: new McpLogLevel(),
    answersServerRequests: true,
  };
  return connection;
}
