import type { McpResourceOptions } from '../options/mcp-decorator-options.interface.js';
import { mcpDecorator } from './mcp-declaration.js';

/**
 * Serves a provider method as an MCP resource. A URI without `{variables}` is a fixed resource (`resources/list`);
 * with variables it is a template (`resources/templates/list`) whose variables are passed to the parameters of the
 * same names. The method returns the resource's content.
 *
 * @example
 * ```ts
 * @McpResource('docs://guides/{topic}', { mimeType: 'text/markdown' })
 * guide(topic: string): string { … }
 * ```
 * @publicApi
 */
export function McpResource(uriTemplate: string, options: McpResourceOptions = {}): MethodDecorator {
  return mcpDecorator({ kind: 'resource', uriTemplate, options: { ...options } });
}
