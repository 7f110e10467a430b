import { Injectable } from '@nestjs/common';
import { Ctx, type EventContext, GradioError, McpTool } from 'nest-gradio';

/**
 * The conformance suite's tools that ask the client mid-call (sampling, elicitation) through `ctx.request.mcp`
 * (docs/mcp.md#asking-the-client). They need a connection the client's answer can come back on: a session.
 */
@Injectable()
export class ClientRequestsToolsService {
  /**
   * Asks the client's model to answer a prompt.
   * @param prompt The prompt to send to the LLM
   */
  @McpTool()
  async test_sampling(prompt: string, @Ctx() ctx: EventContext): Promise<string> {
    const result = await clientOf(ctx).createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
      maxTokens: 100,
    });
    const content = result.content as { type?: string; text?: string };
    return `LLM response: ${content.type === 'text' ? content.text : JSON.stringify(content)}`;
  }

  /**
   * Asks the user for a name and an email address.
   * @param message The message to show the user
   */
  @McpTool()
  async test_elicitation(message: string, @Ctx() ctx: EventContext): Promise<string> {
    const result = await clientOf(ctx).elicitInput({
      message,
      requestedSchema: {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      },
    });
    return `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
  }

  /** Asks the user for fields of every primitive type, each with a default. */
  @McpTool()
  async test_elicitation_sep1034_defaults(@Ctx() ctx: EventContext): Promise<string> {
    const result = await clientOf(ctx).elicitInput({
      message: 'Please review and update the form fields with defaults',
      requestedSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'User name', default: 'John Doe' },
          age: { type: 'integer', description: 'User age', default: 30 },
          score: { type: 'number', description: 'User score', default: 95.5 },
          status: {
            type: 'string',
            description: 'User status',
            enum: ['active', 'inactive', 'pending'],
            default: 'active',
          },
          verified: { type: 'boolean', description: 'Verification status', default: true },
        },
      },
    });
    return completed(result);
  }

  /** Asks the user to choose from every kind of enum. */
  @McpTool()
  async test_elicitation_sep1330_enums(@Ctx() ctx: EventContext): Promise<string> {
    const result = await clientOf(ctx).elicitInput({
      message: 'Please select options from the enum fields',
      requestedSchema: {
        type: 'object',
        properties: {
          untitledSingle: {
            type: 'string',
            description: 'Select one option',
            enum: ['option1', 'option2', 'option3'],
          },
          titledSingle: {
            type: 'string',
            description: 'Select one option with titles',
            oneOf: [
              { const: 'value1', title: 'First Option' },
              { const: 'value2', title: 'Second Option' },
              { const: 'value3', title: 'Third Option' },
            ],
          },
          legacyEnum: {
            type: 'string',
            description: 'Select one option (legacy)',
            enum: ['opt1', 'opt2', 'opt3'],
            enumNames: ['Option One', 'Option Two', 'Option Three'],
          },
          untitledMulti: {
            type: 'array',
            description: 'Select multiple options',
            minItems: 1,
            maxItems: 3,
            items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          },
          titledMulti: {
            type: 'array',
            description: 'Select multiple options with titles',
            minItems: 1,
            maxItems: 3,
            items: {
              anyOf: [
                { const: 'value1', title: 'First Choice' },
                { const: 'value2', title: 'Second Choice' },
                { const: 'value3', title: 'Third Choice' },
              ],
            },
          },
        },
      },
    });
    return completed(result);
  }
}

function clientOf(ctx: EventContext) {
  const client = ctx.request.mcp;
  if (!client) throw new GradioError('This tool is for MCP clients.');
  return client;
}

function completed(result: { action: string; content?: Record<string, unknown> }): string {
  return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
}
