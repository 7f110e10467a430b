import type { ProgressUnit, QueueMessage } from '../wire/queue-message.interface.js';

/**
 * What a queue message tells an MCP client that asked for progress (docs/mcp.md#progress): the text of one
 * `notifications/progress`, `undefined` for a notification without text, or `null` when the message is not
 * progress at all (heartbeats, the result itself). Gradio's texts, except that queue positions count from 1 and
 * alerts are passed on with their text.
 */
export function progressMessageOf(message: QueueMessage): string | undefined | null {
  switch (message.msg) {
    case 'estimation': {
      if (message.rank === null) return null;
      const eta =
        message.rank_eta === null ? '' : ` Estimated time remaining: ${roundSeconds(message.rank_eta)} seconds.`;
      return `In queue. Position ${message.rank + 1} out of ${message.queue_size}.${eta}`;
    }
    case 'process_starts':
    case 'process_generating':
      return 'Processing';
    case 'progress':
      return progressText(message.progress_data[0]);
    case 'log':
      return `${message.title}: ${message.log}`;
    default:
      return null;
  }
}

function progressText(unit: ProgressUnit | undefined): string | undefined {
  if (!unit) return undefined;
  const label = unit.desc ?? 'Progress';
  if (unit.index !== null) {
    const of = unit.length === null ? '' : ` of ${unit.length}`;
    return `${label}: ${unit.index}${of}${unit.unit ? ` ${unit.unit}` : ''}`;
  }
  if (unit.progress !== null) return `${label}: ${Math.round(unit.progress * 100)}%`;
  return label;
}

function roundSeconds(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
