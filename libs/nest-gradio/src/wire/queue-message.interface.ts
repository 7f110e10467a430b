/**
 * The messages of Gradio's `sse_v3` queue protocol (docs/protocol.md#queue-messages). Every field is always present, in this order,
 * because the clients and Gradio's own tests read them as they come.
 */
export type QueueMessage =
  | EstimationMessage
  | ProcessStartsMessage
  | ProgressMessage
  | LogMessage
  | ProcessGeneratingMessage
  | ProcessCompletedMessage
  | HeartbeatMessage
  | CloseStreamMessage
  | UnexpectedErrorMessage;

export interface EstimationMessage {
  msg: 'estimation';
  event_id: string | null;
  rank: number | null;
  queue_size: number;
  rank_eta: number | null;
}

export interface ProcessStartsMessage {
  msg: 'process_starts';
  event_id: string;
  eta: number | null;
}

export interface ProgressUnit {
  index: number | null;
  length: number | null;
  unit: string | null;
  progress: number | null;
  desc: string | null;
}

export interface ProgressMessage {
  msg: 'progress';
  event_id: string;
  progress_data: ProgressUnit[];
}

export type LogLevel = 'info' | 'warning' | 'success' | 'error';

export interface LogMessage {
  msg: 'log';
  event_id: string;
  log: string;
  level: LogLevel;
  duration: number | null;
  visible: boolean;
  title: string;
}

/** The `output` of a successful step or completion. */
export interface OutputPayload {
  data: unknown[];
  is_generating: boolean;
  duration: number | null;
  average_duration: number | null;
  render_config: null;
  changed_state_ids: [];
  used_cache: null;
}

/** The `output` of a failed event: only these keys, since the Python client passes them to `AppError(**rest)`. */
export interface ErrorPayload {
  error: string | null;
  duration?: number | null;
  visible?: boolean;
  title?: string;
}

export interface ProcessGeneratingMessage {
  msg: 'process_generating';
  event_id: string;
  output: OutputPayload;
  success: true;
  time_limit: number | null;
}

export interface ProcessCompletedMessage {
  msg: 'process_completed';
  event_id: string;
  output: OutputPayload | ErrorPayload;
  success: boolean;
  title: string | null;
  used_cache: null;
  cache_duration: number | null;
  avg_time: number | null;
}

export interface HeartbeatMessage {
  msg: 'heartbeat';
  event_id: null;
}

export interface CloseStreamMessage {
  msg: 'close_stream';
  event_id: null;
}

export interface UnexpectedErrorMessage {
  msg: 'unexpected_error';
  event_id: null;
  message: string;
  session_not_found: boolean;
  success: false;
}
