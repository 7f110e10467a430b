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
 * ```
 * @publicApi
 */
export function McpPrompt(options: McpPromptOptions = {}): MethodDecorator {
  return mcpDecorator({ kind: 'prompt', options: { ...options } });
}
