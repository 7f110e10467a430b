/** Metadata key written by `@McpTool`, `@McpResource` and `@McpPrompt`, read at bootstrap by the endpoint explorer. */
export const GRADIO_MCP_METADATA = 'nest-gradio:mcp';

/** Where the MCP server lives, under the app root (reference A2). */
export const MCP_PATH = 'gradio_api/mcp';

/** Reported as `serverInfo.version`. */
export const MCP_SERVER_VERSION = '0.1.0';
