import { Injectable } from '@nestjs/common';
import { EndpointRegistry, GradioError, Int, McpPrompt, McpResource, McpTool } from 'nest-gradio';

/** The languages `review_code` suggests for its `language` argument. */
const REVIEW_LANGUAGES = ['TypeScript', 'JavaScript', 'Python', 'Go', 'Rust', 'Java', 'C#', 'C++', 'C', 'Ruby'];

/**
 * What the showcase offers MCP clients only (none of it is a Gradio API endpoint): a tool, a fixed resource, a
 * resource template and a prompt with arguments, whose values clients can complete.
 */
@Injectable()
export class AssistantService {
  constructor(private readonly registry: EndpointRegistry) {}

  /** @param text The text whose words to count. */
  @McpTool({
    name: 'word_count',
    description: 'Count the words in a text.',
    annotations: { readOnlyHint: true, openWorldHint: false },
  })
  wordCount(text: string): Int {
    return text.split(/\s+/).filter((word) => word.length > 0).length;
  }

  @McpResource('showcase://about', { description: 'What this app is.', mimeType: 'text/markdown' })
  about(): string {
    const names = this.registry.all().map((endpoint) => `\`${endpoint.apiName}\``);
    return `# nest-gradio showcase\n\nA NestJS app serving Gradio's protocol. API endpoints: ${names.join(', ')}.\n`;
  }

  @McpResource<AssistantService>('showcase://endpoints/{name}', {
    description: 'The parameters of one API endpoint, as JSON.',
    mimeType: 'application/json',
    // Clients suggest the endpoints whose names start with what was typed (`completion/complete`).
    complete: {
      name(typed) {
        return this.registry
          .all()
          .map((endpoint) => endpoint.apiName)
          .filter((name) => name.startsWith(typed));
      },
    },
  })
  endpoint(name: string): Record<string, unknown> {
    const endpoint = this.registry.getByName(name);
    if (!endpoint) throw new GradioError(`There is no endpoint named ${name}.`);
    return {
      name: endpoint.apiName,
      description: endpoint.description,
      parameters: endpoint.parameters.map((parameter) => ({ name: parameter.name, schema: parameter.schema })),
    };
  }

  /**
   * @param code The code to review.
   * @param language Its programming language.
   */
  @McpPrompt({
    name: 'review_code',
    description: 'Ask for a review of a piece of code.',
    complete: { language: REVIEW_LANGUAGES },
  })
  reviewCode(code: string, language: string = 'TypeScript'): string {
    return `Please review this ${language} code and point out bugs and unclear parts:\n\n${code}`;
  }
}
