import { GradioError } from '../kernel/gradio.error.js';
import type { ErrorPayload } from './queue-message.interface.js';

/**
 * The `output` of a failed event (docs/protocol.md#errors). A `GradioError` always reaches the caller; any other error only
 * with `showError`, otherwise `{"error": null}` and the clients say verbose errors are off. Only these keys: the
 * Python client passes them on to `AppError(**rest)`.
 */
export function errorPayload(error: unknown, showError: boolean): ErrorPayload {
  if (error instanceof GradioError) {
    return { error: error.message, duration: error.duration, visible: error.visible, title: error.title };
  }
  if (!showError) return { error: null };
  return { error: error instanceof Error ? error.message : String(error), visible: true };
}

/** The top-level `title` of a failed `process_completed`. */
export function errorTitle(error: unknown): string {
  return error instanceof GradioError ? error.title : 'Error';
}
