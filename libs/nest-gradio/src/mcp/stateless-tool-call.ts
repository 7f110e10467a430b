import { Injectable } from '@nestjs/common';
import type { CallToolRequest, JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ErrorCode,
  RELATED_TASK_META_KEY,
} from '../kernel/optional-package.js';
import { CallCancellation } from './call-cancellation.js';
import type { McpRequestContext } from './call-notifications.bridge.js';
import { mcpClientRequests } from './mcp-client-requests.js';
import type { McpConnection } from './mcp-connection.js';
import { isRequest, type StatelessPost } from './stateless-post-check.js';
import type { StatelessPostTransport } from './stateless-post.transport.js';
import { ToolCallHandler } from './tool-call.handler.js';

/** A `tools/call` request this class answers: valid, and no task involved. */
export type PlainToolCall = JSONRPCRequest & { params: CallToolRequest['params'] };

/**
 * A stateless POST whose one message is a plain `tools/call` — what an agent sends for nearly every call — answered
 * without an SDK server (docs/mcp.md#routes). The SDK's server per POST (its construction, its message-type checks,
 * its promise chain) was about a third of such a call's CPU; what it does for this one request is done here, with
 * the same bytes on the wire: the request checked against the SDK's own schema, the handler given the same context
 * (the request's id, `_meta`, a signal that fires when the client cancels or hangs up, notifications on the request's
 * stream), the result checked against the SDK's result schema and answered as the SDK answers. Anything else (several
 * messages, an invalid request, tasks) goes to an SDK server, which answers with its own words.
 */
@Injectable()
export class StatelessToolCalls {
  constructor(private readonly tools: ToolCallHandler) {}

  /** The POST's one `tools/call` request when this class can answer it, else undefined. */
  claim(post: StatelessPost): PlainToolCall | undefined {
    if (post.messages.length !== 1) return undefined;
    const message = post.messages[0]!;
    if (!isRequest(message) || message.method !== 'tools/call') return undefined;
    const parsed = CallToolRequestSchema.safeParse(message);
    if (!parsed.success) return undefined;
    const { params } = parsed.data;
    if (params.task !== undefined || params._meta?.[RELATED_TASK_META_KEY] !== undefined) return undefined;
    // The handler reads the message as the client sent it (the SDK hands its handler the unparsed request too).
    return message as PlainToolCall;
  }

  /**
   * Answers the call on the transport's stream. Closing the transport (a cancel, a hang-up) aborts the call's signal;
   * once aborted, the call sends nothing more, as the SDK's server does.
   */
  serve(transport: StatelessPostTransport, call: PlainToolCall, connection: McpConnection): void {
    const { id, params } = call;
    const signal = new CallCancellation();
    transport.onclose = () => signal.abort();
    const context: McpRequestContext = {
      requestId: id,
      signal,
      _meta: params._meta,
      sendNotification: (notification) =>
        signal.aborted
          ? Promise.resolve()
          : transport.send({ ...notification, jsonrpc: '2.0' }, { relatedRequestId: id }),
      client: mcpClientRequests(undefined, id, connection),
    };
    this.tools
      .call(params, context, connection)
      .then(
        (result) => {
          if (signal.aborted) return;
          const checked = CallToolResultSchema.safeParse(result);
          return transport.send(
            checked.success
              ? { result: checked.data, jsonrpc: '2.0', id }
              : // The words of the SDK's McpError, which its server throws here.
                errorAnswer(
                  id,
                  ErrorCode.InvalidParams,
                  `MCP error ${ErrorCode.InvalidParams}: Invalid tools/call result: ${checked.error.message}`,
                ),
          );
        },
        (error: unknown) => {
          if (signal.aborted) return;
          const { code, message, data } = (error ?? {}) as { code?: unknown; message?: string; data?: unknown };
          return transport.send(
            errorAnswer(
              id,
              Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError,
              message ?? 'Internal error',
              data,
            ),
          );
        },
      )
      // Only a client gone in between fails a send; there is nobody left to tell.
      .catch(() => undefined);
  }
}

/** A JSON-RPC error answer, as the SDK's server builds it. */
function errorAnswer(id: string | number, code: number, message: string, data?: unknown): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data !== undefined ? { data } : {}) } };
}
