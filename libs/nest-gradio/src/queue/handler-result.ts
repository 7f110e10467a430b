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
 * they can be iterated (a byte stream returned as a file).
 */
export function handlerSteps(
  result: unknown,
  isValue: (value: object) => boolean = () => false,
  ready: StepGate = () => undefined,
): Observable<HandlerStep> {
  const streams = (value: unknown): value is Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown> =>
    isStream(value) && !isValue(value);
  if (streams(result)) return streamSteps(result, ready);
  if (isPromiseLike(result)) {
    return from(result).pipe(
      mergeMap((value) => (streams(value) ? streamSteps(value, ready) : of<HandlerStep>({ value, streaming: false }))),
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
  ready: StepGate,
): Observable<HandlerStep> {
  // An Observable pushes: it cannot be asked to wait. Generators are pulled, one step at a time.
  if (isObservable(stream)) return stream.pipe(map((value) => ({ value, streaming: true })));
  return pulledSteps(stream, ready);
}

/**
 * The steps of a generator (or any iterable stream), pulled one at a time: the next is asked for only once the
 * gate is open, and after a few milliseconds of steps back to back the event loop gets a turn. A generator that never awaits would otherwise run to its end in one
 * go — or forever — filling the clients' sockets and the session buffers faster than they drain, without bound.
 * Unsubscribing (cancel, disconnect, time limit) returns the iterator, so the generator's `finally` blocks run.
 */
/** How long a generator's steps may run back to back before the event loop gets a turn. */
const MAX_TURN_MS = 5;

function pulledSteps(stream: AsyncIterable<unknown> | Iterable<unknown>, ready: StepGate): Observable<HandlerStep> {
  return new Observable<HandlerStep>((subscriber) => {
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
        subscriber.next({ value: step.value, streaming: true });
        const wait = ready();
        if (wait) await wait;
        // A generator that never awaits I/O still lets the rest of the server run (and its streams drain).
        else if (performance.now() - turnStartedAt > MAX_TURN_MS) await nextTurn();
        else continue;
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

function isStream(value: unknown): value is Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (isObservable(value)) return true;
  if (Symbol.asyncIterator in value) return true;
  return Object.prototype.toString.call(value) === '[object Generator]';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
