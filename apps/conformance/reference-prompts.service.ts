import { Injectable } from '@nestjs/common';
import { McpPrompt, McpPromptMessages } from 'nest-gradio';
import { RED_PIXEL_PNG } from './media.js';

/** The prompts the MCP conformance suite gets and completes. */
@Injectable()
export class ReferencePromptsService {
  /** A prompt without arguments. */
  @McpPrompt()
  test_simple_prompt(): string {
    return 'This is a simple prompt for testing.';
  }

  /**
   * A prompt with two arguments.
   * @param arg1 First test argument
   * @param arg2 Second test argument
   */
  @McpPrompt({ complete: { arg1: ['paris', 'park', 'party', 'test'] } })
  test_prompt_with_arguments(arg1: string, arg2: string): string {
    return `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`;
  }

  /**
   * A prompt embedding the resource it is given.
   * @param resourceUri URI of the resource to embed
   */
  @McpPrompt()
  test_prompt_with_embedded_resource(resourceUri: string): McpPromptMessages {
    return new McpPromptMessages(
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
        },
      },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    );
  }

  /** A prompt with an image. */
  @McpPrompt()
  test_prompt_with_image(): McpPromptMessages {
    return new McpPromptMessages(
      { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    );
  }
}
