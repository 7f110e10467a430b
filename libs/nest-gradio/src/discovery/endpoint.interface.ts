import type { ApiVisibility } from '../options/gradio-api-options.interface.js';
import type { EventContext } from '../options/event-context.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import type { ValueCheck } from '../schema/schema.validator.js';
import type { McpCompletionContext, McpToolAnnotations } from '../options/mcp-decorator-options.interface.js';
import type { EndpointSource } from '../kernel/endpoint-source.interface.js';
import type { GuardPurpose } from './listing-check.js';
import type { Observable } from 'rxjs';

type Constructor = abstract new (...args: never[]) => unknown;

/**
 * How the caller of a streaming method wants its generator as an Observable, when interceptors need one: pulled one
 * step at a time, as the caller takes the items (the queue's flow control), never drained ahead of it.
 */
export type StreamPuller = (stream: AsyncIterable<unknown> | Iterable<unknown>) => Observable<unknown>;

/** One API parameter of an endpoint. */
export interface EndpointParameter {
  /** Position among the API parameters (the index in the wire `data` list). */
  readonly position: number;
  /**
   * The name clients use: the parameter's name in the source (or `@Arg`), except names the Python client reserves
   * (`api_name`, `fn_index`, `result_callbacks`), which become `param_<position>` as in Gradio.
   */
  readonly name: string;
  readonly schema: JsonSchema;
  readonly description: string | undefined;
  readonly hasDefault: boolean;
  /** The default as published in `/gradio_api/info` (`null` when there is none or it is not a literal). */
  readonly defaultValue: unknown;
  /**
   * Validates a received value; compiled from `schema` at bootstrap. The queue calls it.
   * @internal
   */
  readonly check: ValueCheck;
  /** A class-validator DTO the value is turned into before the handler sees it. */
  readonly dto: Constructor | undefined;
}

export interface EndpointOutput {
  readonly schema: JsonSchema;
}

export type { EndpointSource };

/** An endpoint served as an MCP tool (docs/mcp.md#tools). */
export interface McpToolView {
  readonly kind: 'tool';
  /** Valid for MCP and unique among the tools. */
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string;
  readonly annotations: McpToolAnnotations | undefined;
  readonly meta: Record<string, unknown> | undefined;
  /** Whether to advertise an `outputSchema` and return `structuredContent` (when the output types are known). */
  readonly structuredOutput: boolean;
}

/** Where the suggestions for one prompt argument or URI template variable come from (docs/mcp.md#completions). */
export type McpCompletionSource =
  /** A fixed list (given, or a literal type's values): the values that start with the typed text are suggested. */
  | { readonly kind: 'values'; readonly values: readonly string[] }
  /** The author's function, called on the provider instance; what it answers is sent as is. */
  | {
      readonly kind: 'function';
      complete(value: string, context: McpCompletionContext): readonly string[] | Promise<readonly string[]>;
    };

/** An endpoint served as an MCP resource or resource template (docs/mcp.md#resources-and-prompts). */
export interface McpResourceView {
  readonly kind: 'resource';
  readonly name: string;
  readonly title: string | undefined;
  readonly uriTemplate: string;
  /** The `{variables}` of the template, in order; empty for a fixed resource. */
  readonly variables: readonly string[];
  readonly description: string;
  readonly mimeType: string;
  /** How each variable is completed, by name; a variable without an entry has no suggestions. */
  readonly completions: ReadonlyMap<string, McpCompletionSource>;
}

/** An endpoint served as an MCP prompt (docs/mcp.md#resources-and-prompts). */
export interface McpPromptView {
  readonly kind: 'prompt';
  /** Valid for MCP and unique among the prompts. */
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string;
  /** How each argument is completed, by name; an argument without an entry has no suggestions. */
  readonly completions: ReadonlyMap<string, McpCompletionSource>;
}

/** How MCP sees a method. */
export type EndpointMcpView = McpToolView | McpResourceView | McpPromptView;

/**
 * One decorated method, as every surface sees it: `/config`, `/gradio_api/info`, OpenAPI, the queue and MCP all
 * read this model and none re-derives it.
 */
export interface Endpoint {
  /** Gradio's `fn_index`: 0, 1, 2… in declaration order. */
  readonly id: number;
  readonly apiName: string;
  /** The explicit description, or `null` (published as `api_description`). */
  readonly apiDescription: string | null;
  /** What the docs show: the explicit description or `''`. */
  readonly description: string;
  readonly parameters: readonly EndpointParameter[];
  readonly outputs: readonly EndpointOutput[];
  readonly concurrencyId: string;
  /** The endpoint's own limit (`null` = unlimited); its group applies the lowest limit of its members. */
  readonly concurrencyLimit: number | null;
  readonly queue: boolean;
  readonly batch: boolean;
  readonly maxBatchSize: number;
  readonly apiVisibility: ApiVisibility;
  readonly timeLimit: number | null;
  readonly streamEvery: number;
  /** Whether the handler streams (a generator, or declared with `stream: true`). */
  readonly generator: boolean;
  /** JSDoc `@deprecated` (its reason, or true), recorded by the compiler plugin; OpenAPI marks the operation. */
  readonly deprecated?: string | true;
  readonly source: EndpointSource;
  /**
   * Whether Gradio's surfaces serve it (`/config`, `/gradio_api/info`, OpenAPI, the call routes). False for a method
   * with an MCP decorator and no `@GradioApi()`: such MCP-only endpoints are numbered after every API endpoint, so
   * that the API endpoints' ids stay 0, 1, 2…
   */
  readonly api: boolean;
  /** The MCP view of the method, or undefined when MCP does not serve it. */
  readonly mcp: EndpointMcpView | undefined;
  /**
   * Calls the handler with API arguments in wire order, through the method's interceptors, pipes and filters; the
   * context goes where `@Ctx()` asked for it. A generator comes back as it is, to be pulled, unless interceptors
   * wrap it: then as an Observable made by `pull`. Only the queue calls it, so that every call is queued.
   * @internal
   */
  invoke(args: readonly unknown[], context: EventContext, pull?: StreamPuller): unknown;
  /**
   * Whether {@link invoke} shows the HTTP request that submitted the event to the method's interceptors or exception
   * filters. Only then does a waiting event keep the adapter's request (on Express, with its response). @internal
   */
  readonly invokeSeesRequest: boolean;
  /**
   * Runs the method's guards for the HTTP request (and response) that asks to call it, before anything is queued, or
   * that asks for an MCP listing (purpose `'listing'`): rejects with the guard's exception, or a `ForbiddenException`
   * when a guard says no; undefined when no guard applies (nothing to wait for). @internal
   */
  authorize(request: unknown, response: unknown, purpose?: GuardPurpose): Promise<void> | undefined;
}
