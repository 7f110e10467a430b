import { Arg } from '../decorators/arg.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { McpPrompt } from '../decorators/mcp-prompt.decorator.js';
import { McpResource } from '../decorators/mcp-resource.decorator.js';
import { McpTool } from '../decorators/mcp-tool.decorator.js';
import type { McpToolOptions } from '../options/mcp-decorator-options.interface.js';
import { Int } from '../schema/type-spec.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import { createEndpoint } from './endpoint.factory.js';
import { GradioMetadataAccessor } from './gradio-metadata.accessor.js';
import type { McpNamesTaken } from './mcp-view.factory.js';

const NONE_TAKEN: McpNamesTaken = { tools: new Set(), prompts: new Set(), uriTemplates: new Set() };

function endpointOf(instance: object, methodName: string, taken: McpNamesTaken = NONE_TAKEN, warnings: string[] = []) {
  const method = (instance as Record<string, object>)[methodName];
  const metadata = new GradioMetadataAccessor();
  const apiOptions = metadata.apiOptions(method);
  const declaration = metadata.mcpDeclaration(method);
  return createEndpoint(instance, methodName, apiOptions, {
    id: 0,
    takenNames: new Set(),
    defaultConcurrencyLimit: 1,
    metadata,
    mcp: declaration && { declaration, taken, warn: (message) => warnings.push(message) },
  });
}

