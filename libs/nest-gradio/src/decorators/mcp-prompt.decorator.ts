import type { McpPromptOptions } from '../options/mcp-decorator-options.interface.js';
import { mcpDecorator } from './mcp-declaration.js';

/**
 * Serves a provider method as an MCP prompt: its parameters are the prompt's arguments and the string it returns
 * becomes the user message of `prompts/get`.
 *
 * @example
 * ```ts
 * @McpPrompt({ description: 'Ask for a code review.' })
 * review(code: string, language = 'TypeScript'): string { return `Review this ${language} code: …`; }
 *
 * // `complete` suggests argument values to clients (`completion/complete`): a list, or a function of the typed text
 * @McpPrompt<DocsService>({ complete: { language: ['Go', 'Python'], topic(value) { return this.topics(value); } } })
 * explain(language: string, topic: string): string { … }
 * ```
 * @publicApi
 */
export function McpPrompt<T = unknown>(options: McpPromptOptions<T> = {}): MethodDecorator {
  // The completion functions' `this` type only serves the author's code; the endpoint calls them on the instance.
  return mcpDecorator({ kind: 'prompt', options: { ...(options as McpPromptOptions) } });
}
