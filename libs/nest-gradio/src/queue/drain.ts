/**
 * The wait of a graceful stop for running jobs to end: {@link until} resolves when {@link jobEnded} is told that none
 * runs any more, or at the deadline, whichever comes first.
 */
export class Drain {
  private done: (() => void) | undefined;

  until(idle: boolean, timeoutMs: number): Promise<void> {
    if (idle || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.done?.(), timeoutMs);
      this.done = () => {
        clearTimeout(timer);
        this.done = undefined;
        resolve();
      };
    });
  }

  /** A job ended; `idle` when it was the last one running. */
  jobEnded(idle: boolean): void {
    if (idle) this.done?.();
  }
}
