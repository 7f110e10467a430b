import type { Endpoint } from '../discovery/endpoint.interface.js';
import { ConcurrencyGroup, type QueueJob } from './concurrency-group.js';
import type { QueueEvent } from './queue-event.js';

/**
 * The queue's state machine: concurrency groups with their FIFO lists, the per-group limits and the global cap on
 * running jobs. It decides, never executes: the queue service asks it for the next job whenever something changed
 * (a join, a finished job, a cancel), so nothing polls.
 *
 * Fairness between groups: the job started next is the eligible group's head that joined first (Gradio visits
 * groups in random order; submission order is as cheap and predictable).
 */
export class QueueScheduler {
  private readonly groups = new Map<string, ConcurrencyGroup>();
  private runningJobs = 0;
  private waitingEvents = 0;

  constructor(
    private readonly endpoints: () => readonly Endpoint[],
    private readonly maxThreads: number,
  ) {}

  /** Events waiting to start, over all groups (what `queue/status` and `maxSize` count). */
  get waitingCount(): number {
    return this.waitingEvents;
  }

  get runningCount(): number {
    return this.runningJobs;
  }

  waitingByGroup(): Map<string, number> {
    return new Map([...this.groups.values()].map((group) => [group.id, group.waiting.length]));
  }

  groupOf(endpoint: Endpoint): ConcurrencyGroup {
    let group = this.groups.get(endpoint.concurrencyId);
    if (!group) {
      group = new ConcurrencyGroup(endpoint.concurrencyId, this.lowestLimit(endpoint.concurrencyId));
      this.groups.set(endpoint.concurrencyId, group);
    }
    return group;
  }

  /** Appends the event to its group's list; returns its rank (0-based) and the list's new length. */
  enqueue(event: QueueEvent): { rank: number; queueSize: number } {
    const group = this.groupOf(event.endpoint);
    group.waiting.push(event);
    this.waitingEvents++;
    return { rank: group.waiting.length - 1, queueSize: group.waiting.length };
  }

  /** Removes a waiting event; false if it is not waiting. */
  remove(event: QueueEvent): boolean {
    const removed = this.groupOf(event.endpoint).remove(event);
    if (removed) this.waitingEvents--;
    return removed;
  }

  /** The next job that may start now, marked as running, or undefined when none can. */
  next(now: number): QueueJob | undefined {
    if (this.runningJobs >= this.maxThreads) return undefined;
    let chosen: ConcurrencyGroup | undefined;
    for (const group of this.groups.values()) {
      const head = group.waiting[0];
      if (head && group.hasCapacity && (!chosen || head.sequence < (chosen.waiting[0] as QueueEvent).sequence)) {
        chosen = group;
      }
    }
    if (!chosen) return undefined;
    const events = chosen.takeNext();
    const job: QueueJob = { group: chosen, events, startedAt: now };
    chosen.running.add(job);
    this.runningJobs++;
    this.waitingEvents -= events.length;
    return job;
  }

  /** Frees the job's slot; safe to call more than once. */
  release(job: QueueJob): void {
    if (job.group.running.delete(job)) this.runningJobs--;
  }

  private lowestLimit(concurrencyId: string): number | null {
    let lowest: number | null = null;
    for (const endpoint of this.endpoints()) {
      if (endpoint.concurrencyId !== concurrencyId || endpoint.concurrencyLimit === null) continue;
      lowest = lowest === null ? endpoint.concurrencyLimit : Math.min(lowest, endpoint.concurrencyLimit);
    }
    return lowest;
  }
}
