import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Messages a session keeps for replay; older ones are forgotten, and a client asking for them must start over. */
export const MAX_REPLAYABLE_EVENTS = 1000;

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * The messages one stateful MCP session sent on its SSE streams, so that a client that lost a stream resumes it with
 * `Last-Event-ID` (docs/mcp.md#sessions). Bounded: the last {@link MAX_REPLAYABLE_EVENTS} messages of the session, over
 * all its streams; an event id older than that is unknown (the SDK answers 400) rather than replayed with a gap.
 */
export class BoundedEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private next = 0;

  constructor(private readonly capacity = MAX_REPLAYABLE_EVENTS) {}

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${this.next++}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return Promise.resolve(id);
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.find(eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.find(lastEventId);
    if (!last) throw new Error(`Unknown event id ${JSON.stringify(lastEventId)}.`);
    const after = this.events.filter((event) => Number(event.id) > Number(last.id) && event.streamId === last.streamId);
    for (const event of after) await send(event.id, event.message);
    return last.streamId;
  }

  private find(eventId: string): StoredEvent | undefined {
    if (!/^\d+$/.test(eventId)) return undefined;
    const first = this.events[0];
    if (!first) return undefined;
    // Ids are consecutive, so the event's place follows from the oldest one kept.
    return this.events[Number(eventId) - Number(first.id)];
  }
}
