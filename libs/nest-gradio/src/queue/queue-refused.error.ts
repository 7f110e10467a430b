import { queueClosedMessage, queueFullMessage } from '../kernel/gradio.messages.js';

/** A join the queue refused; the protocols answer 503 with its message (MCP: a tool error with its title). */
export abstract class QueueRefusedError extends Error {
  abstract readonly title: string;
}

/** `maxSize` events are already waiting. */
export class QueueFullError extends QueueRefusedError {
  readonly title = 'Queue full';

  constructor(maxSize: number, size: number) {
    super(queueFullMessage(maxSize, size));
    this.name = 'QueueFullError';
  }
}

/** The server is shutting down and takes no new calls. */
export class QueueClosedError extends QueueRefusedError {
  readonly title = 'Server stopping';

  constructor() {
    super(queueClosedMessage());
    this.name = 'QueueClosedError';
  }
}
