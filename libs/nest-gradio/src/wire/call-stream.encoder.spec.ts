import {
  estimation,
  HEARTBEAT,
  CLOSE_STREAM,
  log,
  outputPayload,
  processCancelled,
  processCompleted,
  processFailed,
  processGenerating,
  processStarts,
  progress,
  SESSION_NOT_FOUND,
} from './queue-messages.js';
import { encodeCallEvent } from './call-stream.encoder.js';

describe('encodeCallEvent (GET /gradio_api/call/{name}/{event_id} framing, docs/protocol.md#call-protocol)', () => {
  it('prints a result as "event: complete" with json.dumps spacing', () => {
    expect(encodeCallEvent(processCompleted('e', outputPayload(['a', 'b'], false, 0.1, 0.1)))).toBe(
      'event: complete\ndata: ["a", "b"]\n\n',
    );
  });

  it('prints each generator step in full as "event: generating"', () => {
    expect(encodeCallEvent(processGenerating('e', outputPayload(['Hello, w!'], true, 0.1, 0.1), null))).toBe(
      'event: generating\ndata: ["Hello, w!"]\n\n',
    );
  });

  it('prints a hidden error as {"error": null}', () => {
    expect(encodeCallEvent(processFailed('e', { error: null }, 'Error'))).toBe(
      'event: error\ndata: {"error": null}\n\n',
    );
  });

  it('prints a user-facing error with its full payload', () => {
    const payload = { error: 'Custom user-facing error message', duration: 10, visible: true, title: 'Error' };
    expect(encodeCallEvent(processFailed('e', payload, 'Error'))).toBe(
      'event: error\ndata: {"error": "Custom user-facing error message", "duration": 10, "visible": true, "title": "Error"}\n\n',
    );
  });

  it('prints heartbeats as "data: null"', () => {
    expect(encodeCallEvent(HEARTBEAT)).toBe('event: heartbeat\ndata: null\n\n');
  });

  it('prints an unknown session as an error string', () => {
    expect(encodeCallEvent(SESSION_NOT_FOUND)).toBe('event: error\ndata: "404: Not Found"\n\n');
  });

  it('prints a cancelled event as an error (Gradio: "event: complete" / "data: null")', () => {
    expect(encodeCallEvent(processCancelled('e'))).toBe(
      'event: error\ndata: {"error": "Cancelled.", "visible": false, "title": "Cancelled"}\n\n',
    );
  });

  it('prints nothing for estimation, process_starts, progress, log and close_stream', () => {
    const silent = [
      estimation('e', 0, 1, null),
      processStarts('e', null),
      progress('e', [{ index: 1, length: 2, unit: 'steps', progress: null, desc: null }]),
      log('e', 'hi', 'info', 10, true, 'Info'),
      CLOSE_STREAM,
    ];
    for (const message of silent) expect(encodeCallEvent(message)).toBeUndefined();
  });
});
