import type { McpResourceOptions } from '../options/mcp-decorator-options.interface.js';
import { mcpDecorator } from './mcp-declaration.js';

/**
 * Serves a provider method as an MCP resource. A URI without `{variables}` is a fixed resource (`resources/list`);
 * with variables it is a template (`resources/templates/list`) whose variables are passed to the parameters of the
 * same names. The method returns the resource's content.
 *
 * @example
 * ```ts
 * // `complete` suggests values of the variables to clients (`completion/complete`)
 * @McpResource('docs://guides/{topic}', { mimeType: 'text/markdown', complete: { topic: ['install', 'deploy'] } })
 * guide(topic: string): string { … }
 * ```
 * @publicApi
 */
export function McpResource<T = unknown>(uriTemplate: string, options: McpResourceOptions<T> = {}): MethodDecorator {
  // The completion functions' `this` type only serves the author's code; the endpoint calls them on the instance.
  return mcpDecorator({ kind: 'resource', uriTemplate, options: { ...(options as McpResourceOptions) } });
}
