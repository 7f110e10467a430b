import type { QueueMessage } from '../wire/queue-message.interface.js';

/** DI token of the {@link SessionStore}. */
export const SESSION_STORE = Symbol('SESSION_STORE');

/** Receives a session's messages while its data stream is open. */
export interface SessionReader {
  deliver(message: QueueMessage): void;
  /** Another stream opened for the same session and now receives its messages. */
  superseded(): void;
}

/**
 * Where each session's undelivered messages and pending events live: the state that every process of a deployment
 * would have to share to serve `queue/data` anywhere. The in-memory store is the default; a distributed store
 * (Redis streams, say) implements the same contract.
 *
 * Contract: a session exists from its first pending event until it is dropped. Messages for an unknown session are
 * discarded. A pending event stays pending until its `process_completed` has been delivered to a reader.
 */
export interface SessionStore {
  /** Creates the session if needed and marks the event as awaited on the session's stream. */
  addPending(sessionHash: string, eventId: string): void;
  isPending(sessionHash: string, eventId: string): boolean;
  /** The session of a pending event, if any. */
  sessionOfPending(eventId: string): string | undefined;
  hasSession(sessionHash: string): boolean;
  /** Hands the message to the session's reader, or keeps it until one attaches. */
  publish(sessionHash: string, message: QueueMessage): void;
  /** Records the delivery of an event's completion; returns how many events of the session are still pending. */
  completeDelivery(sessionHash: string, eventId: string): number;
  /** How many messages wait for a reader (0 while one is attached, or for an unknown session). */
  buffered(sessionHash: string): number;
  /** How many events of the session are pending (0 for an unknown session). */
  pendingCount(sessionHash: string): number;
  /** Attaches a reader: buffered messages first, then live ones. */
  attach(sessionHash: string, reader: SessionReader): void;
  /** Detaches the reader, if it is still the session's; later messages are buffered again. */
  detach(sessionHash: string, reader: SessionReader): void;
  /** Forgets the session, its buffer and its pending events. */
  drop(sessionHash: string): void;
  /** Drops the session if nothing is pending, buffered or reading. */
  dropIfIdle(sessionHash: string): void;
  /** Number of sessions held (for tests and monitoring). */
  size(): number;
}
