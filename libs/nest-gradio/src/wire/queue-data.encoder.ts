import type { QueueMessage } from './queue-message.interface.js';

/**
 * Frames one message of `GET /gradio_api/queue/data`: `data: ` + compact JSON + a blank line, nothing else. The
 * Python client splits the stream on blank lines and rejects any block that does not start with `data:`.
 */
export function encodeQueueData(message: QueueMessage): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}
