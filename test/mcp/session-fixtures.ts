// Providers the MCP session tests share: a tool that asks its client, and a resource whose subscribers are told
// when it changes.
import { Injectable } from '@nestjs/common';
import { Ctx, type EventContext, McpResource, McpResourceUpdates, McpTool } from 'nest-gradio';

@Injectable()
export class Notes {
  constructor(private readonly updates: McpResourceUpdates) {}

  /** A note. */
  @McpResource('notes://{topic}')
  note(topic: string): string {
    return `About ${topic}.`;
  }

  /** Changes a note: its subscribers are told, wherever their session is. */
  @McpTool()
  async touch(topic: string): Promise<string> {
    await this.updates.resourceUpdated(`notes://${topic}`);
    return 'touched';
  }
}

@Injectable()
export class Greeter {
  /** Asks the user for their name. */
  @McpTool()
  async greet(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await ctx.request.mcp?.elicitInput({
      message: 'Who are you?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    return answer?.action === 'accept' ? `Hello, ${String(answer.content?.['name'])}!` : 'Hello, stranger.';
  }
}
