import type { ContentBlock, PromptMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * What a tool returns when it wants to choose its MCP content itself (text, image, audio, embedded resources…)
 * instead of nest-gradio's one item per output. The content goes to MCP clients as given; Gradio's HTTP clients get
 * the object as JSON. Tagged plain data (no prototype needed) so that it survives the queue's serialization in
 * distributed mode.
 *
 * @example
 * ```ts
 * @McpTool()
 * chart(): McpContent { return new McpContent({ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }); }
 * ```
 * @publicApi
 */
export class McpContent {
  readonly kind = 'mcp-content';
  readonly content: ContentBlock[];

  constructor(...content: ContentBlock[]) {
    this.content = content;
  }
}

/**
 * What a prompt returns when it wants several messages or non-text content (images, embedded resources) instead of
 * one user message holding its text.
 *
 * @publicApi
 */
export class McpPromptMessages {
  readonly kind = 'mcp-prompt-messages';
  readonly messages: PromptMessage[];

  constructor(...messages: PromptMessage[]) {
    this.messages = messages;
  }
}

export function isMcpContent(value: unknown): value is McpContent {
  return isTagged(value, 'mcp-content') && Array.isArray((value as { content?: unknown }).content);
}

export function isMcpPromptMessages(value: unknown): value is McpPromptMessages {
  return isTagged(value, 'mcp-prompt-messages') && Array.isArray((value as { messages?: unknown }).messages);
}

function isTagged(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}
