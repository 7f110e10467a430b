import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { type HttpRequest, onceClosed } from '../http/http-exchange.js';
import type { McpHttpHandler, RequestStateCodec, ServerContext } from '@modelcontextprotocol/server';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { mcpCapabilityMissingMessage } from '../kernel/gradio.messages.js';
import { isJsonObject } from '../http/json-body.js';
import { importMcpSdkV2, type McpSdkV2 } from '../kernel/optional-package.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { McpRequestContext } from './call-notifications.bridge.js';
import { InputRound, type InputRoundState } from './input-round.js';
import type { McpConnection } from './mcp-connection.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { QueueService } from '../queue/queue.service.js';
import { MCP_SERVER_VERSION } from './mcp.constants.js';
import { authOf, nodeSink, sendWebResponse, webRequestOf } from './web-exchange.js';

/** The `_meta` key of a 2026-07-28 request's log level; absent, the client wants no log messages. */
const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel';

/**
 * The 2026-07-28 revision of MCP on the same endpoint as the 2025 ones (docs/mcp.md#protocol-revisions): no
 * `initialize`, `server/discover`, and every request carrying its protocol version, client info and capabilities in
 * `_meta`. The SDK v2 (`@modelcontextprotocol/server`) serves that wire: its handler classifies a POST as one
 * revision or the other, and answers the 2026 ones from a server made per request with the same methods as the 2025
 * servers. Not installed, the endpoint serves the 2025 revisions only.
 */
@Injectable()
export class Revision2026Service implements OnModuleInit, OnApplicationShutdown {
  private sdk?: McpSdkV2 | null;
  private handler?: McpHttpHandler;
  private stateCodec?: RequestStateCodec<InputRoundState>;
  /** The key that signs the rounds' state (see {@link stateCodecOf}). */
  private stateKey?: string | Buffer;
  /**
   * The connection of each request the SDK's handler is serving, by the web request handed to it: the SDK gives its
   * server factory that same request. (Not an AsyncLocalStorage: its first use would turn on Node's async hooks for
   * the whole process, docs/performance.md#the-event-context-is-opt-in.)
   */
  private readonly serving = new WeakMap<Request, McpConnection>();

