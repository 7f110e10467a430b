import type { OutputPayload, QueueMessage } from './queue-message.interface.js';
import { pythonJsonDumps } from './python-json.js';

/**
 * Frames one queue message for the curl protocol (`GET /gradio_api/call/{name}/{event_id}`, docs/protocol.md#call-protocol):
 * `event: <kind>` + `data: <json.dumps-style JSON>` + a blank line. Messages curl users do not see (estimation,
 * process_starts, progress, log, close_stream) give `undefined`.
 */
export function encodeCallEvent(message: QueueMessage): string | undefined {
  switch (message.msg) {
    case 'process_generating':
      return frame('generating', message.output.data);
    case 'process_completed':
      if (!message.success) return frame('error', message.output);
      return frame('complete', (message.output as OutputPayload).data);
    case 'heartbeat':
      return frame('heartbeat', null);
    case 'unexpected_error':
      return frame('error', message.message);
    default:
      return undefined;
  }
}

function frame(kind: string, data: unknown): string {
  return `event: ${kind}\ndata: ${pythonJsonDumps(data)}\n\n`;
}
