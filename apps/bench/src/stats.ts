// Pure statistics helpers: percentiles, medians and per-metric summaries (no I/O).

/** Summary of one metric for one implementation across repetitions. */
export interface Summary {
  count: number;
  median: number;
  min: number;
  max: number;
  /** (max − min) ÷ median, 0 when the median is 0. */
  spread: number;
}

/**
 * Percentile with linear interpolation between closest ranks (p in 0..100).
 * @example percentile([1, 2, 3, 4], 50) // 2.5
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return percentileSorted(sorted, p);
}

/** Percentile of an already ascending-sorted array (see {@link percentile}). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const clamped = Math.min(100, Math.max(0, p));
  const rank = (clamped / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/** Median (50th percentile) of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  return percentile(values.filter(Number.isFinite), 50);
}

/** Median, min, max and relative spread of the finite values. */
export function summarize(values: readonly number[]): Summary {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) {
    return { count: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN, spread: Number.NaN };
  }
  const med = percentile(finite, 50);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return { count: finite.length, median: med, min, max, spread: med === 0 ? 0 : (max - min) / med };
}

/** Concatenates several sample arrays into one Float64Array. */
export function concatSamples(parts: readonly ArrayLike<number>[]): Float64Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
