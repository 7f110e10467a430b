import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BoundedEventStore } from './bounded-event-store.js';

const note = (n: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { n } });

async function replay(store: BoundedEventStore, after: string): Promise<{ streamId: string; sent: unknown[] }> {
  const sent: unknown[] = [];
  const streamId = await store.replayEventsAfter(after, {
    send: (_id, message) => {
      sent.push((message as unknown as { params: { n: number } }).params.n);
      return Promise.resolve();
    },
  });
  return { streamId, sent };
}

describe('BoundedEventStore', () => {
  it('replays the messages of the same stream after the given event, in order', async () => {
    const store = new BoundedEventStore();
    const first = await store.storeEvent('a', note(1));
    await store.storeEvent('b', note(2));
    await store.storeEvent('a', note(3));
    await store.storeEvent('a', note(4));
    expect(await replay(store, first)).toEqual({ streamId: 'a', sent: [3, 4] });
    expect(await store.getStreamIdForEventId(first)).toBe('a');
  });

  it('forgets the oldest messages beyond its capacity: their ids are unknown', async () => {
    const store = new BoundedEventStore(2);
    const first = await store.storeEvent('a', note(1));
    const second = await store.storeEvent('a', note(2));
    await store.storeEvent('a', note(3));
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    await expect(replay(store, first)).rejects.toThrow('Unknown event id');
    expect(await replay(store, second)).toEqual({ streamId: 'a', sent: [3] });
  });

  it('knows no id it did not issue', async () => {
    const store = new BoundedEventStore();
    await store.storeEvent('a', note(1));
    expect(await store.getStreamIdForEventId('7')).toBeUndefined();
    expect(await store.getStreamIdForEventId('x')).toBeUndefined();
  });
});
