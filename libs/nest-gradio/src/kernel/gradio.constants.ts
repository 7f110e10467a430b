/** Metadata keys written by the decorators and read at bootstrap by `GradioMetadataAccessor`. */
export const GRADIO_API_METADATA = 'nest-gradio:api';
export const GRADIO_PARAMS_METADATA = 'nest-gradio:params';
/** Written by `@McpTool`, `@McpResource` and `@McpPrompt`. */
export const GRADIO_MCP_METADATA = 'nest-gradio:mcp';
/** Written by `@GradioPublicRoute()` on a route or a controller. */
export const GRADIO_PUBLIC_ROUTE_METADATA = 'nest-gradio:public-route';
/**
 * Static method the compiler plugin (`nest-gradio/plugin`) adds to a class with decorated methods. It returns, per
 * method, what the TypeScript types and JSDoc say; the endpoint factory reads it where run-time metadata falls short.
 */
export const GRADIO_PLUGIN_METADATA_FACTORY = '_GRADIO_METADATA_FACTORY';

/** DI token of the resolved module options. */
export const GRADIO_MODULE_OPTIONS = Symbol('GRADIO_MODULE_OPTIONS');

/** The Gradio release whose wire protocol we speak; clients read it from `/config.version` to pick features. */
export const GRADIO_COMPATIBLE_VERSION = '6.25.0';

/** All API routes live under this prefix (published as `config.api_prefix`). `/config` itself does not. */
export const API_PREFIX = '/gradio_api';

export const DEFAULT_PORT = 7860;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * What `ExecutionContext.getType()` answers in a guard, interceptor, pipe or filter that runs for a Gradio or MCP call
 * (HTTP guards keep working: `switchToHttp().getRequest()` is the request that made the call).
 */
export const GRADIO_CONTEXT_TYPE = 'gradio';
export type GradioContextType = typeof GRADIO_CONTEXT_TYPE;
