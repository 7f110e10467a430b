import { Injectable } from '@nestjs/common';
import { McpResource } from 'nest-gradio';
import { RED_PIXEL_PNG } from './media.js';

/** The resources the MCP conformance suite reads. */
@Injectable()
export class ReferenceResourcesService {
  /** A fixed text resource. */
  @McpResource('test://static-text', { mimeType: 'text/plain' })
  staticText(): string {
    return 'This is the content of the static text resource.';
  }

  /** A fixed binary resource: a 1×1 PNG. */
  @McpResource('test://static-binary', { mimeType: 'image/png' })
  staticBinary(): string {
    return RED_PIXEL_PNG;
  }

  /** A template whose `id` is echoed in JSON. */
  @McpResource('test://template/{id}/data', { mimeType: 'application/json' })
  templateData(id: string): string {
    return JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
  }
}
