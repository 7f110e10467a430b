import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { McpCatalog, type CatalogTool } from './mcp-catalog.service.js';
import { positionalArguments } from './mcp-arguments.js';
import { McpCallRunner } from './mcp-call.runner.js';
import type { McpConnection } from './mcp-connection.js';
import { withMcpClient } from './mcp-client-requests.js';
import { McpFiles } from './mcp-files.js';
import { errorResult, failureText, HIDDEN_ERROR_TEXT } from './mcp-results.js';
import { CallNotificationBridge, type McpRequestContext } from './call-notifications.bridge.js';
import { structuredContentOf } from './tool-schema.js';
import { isMcpContent } from './mcp-content.js';

const logger = new Logger('GradioMcp');

/**
 * `tools/call` (docs/mcp.md#tool-calls): checks the arguments' names, runs the endpoint through the queue (bridging
 * progress when the client sent a progress token, and alerts as log messages), and maps the outputs to one content
 * item each plus `structuredContent`.
 * Every failure is an `isError` result with the user-facing message, never a protocol error.
 */
@Injectable()
export class ToolCallHandler {
  constructor(
    private readonly catalog: McpCatalog,
    private readonly runner: McpCallRunner,
    private readonly files: McpFiles,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  async call(
    params: CallToolRequest['params'],
    context: McpRequestContext,
    connection: McpConnection,
  ): Promise<CallToolResult> {
    const tool = this.catalog.tool(params.name, connection.selection);
    if (!tool) {
      const known = this.catalog.tools(connection.selection).map((candidate) => candidate.view.name);
      return errorResult(`Unknown tool: "${params.name}". Available tools: ${known.join(', ') || 'none'}.`);
    }
    const meta = tool.view.meta;
    const args = positionalArguments(tool.endpoint.parameters, params.arguments);
    if (args.problem !== undefined) return errorResult(`Input validation error: ${args.problem}`, meta);
    let data: unknown[];
    try {
      data = await this.files.prepareArguments(tool.endpoint.parameters, args.data);
    } catch (error) {
      return errorResult(`Input validation error: ${(error as Error).message}`, meta);
    }
    const notifications = new CallNotificationBridge(context, {
      progressToken: params._meta?.progressToken,
      logger: tool.view.name,
      logLevel: connection.logLevel,
    });
    const outcome = await this.runner.run({
      endpoint: tool.endpoint,
      data,
      request: withMcpClient(connection.request(), context.client),
      requestId: context.requestId,
      signal: context.signal,
      onMessage: notifications.forward,
    });
    await notifications.flushed();
    switch (outcome.kind) {
      case 'success':
        return this.successResult(tool, outcome.data);
      case 'failure':
        return errorResult(failureText(outcome), meta);
      case 'cancelled':
        // The SDK sends nothing for a cancelled request; this only ends the handler.
        return errorResult('Cancelled.', meta);
    }
  }

  private async successResult(tool: CatalogTool, data: unknown[]): Promise<CallToolResult> {
    // The method chose its content itself (docs/mcp.md#tool-calls).
    if (data.length === 1 && isMcpContent(data[0])) {
      return { content: data[0].content, ...(tool.view.meta ? { _meta: tool.view.meta } : {}) };
    }
    const contents = await Promise.all(data.map((value) => this.files.contentOf(value)));
    const result: CallToolResult = { content: contents.flat() };
    if (tool.structured) {
      const structured = structuredContentOf(tool.structured, data);
      const problem = tool.checkStructured?.(structured, 'the result');
      if (problem !== undefined) {
        // The client would reject the result anyway; say why, like any unexpected error.
        logger.error(
          `MCP tool ${tool.view.name} returned a value that does not match its declared output type: ${problem}.`,
        );
        const text = this.options.showError
          ? `The tool's result does not match its output type: ${problem}.`
          : HIDDEN_ERROR_TEXT;
        return errorResult(text, tool.view.meta);
      }
      result.structuredContent = structured;
    }
    if (tool.view.meta) result._meta = tool.view.meta;
    return result;
  }
}
