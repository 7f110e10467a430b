import { Injectable } from '@nestjs/common';
import { Ctx, type EventContext, GradioError, type McpElicitParams, McpPrompt, McpTool } from 'nest-gradio';

/**
 * The conformance suite's tools and prompt that need the client's input first, written as any method asking its
 * client (docs/mcp.md#asking-the-client). On the 2026-07-28 revision each question ends the call with an
 * input-required result, and the method runs again with the answers.
 */
@Injectable()
export class InputRequiredService {
  /** Greets the user by the name it asks for. */
  @McpTool()
  async test_input_required_result_elicitation(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).elicitInput(form('What is your name?', 'name'), { key: 'user_name' });
    return `Hello, ${String(answer.content?.['name'] ?? 'stranger')}!`;
  }

  /** Asks the client's model a question. */
  @McpTool()
  async test_input_required_result_sampling(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).createMessage(
      {
        messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
        maxTokens: 100,
      },
      { key: 'capital_question' },
    );
    return `The model says: ${textOf(answer.content)}`;
  }

  /** Lists the client's roots. */
  @McpTool()
  async test_input_required_result_list_roots(@Ctx() ctx: EventContext): Promise<string> {
    const { roots } = await clientOf(ctx).listRoots({ key: 'client_roots' });
    return `Roots: ${roots.map((root) => root.uri).join(', ') || 'none'}`;
  }

  /** Asks for a confirmation; the answer comes back with the signed state of the round. */
  @McpTool()
  async test_input_required_result_request_state(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).elicitInput(
      {
        message: 'Please confirm',
        requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
      { key: 'confirm' },
    );
    return `state-ok: confirmed=${String(answer.content?.['ok'])}`;
  }

  /** Two questions, one round each: the second is asked once the first is answered. */
  @McpTool()
  async test_input_required_result_multi_round(@Ctx() ctx: EventContext): Promise<string> {
    const client = clientOf(ctx);
    const name = await client.elicitInput(form('Step 1: What is your name?', 'name'), { key: 'step1' });
    const color = await client.elicitInput(form('Step 2: What is your favorite color?', 'color'), { key: 'step2' });
    return `${String(name.content?.['name'])} likes ${String(color.content?.['color'])}.`;
  }

  /** Three questions of three kinds in one round. */
  @McpTool()
  async test_input_required_result_multiple_inputs(@Ctx() ctx: EventContext): Promise<string> {
    const answers = await clientOf(ctx).ask({
      user_name: { method: 'elicitation/create', params: form('What is your name?', 'name') },
      greeting: {
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 },
      },
      client_roots: { method: 'roots/list' },
    });
    return `${textOf(answers.greeting.content)} ${String(answers.user_name.content?.['name'])} (${answers.client_roots.roots.length} roots)`;
  }

  /** Asks for a confirmation; a changed state is refused before the method runs again. */
  @McpTool()
  async test_input_required_result_tampered_state(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).elicitInput(
      { message: 'Continue?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      { key: 'confirm' },
    );
    return `Continued: ${String(answer.content?.['ok'])}`;
  }

  /** Asks only for what the client declared it can answer. */
  @McpTool()
  async test_input_required_result_capabilities(@Ctx() ctx: EventContext): Promise<string> {
    const client = clientOf(ctx);
    const capabilities = client.capabilities ?? {};
    if (capabilities['elicitation'] !== undefined) {
      const answer = await client.elicitInput(form('What is your name?', 'name'), { key: 'user_name' });
      return `Hello, ${String(answer.content?.['name'])}!`;
    }
    if (capabilities['sampling'] !== undefined) {
      const answer = await client.createMessage(
        { messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }], maxTokens: 20 },
        { key: 'hello' },
      );
      return textOf(answer.content);
    }
    return 'The client can be asked nothing.';
  }

  /** Needs the client's model: refused (-32021) when the client did not declare sampling. */
  @McpTool()
  async test_missing_capability(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
      maxTokens: 20,
    });
    return textOf(answer.content);
  }

  /** A prompt built around the context the user gives. */
  @McpPrompt()
  async test_input_required_result_prompt(@Ctx() ctx: EventContext): Promise<string> {
    const answer = await clientOf(ctx).elicitInput(form('What context should the prompt use?', 'context'), {
      key: 'user_context',
    });
    return `Answer with this context in mind: ${String(answer.content?.['context'])}`;
  }
}

function clientOf(ctx: EventContext) {
  const client = ctx.request.mcp;
  if (!client) throw new GradioError('This method is for MCP clients.');
  return client;
}

/** A form asking for one required text field. */
function form(message: string, field: string): McpElicitParams {
  return {
    message,
    requestedSchema: { type: 'object', properties: { [field]: { type: 'string' } }, required: [field] },
  };
}

function textOf(content: unknown): string {
  const block = content as { type?: string; text?: string };
  return block.type === 'text' && typeof block.text === 'string' ? block.text : JSON.stringify(content);
}
