/** Where the MCP server lives, under the app root (docs/mcp.md#routes). */
export const MCP_PATH = 'gradio_api/mcp';

/** Reported as `serverInfo.version`. */
export const MCP_SERVER_VERSION = '0.1.0';
