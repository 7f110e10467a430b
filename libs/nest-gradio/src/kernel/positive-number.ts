/** A whole number ≥ 1 (limits, sizes, counts). Callers word the error, which names the option. */
export function isPositiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

/** A finite number > 0 (durations in seconds). Rejects NaN and Infinity. */
export function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value);
}
