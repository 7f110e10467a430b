import type {
  CloseStreamMessage,
  ErrorPayload,
  EstimationMessage,
  HeartbeatMessage,
  LogLevel,
  LogMessage,
  OutputPayload,
  ProcessCompletedMessage,
  ProcessGeneratingMessage,
  ProcessStartsMessage,
  ProgressMessage,
  ProgressUnit,
  UnexpectedErrorMessage,
} from './queue-message.interface.js';

/** Builders of queue messages. Object literals keep Gradio's key order, which the encoders preserve. */

export function estimation(
  eventId: string | null,
  rank: number | null,
  queueSize: number,
  rankEta: number | null,
): EstimationMessage {
  return { msg: 'estimation', event_id: eventId, rank, queue_size: queueSize, rank_eta: rankEta };
}

export function processStarts(eventId: string, eta: number | null): ProcessStartsMessage {
  return { msg: 'process_starts', event_id: eventId, eta };
}

export function progress(eventId: string, units: ProgressUnit[]): ProgressMessage {
  return { msg: 'progress', event_id: eventId, progress_data: units };
}

export function log(
  eventId: string,
  text: string,
  level: LogLevel,
  duration: number | null,
  visible: boolean,
  title: string,
): LogMessage {
  return { msg: 'log', event_id: eventId, log: text, level, duration, visible, title };
}

export function outputPayload(
  data: unknown[],
  isGenerating: boolean,
  duration: number | null,
  averageDuration: number | null,
): OutputPayload {
  return {
    data,
    is_generating: isGenerating,
    duration,
    average_duration: averageDuration,
    render_config: null,
    changed_state_ids: [],
    used_cache: null,
  };
}

export function processGenerating(
  eventId: string,
  output: OutputPayload,
  timeLimit: number | null,
): ProcessGeneratingMessage {
  return { msg: 'process_generating', event_id: eventId, output, success: true, time_limit: timeLimit };
}

export function processCompleted(eventId: string, output: OutputPayload): ProcessCompletedMessage {
  return {
    msg: 'process_completed',
    event_id: eventId,
    output,
    success: true,
    title: null,
    used_cache: null,
    cache_duration: output.duration,
    avg_time: output.average_duration,
  };
}

export function processFailed(eventId: string, error: ErrorPayload, title: string): ProcessCompletedMessage {
  return {
    msg: 'process_completed',
    event_id: eventId,
    output: error,
    success: false,
    title,
    used_cache: null,
    cache_duration: null,
    avg_time: null,
  };
}

/**
 * The completion `/gradio_api/cancel` sends for a cancelled event, so that the session's stream can still reach
 * `close_stream`. Gradio sends `output: {}`, which the JS client cannot read: it throws, and its handler then
 * closes the client's shared stream, failing every other call in flight on that client; the Python client, when
 * the acknowledgement beats its own cancellation, raises `KeyError`. As an error both read it cleanly: the JS call
 * rejects on its own, the Python one raises `AppError`, and curl prints `event: error`. `visible: false` keeps the
 * browser from showing a toast for a cancel the user asked for.
 */
export function processCancelled(eventId: string): ProcessCompletedMessage {
  return {
    msg: 'process_completed',
    event_id: eventId,
    output: { error: 'Cancelled.', visible: false, title: 'Cancelled' },
    success: false,
    title: 'Cancelled',
    used_cache: null,
    cache_duration: null,
    avg_time: null,
  };
}

export const HEARTBEAT: HeartbeatMessage = Object.freeze({ msg: 'heartbeat', event_id: null }) as HeartbeatMessage;
export const CLOSE_STREAM: CloseStreamMessage = Object.freeze({
  msg: 'close_stream',
  event_id: null,
}) as CloseStreamMessage;

export function unexpectedError(message: string, sessionNotFound: boolean): UnexpectedErrorMessage {
  return { msg: 'unexpected_error', event_id: null, message, session_not_found: sessionNotFound, success: false };
}

export const SESSION_NOT_FOUND = unexpectedError('404: Not Found', true);
