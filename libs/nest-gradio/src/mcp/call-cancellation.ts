/**
 * What an MCP call's runner needs of the signal that cancels it: an `AbortSignal` fits, and so does a
 * {@link CallCancellation}.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The cancellation of one stateless tool call: the part of an `AbortController` its runner uses. An `AbortSignal` is
 * an `EventTarget`, whose making alone was 3.5 % of a tool call's CPU on Node 20 (docs/performance.md); the
 * handler's own signal is the queue event's, not this one. Listeners run once, on the first `abort()`.
 */
export class CallCancellation implements CancelSignal {
  private listeners: (() => void)[] = [];
  private done = false;

  get aborted(): boolean {
    return this.done;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.done) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners = this.listeners.filter((candidate) => candidate !== listener);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
