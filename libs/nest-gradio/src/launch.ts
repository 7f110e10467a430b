import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  ConsoleLogger,
  type INestApplication,
  type LogLevel,
  type NestApplicationOptions,
  type Type,
} from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import { setupGradioDocs } from './setup-gradio-docs.js';
import { DEFAULT_HOST, DEFAULT_PORT, GRADIO_MODULE_OPTIONS } from './kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from './options/gradio-module-options.interface.js';
import { McpStdioServer } from './mcp/stdio.server.js';
import { importFastifyPlatform } from './kernel/optional-package.js';
import { parseFileSize } from './options/file-size.js';

/** Options of {@link launch}. @publicApi */
export interface LaunchOptions {
  /** Default: `PORT`, else `GRADIO_SERVER_PORT`, else 7860. Use 0 for any free port. */
  port?: number;
  /** Default: `HOST`, else `GRADIO_SERVER_NAME`, else 127.0.0.1 (use 0.0.0.0 to listen on every interface). */
  host?: string;
  /** Largest JSON request body. Default `'10mb'` (Nest's own default is 100 kB, too small for many inputs). */
  bodyLimit?: string;
  /** Nest log levels. Default: errors and warnings only. */
  logLevels?: LogLevel[];
  /** Print the local URL once listening, like Gradio's `launch()`. Default true. */
  printUrl?: boolean;
  /** Further options passed to `NestFactory.create`. */
  nestOptions?: NestApplicationOptions;
  /**
   * `'stdio'` serves the MCP server on stdin/stdout instead of HTTP, for desktop MCP clients that start the app as a
   * command (docs/mcp.md#stdio); the module must turn `mcpServer` on. Nest's logs and `console.log` then go to
   * stderr, since stdout carries the protocol. Default: `'stdio'` when `GRADIO_MCP_STDIO` is `true` or `1`, else
   * `'http'`.
   */
  mcp?: 'http' | 'stdio';
  /**
   * The HTTP adapter: `'express'` (Nest's default), `'fastify'` (needs `@nestjs/platform-fastify`), or an adapter you
   * made (`new FastifyAdapter({ trustProxy: true })`). Default: `GRADIO_HTTP_ADAPTER` (`express` or `fastify`), else
   * `'express'`.
   */
  adapter?: HttpAdapterChoice;
}

/** What {@link LaunchOptions.adapter} takes. @publicApi */
export type HttpAdapterChoice = 'express' | 'fastify' | AbstractHttpAdapter;

/**
 * Creates the Nest application for a module that imports `GradioModule`, and serves it — the equivalent of
 * Gradio's `launch()`.
 *
 * @example `await launch(AppModule); // * Running on local URL:  http://127.0.0.1:7860`
 * @publicApi
 */
export async function launch(module: Type, options: LaunchOptions = {}): Promise<INestApplication> {
  if ((options.mcp ?? mcpTransportFromEnv()) === 'stdio') return launchStdio(module, options);
  const app = await createHttpApp(module, options.adapter ?? adapterFromEnv(), {
    logger: options.logLevels ?? ['error', 'warn'],
    ...options.nestOptions,
  });
  useJsonBodyLimit(app, options.bodyLimit ?? '10mb');
  app.enableShutdownHooks();
  // Before listen(): routes added once the app has started are never reached.
  await setupGradioDocs(app);
  const port = options.port ?? portFromEnv() ?? DEFAULT_PORT;
  const host = options.host ?? process.env['HOST'] ?? process.env['GRADIO_SERVER_NAME'] ?? DEFAULT_HOST;
  await listenForClients(app, port, host);
  if (options.printUrl ?? true) {
    const address = app.getHttpServer().address() as { port: number };
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const localUrl = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
    console.log(`* Running on local URL:  ${localUrl}`);
    if (mcpServerEnabled(app)) console.log(`* Streamable HTTP MCP server URL: ${localUrl}/gradio_api/mcp/`);
  }
  return app;
}

/**
 * The app without HTTP, its MCP server on stdio. Nothing but protocol messages may reach stdout: Nest logs through a
 * logger that writes to stderr, and `console.log`/`info`/`debug` (the app's own, or a library's) are sent there too.
 * The app closes when the client closes stdin.
 */
