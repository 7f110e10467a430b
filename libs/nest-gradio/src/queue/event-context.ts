import { AsyncLocalStorage } from 'node:async_hooks';
import type { AlertOptions, EventContext, GradioRequest, ProgressOptions } from '../options/event-context.interface.js';
import { eventContextOffMessage } from '../kernel/gradio.messages.js';
import type { LogLevel, ProgressUnit, QueueMessage } from '../wire/queue-message.interface.js';
import { log, progress } from '../wire/queue-messages.js';

const storage = new AsyncLocalStorage<EventContext>();
/**
 * Whether handlers run inside {@link storage}. Off unless a queue was made with `asyncEventContext`: from the
 * storage's first `run` on, Node's async hooks stay on for the process and every promise, tick and timer any code
 * makes pays for them (docs/performance.md#the-event-context-is-opt-in).
 */
let tracked = false;

/** Turns the storage on for every handler started from now on, in this process (a queue's `asyncEventContext`). */
export function trackEventContext(): void {
  tracked = true;
}

/**
 * The context of the event whose handler is running, anywhere in its async call tree; undefined outside one.
 * Needs the module option `asyncEventContext`; without it, throws an error that says so.
 *
 * @publicApi
 */
export function currentEvent(): EventContext | undefined {
  if (!tracked) throw new Error(eventContextOffMessage());
  return storage.getStore();
}

export function runInEventContext<T>(context: EventContext, run: () => T): T {
  return tracked ? storage.run(context, run) : run();
}

/** Gradio sends progress at most every 10 ms, only the latest state. */
const PROGRESS_INTERVAL_MS = 10;

/** The title of an alert the author gave none. */
export const DEFAULT_ALERT_TITLES: Record<LogLevel, string> = {
  info: 'Info',
  warning: 'Warning',
  success: 'Success',
  error: 'Error',
};

/**
 * The {@link EventContext} handed to a handler. Progress and alerts become `progress` and `log` messages for every
 * event the handler works for (one, or a whole batch) while the job runs; after it ended they are ignored.
 */
export class RunningEventContext implements EventContext {
  private closed = false;
  private lastProgressAt = -Infinity;
  private pendingProgress: ProgressUnit | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly eventId: string,
    readonly sessionHash: string,
    readonly apiName: string,
    readonly request: GradioRequest,
    /** The job's AbortSignal, made on first use: most handlers never look at it. */
    private readonly signalOf: () => AbortSignal,
    private readonly recipients: () => readonly string[],
    private readonly publish: (eventId: string, message: QueueMessage) => void,
  ) {}

  get signal(): AbortSignal {
    return this.signalOf();
  }

  progress(value: number, lengthOrOptions?: number | null | ProgressOptions, options?: ProgressOptions): void {
    if (this.closed) return;
    const unit: ProgressUnit =
      typeof lengthOrOptions === 'number' || lengthOrOptions === null
        ? {
            index: value,
            length: lengthOrOptions,
            unit: options?.unit ?? 'steps',
            progress: null,
            desc: options?.desc ?? null,
          }
        : { index: null, length: null, unit: 'steps', progress: value, desc: lengthOrOptions?.desc ?? null };
    this.pendingProgress = unit;
    const wait = this.lastProgressAt + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) this.flushProgress();
    else this.progressTimer ??= setTimeout(() => this.flushProgress(), wait);
  }

  info(message: string, options?: AlertOptions): void {
    this.alert('info', message, options);
  }

  warning(message: string, options?: AlertOptions): void {
    this.alert('warning', message, options);
  }

  success(message: string, options?: AlertOptions): void {
    this.alert('success', message, options);
  }

  /** Ends the context: later calls do nothing and a throttled progress update is dropped. */
  close(): void {
    this.closed = true;
    clearTimeout(this.progressTimer);
    this.pendingProgress = undefined;
  }

  private flushProgress(): void {
    this.progressTimer = undefined;
    const unit = this.pendingProgress;
    if (this.closed || !unit) return;
    this.pendingProgress = undefined;
    this.lastProgressAt = performance.now();
    for (const eventId of this.recipients()) this.publish(eventId, progress(eventId, [unit]));
  }

  private alert(level: LogLevel, text: string, options: AlertOptions = {}): void {
    if (this.closed) return;
    const duration = options.duration === undefined ? 10 : options.duration;
    const title = options.title ?? DEFAULT_ALERT_TITLES[level];
    for (const eventId of this.recipients()) {
      this.publish(eventId, log(eventId, String(text), level, duration, options.visible ?? true, title));
    }
  }
}
