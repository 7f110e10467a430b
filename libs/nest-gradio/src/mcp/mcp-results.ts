import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '../kernel/optional-package.js';
import type { McpCallOutcome } from './mcp-call.runner.js';

/** Shown when a handler's error is hidden (`showError` off), like Gradio's notice about verbose error reporting. */
export const HIDDEN_ERROR_TEXT =
  'The tool failed with an error whose details are hidden. To show them, set showError: true in GradioModule.forRoot().';

/**
 * One output as text: strings as they are, anything else as JSON (`8`, `true`, `null`, `{"k":"v"}`) — not
 * Gradio's Python `str()` reprs, which agents would have to parse as Python.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}

/** One content item per output. */
export function contentOf(value: unknown): ContentBlock {
  return { type: 'text', text: textOf(value) };
}

/** A tool error as MCP wants it: a result the model can read, not a protocol error. */
export function errorResult(text: string, meta?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, ...(meta ? { _meta: meta } : {}) };
}

/** The user-facing text of a failed call: the `GradioError`'s message, or a notice when the error is hidden. */
export function failureText(outcome: Extract<McpCallOutcome, { kind: 'failure' }>): string {
  return outcome.error ?? HIDDEN_ERROR_TEXT;
}

/** The queue's argument binder titles its validation errors so (queue/argument.binder.ts). */
const INVALID_INPUT_TITLE = 'Invalid input';

/** MCP's code for an unknown resource (the SDK's enum lacks it). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error for the SDK to send: it takes `code` and `message` from what a handler throws. (The SDK's
 * `McpError` would prefix the message with "MCP error <code>: ", which the client then prefixes again.)
 */
export function rpcError(code: number, message: string, data?: unknown): Error & { code: number } {
  return Object.assign(new Error(message), { code }, data === undefined ? {} : { data });
}

/** A failed resource or prompt call as a JSON-RPC error: invalid arguments are the caller's, the rest the server's. */
export function protocolErrorOf(outcome: Extract<McpCallOutcome, { kind: 'failure' }>): Error & { code: number } {
  const code = outcome.title === INVALID_INPUT_TITLE ? ErrorCode.InvalidParams : ErrorCode.InternalError;
  return rpcError(code, failureText(outcome));
}
