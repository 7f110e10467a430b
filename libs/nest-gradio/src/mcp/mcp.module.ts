import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { loadMcpSdk } from '../kernel/optional-package.js';
import { GradioRoutesEnd, GradioRoutesStart } from '../http/route-precedence.js';
import { QueueModule } from '../queue/queue.module.js';
import { FilesModule } from '../files/files.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { BearerAuthMiddleware, FastifyRequestAuth } from './bearer-auth.middleware.js';
import { McpCallAdmission } from './call-admission.js';
import { McpCallRunner } from './mcp-call.runner.js';
import { McpCatalog } from './mcp-catalog.service.js';
import { McpFiles } from './mcp-files.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { OAuthDiscoveryController } from './oauth-discovery.controller.js';
import { PromptGetHandler } from './prompt-get.handler.js';
import { ResourceReadHandler } from './resource-read.handler.js';
import { SchemaController } from './schema.controller.js';
import { SseSessions } from './sse-sessions.js';
import { SseController } from './sse.controller.js';
import { McpStdioServer } from './stdio.server.js';
import { StatelessCancellations } from './stateless-cancellations.js';
import { SharedCancellations } from './shared-cancellations.js';
import { StreamableHttpController } from './streamable-http.controller.js';
import { StatelessToolCalls } from './stateless-tool-call.js';
import { ToolCallHandler } from './tool-call.handler.js';
import { CompletionHandler } from './completion.handler.js';
import { Revision2026Service } from './revision-2026.service.js';
import { StatefulSessions } from './stateful-sessions.service.js';
import { McpResourceUpdates } from './mcp-resource-updates.service.js';
import { MethodNotAllowed } from '../http/method-not-allowed.js';

const MCP_SDK_LOADED = Symbol('MCP_SDK_LOADED');

/**
 * The MCP server (docs/mcp.md): the endpoints' MCP tools, resources and prompts over streamable HTTP and legacy
 * SSE under `/gradio_api/mcp`, or over stdio when launched so. Its routes answer only with `mcpServer` on.
 */
@Module({
  imports: [QueueModule, FilesModule, AuthModule],
  controllers: [
    GradioRoutesStart,
    SchemaController,
    SseController,
    StreamableHttpController,
    OAuthDiscoveryController,
    GradioRoutesEnd,
  ],
  providers: [
    // The SDK is an optional peer: loaded at bootstrap when the server is on, so that a missing one fails there.
    {
      provide: MCP_SDK_LOADED,
      useFactory: (options: ResolvedGradioOptions) => (options.mcpServer ? loadMcpSdk() : undefined),
      inject: [GRADIO_MODULE_OPTIONS],
    },
    McpCatalog,
    McpCallAdmission,
    McpCallRunner,
    McpFiles,
    ToolCallHandler,
    StatelessToolCalls,
    CompletionHandler,
    ResourceReadHandler,
    PromptGetHandler,
    McpServerFactory,
    SseSessions,
    StatelessCancellations,
    SharedCancellations,
    Revision2026Service,
    StatefulSessions,
    McpResourceUpdates,
    McpStdioServer,
    FastifyRequestAuth,
    MethodNotAllowed,
  ],
  exports: [McpCatalog, McpStdioServer, McpResourceUpdates],
})
export class McpModule implements NestModule {
  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  /**
   * OAuth runs as middleware so that `request.auth` is set before any guard, the application's global ones too.
   * Registered only when configured: the registration covers the nine MCP routes one by one, and every request the
   * application serves, MCP or not, is matched against each of them.
   */
  configure(consumer: MiddlewareConsumer): void {
    if (!this.options.mcpServer || !this.options.mcp.oauth) return;
    consumer.apply(BearerAuthMiddleware).forRoutes(StreamableHttpController, SseController, SchemaController);
  }
}
