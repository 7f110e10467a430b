import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  type HttpRequest,
  type HttpResponse,
  nodeRequestOf,
  sendJson,
  takeOverResponse,
} from '../http/http-exchange.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport as Transport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { StreamableHTTPServerTransport } from '../kernel/optional-package.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { queueClosedMessage } from '../kernel/gradio.messages.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { isJsonObject } from '../http/json-body.js';
import { QueueService } from '../queue/queue.service.js';
import { BoundedEventStore } from './bounded-event-store.js';
import { carrierRequest, mcpConnection, withCarrierRequest } from './mcp-connection.js';
import { McpServerFactory } from './mcp-server.factory.js';

/** A session nobody used for this long is closed, so that clients that never send DELETE do not pile up. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

interface Session {
  server: Server;
  transport: Transport;
  idle: NodeJS.Timeout;
}

const logger = new Logger('GradioMcp');

/**
 * Streamable HTTP with sessions (`mcp.sessions: 'stateful'`, docs/mcp.md#sessions): `initialize` makes a server and
 * a transport that live as long as the session, under the `Mcp-Session-Id` the transport issues. Later POSTs, the
 * standalone GET stream and DELETE go to the session's transport, which also replays missed messages from its
 * bounded event store on a `Last-Event-ID`. Every request still passes the controller's guards, and the handlers see
 * the request that carried their message.
 */
@Injectable()
export class StatefulSessions implements BeforeApplicationShutdown {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly servers: McpServerFactory,
    private readonly queue: QueueService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  async post(request: HttpRequest, response: HttpResponse, body: unknown): Promise<void> {
    const id = sessionIdOf(request);
    if (id !== undefined) return this.forward(id, request, response, body);
    if (!isInitialize(body)) {
      refuse(response, 400, -32000, 'Bad Request: send the Mcp-Session-Id header that initialize answered.');
      return;
    }
    if (this.queue.isStopping) throw new ServiceUnavailableException(queueClosedMessage());
    await this.open(request, response, body);
  }

  /** GET (the standalone SSE stream, or a resumed one with `Last-Event-ID`) and DELETE (ends the session). */
  async other(request: HttpRequest, response: HttpResponse): Promise<void> {
    const id = sessionIdOf(request);
    if (id === undefined) {
      refuse(response, 400, -32000, 'Bad Request: the Mcp-Session-Id header is required.');
      return;
    }
    await this.forward(id, request, response, undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.stop();
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((session) => this.close(session)));
  }

  private async open(request: HttpRequest, response: HttpResponse, body: unknown): Promise<void> {
    const server = this.servers.create(
      mcpConnection(request, this.options.rootPath, () => carrierRequest() ?? request),
    );
    const transport: Transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { server, transport, idle: this.idleTimer(id) });
      },
      onsessionclosed: (id) => this.drop(id),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.drop(transport.sessionId);
    };
    const node = takeOverResponse(response);
    try {
      await server.connect(transport);
      await withCarrierRequest(request, () => transport.handleRequest(nodeRequestOf(request), node, body));
    } catch (error) {
      logger.error('An MCP session could not be opened.', error instanceof Error ? error.stack : String(error));
      if (!node.headersSent) refuse(node, 500, -32603, 'Internal server error');
    }
    // An initialize the transport refused opened nothing.
    if (transport.sessionId === undefined || !this.sessions.has(transport.sessionId)) {
      await server.close().catch(() => undefined);
    }
  }

  private async forward(id: string, request: HttpRequest, response: HttpResponse, body: unknown): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) {
      refuse(response, 404, -32001, 'Session not found');
      return;
    }
    session.idle.refresh();
    const node = takeOverResponse(response);
    try {
      await withCarrierRequest(request, () => session.transport.handleRequest(nodeRequestOf(request), node, body));
    } catch (error) {
      logger.error('An MCP request failed.', error instanceof Error ? error.stack : String(error));
      if (!node.headersSent) refuse(node, 500, -32603, 'Internal server error');
    }
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const session = this.sessions.get(id);
      this.sessions.delete(id);
      if (session) void this.close(session);
    }, SESSION_IDLE_MS);
    timer.unref();
    return timer;
  }

  private drop(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    clearTimeout(session.idle);
    this.sessions.delete(id);
  }

  private async close(session: Session): Promise<void> {
    clearTimeout(session.idle);
    await session.server.close().catch(() => undefined);
  }
}

function sessionIdOf(request: HttpRequest): string | undefined {
  const value = request.headers['mcp-session-id'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => isJsonObject(message) && message['method'] === 'initialize');
}

/** A JSON-RPC error without an id, the shape the SDK's transport answers its own refusals with. */
function refuse(response: HttpResponse, status: number, code: number, message: string): void {
  sendJson(response, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}
