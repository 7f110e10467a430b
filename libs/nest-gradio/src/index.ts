// The public API of nest-gradio. Everything exported here is public and guarded by index.spec.ts; add with care.
export { GradioModule } from './gradio.module.js';
export type {
  GradioDocsOptions,
  GradioModuleAsyncOptions,
  GradioModuleOptions,
  GradioOptionsFactory,
} from './options/gradio-module-options.interface.js';

export { GRADIO_CONTEXT_TYPE } from './kernel/gradio.constants.js';
export type { GradioContextType } from './kernel/gradio.constants.js';

export { GradioApi } from './decorators/gradio-api.decorator.js';
export { Arg } from './decorators/arg.decorator.js';
export { Ctx } from './decorators/ctx.decorator.js';
export { McpTool } from './decorators/mcp-tool.decorator.js';
export { McpResource } from './decorators/mcp-resource.decorator.js';
export { McpPrompt } from './decorators/mcp-prompt.decorator.js';
export type {
  McpCompleter,
  McpCompletion,
  McpCompletionContext,
  McpPromptOptions,
  McpQueueOptions,
  McpResourceOptions,
  McpToolAnnotations,
  McpToolOptions,
} from './options/mcp-decorator-options.interface.js';
export type { ApiVisibility, ArgOptions, GradioApiOptions } from './options/gradio-api-options.interface.js';

export { Any, Int, dictOf, listOf, literal, nullable, tupleOf, unionOf } from './schema/type-spec.js';
export type { SchemaSpec, TypeSpec } from './schema/type-spec.js';
export type { JsonSchema } from './schema/json-schema.interface.js';

export { currentEvent } from './queue/event-context.js';
export type {
  AlertOptions,
  EventContext,
  GradioRequest,
  McpClientRequests,
  McpCreateMessageParams,
  McpCreateMessageResult,
  McpElicitParams,
  McpElicitResult,
  McpInputAnswers,
  McpInputOptions,
  McpInputRequest,
  McpListRootsResult,
  ProgressOptions,
} from './options/event-context.interface.js';

export { FileData } from './files/file-data.js';
export type { FileContent, FileDataInit } from './files/file-data.js';
export type { DeleteCacheOptions, GradioFileOptions } from './options/file-options.js';
export { GradioAuthGuard } from './auth/gradio-auth.guard.js';
export { GradioPublicRoute } from './decorators/gradio-public.decorator.js';
export type {
  AuthDependency,
  AuthDependencyRequest,
  Credentials,
  GradioAuth,
  GradioAuthOptions,
} from './options/auth-options.js';
export type { GradioCorsOptions } from './options/cors-options.js';
export type { GradioMcpOptions } from './options/mcp-options.js';
export type { McpAuthInfo, McpJwksOptions, McpOAuthOptions } from './options/mcp-oauth-options.js';
export { isMcpStdioRequest, type McpStdioRequest } from './mcp/stdio-request.js';
export { McpStdioServer } from './mcp/stdio.server.js';
export { McpContent, McpPromptMessages } from './mcp/mcp-content.js';
export { McpResourceUpdates } from './mcp/mcp-resource-updates.service.js';
export type { GradioDistributedOptions, GradioRedisConnectionOptions } from './options/distributed-options.js';

export { GradioError } from './kernel/gradio.error.js';
export type { GradioErrorOptions } from './kernel/gradio.error.js';

export { EndpointRegistry } from './discovery/endpoint.registry.js';
export { isMcpListing } from './discovery/listing-check.js';
export { loadPluginMetadata } from './discovery/plugin-metadata.reader.js';
export type { PluginMetadataLoader } from './discovery/plugin-metadata.reader.js';
export type {
  Endpoint,
  EndpointMcpView,
  EndpointOutput,
  EndpointParameter,
  McpCompletionSource,
  McpPromptView,
  McpResourceView,
  McpToolView,
} from './discovery/endpoint.interface.js';

export { setupGradioDocs } from './setup-gradio-docs.js';
export type { EndpointUsage, UsageSummary } from './docs/monitoring/usage-summary.interface.js';

export type {
  GradioMetricsOptions,
  GradioMetricsRegistry,
  GradioObservabilityOptions,
} from './options/observability-options.js';
export { GradioHealthIndicator } from './observability/gradio-health.indicator.js';
export type {
  GradioHealthDetails,
  GradioHealthOptions,
  GradioHealthResult,
} from './observability/gradio-health.indicator.js';

export { launch } from './launch.js';
export type { HttpAdapterChoice, LaunchOptions } from './launch.js';
