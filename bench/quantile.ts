// The percentile rule the latency benchmarks print with: the sample at floor(q × n) of the sorted
// samples (clamped to the last), so p50 of an even count is the upper middle one. (bench/start.ts
// averages the middle two of its handful of runs instead: a true median.)
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
