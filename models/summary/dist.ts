/** Summaries of a per-trial column: mean and percentiles, and shares of trials. */
import { mean, quantileSorted } from "d3-array";

/** Mean and percentiles of a column; percentiles by linear interpolation (R-7, Excel PERCENTILE.INC). */
export interface Dist {
  readonly mean: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
}

export const PERCENTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Sorted copy of the finite values of a column. */
export function sortedFinite(column: ArrayLike<number>): Float64Array {
  const out = new Float64Array(column.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

// --- memory (issue 11 goal 6) ---
/**
 * The finite values of a column, sorted, in a scratch buffer reused by dist, meanOfFinite and
 * expectedShortfall (each done with it before it returns): a summary's thirty-odd sorts no longer
 * leave a trial-length copy each for the collector (one column stays allocated, counted in
 * limits.ts). Not for a caller that keeps the result.
 */
let scratch = new Float64Array(0);
function sortedScratch(column: ArrayLike<number>): Float64Array {
  if (scratch.length < column.length) scratch = new Float64Array(column.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (Number.isFinite(v)) scratch[n++] = v;
  }
  return scratch.subarray(0, n).sort();
}
// --- end memory ---

/** The distribution of a column's finite values; null when there are none. */
export function dist(column: ArrayLike<number>): Dist | null {
  return distOfSorted(sortedScratch(column));
}

/** `dist` of values already sorted by `sortedFinite`, for a column that is summarized more than once. */
export function distOfSorted(sorted: Float64Array): Dist | null {
  if (sorted.length === 0) return null;
  const [p5, p25, p50, p75, p95] = PERCENTILES.map((p) => quantileSorted(sorted as unknown as number[], p)!);
  return { mean: finiteMean(sorted), p5: p5!, p25: p25!, p50: p50!, p75: p75!, p95: p95! };
}

/** The mean of a column's finite values; null when there are none. */
export function meanOfFinite(column: ArrayLike<number>): number | null {
  return meanOfSorted(sortedScratch(column));
}

/** `meanOfFinite` of values already sorted by `sortedFinite`. */
export function meanOfSorted(sorted: Float64Array): number | null {
  return sorted.length ? finiteMean(sorted) : null;
}

/** The mean of sorted finite values, rescaled when their sum would overflow. */
function finiteMean(sorted: Float64Array): number {
  const m = mean(sorted)!;
  if (Number.isFinite(m)) return m;
  const scale = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[sorted.length - 1]!));
  return scale * mean(sorted, (x) => x / scale)!;
}

/**
 * Expected shortfall: the mean loss in the worst `tail` of trials, as a positive loss (0 when
 * even those are gains). The worst ⌈tail × n⌉ values of the column (its finite values) are
 * averaged; null when there are none.
 */
export function expectedShortfall(column: ArrayLike<number>, tail: number): number | null {
  return expectedShortfallOfSorted(sortedScratch(column), tail);
}

/** `expectedShortfall` of values already sorted by `sortedFinite`. */
export function expectedShortfallOfSorted(sorted: Float64Array, tail: number): number | null {
  if (sorted.length === 0) return null;
  const k = Math.max(1, Math.ceil(tail * sorted.length - 1e-9));
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i]!;
  return Math.max(0, -s / k);
}

/** Share of trials for which `test` holds. */
export function share(n: number, test: (i: number) => boolean): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (test(i)) k++;
  return n > 0 ? k / n : 0;
}

/** One point of a fan chart: the distribution of a per-trial series at x (a period or year). */
export interface FanPoint extends Dist {
  readonly x: number;
}

/** Fan-chart points for a [trial][x] matrix with `width` columns. */
export function fan(matrix: Float64Array, width: number): FanPoint[] {
  const trials = matrix.length / width;
  const column = new Float64Array(trials);
  const out: FanPoint[] = [];
  for (let x = 0; x < width; x++) {
    for (let t = 0; t < trials; t++) column[t] = matrix[t * width + x]!;
    const d = dist(column);
    if (d) out.push({ x, ...d });
  }
  return out;
}
