import type { CatalogEntry } from './mcp-catalog.service.js';
import type { McpObjectSchema } from './tool-schema.js';
import { inputSchemaOf } from './tool-schema.js';

/** One element of `GET /gradio_api/mcp/schema` (docs/mcp.md#schema-route). */
export interface SchemaDocumentEntry {
  name: string;
  description: string;
  inputSchema: McpObjectSchema;
  meta: {
    file_data_present: boolean;
    mcp_type: 'tool' | 'resource' | 'prompt';
    /** The API name to call it with, without the slash; null for an MCP-only method, which has none. */
    endpoint_name: string | null;
  };
}

/**
 * Gradio's own description of the MCP server, read by its View API page and by Hugging Face's MCP server: one
 * element per tool, resource and prompt, in registration order. Unlike Gradio, `file_data_present` is per entry
 * (Gradio's stays true for every entry after the first one with a file).
 */
export function schemaDocument(
  entries: readonly CatalogEntry[],
  hasFileInput: (entry: CatalogEntry) => boolean,
): SchemaDocumentEntry[] {
  return entries.map((entry) => ({
    name: entry.view.name,
    description: entry.view.description,
    inputSchema: 'inputSchema' in entry ? entry.inputSchema : inputSchemaOf(entry.endpoint.parameters),
    meta: {
      file_data_present: hasFileInput(entry),
      mcp_type: entry.view.kind,
      endpoint_name: entry.endpoint.api ? entry.endpoint.apiName : null,
    },
  }));
}
