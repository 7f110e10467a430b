import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { GradioRequest } from '../interfaces/event-context.interface.js';

export type QueueEventState = 'waiting' | 'running' | 'done';

/** Why an event stopped before finishing. */
export type AbortReason = 'cancelled' | 'disconnected' | 'time-limit' | 'shutdown';

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
  readonly abortController = new AbortController();

  constructor(
    readonly endpoint: Endpoint,
    readonly input: EventRequest,
    id: string,
  ) {
    this.id = id;
    this.sessionHash = input.sessionHash ?? id;
  }

  get aborted(): boolean {
    return this.abortController.signal.aborted;
  }

  abort(reason: AbortReason): void {
    if (!this.aborted) this.abortController.abort(reason);
  }
}
