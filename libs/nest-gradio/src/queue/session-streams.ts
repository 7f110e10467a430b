import { Observable, type Subscriber, type Unsubscribable } from 'rxjs';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import { CLOSE_STREAM, HEARTBEAT, SESSION_NOT_FOUND } from '../wire/queue-messages.js';
import type { SessionReader, SessionStore } from './session.store.js';

/**
 * How long after a stream's `close_stream` the answer to the next join of its session may be held, so that its
 * client reads the `close_stream` first and opens a new stream for the call (docs/protocol.md#stream-life): long
 * enough for a client thread that has the message but was not scheduled yet, short enough that a client keeping its
 * connection alive barely notices. The HTTP layer holds a join at most this long (less once the client hung up);
 * distributed mode holds it this long on every process.
 */
export const CLOSE_HANDOVER_MS = 300;

/** Options of a session stream. */
export interface StreamOptions {
  /**
   * Milliseconds to keep the stream open after its last pending event completed, closing only if nothing new joined
   * the session meanwhile. Results are never delayed by it.
   */
  lingerMs?: number;
  /** The connection's write side, when it can say it is behind; a generator waits while it is. */
  flow?: StreamFlow;
  /**
   * Whether to send a heartbeat every heartbeat interval (the default). A reader in this process (an MCP call
   * following its event) has no connection to keep alive, and would pay a timer per call for nothing.
   */
  heartbeats?: boolean;
  /**
   * Whether the session's next join waits for this stream's `close_stream` to reach its client (a `queue/data`
   * stream: docs/protocol.md#stream-life). In memory the HTTP layer, which sees the connection, does that; a
   * distributed queue marks the close in Redis for every process.
   */
  closeHandover?: boolean;
}

/** The write side of a stream's connection, as flow control sees it. */
export interface StreamFlow {
  /** Whether more than a connection should hold is waiting to be sent. */
  saturated(): boolean;
  /** Resolves once it is no longer saturated, or the connection closed. */
  drained(): Promise<void>;
}

/**
 * The life of the sessions' message streams, apart from the queue's scheduling: heartbeats, closing after the last
 * completion (and the linger), and telling the queue when a client left before its stream ended.
 */
export class SessionStreams {
  private readonly open = new Set<Subscriber<QueueMessage>>();
  /** The flow of each session's open stream (one stream per session reads at a time). */
  private readonly flows = new Map<string, StreamFlow>();

  constructor(
    private readonly store: SessionStore,
    private readonly heartbeatSeconds: number,
    /** A stream was unsubscribed before it ended: the client left. */
    private readonly clientLeft: (sessionHash: string) => void,
  ) {}

  /** Open streams (for the queue's snapshot). */
  get size(): number {
    return this.open.size;
  }

  /**
   * A session's message stream: buffered messages, then live ones and heartbeats, until the completion of its last
   * pending event has been delivered (and `lingerMs` more have passed with nothing new pending), then
   * `close_stream`. Unsubscribing before that means the client left.
   */
  stream(sessionHash: string, { lingerMs = 0, flow, heartbeats = true }: StreamOptions = {}): Observable<QueueMessage> {
    return new Observable<QueueMessage>((subscriber) => {
      if (!this.store.hasSession(sessionHash)) {
        subscriber.next(SESSION_NOT_FOUND);
        subscriber.complete();
        return undefined;
      }
      this.open.add(subscriber);
      if (flow) this.flows.set(sessionHash, flow);
      const stream = new OpenStream(this, this.store, sessionHash, subscriber, lingerMs, flow);
      stream.start(heartbeats ? this.heartbeatSeconds : undefined);
      return stream;
    });
  }

  /** A stream's teardown: `ended` is false when its client left before it ended. */
  torndown(stream: OpenStream, ended: boolean): void {
    const { sessionHash, flow } = stream;
    if (flow && this.flows.get(sessionHash) === flow) this.flows.delete(sessionHash);
    this.open.delete(stream.subscriber);
    if (ended) this.store.dropIfIdle(sessionHash);
    else this.clientLeft(sessionHash);
  }

  /** A promise while the session's open stream has more unsent than its connection should hold. */
  whenWritable(sessionHash: string): Promise<void> | undefined {
    const flow = this.flows.get(sessionHash);
    return flow?.saturated() ? flow.drained() : undefined;
  }

  /** Sends `last` on every open stream and ends them all (the server is stopping). */
  endAll(last: QueueMessage): void {
    for (const subscriber of [...this.open]) {
      subscriber.next(last);
      subscriber.complete();
    }
  }
}

/**
 * One open stream: the session's reader and, to RxJS, the stream's teardown. A class rather than closures over the
 * subscription, because an idle client holds its stream for as long as it waits — thousands at once — and each
 * closure (with its context) cost as much as the whole object; the timers call module functions with the stream as
 * their argument for the same reason.
 */
export class OpenStream implements SessionReader, Unsubscribable {
  private ended = false;
  /** The timer that closes the stream once the linger after its last completion has passed. */
  private closing: NodeJS.Timeout | undefined;
  /** When the last completion left nothing pending. */
  private idleSince = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly streams: SessionStreams,
    private readonly store: SessionStore,
    readonly sessionHash: string,
    readonly subscriber: Subscriber<QueueMessage>,
    private readonly lingerMs: number,
    readonly flow: StreamFlow | undefined,
  ) {}

  /** Attaches to the session (its buffered messages arrive now) and starts the heartbeats, if any. */
  start(heartbeatSeconds: number | undefined): void {
    this.store.attach(this.sessionHash, this);
    if (heartbeatSeconds !== undefined && !this.ended) {
      this.heartbeat = setInterval(sendHeartbeat, heartbeatSeconds * 1000, this.subscriber);
    }
  }

  deliver(message: QueueMessage): void {
    if (this.ended) return;
    this.subscriber.next(message);
    if (message.msg !== 'process_completed' || this.store.completeDelivery(this.sessionHash, message.event_id) > 0) {
      return;
    }
    if (this.lingerMs <= 0) {
      this.close();
    } else {
      this.idleSince = performance.now();
      this.closing ??= setTimeout(closeUnlessBusy, this.lingerMs, this);
    }
  }

  superseded(): void {
    this.end();
  }

  unsubscribe(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.closing);
    this.store.detach(this.sessionHash, this);
    this.streams.torndown(this, this.ended);
  }

  /**
   * The stream closes `lingerMs` after the last completion that left nothing pending, not after the first: under
   * back-to-back calls a timer from the first idle moment fired mid-stream, and every client had to reopen its
   * stream (another request) every `lingerMs`.
   */
  closeUnlessBusy(): void {
    this.closing = undefined;
    if (this.ended || this.store.pendingCount(this.sessionHash) > 0) return;
    const wait = this.idleSince + this.lingerMs - performance.now();
    if (wait > 0) this.closing = setTimeout(closeUnlessBusy, wait, this);
    else this.close();
  }

  private close(): void {
    this.subscriber.next(CLOSE_STREAM);
    this.end();
  }

  private end(): void {
    this.ended = true;
    this.subscriber.complete();
  }
}

function sendHeartbeat(subscriber: Subscriber<QueueMessage>): void {
  subscriber.next(HEARTBEAT);
}

function closeUnlessBusy(stream: OpenStream): void {
  stream.closeUnlessBusy();
}
