import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import { forgetNativeRequest } from '../kernel/native-request.js';

export type QueueEventState = 'waiting' | 'running' | 'done';

/**
 * Why an event stopped before finishing. `unread`: its generator produced {@link MAX_UNREAD_MESSAGES} messages that
 * no stream took, so it was stopped rather than let its session's buffer grow without bound.
 */
export type AbortReason = 'cancelled' | 'disconnected' | 'time-limit' | 'shutdown' | 'unread';

/** How many messages a session may hold for a client that is not reading before its running event is stopped. */
export const MAX_UNREAD_MESSAGES = 10_000;

/** What a caller hands to the queue to start an event. */
export interface EventRequest {
  /** The caller's session; without one (a curl call), the event is its own session. */
  sessionHash: string | undefined;
  /** One JSON value per API parameter (or, for `batched` calls, one list per parameter). */
  data: unknown[];
  /** Send full values instead of diffs for generator steps (the curl protocol sets it). */
  simpleFormat: boolean;
  request: GradioRequest;
}

let sequence = 0;

/** One submitted call, from `queue/join` until its completion is delivered. */
export class QueueEvent {
  readonly id: string;
  readonly sessionHash: string;
  /** Global submission order; FIFO across groups follows it. */
  readonly sequence = ++sequence;
  state: QueueEventState = 'waiting';
  /** Set when the job's time limit ended the event (observers report it as a timeout, not as an error). */
  timedOut = false;
  /** When it joined and started (`performance.now()`), taken only while the queue's lifecycle is observed. */
  joinedAt: number | undefined = undefined;
  startedAt: number | undefined = undefined;
  /**
   * Why it stopped early, once it did. A plain field and one listener rather than an AbortController: every call
   * would pay for a controller, a signal and an event listener (visible in the profile), for the few that stop early.
   */
  private abortReason: AbortReason | undefined;
  private abortListener: ((reason: AbortReason) => void) | undefined;

  constructor(
    readonly endpoint: Endpoint,
    readonly input: EventRequest,
    id: string,
  ) {
    this.id = id;
    this.sessionHash = input.sessionHash ?? id;
    // Its guards have run: unless interceptors or filters will see it, the adapter's request is not kept while the
    // event waits (on Express a request and its response are a few kilobytes, per waiting event).
    if (!endpoint.invokeSeesRequest) forgetNativeRequest(input.request);
  }

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  abort(reason: AbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    const listener = this.abortListener;
    this.abortListener = undefined;
    listener?.(reason);
  }

  /** Calls `listener` when the event is aborted (the job running it listens; there is one). Returns the unlistener. */
  onAbort(listener: (reason: AbortReason) => void): () => void {
    this.abortListener = listener;
    return () => {
      if (this.abortListener === listener) this.abortListener = undefined;
    };
  }
}
