import { Inject, Injectable } from '@nestjs/common';
import {
  AjvJsonSchemaValidator,
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  RequestSchema,
  Server,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '../kernel/optional-package.js';
import { McpResourceUpdates } from './mcp-resource-updates.service.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { McpCatalog } from './mcp-catalog.service.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { permittedEntries } from './mcp-authorization.js';
import type { McpConnection } from './mcp-connection.js';
import { MCP_SERVER_VERSION } from './mcp.constants.js';
import { rpcError } from './mcp-results.js';
import { PromptGetHandler } from './prompt-get.handler.js';
import { CompletionHandler } from './completion.handler.js';
import { ResourceReadHandler } from './resource-read.handler.js';
import { ToolCallHandler } from './tool-call.handler.js';
import { mcpClientRequests } from './mcp-client-requests.js';
import type { McpRequestContext } from './call-notifications.bridge.js';
import type { CallToolRequest, CompleteRequest, GetPromptRequest } from '@modelcontextprotocol/sdk/types.js';

/** `logging/setLevel` with any params, so that our handler can say what is wrong with a level. */
function lenientSetLevelRequest() {
  return RequestSchema.extend({ method: SetLevelRequestSchema.shape.method });
}

/**
 * Builds the SDK's low-level `Server` for one connection (docs/mcp.md#sdk-use): the tool schemas are JSON Schema built at
 * bootstrap, which the high-level `McpServer` cannot take. Stateless HTTP makes one per POST, so a server must be
 * cheap: each would otherwise build its own Ajv instance (the largest share of an MCP call's CPU in the profile),
 * and all of them share one here. It only validates elicitation answers, which our servers never request.
 */
@Injectable()
export class McpServerFactory {
  // Made on first use: the SDK is loaded at bootstrap only when the MCP server is on.
  private validator?: AjvJsonSchemaValidator;
  private setLevelRequest?: ReturnType<typeof lenientSetLevelRequest>;

  constructor(
    private readonly catalog: McpCatalog,
    private readonly tools: ToolCallHandler,
    private readonly resources: ResourceReadHandler,
    private readonly prompts: PromptGetHandler,
    private readonly completions: CompletionHandler,
    private readonly updates: McpResourceUpdates,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /**
   * `only`: the methods the server will be asked (a stateless POST's, known before its server exists); the handlers
   * of other methods are not registered. Each registration inspects its schema, and a POST asks one method, usually.
   */
  create(connection: McpConnection, only?: ReadonlySet<string>): Server {
    const server = new Server(
      // Gradio reports the app's title (docs/mcp.md#enabling).
      { name: this.options.title || 'Gradio App', version: MCP_SERVER_VERSION },
      {
        capabilities: {
          tools: { listChanged: false },
          // Subscriptions need a session to notify (docs/mcp.md#resource-subscriptions).
          resources: { subscribe: connection.answersServerRequests, listChanged: false },
          prompts: { listChanged: false },
          logging: {},
          completions: {},
        },
        jsonSchemaValidator: (this.validator ??= new AjvJsonSchemaValidator()),
      },
    );
    const handle = (method: string, register: () => void): void => {
      if (only === undefined || only.has(method)) register();
    };
    // Replaces the SDK's own handler, which answers an unknown level with a schema dump as an internal error, and
    // keeps the level per connection (docs/mcp.md#logging).
    handle('logging/setLevel', () =>
      server.setRequestHandler((this.setLevelRequest ??= lenientSetLevelRequest()), (request) => {
        const problem = connection.logLevel.set(request.params?.['level']);
        if (problem !== undefined) throw rpcError(ErrorCode.InvalidParams, problem);
        return {};
      }),
    );
    if (connection.answersServerRequests) {
      const subscriptions = this.updates.track(server);
      server.setRequestHandler(SubscribeRequestSchema, (request) => {
        subscriptions.add(request.params.uri);
        return {};
      });
      server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
        subscriptions.delete(request.params.uri);
        return {};
      });
    }
    const methods = this.methods(connection);
    // On a session each message comes in an HTTP request of its own: a handler sees the one that carried its
    // message (its headers, its user), looked up once as it starts.
    const methodsFor = (extra: { requestId: string | number }) => {
      const own = connection.forRequest(extra.requestId);
      return own === connection ? methods : this.methods(own);
    };
    // Handlers may ask the client (sampling, elicitation) through requests related to the one they answer.
    const asking = <T extends { requestId: string | number }>(extra: T) => ({
      ...extra,
      client: mcpClientRequests(server, extra.requestId, connection),
    });
    handle('tools/list', () =>
      server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => methodsFor(extra).listTools()),
    );
    handle('tools/call', () =>
      server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
        methodsFor(extra).callTool(request.params, asking(extra)),
      ),
    );
    handle('resources/list', () =>
      server.setRequestHandler(ListResourcesRequestSchema, (_request, extra) => methodsFor(extra).listResources()),
    );
    handle('resources/templates/list', () =>
      server.setRequestHandler(ListResourceTemplatesRequestSchema, (_request, extra) =>
        methodsFor(extra).listResourceTemplates(),
      ),
    );
    handle('resources/read', () =>
      server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
        methodsFor(extra).readResource(request.params, asking(extra)),
      ),
    );
    handle('prompts/list', () =>
      server.setRequestHandler(ListPromptsRequestSchema, (_request, extra) => methodsFor(extra).listPrompts()),
    );
    handle('prompts/get', () =>
      server.setRequestHandler(GetPromptRequestSchema, (request, extra) =>
        methodsFor(extra).getPrompt(request.params, asking(extra)),
      ),
    );
    handle('completion/complete', () =>
      server.setRequestHandler(CompleteRequestSchema, (request, extra) => methodsFor(extra).complete(request.params)),
    );
    return server;
  }

  /**
   * The MCP methods both protocol eras answer alike, for one connection: the SDK v1 server of the 2025 revisions and
   * the SDK v2 server of 2026-07-28 register these same functions.
   */
  methods(connection: McpConnection) {
    const { selection } = connection;
    // Listings leave out what the caller's guards would refuse to run.
    const permitted = <T extends { endpoint: Endpoint }>(entries: T[]): Promise<T[]> =>
      permittedEntries(entries, connection.request());
    return {
      listTools: async () => ({
        tools: (await permitted(this.catalog.tools(selection))).map((tool) => tool.definition),
      }),
      callTool: (params: CallToolRequest['params'], context: McpRequestContext) =>
        this.tools.call(params, context, connection),
      listResources: async () => ({
        resources: this.catalog.resourceDefinitions(await permitted(this.catalog.resources(selection))),
      }),
      listResourceTemplates: async () => ({
        resourceTemplates: this.catalog.templateDefinitions(await permitted(this.catalog.resources(selection))),
      }),
      readResource: (params: { uri: string }, context: McpRequestContext) =>
        this.resources.read(params.uri, context, connection),
      listPrompts: async () => ({
        prompts: (await permitted(this.catalog.prompts(selection))).map((prompt) => prompt.definition),
      }),
      getPrompt: (params: GetPromptRequest['params'], context: McpRequestContext) =>
        this.prompts.get(params.name, params.arguments, context, connection),
      complete: (params: CompleteRequest['params']) => this.completions.complete(params, connection),
    };
  }
}
