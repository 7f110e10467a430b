import type { TypeSpec } from '../schema/type-spec.js';

/** Who can see an endpoint in the API docs. @publicApi */
export type ApiVisibility = 'public' | 'undocumented' | 'private';

/**
 * Options of `@GradioApi()`, mirroring Gradio's `@app.api(...)`.
 *
 * @publicApi
 */
export interface GradioApiOptions {
  /** API name, used as `/name` by clients. Default: the method name without punctuation other than `-` and `_`. */
  name?: string;
  /** Shown in the API docs and used for MCP tools. */
  description?: string;
  /**
   * Jobs of this endpoint (or of its concurrency group) that may run at once: a positive integer, `null` for
   * unlimited, or `'default'` for the module's `defaultConcurrencyLimit` (the default, normally 1).
   */
  concurrencyLimit?: number | null | 'default';
  /** Endpoints with the same id share one FIFO queue and the lowest of their limits. Default: the endpoint's own. */
  concurrencyId?: string;
  /**
   * Whether clients should call through the queue. With `false` the JS client calls `POST /gradio_api/run/{name}`
   * directly (no limit, no progress); the Python client always queues. Default true.
   */
  queue?: boolean;
  /**
   * Batch function: every parameter receives a list (one item per queued event) and the method returns one list
   * per output. Default false.
   */
  batch?: boolean;
  /** Most events one batch call takes. Default 4. */
  maxBatchSize?: number;
  /** `'public'` (listed), `'undocumented'` (callable, not listed) or `'private'` (refused by clients). */
  apiVisibility?: ApiVisibility;
  /** Seconds a job may run before it is aborted and fails. Default: no limit. */
  timeLimit?: number | null;
  /** Seconds between chunks of streaming inputs; published in `/config` for Gradio parity. Default 0.5. */
  streamEvery?: number;
  /**
   * Type of the single output when TypeScript's `design:returntype` cannot tell (generators, Promises, Observables,
   * arrays). Use `outputs` for several outputs.
   */
  returns?: TypeSpec;
  /** Types of several outputs: the method then returns an array with one item per output. `[]` means none. */
  outputs?: TypeSpec[];
  /**
   * Mark the endpoint as streaming (`types.generator` in `/config`) when it returns an Observable or an async
   * iterable from a plain method. Generator methods are detected on their own.
   */
  stream?: boolean;
}

/** Options of `@Arg()`. @publicApi */
export interface ArgOptions {
  /** Type of the parameter when `design:paramtypes` is not precise enough (`Int`, `[String]`, a JSON Schema, …). */
  type?: TypeSpec;
  /** Shown in the API docs and in MCP tool schemas. */
  description?: string;
  /** Value used when the caller leaves the parameter out; makes it optional. */
  default?: unknown;
  /** Make the parameter optional without a default (its value is then `null` when left out). */
  optional?: boolean;
}
