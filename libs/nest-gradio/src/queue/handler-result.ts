import { from, isObservable, mergeMap, type Observable, of, map } from 'rxjs';

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
): Observable<HandlerStep> {
  const streams = (value: unknown): value is Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown> =>
    isStream(value) && !isValue(value);
  if (streams(result)) return streamSteps(result);
  if (isPromiseLike(result)) {
    return from(result).pipe(
      mergeMap((value) => (streams(value) ? streamSteps(value) : of<HandlerStep>({ value, streaming: false }))),
    );
  }
  return of({ value: result, streaming: false });
}

function streamSteps(
  stream: Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown>,
): Observable<HandlerStep> {
  return from(stream).pipe(map((value) => ({ value, streaming: true })));
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
