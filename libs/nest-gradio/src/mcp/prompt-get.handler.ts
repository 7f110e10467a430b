import { Injectable } from '@nestjs/common';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '../kernel/optional-package.js';
import { fromStringArgument, positionalArguments } from './mcp-arguments.js';
import { CallNotificationBridge, type McpRequestContext } from './call-notifications.bridge.js';
import { McpCallRunner } from './mcp-call.runner.js';
import { McpCatalog } from './mcp-catalog.service.js';
import type { McpConnection } from './mcp-connection.js';
import { withMcpClient } from './mcp-client-requests.js';
import { protocolErrorOf, rpcError, textOf } from './mcp-results.js';
import { isMcpPromptMessages } from './mcp-content.js';

/**
 * `prompts/get` (docs/mcp.md#resources-and-prompts): runs the prompt's method through the queue with the (string) arguments converted
 * to the parameters' types, and returns what it returned as one user message. Unlike Gradio, an unknown name is an
 * error rather than the last prompt.
 */
@Injectable()
export class PromptGetHandler {
  constructor(
    private readonly catalog: McpCatalog,
    private readonly runner: McpCallRunner,
  ) {}

  async get(
    name: string,
    args: Record<string, string> | undefined,
    context: McpRequestContext,
    connection: McpConnection,
  ): Promise<GetPromptResult> {
    const prompt = this.catalog.prompt(name, connection.selection);
    if (!prompt) throw rpcError(ErrorCode.InvalidParams, `Unknown prompt: "${name}".`);
    const { parameters } = prompt.endpoint;
    const typed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args ?? {})) {
      const parameter = parameters.find((candidate) => candidate.name === key);
      typed[key] = parameter && typeof value === 'string' ? fromStringArgument(parameter, value) : value;
    }
    const positional = positionalArguments(parameters, typed);
    if (positional.problem !== undefined)
      throw rpcError(ErrorCode.InvalidParams, `Prompt "${name}": ${positional.problem}`);
    const notifications = new CallNotificationBridge(context, {
      progressToken: context._meta?.progressToken,
      logger: prompt.view.name,
      logLevel: connection.logLevel,
    });
    const outcome = await this.runner.run({
      endpoint: prompt.endpoint,
      data: positional.data,
      request: withMcpClient(connection.request(), context.client),
      signal: context.signal,
      onMessage: notifications.forward,
    });
    await notifications.flushed();
    if (outcome.kind === 'failure') throw protocolErrorOf(outcome);
    if (outcome.kind === 'cancelled') throw rpcError(ErrorCode.ConnectionClosed, 'Cancelled.');
    const value = outcome.data[0];
    return {
      ...(prompt.view.description ? { description: prompt.view.description } : {}),
      messages: isMcpPromptMessages(value)
        ? value.messages
        : [{ role: 'user', content: { type: 'text', text: textOf(value) } }],
    };
  }
}
