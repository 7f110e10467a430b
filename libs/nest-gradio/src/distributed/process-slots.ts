/**
 * The jobs one process runs at once over all its concurrency groups: at most `maxThreads`, as a single Gradio server
 * runs at most its thread pool. BullMQ limits each group's worker, not the process: when the slots are all taken the
 * workers are paused (they take no more jobs, and other processes run them); a job a worker had already taken
 * meanwhile waits here for a slot rather than run beyond the cap.
 */
export class ProcessSlots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly size: number,
    /** Told when the last slot is taken (`true`) and when one is free again (`false`). */
    private readonly full: (isFull: boolean) => void,
  ) {}

  /** Slots taken (jobs running here, a batch counting once). */
  get running(): number {
    return this.used;
  }

  async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      if (this.used === this.size) this.full(true);
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    // A job waiting for a slot takes this one: still full.
    const next = this.waiting.shift();
    if (next) return next();
    this.used--;
    if (this.used === this.size - 1) this.full(false);
  }
}
