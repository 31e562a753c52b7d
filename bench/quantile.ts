// The one percentile rule every benchmark prints with: the sample at floor(q × n) of the sorted
// samples (clamped to the last), so p50 of an even count is the upper middle one.
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
