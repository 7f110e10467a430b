import type { Endpoint } from '../discovery/endpoint.interface.js';

/** What the queue asks of the files feature while it runs an event (see `JobExecution`). */
export interface EventFiles {
  /** Whether the endpoint's inputs / outputs can hold files at all; when not, the queue skips the steps below. */
  hasInputFiles(endpoint: Endpoint): boolean;
  hasOutputFiles(endpoint: Endpoint): boolean;
  /** Checks every file in an event's inputs and turns it into a `FileData` whose path the handler can read. */
  prepareInputs(endpoint: Endpoint, data: readonly unknown[]): Promise<unknown[]>;
  /**
   * Whether a value the handler returned is a file's content rather than a stream of outputs: a Node.js byte
   * stream (which can also be iterated) returned where the endpoint's one output is a file.
   */
  isFileValue(endpoint: Endpoint, value: object): boolean;
  /** Stores every file in one handler result (before it is split into outputs) and gives it a relative URL. */
  prepareOutput(endpoint: Endpoint, value: unknown): Promise<unknown>;
  /** Makes the file URLs of one event's outputs absolute, with the root of the request that submitted it. */
  addRoot(outputs: unknown[], root: string): void;
}

/** DI token of the {@link EventFiles} the queue uses. */
export const EVENT_FILES = Symbol('nest-gradio:event-files');
