import { queueFullMessage } from '../kernel/gradio.messages.js';

/** A join was refused because `maxSize` events are already waiting; the protocol answers 503. */
export class QueueFullError extends Error {
  constructor(maxSize: number, size: number) {
    super(queueFullMessage(maxSize, size));
    this.name = 'QueueFullError';
  }
}