function bootstrapError(instance: object, methodName: string): string {
  try {
    endpointOf(instance, methodName);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

/** A class with one method decorated as given, created inside the test so that decoration errors are testable. */
function toolClass(options: McpToolOptions, api?: GradioApiOptions): object {
  class Tools {
    run(a: Int): Int {
      return a;
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Tools.prototype, 'run') as PropertyDescriptor;
  if (api) GradioApi(api)(Tools.prototype, 'run', descriptor);
  McpTool(options)(Tools.prototype, 'run', descriptor);
  Reflect.defineMetadata('design:paramtypes', [Int], Tools.prototype, 'run');
  return new Tools();
}

class Showcase {
  @McpTool()
  @GradioApi({ name: 'add', description: 'Add two numbers together.' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @McpTool({
    name: 'count_words',
    description: 'Counts words.',
    annotations: { readOnlyHint: true },
    concurrencyLimit: 2,
  })
  wordCount(@Arg({ description: 'The text.' }) text: string): Int {
    return text.split(' ').length;
  }

  @McpResource('docs://guides/{topic}', { mimeType: 'text/markdown' })
  guide(topic: string, version: string = 'latest'): string {
    return `${topic}@${version}`;
  }

  @McpPrompt({ description: 'Review code.' })
  review(code: string): string {
    return code;
  }
}

describe('MCP views of endpoints', () => {
  const showcase = new Showcase();

  it('names a tool after its method and describes it with the API description (docs/mcp.md#tools)', () => {
    const add = endpointOf(showcase, 'add');
    expect(add.api).toBe(true);
    expect(add.mcp).toEqual({
      kind: 'tool',
      name: 'add',
      title: undefined,
      description: 'Add two numbers together.',
      annotations: undefined,
      meta: undefined,
      structuredOutput: true,
    });
  });

  it('honours the given name and description, unlike Gradio 6.25, and serves a method without @GradioApi as MCP-only', () => {
    const tool = endpointOf(showcase, 'wordCount');
    expect(tool.api).toBe(false);
    expect(tool.mcp).toMatchObject({
      name: 'count_words',
      description: 'Counts words.',
      annotations: { readOnlyHint: true },
    });
    expect(tool.concurrencyLimit).toBe(2);
    expect(tool.parameters[0]?.description).toBe('The text.');
  });

  it('makes names valid and unique for MCP, saying so when a given name changes', () => {
    const warnings: string[] = [];
    const taken = { ...NONE_TAKEN, tools: new Set(['run_it_']) };
    expect(endpointOf(toolClass({ name: 'run it!' }), 'run', taken, warnings).mcp?.name).toBe('run_it__1');
    expect(warnings).toEqual([
      `@McpTool() on Tools.run: the name "run it!" is served as "run_it__1" (MCP names are unique and use letters, digits, '_', '-' and '.').`,
    ]);
    expect(endpointOf(toolClass({ name: 'my-tool.v2' }), 'run').mcp?.name).toBe('my-tool.v2');
    expect(endpointOf(toolClass({ name: 'x'.repeat(200) }), 'run').mcp?.name).toHaveLength(120);
  });

  it('reads resource templates and their variables', () => {
    expect(endpointOf(showcase, 'guide').mcp).toEqual({
      kind: 'resource',
      name: 'guide',
      title: undefined,
      uriTemplate: 'docs://guides/{topic}',
      variables: ['topic'],
      description: '',
      mimeType: 'text/markdown',
      completions: new Map(),
    });
  });

  it('reads prompts', () => {
    expect(endpointOf(showcase, 'review').mcp).toEqual({
      kind: 'prompt',
      name: 'review',
      title: undefined,
      description: 'Review code.',
      completions: new Map(),
    });
  });

  it('fails at bootstrap on completions of unknown arguments or of the wrong kind', () => {
    class Completing {
      @McpPrompt({ complete: { lang: ['Go'] } })
      a(language: string): string {
        return language;
      }

      @McpResource('docs://{topic}', { complete: { page: ['1'] } })
      b(topic: string, page: string = '1'): string {
        return topic + page;
      }

      @McpPrompt({ complete: { language: 'Go' as unknown as string[] } })
      c(language: string): string {
        return language;
      }

      @McpPrompt({ complete: ['Go'] as unknown as Record<string, string[]> })
      d(language: string): string {
        return language;
      }
    }
    const completing = new Completing();
    expect(bootstrapError(completing, 'a')).toBe(
      'Invalid @McpPrompt() on Completing.a: complete.lang: "lang" is not an argument of the prompt; use "language".',
    );
    expect(bootstrapError(completing, 'b')).toBe(
      'Invalid @McpResource() on Completing.b: complete.page: "page" is not a variable of the URI template; use "topic".',
    );
    expect(bootstrapError(completing, 'c')).toBe(
      'Invalid @McpPrompt() on Completing.c: complete.language must be a list of strings or a function.',
    );
    expect(bootstrapError(completing, 'd')).toBe(
      'Invalid @McpPrompt() on Completing.d: complete must be an object whose keys are argument names.',
    );
  });

  it('fails at bootstrap on bad options, naming the class and the method', () => {
    expect(bootstrapError(toolClass({ name: '' }), 'run')).toBe(
      'Invalid @McpTool() on Tools.run: name must not be empty.',
    );
    expect(bootstrapError(toolClass({ name: '!!' }), 'run')).toBe(
      'Invalid @McpTool() on Tools.run: "!!" has no letters or digits to make a name of; give a name.',
    );
    expect(bootstrapError(toolClass({ annotations: { readOnlyHint: 'yes' as unknown as boolean } }), 'run')).toBe(
      'Invalid @McpTool() on Tools.run: annotations.readOnlyHint must be true or false.',
    );
    expect(bootstrapError(toolClass({ concurrencyLimit: 2 }, { name: 'run' }), 'run')).toBe(
      'Invalid @McpTool() on Tools.run: set concurrencyLimit on @GradioApi(), whose queue the MCP tool shares.',
    );
    expect(bootstrapError(toolClass({ concurrencyLimit: 0 }), 'run')).toBe(
      'Invalid @McpTool() on Tools.run: concurrencyLimit must be a positive integer; got 0.',
    );
  });

  it('fails at bootstrap on resource templates that cannot fill the parameters', () => {
    class Bad {
      @McpResource('docs://{missing}')
      a(topic: string): string {
        return topic;
      }

      @McpResource('docs://all')
      b(topic: string): string {
        return topic;
      }

      @McpResource('no-scheme')
      c(): string {
        return '';
      }
    }
    const bad = new Bad();
    expect(bootstrapError(bad, 'a')).toBe(
      'Invalid @McpResource() on Bad.a: the variable {missing} is not a parameter of the method.',
    );
    expect(bootstrapError(bad, 'b')).toBe(
      'Invalid @McpResource() on Bad.b: the parameter "topic" has no default and no {topic} in the URI template to fill it.',
    );
    expect(bootstrapError(bad, 'c')).toBe(
      'Invalid @McpResource() on Bad.c: the URI "no-scheme" needs a scheme, e.g. "docs://no-scheme".',
    );
  });

  it('refuses a method that is two MCP things at once', () => {
    expect(() => {
      class Twice {
        @McpPrompt()
        @McpTool()
        both(): string {
          return '';
        }
      }
      return Twice;
    }).toThrow('Twice.both has both @McpTool() and @McpPrompt(); a method is one MCP tool, resource or prompt.');
  });
});
