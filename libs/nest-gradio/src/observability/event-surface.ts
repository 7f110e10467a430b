import type { GradioRequest } from '../options/event-context.interface.js';
import { MCP_PATH } from '../mcp/mcp.constants.js';

/** Which surface submitted an event: an MCP tool call, or the Gradio API (its clients, curl, the page). */
export type EventSurface = 'mcp' | 'api';

const MCP_ROUTE = `/${MCP_PATH}`;

export function surfaceOf(request: GradioRequest): EventSurface {
  return typeof request.url === 'string' && request.url.includes(MCP_ROUTE) ? 'mcp' : 'api';
}
