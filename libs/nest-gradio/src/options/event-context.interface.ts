import type { McpAuthInfo } from './mcp-oauth-options.js';

/** What a handler knows about the request that created its event. @publicApi */
export interface GradioRequest {
  /** Request headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Address of the client (Gradio's `request.client.host`). */
  readonly clientAddress: string | undefined;
  /** Path and query of the request that submitted the event. */
  readonly url: string;
  /** The logged-in user, when auth is configured. */
  readonly username: string | null;
  /** The app's public base URL as this client reached it (`config.root`); file URLs of the event's outputs use it. */
  readonly root: string;
  /** The verified access token of an MCP request, when the `mcp.oauth` option is on (docs/mcp.md#oauth). */
  readonly auth?: McpAuthInfo;
  /**
   * The MCP client that called the tool, resource or prompt: ask its model (sampling) or its user (elicitation)
   * while the call runs (docs/mcp.md#asking-the-client). Only on MCP calls; in distributed mode a job that runs on
   * another process asks through the one that received the call.
   */
  readonly mcp?: McpClientRequests;
}

/**
 * Requests a handler can send to the MCP client that called it. The client must declare the capability (`sampling`,
 * `elicitation`), or the promise rejects; so does it on a connection that cannot carry the answer back (stateless
 * streamable HTTP).
 *
 * @publicApi
 */
export interface McpClientRequests {
  /**
   * The capabilities the client declared: at `initialize` on the 2025 revisions, in each request's `_meta` on the
   * 2026-07-28 one (undefined while unknown).
   */
  readonly capabilities: Readonly<Record<string, unknown>> | undefined;
  /** `sampling/createMessage`: the client's model completes the messages. Resolves to the client's result. */
  createMessage(params: McpCreateMessageParams, options?: McpInputOptions): Promise<McpCreateMessageResult>;
  /** `elicitation/create`: the client asks its user for the fields of `requestedSchema`. */
  elicitInput(params: McpElicitParams, options?: McpInputOptions): Promise<McpElicitResult>;
  /** `roots/list`: the directories or files the client lets the server work on. */
  listRoots(options?: McpInputOptions): Promise<McpListRootsResult>;
  /**
   * Several requests at once, each under a key of yours; resolves to the answers under the same keys. On the
   * 2026-07-28 revision they reach the client together in one input-required result; with a session they are sent
   * one after the other.
   */
  ask<Requests extends Record<string, McpInputRequest>>(requests: Requests): Promise<McpInputAnswers<Requests>>;
}

/**
 * How a request to the client is named. On the 2026-07-28 revision a call that needs the client's input ends with
 * an input-required result, and the client calls again with the answers under the requests' keys; the method runs
 * again from its start and gets each answer where it asks for it (docs/mcp.md#asking-the-client).
 *
 * @publicApi
 */
export interface McpInputOptions {
  /** The request's key. Default: its method and its place among the call's requests of that method (`elicitation-1`). */
  key?: string;
}

/** One request to the MCP client, as {@link McpClientRequests.ask} takes them. @publicApi */
export type McpInputRequest =
  | { method: 'elicitation/create'; params: McpElicitParams }
  | { method: 'sampling/createMessage'; params: McpCreateMessageParams }
  | { method: 'roots/list'; params?: Record<string, never> };

/** The client's answers to {@link McpClientRequests.ask}, by key. @publicApi */
export type McpInputAnswers<Requests extends Record<string, McpInputRequest>> = {
  [Key in keyof Requests]: Requests[Key]['method'] extends 'elicitation/create'
    ? McpElicitResult
    : Requests[Key]['method'] extends 'sampling/createMessage'
      ? McpCreateMessageResult
      : McpListRootsResult;
};

/** @publicApi */
export interface McpListRootsResult {
  roots: { uri: string; name?: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** @publicApi */
export interface McpCreateMessageParams {
  messages: { role: 'user' | 'assistant'; content: Record<string, unknown> & { type: string } }[];
  maxTokens: number;
  [key: string]: unknown;
}

/** @publicApi */
export interface McpCreateMessageResult {
  role: 'user' | 'assistant';
  content: unknown;
  model: string;
  [key: string]: unknown;
}

/** @publicApi */
export interface McpElicitParams {
  message: string;
  requestedSchema: { type: 'object'; properties: Record<string, object>; required?: string[] };
  [key: string]: unknown;
}

/** @publicApi */
export interface McpElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
  [key: string]: unknown;
}

/** @publicApi */
export interface ProgressOptions {
  /** What is counted, e.g. `"steps"` or `"files"`. Default `"steps"` when a length is given. */
  unit?: string;
  /** A short description shown next to the progress bar. */
  desc?: string;
}

/** @publicApi */
export interface AlertOptions {
  /** Default `"Info"`, `"Warning"` or `"Success"`. */
  title?: string;
  /** Seconds the toast stays; `null` keeps it until closed. Default 10. */
  duration?: number | null;
  /** Default true. */
  visible?: boolean;
}

/**
 * The running event, as seen by its handler (inject it with `@Ctx()`, or call `currentEvent()` anywhere in the
 * handler's async call tree).
 *
 * @publicApi
 */
export interface EventContext {
  readonly eventId: string;
  readonly sessionHash: string;
  /** The endpoint's API name, without the leading slash. */
  readonly apiName: string;
  readonly request: GradioRequest;
  /** Fires when the event is cancelled, its client disconnects or its time limit passes. */
  readonly signal: AbortSignal;
  /** Reports a fraction between 0 and 1. */
  progress(fraction: number, options?: Pick<ProgressOptions, 'desc'>): void;
  /** Reports step `index` of `length` (`length` may be `null` when unknown). */
  progress(index: number, length: number | null, options?: ProgressOptions): void;
  /** Shows an info toast in the client (`gr.Info`). */
  info(message: string, options?: AlertOptions): void;
  /** Shows a warning toast in the client (`gr.Warning`). */
  warning(message: string, options?: AlertOptions): void;
  /** Shows a success toast in the client (`gr.Success`). */
  success(message: string, options?: AlertOptions): void;
}
