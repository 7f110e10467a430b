import { MemorySessionStore } from './memory-session.store.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import { estimation } from '../wire/queue-messages.js';

const message = (id: string): QueueMessage => estimation(id, 0, 1, null);

function reader() {
  const received: QueueMessage[] = [];
  let superseded = false;
  return {
    received,
    wasSuperseded: () => superseded,
    deliver: (item: QueueMessage) => received.push(item),
    superseded: () => (superseded = true),
  };
}

describe('MemorySessionStore', () => {
  it('buffers messages until a reader attaches, then delivers them in order, then live ones', () => {
    const store = new MemorySessionStore(10);
    store.addPending('s', 'e1');
    store.publish('s', message('a'));
    store.publish('s', message('b'));
    const first = reader();
    store.attach('s', first);
    store.publish('s', message('c'));
    expect(first.received.map((item) => item.event_id)).toEqual(['a', 'b', 'c']);
  });

  it('discards messages for unknown sessions', () => {
    const store = new MemorySessionStore(10);
    store.publish('nobody', message('a'));
    expect(store.hasSession('nobody')).toBe(false);
  });

  it('counts pending events down as their completions are delivered', () => {
    const store = new MemorySessionStore(10);
    store.addPending('s', 'e1');
    store.addPending('s', 'e2');
    expect(store.sessionOfPending('e2')).toBe('s');
    expect(store.completeDelivery('s', 'e1')).toBe(1);
    expect(store.completeDelivery('s', 'e2')).toBe(0);
    expect(store.sessionOfPending('e2')).toBeUndefined();
    store.dropIfIdle('s');
    expect(store.size()).toBe(0);
  });

  it('hands the session to a newer reader and tells the older one', () => {
    const store = new MemorySessionStore(10);
    store.addPending('s', 'e1');
    const older = reader();
    const newer = reader();
    store.attach('s', older);
    store.attach('s', newer);
    store.detach('s', older);
    store.publish('s', message('x'));
    expect(older.wasSuperseded()).toBe(true);
    expect(newer.received).toHaveLength(1);
  });

  it('drops the least recently used sessions without a reader beyond its capacity; open streams do not count', () => {
    const store = new MemorySessionStore(2);
    store.addPending('old', 'e1');
    store.attach('old', reader());
    store.addPending('middle', 'e2');
    store.addPending('new', 'e3');
    // Two sessions without a reader: within capacity, even with a third session reading.
    expect([store.hasSession('old'), store.hasSession('middle'), store.hasSession('new')]).toEqual([true, true, true]);
    store.addPending('newest', 'e4');
    expect(store.hasSession('old')).toBe(true);
    expect(store.hasSession('middle')).toBe(false);
    expect(store.hasSession('new')).toBe(true);
    expect(store.hasSession('newest')).toBe(true);
    expect(store.sessionOfPending('e2')).toBeUndefined();
  });

  it('counts a session again once its reader detaches, as the most recently used', () => {
    const store = new MemorySessionStore(2);
    store.addPending('a', 'e1');
    const first = reader();
    store.attach('a', first);
    store.addPending('b', 'e2');
    store.detach('a', first);
    store.addPending('c', 'e3');
    expect([store.hasSession('a'), store.hasSession('b'), store.hasSession('c')]).toEqual([true, false, true]);
  });
});
