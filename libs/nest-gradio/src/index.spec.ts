import * as publicApi from './index.js';
import * as testingApi from './testing/index.js';

describe('public API (libs/nest-gradio/src/index.ts)', () => {
  it('exports exactly these run-time names, so that nothing becomes public by accident', () => {
    expect(Object.keys(publicApi).sort()).toEqual(
      [
        'Any',
        'Arg',
        'Ctx',
        'McpPrompt',
        'McpResource',
        'McpTool',
        'McpStdioServer',
        'McpContent',
        'McpPromptMessages',
        'McpResourceUpdates',
        'EndpointRegistry',
        'FileData',
        'GRADIO_CONTEXT_TYPE',
        'GradioAuthGuard',
        'GradioPublicRoute',
        'GradioApi',
        'GradioError',
        'GradioHealthIndicator',
        'GradioModule',
        'Int',
        'currentEvent',
        'isMcpStdioRequest',
        'isMcpListing',
        'dictOf',
        'launch',
        'listOf',
        'loadPluginMetadata',
        'literal',
        'nullable',
        'setupGradioDocs',
        'tupleOf',
        'unionOf',
      ].sort(),
    );
  });

  it("gives tests what they need from 'nest-gradio/testing', and nothing more", () => {
    expect(Object.keys(testingApi).sort()).toEqual(
      ['QueueService', 'createHttpApp', 'endpointNamed', 'listenForClients', 'registryOf', 'useJsonBodyLimit'].sort(),
    );
  });
});
