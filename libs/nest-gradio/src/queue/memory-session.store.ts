import type { QueueMessage } from '../wire/queue-message.interface.js';
import type { SessionReader, SessionStore } from './session.store.js';

interface Session {
  pending: Set<string>;
  buffer: QueueMessage[];
  reader: SessionReader | undefined;
}

/**
 * The default, in-process {@link SessionStore}. Sessions without a reader — results nobody has come for yet — are
 * kept in least-recently-used order; beyond `maxSessions` of them, the oldest are dropped (Gradio keeps 2000), so
 * results nobody collects cannot grow memory forever. Sessions with an open stream do not count: they hold no
 * results, and counting them let 2000 waiting clients evict every newcomer between its join and its stream.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly pendingIndex = new Map<string, string>();
  /** The sessions without a reader, least recently used first. */
  private readonly unread = new Map<string, Session>();

  constructor(private readonly maxSessions: number) {}

  addPending(sessionHash: string, eventId: string): void {
    let session = this.sessions.get(sessionHash);
    if (!session) {
      this.evictBeyond(this.maxSessions - 1);
      session = { pending: new Set(), buffer: [], reader: undefined };
      this.sessions.set(sessionHash, session);
    }
    if (!session.reader) {
      this.unread.delete(sessionHash);
      this.unread.set(sessionHash, session);
    }
    session.pending.add(eventId);
    this.pendingIndex.set(eventId, sessionHash);
  }

  isPending(sessionHash: string, eventId: string): boolean {
    return this.sessions.get(sessionHash)?.pending.has(eventId) ?? false;
  }

  sessionOfPending(eventId: string): string | undefined {
    return this.pendingIndex.get(eventId);
  }

  hasSession(sessionHash: string): boolean {
    return this.sessions.has(sessionHash);
  }

  publish(sessionHash: string, message: QueueMessage): void {
    const session = this.sessions.get(sessionHash);
    if (!session) return;
    if (session.reader) session.reader.deliver(message);
    else session.buffer.push(message);
  }

  buffered(sessionHash: string): number {
    return this.sessions.get(sessionHash)?.buffer.length ?? 0;
  }

  completeDelivery(sessionHash: string, eventId: string): number {
    const session = this.sessions.get(sessionHash);
    if (!session) return 0;
    session.pending.delete(eventId);
    this.pendingIndex.delete(eventId);
    return session.pending.size;
  }

  pendingCount(sessionHash: string): number {
    return this.sessions.get(sessionHash)?.pending.size ?? 0;
  }

  attach(sessionHash: string, reader: SessionReader): void {
    const session = this.sessions.get(sessionHash);
    if (!session) throw new Error(`No session ${sessionHash}.`);
    const previous = session.reader;
    session.reader = reader;
    this.unread.delete(sessionHash);
    previous?.superseded();
    // A delivery may end the stream (and detach it) mid-flush; whatever is left stays buffered for the next reader.
    const buffered = session.buffer;
    session.buffer = [];
    let index = 0;
    while (index < buffered.length && session.reader === reader) reader.deliver(buffered[index++] as QueueMessage);
    if (index < buffered.length) session.buffer.unshift(...buffered.slice(index));
  }

  detach(sessionHash: string, reader: SessionReader): void {
    const session = this.sessions.get(sessionHash);
    if (session?.reader !== reader) return;
    session.reader = undefined;
    this.unread.set(sessionHash, session);
  }

  drop(sessionHash: string): void {
    const session = this.sessions.get(sessionHash);
    if (!session) return;
    for (const eventId of session.pending) this.pendingIndex.delete(eventId);
    this.sessions.delete(sessionHash);
    this.unread.delete(sessionHash);
  }

  dropIfIdle(sessionHash: string): void {
    const session = this.sessions.get(sessionHash);
    if (session && session.pending.size === 0 && session.buffer.length === 0 && !session.reader) this.drop(sessionHash);
  }

  size(): number {
    return this.sessions.size;
  }

  private evictBeyond(limit: number): void {
    for (const sessionHash of this.unread.keys()) {
      if (this.unread.size <= limit) return;
      this.drop(sessionHash);
    }
  }
}
