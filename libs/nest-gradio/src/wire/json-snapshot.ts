/**
 * Returns the value exactly as it will go over the wire (a JSON round trip). The queue snapshots each output once,
 * when it is produced: a generator may change and yield the same object again, a message may wait in a session
 * buffer before it is written, and values JSON cannot carry (BigInt, cycles) should fail their event, not a stream.
 */
export function jsonSnapshot(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null');
  } catch (error) {
    throw new Error(`The handler returned a value that cannot be sent as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
