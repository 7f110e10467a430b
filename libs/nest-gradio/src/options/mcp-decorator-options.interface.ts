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

/** What a completion function is told besides the value being typed. @publicApi */
export interface McpCompletionContext {
  /** The other arguments (or template variables) the user already chose, by name; empty when the client sent none. */
  readonly arguments: Readonly<Record<string, string>>;
}

/**
 * Suggests values for one argument from what the user typed so far (`value`, possibly empty). Called with `this` as
 * the provider instance (give its class as the decorator's type argument, `@McpPrompt<MyService>({ … })`, to type
 * it); what it returns is sent as is, first 100 values, so it filters and orders them itself.
 *
 * @publicApi
 */
export type McpCompleter<T = unknown> = (
  this: T,
  value: string,
  context: McpCompletionContext,
) => readonly string[] | Promise<readonly string[]>;

/**
 * The completions of one prompt argument or URI template variable (`completion/complete`): a fixed list, of which
 * the values starting with what the user typed (ignoring case) are suggested, or a {@link McpCompleter}.
 *
 * @publicApi
 */
export type McpCompletion<T = unknown> = readonly string[] | McpCompleter<T>;

/**
 * Options of `@McpResource()`.
 *
 * @publicApi
 */
export interface McpResourceOptions<T = unknown> extends McpQueueOptions {
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
  /**
   * Completions of the URI template's variables, by variable name. A variable whose parameter has a literal type
   * (`'a' | 'b'`, an enum, a boolean) completes to its values without one.
   */
  complete?: Readonly<Record<string, McpCompletion<T>>>;
}

/**
 * Options of `@McpPrompt()`.
 *
 * @publicApi
 */
export interface McpPromptOptions<T = unknown> extends McpQueueOptions {
  /** Prompt name. Default: the method name (made valid and unique like tool names). */
  name?: string;
  title?: string;
  /** Default: the `@GradioApi()` description, else none. */
  description?: string;
  /**
   * Completions of the arguments, by argument name. An argument with a literal type (`'a' | 'b'`, an enum, a
   * boolean) completes to its values without one.
   */
  complete?: Readonly<Record<string, McpCompletion<T>>>;
}
