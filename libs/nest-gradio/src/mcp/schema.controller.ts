import { Controller, Get, Inject, Req, UseGuards } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { McpCatalog } from './mcp-catalog.service.js';
import { selectionOf } from './mcp-connection.js';
import { assertMcpRequest } from './mcp-request-check.js';
import { MCP_PATH } from './mcp.constants.js';
import { schemaDocument, type SchemaDocumentEntry } from './schema-document.js';
import { hasFileInput } from './mcp-files.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { MCP_SCHEMA_DOC } from './mcp.route-docs.js';

/** `GET /gradio_api/mcp/schema` (docs/mcp.md#schema-route), filtered by `?tools=a,b`. */
@Controller(MCP_PATH)
@UseGuards(GradioAuthGuard)
export class SchemaController {
  constructor(
    private readonly catalog: McpCatalog,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get('schema')
  @DocumentedRoute(MCP_SCHEMA_DOC)
  schema(@Req() request: HttpRequest): SchemaDocumentEntry[] {
    assertMcpRequest(this.options, request);
    return schemaDocument(this.catalog.entries(selectionOf(request)), (entry) =>
      hasFileInput(entry.endpoint.parameters),
    );
  }
}
