import {
  Controller,
  Get,
  Inject,
  Logger,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import { queueClosedMessage } from '../kernel/gradio.messages.js';
import { SSEServerTransport } from '../kernel/optional-package.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import {
  type HttpRequest,
  type HttpResponse,
  isJsonRequest,
  nodeRequestOf,
  requestUrlOf,
  sendText,
  takeOverResponse,
} from '../http/http-exchange.js';
import { attachNativeResponse } from '../kernel/native-request.js';
import { mcpConnection } from './mcp-connection.js';
import { MessageCarriers } from './message-carriers.js';
import { assertMcpRequest } from './mcp-request-check.js';
import { McpCallAdmission } from './call-admission.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { MCP_PATH } from './mcp.constants.js';
import { SseSessions } from './sse-sessions.js';
import { type ForwardedMessage, forwardedMessageOf, sseSessionTopic, standInRequestOf } from './forwarded-message.js';
import { QueueService } from '../queue/queue.service.js';
import { isJsonObject } from '../http/json-body.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { MCP_MESSAGES_DOC, MCP_SSE_DOC } from './mcp.route-docs.js';

const logger = new Logger('GradioMcp');

/**
 * MCP's legacy HTTP+SSE transport (docs/mcp.md#routes): `GET /gradio_api/mcp/sse` opens a session whose first event
 * names the URL to POST messages to (`/gradio_api/mcp/messages/?sessionId=…`, same origin, behind the root path);
 * replies and progress arrive on the session's stream. Comment lines keep idle streams alive through proxies.
 */
@Controller(MCP_PATH)
@UseGuards(GradioAuthGuard)
export class SseController {
  constructor(
    private readonly servers: McpServerFactory,
    private readonly sessions: SseSessions,
    private readonly admission: McpCallAdmission,
    private readonly queue: QueueService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get('sse')
  @DocumentedRoute(MCP_SSE_DOC)
  async open(@Req() request: HttpRequest, @Res() reply: HttpResponse): Promise<void> {
    assertMcpRequest(this.options, request);
    if (!this.sessions.accepting) throw new ServiceUnavailableException(queueClosedMessage());
    attachNativeResponse(request, reply);
    const response = takeOverResponse(reply);
    const transport = new SSEServerTransport(this.messagesPath(request), response);
    const carriers = new MessageCarriers();
    const server = this.servers.create(mcpConnection(request, this.options.rootPath, carriers));
    const keepAlive = setInterval(() => response.write(': ping\n\n'), this.options.heartbeatInterval * 1000);
    // Messages POSTed to other processes of a deployment for this session (see forward).
    const unlisten = this.queue.listen(sseSessionTopic(transport.sessionId), (message) =>
      this.deliver(transport, carriers, message),
    );
    // The server's own close handling (chained after this one by connect()) aborts the session's requests.
    transport.onclose = () => {
      clearInterval(keepAlive);
      unlisten();
      this.sessions.delete(transport.sessionId);
    };
    this.sessions.add({ transport, server, carriers });
    try {
      await server.connect(transport);
    } catch (error) {
      logger.error('Could not open an MCP SSE session.', error instanceof Error ? error.stack : String(error));
      void transport.close();
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end();
      }
    }
  }

  /** Gradio's path ends with a slash; both forms are served. */
  @Post('messages')
  @DocumentedRoute(MCP_MESSAGES_DOC)
  async message(
    @Req() request: HttpRequest,
    @Res() response: HttpResponse,
    @Query('sessionId') sessionId?: unknown,
  ): Promise<void> {
    assertMcpRequest(this.options, request);
    if (typeof sessionId !== 'string' || sessionId === '') {
      sendText(response, 400, 'sessionId is required');
      return;
    }
    const session = this.sessions.get(sessionId);
    const body: unknown = isJsonRequest(request) ? request.body : undefined;
    attachNativeResponse(request, response);
    if (!session) {
      await this.forward(sessionId, request, response, body);
      return;
    }
    // Tool calls pass their guards while the answer can still be a 429 instead of 202 (docs/mcp.md#rate-limits).
    await this.admission.admit(request, response, body);
    const node = takeOverResponse(response);
    try {
      session.carriers.carry(body, request);
      await session.transport.handlePostMessage(nodeRequestOf(request), node, body);
    } catch (error) {
      // The transport has answered (500 when its stream is gone); nothing more to send.
      logger.warn(`An MCP SSE message was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A message for a session this process does not hold: in distributed mode another process may (a balancer without
   * sticky sessions sent the POST here). Its guards run here, where the request is; the session's process gets the
   * message through the queue's broadcast and answers on its stream. Nobody holding the session: 404, as before.
   */
  private async forward(sessionId: string, request: HttpRequest, response: HttpResponse, body: unknown): Promise<void> {
    const topic = sseSessionTopic(sessionId);
    if (!isJsonObject(body) || body['jsonrpc'] !== '2.0') {
      // Nothing to forward; an empty message only asks whether any process holds the session (it ignores it).
      const held = (await this.queue.broadcast(topic, '')) > 0;
      if (held) sendText(response, 400, 'The body must be one JSON-RPC message (Content-Type: application/json).');
      else sendText(response, 404, 'Could not find session');
      return;
    }
    await this.admission.admit(request, response, body);
    const heard = await this.queue.broadcast(topic, JSON.stringify(await forwardedMessageOf(request, body)));
    if (heard === 0) sendText(response, 404, 'Could not find session');
    else sendText(response, 202, 'Accepted');
  }

  /** A message another process received for a session of this one (see {@link forward}). */
  private deliver(
    transport: InstanceType<typeof SSEServerTransport>,
    carriers: MessageCarriers,
    message: string,
  ): void {
    if (message === '') return;
    const forwarded = JSON.parse(message) as ForwardedMessage;
    carriers.carry(forwarded.body, standInRequestOf(forwarded));
    transport
      .handleMessage(forwarded.body)
      .catch((error: unknown) =>
        logger.warn(
          `A forwarded MCP SSE message was refused: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  /**
   * Where clients POST: the messages route next to the SSE route the client reached (so a global prefix or a mount
   * is kept), behind the root path a proxy strips.
   */
  private messagesPath(request: HttpRequest): string {
    const path = new URL(requestUrlOf(request), 'http://localhost').pathname.replace(/\/sse\/?$/, '/messages/');
    const rootPath = pathOf(this.options.rootPath).replace(/\/+$/, '');
    return rootPath && !path.startsWith(`${rootPath}/`) ? `${rootPath}${path}` : path;
  }
}

function pathOf(rootPath: string): string {
  if (!/^https?:\/\//i.test(rootPath)) return rootPath;
  return new URL(rootPath).pathname;
}
