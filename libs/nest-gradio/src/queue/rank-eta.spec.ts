import { ConcurrencyGroup, type QueueJob } from './concurrency-group.js';
import type { QueueEvent } from './queue-event.js';
import { rankEtas } from './rank-eta.js';

const eventFor = (endpointId: number): QueueEvent => ({ endpoint: { id: endpointId } }) as QueueEvent;

function groupWith(
  limit: number | null,
  running: { endpointId: number; startedAtSeconds: number }[],
  waiting: number[],
) {
  const group = new ConcurrencyGroup('g', limit);
  for (const job of running) {
    group.running.add({
      group,
      events: [eventFor(job.endpointId)],
      startedAt: job.startedAtSeconds * 1000,
    } as QueueJob);
  }
  group.waiting.push(...waiting.map(eventFor));
  return group;
}

describe('rankEtas (docs/protocol.md#eta)', () => {
  const means: Record<number, number | null> = { 1: 2, 2: 4, 3: null };
  const meanOf = (id: number) => means[id] ?? null;

  it('with free capacity: the first event needs its own mean; each next one waits mean/limit more', () => {
    const group = groupWith(2, [], [1, 1, 2]);
    // rank 0: 2 + 0; rank 1: 2 + 2/2; rank 2: 4 + (1 + 1)
    expect(rankEtas(group, 0, meanOf)).toEqual([2, 3, 6]);
  });

  it('at its limit: everyone also waits until the earliest running job should end', () => {
    // Running job started at t=1 s with mean 2 s: it should end at t=3 s; now is t=2.5 s, so 0.5 s until a slot.
    // rank 0: 2 + 0 + 0.5; rank 1: 4 + 2/1 + 0.5.
    const group = groupWith(1, [{ endpointId: 1, startedAtSeconds: 1 }], [1, 2]);
    expect(rankEtas(group, 2500, meanOf)).toEqual([2.5, 6.5]);
  });

  it('never counts a negative time until a free slot (an overdue job)', () => {
    const group = groupWith(1, [{ endpointId: 1, startedAtSeconds: 0 }], [1]);
    expect(rankEtas(group, 10_000, meanOf)).toEqual([2]);
  });

  it('is unknown for events of an endpoint without a mean, and for everyone behind them', () => {
    const group = groupWith(1, [], [1, 3, 1]);
    expect(rankEtas(group, 0, meanOf)).toEqual([2, null, null]);
  });

  it('is unknown for everyone when a running job has no mean yet', () => {
    const group = groupWith(1, [{ endpointId: 3, startedAtSeconds: 0 }], [1]);
    expect(rankEtas(group, 0, meanOf)).toEqual([null]);
  });

  it('does not accumulate waiting time in an unlimited group', () => {
    expect(rankEtas(groupWith(null, [], [1, 1, 2]), 0, meanOf)).toEqual([2, 2, 4]);
  });
});
