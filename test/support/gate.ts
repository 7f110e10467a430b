/**
 * Holds handlers until the test lets them go, so that tests can put the queue in a known state (one job running,
 * others waiting) without sleeping. A handler calls `await gate.pass(key, ctx.signal)`; the test calls
 * `gate.release(key)`. A key stays open once released.
 */
export class Gate {
  /** Keys in the order handlers reached the gate. */
  readonly arrivals: string[] = [];
  private readonly open = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly arrivalListeners = new Set<() => void>();

  pass(key: string, signal?: AbortSignal): Promise<void> {
    this.arrivals.push(key);
    for (const listener of [...this.arrivalListeners]) listener();
    if (this.open.has(key)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new Error(`gate ${key}: ${String(signal?.reason ?? 'aborted')}`));
      signal?.addEventListener('abort', onAbort, { once: true });
      const list = this.waiters.get(key) ?? [];
      list.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      this.waiters.set(key, list);
    });
  }

  release(...keys: string[]): void {
    for (const key of keys) {
      this.open.add(key);
      for (const resolve of this.waiters.get(key) ?? []) resolve();
      this.waiters.delete(key);
    }
  }

  /** Releases every key anyone waits for (use in afterAll so that no handler is left hanging). */
  releaseAll(): void {
    this.release(...this.waiters.keys());
  }

  /** Resolves once a handler has reached the gate with `key`. */
  arrived(key: string, timeoutMs = 15_000): Promise<void> {
    if (this.arrivals.includes(key)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.arrivalListeners.delete(listener);
        reject(new Error(`No handler reached gate ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (): void => {
        if (!this.arrivals.includes(key)) return;
        clearTimeout(timer);
        this.arrivalListeners.delete(listener);
        resolve();
      };
      this.arrivalListeners.add(listener);
    });
  }
}
