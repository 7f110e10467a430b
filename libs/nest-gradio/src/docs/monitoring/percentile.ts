/**
 * The `p`-th percentile (0–100) of ascending `sorted` values, interpolating linearly between the two nearest ranks
 * — numpy's default method, which Gradio's `/monitoring/summary` uses. `null` for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = ((n - 1) * Math.min(Math.max(p, 0), 100)) / 100;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, n - 1);
  const low = sorted[lower] as number;
  return low + (rank - lower) * ((sorted[upper] as number) - low);
}
