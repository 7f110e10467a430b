/** Options of a {@link GradioError}; the defaults are Gradio's. @publicApi */
export interface GradioErrorOptions {
  /** Shown above the message in the client. Default `"Error"`. */
  title?: string;
  /** Seconds the browser toast stays; `null` keeps it until closed. Default 10. */
  duration?: number | null;
  /** Whether the browser shows the toast at all. Default true. */
  visible?: boolean;
  /** Whether the server logs the error. Default true. */
  printException?: boolean;
}

/**
 * An error meant for the caller. Its message reaches the client (Python `AppError`, JS rejected `predict`, curl
 * `event: error`) whatever `showError` says; any other error thrown by a handler is hidden unless `showError` is on,
 * exactly like Gradio's `gr.Error`.
 *
 * @publicApi
 */
export class GradioError extends Error {
  readonly title: string;
  readonly duration: number | null;
  readonly visible: boolean;
  readonly printException: boolean;

  constructor(message: string, options: GradioErrorOptions = {}) {
    super(message);
    this.name = 'GradioError';
    this.title = options.title ?? 'Error';
    this.duration = options.duration === undefined ? 10 : options.duration;
    this.visible = options.visible ?? true;
    this.printException = options.printException ?? true;
  }
}
