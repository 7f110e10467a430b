const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/**
 * A size in bytes from a number or Gradio's `"<integer><unit>"` notation (`"1kb"` = 1024, units b, kb, mb, gb, tb,
 * case-insensitive, spaces ignored); `null` means no limit.
 */
export function parseFileSize(size: number | string | null | undefined, option = 'maxFileSize'): number | null {
  if (size === null || size === undefined) return null;
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(`GradioModule option ${option} must be a whole number of bytes ≥ 0; got ${size}.`);
    }
    return size;
  }
  const match = /^(\d+)([a-z]*)$/i.exec(size.replaceAll(' ', ''));
  const multiple = match ? UNITS[(match[2] || 'B').toUpperCase()] : undefined;
  if (!match || multiple === undefined) {
    throw new Error(
      `GradioModule option ${option} must be a number of bytes or a size such as "10mb" ` +
        `(units b, kb, mb, gb, tb); got "${size}".`,
    );
  }
  return Number(match[1]) * multiple;
}
