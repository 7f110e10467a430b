import { setImmediate as nextTurn } from 'node:timers/promises';
import { from, isObservable, map, mergeMap, Observable, of } from 'rxjs';

/** One value produced by a handler; `streaming` when it is a step of a stream rather than the single result. */
export interface HandlerStep {
  value: unknown;
  streaming: boolean;
}

/**
 * Normalises whatever a handler returned into an Observable of steps: a plain value or a Promise gives one final
 * step; an Observable, an async iterable or a generator object gives one streaming step per item. Arrays, strings,
 * Maps and other ordinary iterables are values, not streams. `isValue` names other objects that are values although
 * they can be iterated (a byte stream returned as a file). `pacer` pulls generators (see {@link StepPacer}) and is
 * told of every streaming step that arrives.
 */
export function handlerSteps(
  result: unknown,
  isValue: (value: object) => boolean = () => false,
  pacer: StepPacer = new StepPacer(() => undefined),
): Observable<HandlerStep> {
  const streams = (value: unknown): value is Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown> =>
    isStream(value) && !isValue(value);
  if (streams(result)) return streamSteps(result, pacer);
  if (isPromiseLike(result)) {
    return from(result).pipe(
      mergeMap((value) => (streams(value) ? streamSteps(value, pacer) : of<HandlerStep>({ value, streaming: false }))),
    );
  }
  return of({ value: result, streaming: false });
}

/**
 * Asked before each next step of a generator: a promise to wait for (the clients are behind), or undefined to go on
 * after the event loop's next turn.
 */
export type StepGate = () => Promise<void> | undefined;

function streamSteps(
  stream: Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown>,
  pacer: StepPacer,
): Observable<HandlerStep> {
  // An Observable pushes: it cannot be asked to wait (unless it is the pacer's own, made for interceptors).
  // Generators are pulled, one step at a time.
  const items = isObservable(stream) ? stream : pacer.pull(stream);
  return items.pipe(
    map((value) => {
      pacer.arrived();
      return { value, streaming: true };
    }),
  );
}

/** How long a generator's steps may run back to back before the event loop gets a turn. */
const MAX_TURN_MS = 5;

/**
 * Paces the generator of one job: its next step is asked for only once the previous one reached the job and the
 * gate is open, and after a few milliseconds of steps back to back the event loop gets a turn. A generator that never
 * awaits would otherwise run to its end in one go — or forever — filling the clients' sockets and the session buffers
 * faster than they drain, without bound.
 *
 * The job pulls a generator itself when nothing stands between them. When interceptors do, they need an Observable:
 * the pacer makes it (through `Endpoint.invoke`), and it pulls the same way, one step per step that reached the job.
 * An interceptor may hold a value back (an async operator) or drop it (a filter); the pull then goes on after the
 * event loop's next turn instead of waiting for an arrival that may never come. What such an interceptor holds is
 * therefore not bounded by the gate, but by the pace of one step a turn.
 */
export class StepPacer {
  private arrivals = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly gate: StepGate) {}

  /** A streaming value reached the job (which publishes it before it returns). */
  arrived(): void {
    this.arrivals++;
    for (const wake of this.waiting) wake();
  }

  /**
   * The items of a generator (or any iterable stream), pulled one at a time as paced above. Unsubscribing (cancel,
   * disconnect, time limit) returns the iterator, so the generator's `finally` blocks run.
   */
  pull(stream: AsyncIterable<unknown> | Iterable<unknown>): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      const iterator =
        Symbol.asyncIterator in stream
          ? (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]()
          : (stream as Iterable<unknown>)[Symbol.iterator]();
      let stopped = false;
      const pull = async (): Promise<void> => {
        let turnStartedAt = performance.now();
        for (;;) {
          const step = await iterator.next();
          if (stopped) return;
          if (step.done) return subscriber.complete();
          const before = this.arrivals;
          subscriber.next(step.value);
          if (stopped) return;
          const held = this.arrivals === before;
          if (held) await this.arrivalOrTurn();
          const wait = this.gate();
          if (wait) await wait;
          // A generator that never awaits I/O still lets the rest of the server run (and its streams drain).
          else if (!held && performance.now() - turnStartedAt > MAX_TURN_MS) await nextTurn();
          else if (!held) continue;
          if (stopped) return;
          turnStartedAt = performance.now();
        }
      };
      pull().catch((error: unknown) => {
        if (!stopped) subscriber.error(error);
      });
      return () => {
        stopped = true;
        // Ends the generator where it is suspended; what its finally blocks throw has nowhere to go.
        Promise.resolve()
          .then(() => iterator.return?.())
          .catch(() => undefined);
      };
    });
  }

  /** Resolves at the next arrival, or after the event loop's next turn if none comes first. */
  private arrivalOrTurn(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearImmediate(turn);
        this.waiting.delete(wake);
        resolve();
      };
      const turn = setImmediate(wake);
      this.waiting.add(wake);
    });
  }
}

function isStream(value: unknown): value is Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (isObservable(value)) return true;
  if (Symbol.asyncIterator in value) return true;
  return Object.prototype.toString.call(value) === '[object Generator]';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
