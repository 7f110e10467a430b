import 'reflect-metadata';
import type {
  McpPromptOptions,
  McpResourceOptions,
  McpToolOptions,
} from '../options/mcp-decorator-options.interface.js';
import { GRADIO_MCP_METADATA } from '../kernel/gradio.constants.js';
import { classNameOf } from '../kernel/class-name.js';

/** What an MCP decorator recorded on a method; one per method. */
export type McpDeclaration =
  | { kind: 'tool'; options: McpToolOptions }
  | { kind: 'resource'; uriTemplate: string; options: McpResourceOptions }
  | { kind: 'prompt'; options: McpPromptOptions };

export const MCP_DECORATOR_NAMES: Record<McpDeclaration['kind'], string> = {
  tool: '@McpTool()',
  resource: '@McpResource()',
  prompt: '@McpPrompt()',
};

/** A method decorator recording `declaration`; a method serves MCP in one role only. */
export function mcpDecorator(declaration: McpDeclaration): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const method = descriptor.value as object | undefined;
    const owner = classNameOf(target);
    if (typeof method !== 'function') {
      throw new Error(
        `${MCP_DECORATOR_NAMES[declaration.kind]} applies to methods; ${owner}.${String(propertyKey)} is not one.`,
      );
    }
    const existing = Reflect.getOwnMetadata(GRADIO_MCP_METADATA, method) as McpDeclaration | undefined;
    if (existing) {
      const both = `${MCP_DECORATOR_NAMES[existing.kind]} and ${MCP_DECORATOR_NAMES[declaration.kind]}`;
      throw new Error(
        `${owner}.${String(propertyKey)} has both ${both}; a method is one MCP tool, resource or prompt.`,
      );
    }
    Reflect.defineMetadata(GRADIO_MCP_METADATA, declaration, method);
    return descriptor;
  };
}
