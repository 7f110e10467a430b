import { Module } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { ClientRequestsToolsService } from './client-requests-tools.service.js';
import { InputRequiredService } from './input-required.service.js';
import { ReferencePromptsService } from './reference-prompts.service.js';
import { ReferenceResourcesService } from './reference-resources.service.js';
import { ReferenceToolsService } from './reference-tools.service.js';

export const REFERENCE_PROVIDERS = [
  ReferenceToolsService,
  ClientRequestsToolsService,
  InputRequiredService,
  ReferenceResourcesService,
  ReferencePromptsService,
];

/**
 * An MCP server with the tools, resources and prompts of the official MCP conformance suite's reference server, built
 * with the library's decorators: `npm test` runs the suite against it (test/mcp/conformance-suite.e2e-spec.ts).
 */
@Module({
  imports: [
    GradioModule.forRoot({
      title: 'MCP conformance',
      mcpServer: true,
      // GRADIO_MCP_SESSIONS=stateful serves it with MCP sessions (docs/mcp.md#sessions).
      mcp: { sessions: process.env['GRADIO_MCP_SESSIONS'] === 'stateful' ? 'stateful' : 'stateless' },
    }),
  ],
  providers: REFERENCE_PROVIDERS,
})
export class AppModule {}
