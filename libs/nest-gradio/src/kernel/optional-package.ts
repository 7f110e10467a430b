/**
 * The optional peers of the package: features whose packages are heavy (the MCP SDK, @nestjs/swagger) load them
 * only when switched on, so an app that does not use a feature need not install its package, and one that switches
 * it on without the package fails at bootstrap with the command that fixes it, not with `ERR_MODULE_NOT_FOUND` at
 * import time.
 */
type McpServerModule = typeof import('@modelcontextprotocol/sdk/server/index.js');
type McpTypesModule = typeof import('@modelcontextprotocol/sdk/types.js');
type McpAjvModule = typeof import('@modelcontextprotocol/sdk/validation/ajv');
type McpWebStandardModule = typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js');
type McpSseModule = typeof import('@modelcontextprotocol/sdk/server/sse.js');
type McpStdioModule = typeof import('@modelcontextprotocol/sdk/server/stdio.js');
export type SwaggerPackage = typeof import('@nestjs/swagger');
/** The MCP SDK v2 server package: the 2026-07-28 (stateless, per-request `_meta`) revision. */
export type McpSdkV2 = typeof import('@modelcontextprotocol/server');
export type FastifyPlatformPackage = typeof import('@nestjs/platform-fastify');

/** What a missing optional package is needed for, and how to install it. */
export interface OptionalPackage {
  /** The package itself, as named in `peerDependencies`. */
  name: string;
  /** The packages to install with it (its own required peers), for package managers that do not add them. */
  with?: string[];
  /** The feature that needs it, as the user switched it on (`GradioModule option mcpServer`). */
  feature: string;
}

/**
 * Imports an optional package. When it (or a package it needs) is not installed, the error names the feature, the
 * missing package and the `npm install` command; any other failure is the package's own and passes through.
 */
export async function importOptional<T>(load: () => Promise<T>, pkg: OptionalPackage): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = missingPackageOf(error);
    if (missing === undefined) throw error;
    const install = [pkg.name, ...(pkg.with ?? [])].join(' ');
    const which = missing === pkg.name ? `the package ${pkg.name}` : `the package ${pkg.name} and its peer ${missing}`;
    // The loader's ERR_MODULE_NOT_FOUND is replaced, not wrapped: printed as a cause, its stack would bury the
    // one line a person needs, what to install.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `${pkg.feature} needs ${which}, which is not installed (an optional peer dependency of nest-gradio). ` +
        `Install it: npm install ${install}`,
    );
  }
}

/** The package a failed import could not find (Node's and Jest's resolver errors), else undefined. */
function missingPackageOf(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const named = /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(String(message));
  return named?.[1];
}

export const MCP_SDK_PACKAGE: Omit<OptionalPackage, 'feature'> = { name: '@modelcontextprotocol/sdk', with: ['zod'] };

/**
 * The parts of the MCP SDK the MCP server uses, bound by {@link loadMcpSdk}. ES module bindings are live, so the
 * modules that import them see the SDK once it is loaded; they only run while the MCP server is on, which cannot
 * happen before the module's bootstrap loaded it.
 */
export let Server: McpServerModule['Server'];
export type Server = InstanceType<McpServerModule['Server']>;
export let ErrorCode: McpTypesModule['ErrorCode'];
export let CallToolRequestSchema: McpTypesModule['CallToolRequestSchema'];
export let CallToolResultSchema: McpTypesModule['CallToolResultSchema'];
export let RELATED_TASK_META_KEY: McpTypesModule['RELATED_TASK_META_KEY'];
export let CompleteRequestSchema: McpTypesModule['CompleteRequestSchema'];
export let GetPromptRequestSchema: McpTypesModule['GetPromptRequestSchema'];
export let ListPromptsRequestSchema: McpTypesModule['ListPromptsRequestSchema'];
export let ListResourcesRequestSchema: McpTypesModule['ListResourcesRequestSchema'];
export let ListResourceTemplatesRequestSchema: McpTypesModule['ListResourceTemplatesRequestSchema'];
export let ListToolsRequestSchema: McpTypesModule['ListToolsRequestSchema'];
export let ReadResourceRequestSchema: McpTypesModule['ReadResourceRequestSchema'];
export let RequestSchema: McpTypesModule['RequestSchema'];
export let SetLevelRequestSchema: McpTypesModule['SetLevelRequestSchema'];
export let SubscribeRequestSchema: McpTypesModule['SubscribeRequestSchema'];
export let UnsubscribeRequestSchema: McpTypesModule['UnsubscribeRequestSchema'];
export let JSONRPCMessageSchema: McpTypesModule['JSONRPCMessageSchema'];
export let isInitializeRequest: McpTypesModule['isInitializeRequest'];
export let SUPPORTED_PROTOCOL_VERSIONS: McpTypesModule['SUPPORTED_PROTOCOL_VERSIONS'];
export let AjvJsonSchemaValidator: McpAjvModule['AjvJsonSchemaValidator'];
export type AjvJsonSchemaValidator = InstanceType<McpAjvModule['AjvJsonSchemaValidator']>;
export let WebStandardStreamableHTTPServerTransport: McpWebStandardModule['WebStandardStreamableHTTPServerTransport'];
export let SSEServerTransport: McpSseModule['SSEServerTransport'];
export let StdioServerTransport: McpStdioModule['StdioServerTransport'];

