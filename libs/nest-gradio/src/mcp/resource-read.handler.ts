import { Injectable } from '@nestjs/common';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '../kernel/optional-package.js';
import { fromStringArgument } from './mcp-arguments.js';
import { CallNotificationBridge, type McpRequestContext } from './call-notifications.bridge.js';
import { McpCallRunner } from './mcp-call.runner.js';
import { McpCatalog } from './mcp-catalog.service.js';
import type { McpConnection } from './mcp-connection.js';
import { withMcpClient } from './mcp-client-requests.js';
import { McpFiles } from './mcp-files.js';
import { protocolErrorOf, RESOURCE_NOT_FOUND, rpcError, textOf } from './mcp-results.js';

/** MIME types whose content is text even though they are not `text/*`. */
const TEXT_LIKE =
  /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|ecmascript|sql|graphql)\b)|\+(json|xml|yaml)\b/i;

/**
 * `resources/read` (docs/mcp.md#resources-and-prompts): finds the resource whose URI or template matches, runs its method through the
 * queue with the template's variables as arguments, and returns its first output as text or, for binary MIME
 * types, as a base64 blob (a returned file is read and sent the same way). Failures are JSON-RPC errors, as for
 * Gradio's resources.
 */
@Injectable()
export class ResourceReadHandler {
  constructor(
    private readonly catalog: McpCatalog,
    private readonly runner: McpCallRunner,
    private readonly files: McpFiles,
  ) {}

  async read(uri: string, context: McpRequestContext, connection: McpConnection): Promise<ReadResourceResult> {
    const found = this.catalog.resourceFor(uri, connection.selection);
    if (!found) throw rpcError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    const { resource, variables } = found;
    const data = resource.endpoint.parameters.map((parameter) => {
      const value = variables[parameter.name];
      return value === undefined ? undefined : fromStringArgument(parameter, value);
    });
    const notifications = new CallNotificationBridge(context, {
      progressToken: context._meta?.progressToken,
      logger: resource.view.name,
      logLevel: connection.logLevel,
    });
    const outcome = await this.runner.run({
      endpoint: resource.endpoint,
      data,
      request: withMcpClient(connection.request(), context.client),
      signal: context.signal,
      onMessage: notifications.forward,
    });
    await notifications.flushed();
    if (outcome.kind === 'failure') throw protocolErrorOf(outcome);
    if (outcome.kind === 'cancelled') throw rpcError(ErrorCode.ConnectionClosed, 'Cancelled.');
    const value = outcome.data[0];
    const { mimeType } = resource.view;
    const bytes = await this.files.bytesOf(value);
    if (bytes) {
      const content = TEXT_LIKE.test(mimeType) ? { text: bytes.toString('utf8') } : { blob: bytes.toString('base64') };
      return { contents: [{ uri, mimeType, ...content }] };
    }
    if (TEXT_LIKE.test(mimeType)) return { contents: [{ uri, mimeType, text: textOf(value) }] };
    if (typeof value !== 'string') {
      const problem = `The resource ${uri} has the binary type ${mimeType}; its method must return base64 text or a file.`;
      throw rpcError(ErrorCode.InternalError, problem);
    }
    return { contents: [{ uri, mimeType, blob: value }] };
  }
}
