import type { ServerResponse } from 'node:http';
import type { Observer } from 'rxjs';
import type { EventStreamWriter } from '../http/sse.js';
import { encodeQueueData } from '../wire/queue-data.encoder.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import type { ClosedStreams } from './closed-streams.js';

/**
 * Writes a session's queue messages to its `queue/data` response, and once the stream ended with `close_stream`,
 * tells {@link ClosedStreams} that the session's next join may have to wait for the client to read it. A class, not
 * an observer literal of two closures: a waiting client keeps its stream open as long as it waits, thousands at once.
 */
export class QueueDataRelay implements Partial<Observer<QueueMessage>> {
  private closed = false;

  constructor(
    private readonly writer: EventStreamWriter,
    private readonly response: ServerResponse,
    private readonly sessionHash: string,
    private readonly closedStreams: ClosedStreams,
  ) {}

  next(message: QueueMessage): void {
    this.closed = message.msg === 'close_stream';
    this.writer.send(encodeQueueData(message));
  }

  complete(): void {
    this.writer.end();
    if (this.closed) this.closedStreams.closed(this.sessionHash, this.response.socket);
  }
}
