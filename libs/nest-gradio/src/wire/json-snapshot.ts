/**
 * Returns the value exactly as it will go over the wire (a JSON round trip). The queue snapshots each output once,
 * when it is produced: a generator may change and yield the same object again, a message may wait in a session
 * buffer before it is written, and values JSON cannot carry (BigInt, cycles) should fail their event, not a stream.
 */
export function jsonSnapshot(value: unknown): unknown {
  if (isScalar(value)) return scalarSnapshot(value);
  // The usual outputs of a call, a list of a few numbers and strings, copied without the round trip's two passes.
  if (Array.isArray(value) && value.length <= MAX_COPIED_ITEMS) {
    const copy = copyOfScalars(value);
    if (copy !== undefined) return copy;
  }
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null');
  } catch (error) {
    throw new Error(`The handler returned a value that cannot be sent as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Longer lists go through the round trip, which is then no slower than a check of every item. */
const MAX_COPIED_ITEMS = 16;

type Scalar = string | number | boolean | null | undefined;

function isScalar(value: unknown): value is Scalar {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined';
}

/** What a scalar becomes through JSON: undefined, NaN and the infinities are null; -0 is 0. */
function scalarSnapshot(value: Scalar): string | number | boolean | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  return value;
}

/** A copy of a list of scalars as JSON would make it (a hole is null), or undefined when it holds anything else. */
function copyOfScalars(list: readonly unknown[]): unknown[] | undefined {
  const copy: unknown[] = [];
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    if (!isScalar(item)) return undefined;
    copy.push(scalarSnapshot(item));
  }
  return copy;
}
