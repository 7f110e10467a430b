import { Logger } from '@nestjs/common';
import { concatMap, defer, type Observable, type Subscription } from 'rxjs';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { GradioError } from '../kernel/gradio.error.js';
import type { EventFiles } from './event-files.port.js';
import { outputCountMessage, timeLimitMessage, unreadMessagesMessage } from '../kernel/gradio.messages.js';
import { generatingData } from '../wire/generator-diff.js';
import { bindArguments } from './argument.binder.js';
import { errorPayload, errorTitle } from '../wire/error-payload.js';
import { asClientError } from '../kernel/http-exception.js';
import { RunningEventContext, runInEventContext } from './event-context.js';
import { handlerSteps, type HandlerStep, StepPacer } from './handler-result.js';
import { jsonSnapshot } from '../wire/json-snapshot.js';
import type { ProcessTimeStats } from './process-time.stats.js';
import { type AbortReason, MAX_UNREAD_MESSAGES, type QueueEvent } from './queue-event.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import type { HandlerWrap } from './queue-lifecycle.js';
import { outputPayload, processCompleted, processFailed, processGenerating } from '../wire/queue-messages.js';

/** What a job runs and where its messages go. */
export interface JobExecutionOptions {
  /** One event, or several events of one batch endpoint. */
  events: readonly QueueEvent[];
  sink: JobSink;
  /** Where step and job durations are recorded (the ETAs and `process_generating` timings come from them). */
  stats: ProcessTimeStats;
  /** Whether an error's message reaches the client (the module option `showError`). */
  showError: boolean;
  /** The files feature, when the module has one; it converts the event's file inputs and outputs. */
  files?: EventFiles;
  /** Runs the handler inside an observer's async context (the tracer's), when one asked. */
  wrap?: HandlerWrap;
}

/** Where a job's messages go, and who is told when it ends. */
export interface JobSink {
  publish(event: QueueEvent, message: QueueMessage): void;
  /**
   * Before a generator's next step: a promise while the events' clients are behind on reading (their streams are
   * full), else undefined. It may also end an event whose messages nobody reads (see {@link AbortReason}).
   */
  ready?(events: readonly QueueEvent[]): Promise<void> | undefined;
  /** Called exactly once, when the job no longer runs (finished, failed, timed out or abandoned). */
  finished(): void;
}

const logger = new Logger('GradioQueue');

/**
 * Runs one job — a single event, or a batch of events of one batch endpoint — from argument binding to its
 * completion messages. It owns the job's abort controller: the handler's `signal` fires when every event of the job
 * was cancelled or disconnected, or when the time limit passes.
 */
export class JobExecution {
  private readonly endpoint: Endpoint;
  /** The handler's abort controller, made when the handler first reads `signal` (most never do). */
  private controller: AbortController | undefined;
  private abortedBecause: AbortReason | undefined;
  private readonly unlisteners: (() => void)[] = [];
  /** The events whose arguments went into the call, in batch order; fixed once the handler is invoked. */
  private members: QueueEvent[] = [];
  /** The members still waiting for results (a cancelled or disconnected one leaves). */
  private recipients: QueueEvent[] = [];
  private context: RunningEventContext | undefined;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Latest outputs per event: the base of the next diff and the data of the completion. */
  private latest = new Map<QueueEvent, unknown[]>();
  private stepStartedAt = 0;
  private lastStepSeconds: number | null = null;
  private averageStepSeconds: number | null = null;
  private ended = false;
  /** Set only for endpoints whose outputs can hold files: the others skip file handling entirely. */
  private readonly outputFiles: EventFiles | undefined;

  private readonly events: readonly QueueEvent[];
  private readonly sink: JobSink;
  private readonly stats: ProcessTimeStats;
  private readonly showError: boolean;
  private readonly files: EventFiles | undefined;
  private readonly wrap: HandlerWrap | undefined;

  constructor({ events, sink, stats, showError, files, wrap }: JobExecutionOptions) {
    this.events = events;
    this.wrap = wrap;
    this.sink = sink;
    this.stats = stats;
    this.showError = showError;
    this.files = files;
    this.endpoint = (events[0] as QueueEvent).endpoint;
    this.outputFiles = files?.hasOutputFiles(this.endpoint) ? files : undefined;
  }

