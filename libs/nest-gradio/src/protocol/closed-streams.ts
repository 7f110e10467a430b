import type { Socket } from 'node:net';
import type { QueueService } from '../queue/queue.service.js';
import { CLOSE_HANDOVER_MS } from '../queue/session-streams.js';

/**
 * Data streams that have sent `close_stream` but whose connection the client has not hung up yet.
 *
 * A client decides whether a new call needs a new data stream when its join is answered, from whether it has read
 * `close_stream` yet. A join answered between the server's `close_stream` and the client reading it is filed under
 * the stream that is ending, and the call is lost: the Python client reports it cancelled. The server cannot see
 * what the client has read, but it sees the Python client hang up the stream's connection right after reading
 * `close_stream`. So a join of such a session is answered once that connection is gone, or {@link CLOSE_HANDOVER_MS}
 * after the close, whichever comes first. The call itself is queued at once; only its answer waits.
 *
 * In distributed mode the join may reach another process, which cannot see the connection: the queue's streams
 * mark their close where every process sees it (`closedStreamHandover`), and a join waits for both.
 */
export class ClosedStreams {
  private readonly waiting = new Map<string, Promise<void>>();

  constructor(private readonly queue: QueueService) {}

  /** The stream of `sessionHash` on `socket` has just sent `close_stream`. */
  closed(sessionHash: string, socket: Socket | null): void {
    if (socket === null || socket.destroyed) return;
    const handedOver = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        socket.off('close', done);
        if (this.waiting.get(sessionHash) === handedOver) this.waiting.delete(sessionHash);
        resolve();
      };
      const timer = setTimeout(done, CLOSE_HANDOVER_MS);
      socket.once('close', done);
    });
    this.waiting.set(sessionHash, handedOver);
  }

  /** Resolves when a join of `sessionHash` may be answered; `undefined` when it may be answered now (the usual). */
  handedOver(sessionHash: string): Promise<void> | undefined {
    const here = this.waiting.get(sessionHash);
    const elsewhere = this.queue.closedStreamHandover(sessionHash);
    if (here === undefined || elsewhere === undefined) return here ?? elsewhere;
    return Promise.all([here, elsewhere]).then(() => undefined);
  }
}
