import type { ConcurrencyGroup } from './concurrency-group.js';

/**
 * Seconds until each waiting event of a group should have its result (`rank_eta`, docs/protocol.md#eta), or null where
 * unknown. `meanOf` gives an endpoint's mean job time (null before its first job); `now` is `performance.now()`.
 *
 * The group frees a slot at `tFree` (0 if it has capacity, else when the earliest running job should end). Each
 * event waits for those ahead of it, which drain `limit` at a time: `wait` grows by `mean / limit` per event.
 */
export function rankEtas(
  group: ConcurrencyGroup,
  now: number,
  meanOf: (endpointId: number) => number | null,
): (number | null)[] {
  const tFree = timeUntilFreeSlot(group, now, meanOf);
  const etas: (number | null)[] = [];
  let wait: number | null = 0;
  for (const event of group.waiting) {
    const mean = meanOf(event.endpoint.id);
    etas.push(mean !== null && wait !== null && tFree !== null ? mean + wait + tFree : null);
    if (group.limit !== null) wait = wait !== null && mean !== null ? wait + mean / group.limit : null;
  }
  return etas;
}

function timeUntilFreeSlot(
  group: ConcurrencyGroup,
  now: number,
  meanOf: (endpointId: number) => number | null,
): number | null {
  if (group.hasCapacity) return 0;
  let earliestEnd = Infinity;
  for (const job of group.running) {
    const mean = meanOf(job.events[0].endpoint.id);
    if (mean === null) return null;
    earliestEnd = Math.min(earliestEnd, job.startedAt / 1000 + mean);
  }
  return Math.max(0, earliestEnd - now / 1000);
}
