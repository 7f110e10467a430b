import type { TypeSpec } from '../schema/type-spec.js';

/**
 * Queue settings of a method served only over MCP (no `@GradioApi()`): it still runs through the queue, so its
 * concurrency limit and the global cap apply. With `@GradioApi()` on the same method, set these there instead.
 *
 * @publicApi
 */
export interface McpQueueOptions {
  /** Jobs that may run at once: a positive integer, `null` for unlimited, or `'default'` (the module default). */
  concurrencyLimit?: number | null | 'default';
  /** Methods with the same id share one FIFO queue and the lowest of their limits. */
  concurrencyId?: string;
  /** Seconds a call may run before it is aborted and fails. Default: no limit. */
  timeLimit?: number | null;
  /** Type of the single output when TypeScript's `design:returntype` cannot tell (Promises, generators…). */
  returns?: TypeSpec;
  /** Types of several outputs: the method then returns an array with one item per output. */
  outputs?: TypeSpec[];
}

/** MCP's behaviour hints for a tool (all optional; clients treat them as untrusted hints). @publicApi */
export interface McpToolAnnotations {
  title?: string;
  /** The tool does not change its environment. */
  readOnlyHint?: boolean;
  /** The tool may delete or overwrite (meaningful when not read-only). */
  destructiveHint?: boolean;
  /** Calling it again with the same arguments has no further effect. */
  idempotentHint?: boolean;
  /** The tool reaches outside systems (the web, other services). */
  openWorldHint?: boolean;
}

/**
 * Options of `@McpTool()`.
 *
 * @publicApi
 */
export interface McpToolOptions extends McpQueueOptions {
  /**
   * Tool name. Default: the method name. Characters MCP does not allow (anything but letters, digits, `_`, `-`
   * and `.`) become `_`; a name already taken gets `_1`, `_2`, … (a warning is logged when a given name changes).
   */
  name?: string;
  /** Human-readable display name. */
  title?: string;
  /** What the tool does, for the agent. Default: the `@GradioApi()` description, else none. */
  description?: string;
  annotations?: McpToolAnnotations;
  /** Sent as the tool's `_meta` in `tools/list` and on every result. */
  meta?: Record<string, unknown>;
  /**
   * Advertise an `outputSchema` and return `structuredContent` when the output types are known. Default true.
   */
  structuredOutput?: boolean;
}

/**
 * Options of `@McpResource()`.
 *
 * @publicApi
 */
export interface McpResourceOptions extends McpQueueOptions {
  /** Resource name shown to clients. Default: the method name. */
  name?: string;
  title?: string;
  /** Default: the `@GradioApi()` description, else none. */
  description?: string;
  /**
   * MIME type of what the method returns. Default `text/plain`. Text types (`text/*`, JSON, XML, YAML, JavaScript)
   * are sent as text; any other type must be returned as a base64 string and is sent as a blob.
   */
  mimeType?: string;
}

/**
 * Options of `@McpPrompt()`.
 *
 * @publicApi
 */
export interface McpPromptOptions extends McpQueueOptions {
  /** Prompt name. Default: the method name (made valid and unique like tool names). */
  name?: string;
  title?: string;
  /** Default: the `@GradioApi()` description, else none. */
  description?: string;
}
