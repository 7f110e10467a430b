import {
  estimation,
  HEARTBEAT,
  CLOSE_STREAM,
  outputPayload,
  processCompleted,
  processFailed,
} from './queue-messages.js';
import { encodeQueueData } from './queue-data.encoder.js';

describe('encodeQueueData (GET /gradio_api/queue/data framing)', () => {
  it('writes one "data: " line of compact JSON and a blank line, with Gradio\'s key order', () => {
    expect(encodeQueueData(estimation('e1', 0, 1, null))).toBe(
      'data: {"msg":"estimation","event_id":"e1","rank":0,"queue_size":1,"rank_eta":null}\n\n',
    );
  });

  it('writes a completion with every field of docs/protocol.md#queue-messages, in order', () => {
    const message = processCompleted('e1', outputPayload([8], false, 0.0004, 0.0004));
    expect(encodeQueueData(message)).toBe(
      'data: {"msg":"process_completed","event_id":"e1","output":{"data":[8],"is_generating":false,' +
        '"duration":0.0004,"average_duration":0.0004,"render_config":null,"changed_state_ids":[],"used_cache":null},' +
        '"success":true,"title":null,"used_cache":null,"cache_duration":0.0004,"avg_time":0.0004}\n\n',
    );
  });

  it('writes a hidden error as {"error":null} with title "Error"', () => {
    expect(encodeQueueData(processFailed('e1', { error: null }, 'Error'))).toBe(
      'data: {"msg":"process_completed","event_id":"e1","output":{"error":null},"success":false,"title":"Error",' +
        '"used_cache":null,"cache_duration":null,"avg_time":null}\n\n',
    );
  });

  it('writes heartbeat and close_stream with event_id null', () => {
    expect(encodeQueueData(HEARTBEAT)).toBe('data: {"msg":"heartbeat","event_id":null}\n\n');
    expect(encodeQueueData(CLOSE_STREAM)).toBe('data: {"msg":"close_stream","event_id":null}\n\n');
  });

  it('keeps non-ASCII text raw (UTF-8), as orjson does', () => {
    const message = processCompleted('e1', outputPayload(['héllo ✓'], false, null, null));
    expect(encodeQueueData(message)).toContain('"data":["héllo ✓"]');
  });
});
