import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { type HttpRequest, type HttpResponse, sendJson, takeOverResponse } from '../http/http-exchange.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { WebStandardStreamableHTTPServerTransport as Transport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { WebStandardStreamableHTTPServerTransport } from '../kernel/optional-package.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { queueClosedMessage } from '../kernel/gradio.messages.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { isJsonObject } from '../http/json-body.js';
import { QueueService } from '../queue/queue.service.js';
import { BoundedEventStore } from './bounded-event-store.js';
import { mcpConnection } from './mcp-connection.js';
import { MessageCarriers } from './message-carriers.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { standInRequestOf } from './forwarded-message.js';
import { type RelayedExchange, SessionRelay } from './session-relay.js';
import { authOf, type ExchangeSink, nodeSink, sendWebResponse, webRequestOf } from './web-exchange.js';

/** A session nobody used for this long is closed, so that clients that never send DELETE do not pile up. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

interface Session {
  server: Server;
  transport: Transport;
  idle: NodeJS.Timeout;
  /** The requests that carried the session's messages, for their handlers. */
  carriers: MessageCarriers;
  /** Stops serving the exchanges other processes relay (distributed mode). */
  held?: Promise<() => void>;
}

const logger = new Logger('GradioMcp');

/**
 * Streamable HTTP with sessions (`mcp.sessions: 'stateful'`, docs/mcp.md#sessions): `initialize` makes a server and
 * a transport that live as long as the session, under the `Mcp-Session-Id` the transport issues. Later POSTs, the
 * standalone GET stream and DELETE go to the session's transport, which also replays missed messages from its
 * bounded event store on a `Last-Event-ID`. Every request still passes the controller's guards, and the handlers see
 * the request that carried their message. In distributed mode a request for a session another process holds is
 * relayed to it ({@link SessionRelay}): no sticky routing needed.
 */
@Injectable()
export class StatefulSessions implements BeforeApplicationShutdown {
  private readonly sessions = new Map<string, Session>();
  private readonly relay: SessionRelay;

  constructor(
    private readonly servers: McpServerFactory,
    private readonly queue: QueueService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {
    this.relay = new SessionRelay(queue);
  }

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
    const carriers = new MessageCarriers();
    const server = this.servers.create(mcpConnection(request, this.options.rootPath, carriers));
    const transport: Transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      onsessioninitialized: (id) => {
        const session: Session = { server, transport, carriers, idle: this.idleTimer(id) };
        if (this.queue.spansProcesses) {
          session.held = this.relay.hold(
            id,
            (exchange, sink) => this.serveRelayed(session, exchange, sink),
            (error) =>
              logger.error('A relayed MCP request failed.', error instanceof Error ? error.stack : String(error)),
          );
        }
        this.sessions.set(id, session);
      },
      onsessionclosed: (id) => this.drop(id),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.drop(transport.sessionId);
    };
    const node = takeOverResponse(response);
    try {
      await server.connect(transport);
      await this.answer(transport, carriers, request, body, nodeSink(node));
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
    const node = takeOverResponse(response);
    try {
      if (session) {
        session.idle.refresh();
        await this.answer(session.transport, session.carriers, request, body, nodeSink(node));
      } else if (!(this.queue.spansProcesses && (await this.relay.relay(id, request, node, body)))) {
        refuse(node, 404, -32001, 'Session not found');
      }
    } catch (error) {
      logger.error('An MCP request failed.', error instanceof Error ? error.stack : String(error));
      if (!node.headersSent) refuse(node, 500, -32603, 'Internal server error');
    }
  }

  /** One exchange with the session's transport, its answer streamed to `sink` as it comes. */
  private async answer(
    transport: Transport,
    carriers: MessageCarriers,
    request: HttpRequest,
    body: unknown,
    sink: ExchangeSink,
  ): Promise<void> {
    const aborted = new AbortController();
    void sink.gone.then(() => aborted.abort());
    const auth = authOf(request);
    carriers.carry(body, request);
    const answer = await transport.handleRequest(webRequestOf(request, body, aborted.signal), {
      parsedBody: body,
      ...(auth ? { authInfo: auth } : {}),
    });
    await sendWebResponse(answer, sink);
  }

  /**
   * An exchange another process relayed (its client's balancer sent it there): answered as if it had come here,
   * with a stand-in for its request on which that process's guard verdicts are recorded.
   */
  private serveRelayed(session: Session, exchange: RelayedExchange, sink: ExchangeSink): Promise<void> {
    session.idle.refresh();
    return this.answer(
      session.transport,
      session.carriers,
      standInRequestOf(exchange.message, exchange.method),
      exchange.message.body,
      sink,
    );
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
    void session.held?.then((stop) => stop());
    this.sessions.delete(id);
  }

  private async close(session: Session): Promise<void> {
    clearTimeout(session.idle);
    void session.held?.then((stop) => stop());
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