async function launchStdio(module: Type, options: LaunchOptions): Promise<INestApplication> {
  for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error.bind(console);
  // The adapter still serves no request; it is the one the app is made for (a Fastify app may lack Express).
  const app = await createHttpApp(module, options.adapter ?? adapterFromEnv(), {
    logger: new StderrLogger({ logLevels: options.logLevels ?? ['error', 'warn'] }),
    ...options.nestOptions,
  });
  app.enableShutdownHooks();
  await app.init();
  await app.get(McpStdioServer, { strict: false }).serve();
  process.stdin.once('end', () => void app.close());
  if (options.printUrl ?? true) console.error('* MCP server running on stdio');
  return app;
}

/** Nest's console logger, all of whose levels write to stderr. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

/**
 * `NestFactory.create()` on the chosen adapter. Fastify's adapter is imported only when asked for: it is an optional
 * peer of the package.
 */
export async function createHttpApp(
  module: Type,
  adapter: HttpAdapterChoice,
  nestOptions: NestApplicationOptions,
): Promise<INestApplication> {
  if (adapter === 'express') return NestFactory.create(module, nestOptions);
  if (adapter === 'fastify') {
    const { FastifyAdapter } = await importFastifyPlatform("launch() option adapter: 'fastify'");
    return NestFactory.create(module, new FastifyAdapter(), nestOptions);
  }
  return NestFactory.create(module, adapter, nestOptions);
}

/** Raises the largest JSON body the app accepts (`'10mb'`), on either adapter. */
export function useJsonBodyLimit(app: INestApplication, limit: string): void {
  const parsers = app as unknown as { useBodyParser(type: string, options: object): void };
  if (app.getHttpAdapter().getType() === 'fastify') {
    parsers.useBodyParser('application/json', { bodyLimit: parseFileSize(limit, 'bodyLimit (of launch())') });
  } else {
    parsers.useBodyParser('json', { limit });
  }
}

function adapterFromEnv(): 'express' | 'fastify' {
  const value = process.env['GRADIO_HTTP_ADAPTER']?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  throw new Error(`Invalid HTTP adapter "${value}" in GRADIO_HTTP_ADAPTER: use express or fastify.`);
}

function mcpTransportFromEnv(): LaunchOptions['mcp'] {
  const value = process.env['GRADIO_MCP_STDIO']?.toLowerCase();
  return value === 'true' || value === '1' ? 'stdio' : undefined;
}

/**
 * How many connections the kernel queues for the app before it accepts them. Node's default, 511, overflows when more
 * clients than that connect at once while the event loop is busy (a thousand concurrent uploads on a loaded
 * machine): the kernel then drops handshakes and resets some of the connections, and those clients fail with
 * `ECONNRESET` before the app ever sees them. 2048 is the backlog of Gradio's own server (uvicorn); Linux caps it at
 * `net.core.somaxconn`.
 */
export const LISTEN_BACKLOG = 2048;

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is about the keep-alive expiry of the
 * clients' own connection pools (httpx under the Python client, undici), so the server closes connections that a
 * client is about to reuse: in the c=256 benchmark about 1 % of the calls then waited 4–9 s (median 83 ms); with 65 s
 * none did. 65 s also outlasts the idle timeout of the usual load balancers (60 s).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * `app.listen(port, host)` the way the clients need it: with {@link LISTEN_BACKLOG} (Nest hands extra arguments on to
 * Node's `server.listen`) and idle connections kept {@link KEEP_ALIVE_TIMEOUT_MS}.
 */
export async function listenForClients(app: INestApplication, port: number, host: string): Promise<void> {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's advice: headers may take longer than a connection may idle, or a request racing the idle timer is cut.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  closeUnusedConnectionsOnClose(server);
  // Nest's types list only (port, host, callback); it forwards whatever comes before the callback.
  const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
  await listen(port, host, LISTEN_BACKLOG);
}

/**
 * `server.close()` (what `app.close()` calls) ends idle keep-alive connections, but waits for a connection on which no
 * request was ever sent: HTTP clients open spare connections ahead of need, and with a 65 s keep-alive such a
 * connection held shutdown for a minute. Those are destroyed when the server closes; connections carrying a request
 * finish it.
 */
function closeUnusedConnectionsOnClose(server: Server): void {
  const unused = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    for (const socket of unused) socket.destroy();
    return close(callback);
  };
}

/** Whether the app's `GradioModule` serves MCP (false for a module without one). */
function mcpServerEnabled(app: INestApplication): boolean {
  try {
    return app.get<ResolvedGradioOptions>(GRADIO_MODULE_OPTIONS, { strict: false }).mcpServer;
  } catch {
    return false;
  }
}

function portFromEnv(): number | undefined {
  const value = process.env['PORT'] ?? process.env['GRADIO_SERVER_PORT'];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid port "${value}" in PORT/GRADIO_SERVER_PORT.`);
  return port;
}
