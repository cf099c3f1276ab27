/** Small statistics helpers; every figure in the report goes through these. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of `values` (0 for an empty list). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(ours: number, baseline: number): number {
  return baseline > 0 ? round(ours / baseline, 3) : 0;
}