  async run(): Promise<void> {
    const startedAt = performance.now();
    const bound = new Map<QueueEvent, unknown[]>();
    for (const event of this.events) {
      if (event.aborted) continue;
      try {
        const data = this.files?.hasInputFiles(this.endpoint)
          ? await this.files.prepareInputs(this.endpoint, event.input.data)
          : event.input.data;
        // Awaited even when binding was synchronous: the handler then runs after the join that dispatched it has
        // returned, never inside it (a handler done at once would otherwise finish its event within `join`, and
        // start the next waiting job within this one's completion, as deep as the queue is long).
        bound.set(event, await bindArguments(this.endpoint, data));
        this.recipients.push(event);
      } catch (error) {
        this.publishFailure(event, error);
      }
    }
    // Binding awaits (DTO validation); an event may have been cancelled meanwhile.
    this.members = this.recipients.filter((event) => !event.aborted);
    this.recipients = [...this.members];
    if (this.members.length === 0) return this.end();
    for (const event of this.members) this.watchAbort(event);
    if (this.endpoint.timeLimit !== null) {
      this.timer = setTimeout(() => this.timeOut(), this.endpoint.timeLimit * 1000);
    }
    const rows = this.members.map((event) => bound.get(event) as unknown[]);
    const args = this.endpoint.batch ? transpose(rows, this.endpoint.parameters.length) : (rows[0] as unknown[]);
    const first = this.members[0] as QueueEvent;
    const context = new RunningEventContext(
      first.id,
      first.sessionHash,
      this.endpoint.apiName,
      first.input.request,
      () => this.signal(),
      () => this.recipients.map((event) => event.id),
      (eventId, message) => {
        const event = this.recipients.find((candidate) => candidate.id === eventId);
        if (event) this.sink.publish(event, message);
      },
    );
    this.context = context;
    this.stepStartedAt = startedAt;
    const start = (): void => {
      const isFile = this.outputFiles
        ? (value: object) => (this.outputFiles as EventFiles).isFileValue(this.endpoint, value)
        : undefined;
      const pacer = new StepPacer(() => this.readyForStep());
      const invoke = () => this.endpoint.invoke(args, context, (stream) => pacer.pull(stream));
      this.subscription = defer(() => this.storeFiles(handlerSteps(invoke(), isFile, pacer))).subscribe({
        next: (step) => this.onStep(step),
        error: (error: unknown) => this.onError(error),
        complete: () => this.onComplete(startedAt),
      });
    };
    const wrap = this.wrap;
    runInEventContext(context, wrap ? () => wrap(first.id, start) : start);
    if (this.ended) this.subscription?.unsubscribe();
  }

  private readyForStep(): Promise<void> | undefined {
    return this.ended ? undefined : this.sink.ready?.(this.recipients);
  }

  private onStep(step: HandlerStep): void {
    if (this.ended) return;
    // An exception thrown from an RxJS `next` callback would escape as an unhandled error; fail the job instead.
    try {
      this.publishStep(step);
    } catch (error) {
      this.subscription?.unsubscribe();
      this.onError(error);
    }
  }

  private publishStep(step: HandlerStep): void {
    const perEvent = this.outputsPerEvent(step.value);
    const now = performance.now();
    this.lastStepSeconds = (now - this.stepStartedAt) / 1000;
    this.averageStepSeconds = this.stats.recordStep(this.endpoint.id, this.lastStepSeconds);
    this.stepStartedAt = now;
    for (const event of this.recipients) {
      const data = jsonSnapshot(perEvent.get(event)) as unknown[];
      this.outputFiles?.addRoot(data, event.input.request.root);
      const previous = this.latest.get(event);
      if (step.streaming) {
        const sent = generatingData(previous, data, event.input.simpleFormat);
        const payload = outputPayload(sent, true, this.lastStepSeconds, this.averageStepSeconds);
        this.sink.publish(event, processGenerating(event.id, payload, this.endpoint.timeLimit));
      }
      this.latest.set(event, data);
    }
  }

  /** Stores the files of each step where clients can download them, one step after the other. */
  private storeFiles(steps: Observable<HandlerStep>): Observable<HandlerStep> {
    const files = this.outputFiles;
    if (!files) return steps;
    return steps.pipe(
      concatMap(async (step) => ({ ...step, value: await files.prepareOutput(this.endpoint, step.value) })),
    );
  }