/** Loads the MCP SDK (once); `feature` says what switched the MCP server on, for the error when it is missing. */
export async function loadMcpSdk(
  feature = 'The MCP server (GradioModule option mcpServer, or GRADIO_MCP_SERVER=true)',
): Promise<void> {
  if (Server !== undefined) return;
  // One after the other: Jest's ESM loader fails on concurrent imports that share a dependency (zod).
  const [server, types, ajv, webStandard, sse, stdio] = await importOptional(
    async () =>
      [
        await import('@modelcontextprotocol/sdk/server/index.js'),
        await import('@modelcontextprotocol/sdk/types.js'),
        await import('@modelcontextprotocol/sdk/validation/ajv'),
        await import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
        await import('@modelcontextprotocol/sdk/server/sse.js'),
        await import('@modelcontextprotocol/sdk/server/stdio.js'),
      ] as const,
    { ...MCP_SDK_PACKAGE, feature },
  );
  ErrorCode = types.ErrorCode;
  CallToolRequestSchema = types.CallToolRequestSchema;
  CallToolResultSchema = types.CallToolResultSchema;
  RELATED_TASK_META_KEY = types.RELATED_TASK_META_KEY;
  CompleteRequestSchema = types.CompleteRequestSchema;
  GetPromptRequestSchema = types.GetPromptRequestSchema;
  ListPromptsRequestSchema = types.ListPromptsRequestSchema;
  ListResourcesRequestSchema = types.ListResourcesRequestSchema;
  ListResourceTemplatesRequestSchema = types.ListResourceTemplatesRequestSchema;
  ListToolsRequestSchema = types.ListToolsRequestSchema;
  ReadResourceRequestSchema = types.ReadResourceRequestSchema;
  RequestSchema = types.RequestSchema;
  SetLevelRequestSchema = types.SetLevelRequestSchema;
  SubscribeRequestSchema = types.SubscribeRequestSchema;
  UnsubscribeRequestSchema = types.UnsubscribeRequestSchema;
  JSONRPCMessageSchema = types.JSONRPCMessageSchema;
  isInitializeRequest = types.isInitializeRequest;
  SUPPORTED_PROTOCOL_VERSIONS = types.SUPPORTED_PROTOCOL_VERSIONS;
  AjvJsonSchemaValidator = ajv.AjvJsonSchemaValidator;
  WebStandardStreamableHTTPServerTransport = webStandard.WebStandardStreamableHTTPServerTransport;
  SSEServerTransport = sse.SSEServerTransport;
  StdioServerTransport = stdio.StdioServerTransport;
  // Last: it marks the SDK as loaded.
  Server = server.Server;
}

/**
 * The MCP SDK v2 server package, for the 2026-07-28 revision (docs/mcp.md#protocol-revisions), or undefined when it is
 * not installed: the 2025 revisions are then the only ones served.
 */
export async function importMcpSdkV2(): Promise<McpSdkV2 | undefined> {
  try {
    return await import('@modelcontextprotocol/server');
  } catch (error) {
    if (missingPackageOf(error) !== undefined) return undefined;
    throw error;
  }
}

/** @nestjs/platform-fastify, for serving the app on Fastify. */
export function importFastifyPlatform(feature: string): Promise<FastifyPlatformPackage> {
  return importOptional(() => import('@nestjs/platform-fastify'), { name: '@nestjs/platform-fastify', feature });
}

/** @fastify/static, which @nestjs/swagger needs to serve the Swagger UI on Fastify. */
export function importFastifyStatic(feature: string): Promise<unknown> {
  return importOptional(() => import('@fastify/static'), { name: '@fastify/static', feature });
}

/** @nestjs/swagger, for the Swagger UI at `/docs`. */
export function importSwagger(feature: string): Promise<SwaggerPackage> {
  return importOptional(() => import('@nestjs/swagger'), { name: '@nestjs/swagger', feature });
}

export type PromClientPackage = typeof import('prom-client');
export type OpenTelemetryApiPackage = typeof import('@opentelemetry/api');

/** prom-client, for the Prometheus metrics. */
export function importPromClient(feature: string): Promise<PromClientPackage> {
  return importOptional(() => import('prom-client'), { name: 'prom-client', feature });
}

/** The OpenTelemetry API, for the traces (a no-op until the app registers an SDK). */
export function importOpenTelemetryApi(feature: string): Promise<OpenTelemetryApiPackage> {
  return importOptional(() => import('@opentelemetry/api'), { name: '@opentelemetry/api', feature });
}
