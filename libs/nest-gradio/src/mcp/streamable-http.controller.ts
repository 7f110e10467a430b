import type { ServerResponse } from 'node:http';
import { Controller, Delete, Get, Inject, Logger, Post, Req, Res, UseGuards } from '@nestjs/common';
import { authOf } from './web-exchange.js';
import { StatelessPostTransport } from './stateless-post.transport.js';
import { checkStatelessPost, isPostRefusal, isRequest, type StatelessPost } from './stateless-post-check.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { isJsonObject } from '../http/json-body.js';
import {
  type HttpRequest,
  type HttpResponse,
  isJsonRequest,
  nodeResponseOf,
  sendHtml,
  sendJson,
  takeOverResponse,
} from '../http/http-exchange.js';
import { attachNativeResponse } from '../kernel/native-request.js';
import { rootUrlOf } from '../http/root-url.js';
import { renderLandingPage } from './landing-page.renderer.js';
import { watchAdmission } from './admission-watch.js';
import { McpCallAdmission } from './call-admission.js';
import { McpCatalog } from './mcp-catalog.service.js';
import { mcpConnection, selectionOf } from './mcp-connection.js';
import { StatelessToolCalls } from './stateless-tool-call.js';
import { assertMcpRequest } from './mcp-request-check.js';
import { acceptBothWhenAnyIsAccepted } from './mcp-accept.js';
import { MethodNotAllowed } from '../http/method-not-allowed.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { MCP_PATH } from './mcp.constants.js';
import { clientOf, StatelessCancellations } from './stateless-cancellations.js';
import { SharedCancellations } from './shared-cancellations.js';
import { Revision2026Service } from './revision-2026.service.js';
import { StatefulSessions } from './stateful-sessions.service.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { MCP_DELETE_DOC, MCP_GET_DOC, MCP_POST_DOC } from './mcp.route-docs.js';

/** The SDK's stateless example answers GET (without a landing page to show) and DELETE so; clients accept it. */
const METHOD_NOT_ALLOWED = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null };