  private onComplete(startedAt: number): void {
    if (this.ended) return;
    const nulls = this.endpoint.outputs.map(() => null);
    for (const event of this.recipients) {
      const payload = outputPayload(
        this.latest.get(event) ?? nulls,
        false,
        this.lastStepSeconds,
        this.averageStepSeconds,
      );
      this.sink.publish(event, processCompleted(event.id, payload));
    }
    this.stats.recordJob(this.endpoint.id, (performance.now() - startedAt) / 1000);
    this.end();
  }

  private onError(raised: unknown): void {
    if (this.ended) return;
    const error = asClientError(raised);
    // A GradioError is an answer the handler chose to give: one line, no stack. Anything else is a bug to debug.
    if (error instanceof GradioError) {
      if (error.printException) logger.warn(`/${this.endpoint.apiName} raised a GradioError: ${error.message}`);
    } else {
      logger.error(
        `/${this.endpoint.apiName} failed: ${describeError(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
    }
    for (const event of this.recipients) this.publishFailure(event, error);
    this.end();
  }

  private timeOut(): void {
    if (this.ended) return;
    const seconds = this.endpoint.timeLimit as number;
    this.abortHandler('time-limit');
    const error = new GradioError(timeLimitMessage(seconds), { title: 'Time limit exceeded' });
    for (const event of this.recipients) {
      event.timedOut = true;
      this.publishFailure(event, error);
    }
    this.end();
  }

  /** An event of the job was cancelled or lost its client: it gets no more messages; the last one out stops the job. */
  private onEventAborted(event: QueueEvent, reason: AbortReason): void {
    this.recipients = this.recipients.filter((candidate) => candidate !== event);
    this.latest.delete(event);
    // Its client may still come to read: the last of its messages says why the rest never came.
    if (reason === 'unread') this.publishFailure(event, new GradioError(unreadMessagesMessage(MAX_UNREAD_MESSAGES)));
    if (this.recipients.length > 0 || this.ended) return;
    this.abortHandler(reason);
    this.end();
  }

  private signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortedBecause !== undefined) this.controller.abort(this.abortedBecause);
    }
    return this.controller.signal;
  }

  private abortHandler(reason: AbortReason): void {
    this.abortedBecause ??= reason;
    this.controller?.abort(reason);
    this.subscription?.unsubscribe();
  }

  private publishFailure(event: QueueEvent, error: unknown): void {
    this.sink.publish(event, processFailed(event.id, errorPayload(error, this.showError), errorTitle(error)));
  }

  private watchAbort(event: QueueEvent): void {
    this.unlisteners.push(event.onAbort((reason) => this.onEventAborted(event, reason)));
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.context?.close();
    for (const unlisten of this.unlisteners) unlisten();
    this.latest.clear();
    this.sink.finished();
  }

  /** Splits one handler value into the output list of each member event (by its place in the batch). */
  private outputsPerEvent(value: unknown): Map<QueueEvent, unknown[]> {
    if (!this.endpoint.batch) return new Map([[this.members[0] as QueueEvent, this.toOutputs(value)]]);
    const outputCount = this.endpoint.outputs.length;
    if (!isBatchColumns(value, outputCount)) {
      throw new Error(
        `/${this.endpoint.apiName} is a batch endpoint: it must return ${outputCount} list(s), one per output, each with one item per sample.`,
      );
    }
    return new Map(this.members.map((event, sample) => [event, value.map((column) => column[sample] ?? null)]));
  }

  private toOutputs(value: unknown): unknown[] {
    const count = this.endpoint.outputs.length;
    if (count === 0) return [];
    if (count === 1) return [value === undefined ? null : value];
    if (!Array.isArray(value) || value.length < count) {
      throw new Error(outputCountMessage(this.endpoint.apiName, count, Array.isArray(value) ? value.length : 1));
    }
    return value.slice(0, count);
  }
}

function isBatchColumns(value: unknown, outputCount: number): value is unknown[][] {
  return Array.isArray(value) && value.length === outputCount && value.every(Array.isArray);
}

/** Turns one argument list per event into one list per parameter, the shape batch handlers receive. */
function transpose(rows: unknown[][], parameterCount: number): unknown[] {
  return Array.from({ length: parameterCount }, (_unused, parameter) => rows.map((row) => row[parameter]));
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