  constructor(
    private readonly servers: McpServerFactory,
    private readonly queue: QueueService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /** Loads the SDK v2 at bootstrap (after SDK v1), so that the first request does not wait for it. */
  async onModuleInit(): Promise<void> {
    if (!this.options.mcpServer) return;
    await this.load();
    this.stateKey = this.options.mcp.requestStateKey ?? (await this.queue.sharedSecret('mcp-request-state'));
  }

  /** Whether `body` (parsed JSON) is a 2026-07-28 request, which {@link serve} answers. */
  async claims(request: HttpRequest, body: unknown): Promise<boolean> {
    const sdk = await this.load();
    if (!sdk || body === undefined || !mayClaim2026(request, body)) return false;
    // With the parsed body given, the SDK classifies from it and the headers; the request needs no body of its own.
    return !(await sdk.isLegacyRequest(webRequestOf(request), body));
  }

  /** Answers one 2026-07-28 POST, streaming the SDK's response (JSON, or SSE when notifications precede the result). */
  async serve(request: HttpRequest, response: ServerResponse, body: unknown, connection: McpConnection): Promise<void> {
    const handler = this.handlerOf((await this.load()) as McpSdkV2);
    const aborted = new AbortController();
    onceClosed(response, () => aborted.abort());
    const web = webRequestOf(request, body, aborted.signal);
    this.serving.set(web, connection);
    const answer = await handler.fetch(web, {
      parsedBody: body,
      ...(authOf(request) ? { authInfo: authOf(request) } : {}),
    });
    await sendWebResponse(answer, nodeSink(response));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.handler?.close();
  }

  private async load(): Promise<McpSdkV2 | undefined> {
    if (this.sdk === undefined) this.sdk = (await importMcpSdkV2()) ?? null;
    return this.sdk ?? undefined;
  }

  private handlerOf(sdk: McpSdkV2): McpHttpHandler {
    // 2025 traffic never reaches this handler (the controller sends it to the SDK v1 transport), so it is strict.
    this.handler ??= sdk.createMcpHandler((context) => this.createServer(sdk, context.requestInfo), {
      legacy: 'reject',
    });
    return this.handler;
  }

  /**
   * The signer of the input rounds' state (HMAC): the key of the `mcp.requestStateKey` option, or one made at the
   * start — for this process, or in distributed mode for the deployment (kept in Redis), so that a round's answers
   * may reach any process.
   */
  private stateCodecOf(sdk: McpSdkV2): RequestStateCodec<InputRoundState> {
    this.stateCodec ??= sdk.createRequestStateCodec<InputRoundState>({
      // Set at bootstrap whenever the MCP server is on, which it is for any request that gets here.
      key: this.stateKey ?? randomBytes(32),
    });
    return this.stateCodec;
  }

  private createServer(sdk: McpSdkV2, request: Request | undefined) {
    const connection = request && this.serving.get(request);
    if (!connection) throw new Error('An MCP 2026-07-28 server was requested outside of a request.');
    const codec = this.stateCodecOf(sdk);
    const server = new sdk.Server(
      { name: this.options.title || 'Gradio App', version: MCP_SERVER_VERSION },
      {
        // A state that fails its signature (tampered, expired, from another deployment) is refused before any
        // handler runs.
        requestState: { verify: codec.verify },
        capabilities: {
          tools: { listChanged: false },
          resources: { listChanged: false },
          prompts: { listChanged: false },
          completions: {},
          // Deprecated by the revision but still part of it; the SDK sends notifications/message only when declared.
          logging: {},
        },
      },
    );
    const methods = this.servers.methods(connection);
    const contextOf = (ctx: ServerContext, round?: InputRound): McpRequestContext => {
      // The SDK lifts the revision's own `_meta` keys (version, client, log level) into the envelope.
      const level = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[LOG_LEVEL_META_KEY];
      if (level === undefined) connection.logLevel.mute();
      else connection.logLevel.set(level);
      return {
        requestId: ctx.mcpReq.id,
        signal: ctx.mcpReq.signal,
        _meta: ctx.mcpReq._meta,
        sendNotification: (notification) => ctx.mcpReq.notify(notification),
        ...(round ? { client: round } : {}),
      };
    };
    /**
     * Runs a method that may ask the client (tools/call, prompts/get, resources/read): with the answers given so far,
     * and, when it asked for more, answered with an input-required result instead of what it returned or threw.
     */
    const asking = async (ctx: ServerContext, run: (context: McpRequestContext) => Promise<unknown>) => {
      const state = ctx.mcpReq.requestState<InputRoundState>();
      const earlier = typeof state === 'object' && state !== null ? state.answers : {};
      const round = new InputRound({ ...earlier, ...ctx.mcpReq.inputResponses }, server.getClientCapabilities());
      let answer: unknown;
      try {
        answer = await run(contextOf(ctx, round));
      } catch (error) {
        if (!round.inputRequired && round.missingCapability === undefined) throw error;
      }
      // The revision's own error for it (-32021, HTTP 400), naming what to declare.
      if (round.missingCapability !== undefined) {
        throw new sdk.MissingRequiredClientCapabilityError(
          { requiredCapabilities: { [round.missingCapability]: {} } },
          mcpCapabilityMissingMessage(round.missingCapability),
        );
      }
      if (!round.inputRequired) return answer;
      return sdk.inputRequired({
        inputRequests: round.needed as never,
        requestState: await codec.mint({ answers: round.used }),
      });
    };
    // The two SDKs' types for the same wire shapes differ in detail (JSON values, schema objects): registered untyped.
    const on = server.setRequestHandler.bind(server) as unknown as (
      method: string,
      handler: (request: { params: never }, ctx: ServerContext) => Promise<unknown>,
    ) => void;
    on('tools/list', () => methods.listTools());
    on('tools/call', (request, ctx) => asking(ctx, (context) => methods.callTool(request.params, context)));
    on('resources/list', () => methods.listResources());
    on('resources/templates/list', () => methods.listResourceTemplates());
    on('resources/read', (request, ctx) => asking(ctx, (context) => methods.readResource(request.params, context)));
    on('prompts/list', () => methods.listPrompts());
    on('prompts/get', (request, ctx) => asking(ctx, (context) => methods.getPrompt(request.params, context)));
    on('completion/complete', (request) => methods.complete(request.params));
    return server;
  }
}

/** The `_meta` key whose presence claims the 2026-07-28 envelope. */
const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
const FIRST_2026_REVISION = '2026-07-28';

/**
 * Whether a POST could be of the 2026 revision: its `MCP-Protocol-Version` header names that revision or a later one,
 * or a message claims the envelope in `_meta`. Anything else is 2025 traffic for the SDK too; asking it costs ~85 µs
 * per POST (it rebuilds and classifies the request), which the 2025 path would otherwise pay on every call.
 */
function mayClaim2026(request: HttpRequest, body: unknown): boolean {
  const header = request.headers['mcp-protocol-version'];
  if (typeof header === 'string' && header >= FIRST_2026_REVISION) return true;
  return (Array.isArray(body) ? body : [body]).some((message) => {
    const params = isJsonObject(message) ? message['params'] : undefined;
    const meta = isJsonObject(params) ? params['_meta'] : undefined;
    return isJsonObject(meta) && PROTOCOL_VERSION_META_KEY in meta;
  });
}
