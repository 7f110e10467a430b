import type { McpToolOptions } from '../options/mcp-decorator-options.interface.js';
import { mcpDecorator } from './mcp-declaration.js';

/**
 * Serves a provider method as an MCP tool (with `GradioModule.forRoot({ mcpServer: true })`). Stack it with
 * `@GradioApi()` to serve the same method to Gradio's clients too, or use it alone for an MCP-only tool; either way
 * calls go through the queue. The input schema comes from the method's parameters, as in `/gradio_api/info`.
 *
 * @example
 * ```ts
 * @McpTool()
 * @GradioApi({ name: 'add', description: 'Add two numbers together.' })
 * add(a: Int, b: Int): Int { return a + b; }
 * ```
 * @publicApi
 */
export function McpTool(options: McpToolOptions = {}): MethodDecorator {
  return mcpDecorator({ kind: 'tool', options: { ...options } });
}