/** JSON-RPC 2.0's answer to an empty batch (the SDK would accept it with 202, as if it held only notifications). */
const EMPTY_BATCH = { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request: an empty batch.' }, id: null };

/** The paths of this transport, under any prefix. */
const STREAMABLE_PATH = new RegExp(`/${MCP_PATH}(/http)?/?$`);

const logger = new Logger('GradioMcp');

/**
 * MCP's streamable HTTP transport, stateless like Gradio's (docs/mcp.md#routes): every POST gets a fresh server and
 * transport, answers as an SSE stream (progress notifications, then the result) and ends. A browser's GET gets the
 * landing page. Served at `/gradio_api/mcp`, with or without the trailing slash, and at Gradio's `/http` alias.
 * An ordinary Nest controller, so the application's guards and interceptors apply to every MCP request.
 */
@Controller(MCP_PATH)
@UseGuards(GradioAuthGuard)
export class StreamableHttpController {
  constructor(
    private readonly servers: McpServerFactory,
    private readonly toolCalls: StatelessToolCalls,
    private readonly catalog: McpCatalog,
    private readonly cancellations: StatelessCancellations,
    private readonly sharedCancellations: SharedCancellations,
    private readonly revision2026: Revision2026Service,
    private readonly sessions: StatefulSessions,
    private readonly admission: McpCallAdmission,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    methodNotAllowed: MethodNotAllowed,
  ) {
    // Without sessions, DELETE has nothing to end: the route refuses it (405), and the 405s of other methods say so.
    methodNotAllowed.refuseOn((method, path) => method === 'DELETE' && !this.stateful() && STREAMABLE_PATH.test(path));
  }

  @Post(['', 'http'])
  @DocumentedRoute(MCP_POST_DOC)
  async post(@Req() request: HttpRequest, @Res() reply: HttpResponse): Promise<void> {
    assertMcpRequest(this.options, request);
    acceptBothWhenAnyIsAccepted(request);
    if (Array.isArray(request.body) && request.body.length === 0 && isJsonRequest(request)) {
      sendJson(reply, 400, EMPTY_BATCH);
      return;
    }
    // Guards run for the calls see the response of the request (Fastify's request does not link it).
    attachNativeResponse(request, reply);
    // Nest's body parser has read JSON bodies; anything else is left for the transport to refuse (415).
    const body: unknown = isJsonRequest(request) ? request.body : undefined;
    const stateless = this.options.mcp.sessions !== 'stateful';
    const messages = Array.isArray(body) ? body : [body];
    const client = clientOf(request);
    // A stateless call given up on while its guards run is never served: nobody would read it (a stateful
    // session's calls outlive their POST, and its cancels reach the session's server).
    const watch = stateless
      ? watchAdmission(this.cancellations, client, requestIdsOf(messages), nodeResponseOf(reply))
      : undefined;
    try {
      // Tool calls pass their guards while the answer can still be a 429 (docs/mcp.md#rate-limits).
      await this.admission.admit(request, reply, body);
    } catch (error) {
      watch?.stop();
      throw error;
    }
    if (watch?.stop()) {
      const response = takeOverResponse(reply);
      // A cancelled request gets no answer (the SDK sends none either); a client that hung up, nothing.
      if (!response.destroyed) response.writeHead(202).end();
      return;
    }
    // The 2026-07-28 revision (per-request `_meta`, no initialize) is the SDK v2's (docs/mcp.md#protocol-revisions).
    if (await this.revision2026.claims(request, body)) {
      const connection = mcpConnection(request, this.options.rootPath);
      await this.revision2026.serve(request, takeOverResponse(reply), body, connection);
      return;
    }
    if (this.stateful()) {
      await this.sessions.post(request, reply, body);
      return;
    }
    for (const message of messages) {
      if (isJsonObject(message) && message['method'] === 'notifications/cancelled' && isJsonObject(message['params'])) {
        const id = message['params']['requestId'];
        if (typeof id === 'string' || typeof id === 'number') this.sharedCancellations.cancel(client, id);
      }
    }
    const post = checkStatelessPost(request, body);
    if (isPostRefusal(post)) {
      sendJson(reply, post.status, { jsonrpc: '2.0', error: post.error, id: null });
      return;
    }
    await this.serveStateless(request, takeOverResponse(reply), post, client);
  }

  /**
   * One stateless POST, whose answers stream back in the response (docs/mcp.md#routes): a plain tool call is answered
   * directly (stateless-tool-call.ts), anything else by a server of its own.
   */
  private async serveStateless(
    request: HttpRequest,
    response: ServerResponse,
    post: StatelessPost,
    client: string,
  ): Promise<void> {
    // A client that hung up while a guard or interceptor ran is gone before `close` can be heard: nothing to run.
    if (response.destroyed) return;
    const connection = mcpConnection(request, this.options.rootPath);
    const transport = new StatelessPostTransport(response);
    // Closing the transport ends the response without a result and aborts the request's handler (and its call).
    const untrack = requestIdsOf(post.messages).map((id) =>
      this.cancellations.track(client, id, () => void transport.close()),
    );
    response.on('close', () => {
      for (const stop of untrack) stop();
      // A response that finished carried every answer: nothing is left to abort, and closing would only build the
      // SDK's "Connection closed" error (a stack trace per request). One cut short aborts its handlers.
      if (!response.writableFinished) void transport.close();
    });
    const auth = authOf(request);
    const extra = { requestInfo: { headers: request.headers }, ...(auth ? { authInfo: auth } : {}) };
    const toolCall = this.toolCalls.claim(post);
    if (toolCall) {
      transport.onmessage = () => this.toolCalls.serve(transport, toolCall, connection);
      transport.receive(post, extra);
      return;
    }
    try {
      const asked = new Set(post.messages.filter(isRequest).map((message) => message.method));
      await this.servers.create(connection, asked).connect(transport);
      transport.receive(post, extra);
    } catch (error) {
      logger.error('An MCP request failed.', error instanceof Error ? error.stack : String(error));
      if (!response.headersSent) {
        sendJson(response, 500, {
          jsonrpc: '2.0',
          error: { code: -32603, message: 'Internal server error' },
          id: null,
        });
      }
    }
  }

  @Get(['', 'http'])
  @DocumentedRoute(MCP_GET_DOC)
  async get(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    assertMcpRequest(this.options, request);
    if (!acceptsEventStream(request)) {
      sendHtml(response, 200, this.landingPage(request));
      return;
    }
    // A session's standalone stream, or one resumed with Last-Event-ID (docs/mcp.md#sessions).
    if (this.stateful()) {
      await this.sessions.other(request, response);
      return;
    }
    // Stateless: there is no server-initiated stream to open.
    sendJson(response, 405, METHOD_NOT_ALLOWED, { Allow: 'POST' });
  }

  @Delete(['', 'http'])
  @DocumentedRoute(MCP_DELETE_DOC)
  async delete(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    assertMcpRequest(this.options, request);
    if (this.stateful()) {
      await this.sessions.other(request, response);
      return;
    }
    sendJson(response, 405, METHOD_NOT_ALLOWED, { Allow: 'GET, HEAD, POST, OPTIONS' });
  }

  private stateful(): boolean {
    return this.options.mcp.sessions === 'stateful';
  }

  private landingPage(request: HttpRequest): string {
    const selection = selectionOf(request);
    return renderLandingPage({
      title: this.options.title,
      serverUrl: `${rootUrlOf(request, this.options.rootPath)}/${MCP_PATH}/`,
      tools: this.catalog.tools(selection).map(({ view }) => ({ name: view.name, description: view.description })),
      resources: this.catalog
        .resources(selection)
        .map(({ view }) => ({ uri: view.uriTemplate, description: view.description })),
      prompts: this.catalog.prompts(selection).map(({ view }) => ({ name: view.name, description: view.description })),
    });
  }
}

function acceptsEventStream(request: HttpRequest): boolean {
  const accept = request.headers.accept;
  return (Array.isArray(accept) ? accept.join(',') : (accept ?? '')).includes('text/event-stream');
}

/** The JSON-RPC ids of the requests (not notifications or responses) among a POST's messages. */
function requestIdsOf(messages: unknown[]): (string | number)[] {
  return messages
    .filter((message) => isJsonObject(message) && typeof message['method'] === 'string' && isRequestId(message['id']))
    .map((message) => (message as { id: string | number }).id);
}

function isRequestId(id: unknown): id is string | number {
  return typeof id === 'string' || typeof id === 'number';
}
