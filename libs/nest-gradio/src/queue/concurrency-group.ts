import type { QueueEvent } from './queue-event.js';

/** Events taken from a group's queue together: one event, or a batch of events of one batch endpoint. */
export interface QueueJob {
  readonly group: ConcurrencyGroup;
  readonly events: QueueEvent[];
  readonly startedAt: number;
}

/**
 * One FIFO waiting list and its concurrency limit. Endpoints that share a `concurrencyId` share a group, whose
 * limit is the lowest of its members' (unlimited only if all are).
 */
export class ConcurrencyGroup {
  readonly waiting: QueueEvent[] = [];
  readonly running = new Set<QueueJob>();

  constructor(
    readonly id: string,
    readonly limit: number | null,
  ) {}

  get hasCapacity(): boolean {
    return this.limit === null || this.running.size < this.limit;
  }

  /** Takes the head event, plus up to `maxBatchSize - 1` later events of the same batch endpoint, in order. */
  takeNext(): QueueEvent[] {
    const head = this.waiting.shift();
    if (!head) return [];
    if (!head.endpoint.batch) return [head];
    const batch = [head];
    for (let index = 0; index < this.waiting.length && batch.length < head.endpoint.maxBatchSize;) {
      const candidate = this.waiting[index] as QueueEvent;
      if (candidate.endpoint === head.endpoint) {
        batch.push(candidate);
        this.waiting.splice(index, 1);
      } else {
        index++;
      }
    }
    return batch;
  }

  remove(event: QueueEvent): boolean {
    const index = this.waiting.indexOf(event);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }
}
