/** Summaries of a per-trial column: mean and percentiles, and shares of trials. */
import { quantileSorted } from "d3-array";

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
  return sortFinite(out.subarray(0, n));
}

/** Below this length the built-in sort is as fast; above it, the radix sort is about 2× faster (100,000 values). */
const RADIX_FROM = 512;
/** The radix sort reads a double's low 32-bit word first, as little-endian machines store it; others sort as before. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The radix sort's second buffer (two 32-bit words a value) and its six 11-bit digit histograms, reused. */
let radixWords = new Uint32Array(0);
const radixCounts = new Int32Array(6 * 2048);

/**
 * Sorts finite values in place, ascending, −0 before +0: the same order as
 * Float64Array.prototype.sort, so the same array. A least-significant-digit radix sort on the
 * values' IEEE 754 bits, read as 64-bit keys that order as the numbers do (a positive value's
 * sign bit set, a negative value's every bit flipped), six passes of 11 bits, a pass skipped
 * when every key has the same digit there. The summary sorts thirty-odd trial-length columns
 * (profiled at 11 % of a 100,000-trial run with the built-in sort).
 */
export function sortFinite(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_FROM || !LITTLE_ENDIAN) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n); // little-endian: low word first
  if (radixWords.length < 2 * n) radixWords = new Uint32Array(2 * n);
  const h = radixCounts;
  h.fill(0);
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = words[i]!, hi = words[i + 1]!;
    if (hi & 0x80000000) (hi = ~hi >>> 0), (lo = ~lo >>> 0);
    else hi = (hi | 0x80000000) >>> 0;
    words[i] = lo;
    words[i + 1] = hi;
    h[lo & 2047]!++;
    h[2048 + ((lo >>> 11) & 2047)]!++;
    h[4096 + (lo >>> 22)]!++;
    h[6144 + (hi & 2047)]!++;
    h[8192 + ((hi >>> 11) & 2047)]!++;
    h[10240 + (hi >>> 22)]!++;
  }
  let src: Uint32Array = words, dst: Uint32Array = radixWords;
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * 2048;
    let b = 0;
    while (h[base + b] === 0) b++;
    if (h[base + b] === n) continue; // one digit for all: this pass would not move anything
    let sum = 0;
    for (b = 0; b < 2048; b++) {
      const c = h[base + b]!;
      h[base + b] = sum;
      sum += c;
    }
    const word = pass < 3 ? 0 : 1, shift = (pass % 3) * 11;
    for (let i = 0; i < 2 * n; i += 2) {
      const j = 2 * h[base + ((src[i + word]! >>> shift) & 2047)]!++;
      dst[j] = src[i]!;
      dst[j + 1] = src[i + 1]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = src[i]!, hi = src[i + 1]!;
    if (hi & 0x80000000) (words[i] = lo), (words[i + 1] = hi & 0x7fffffff);
    else (words[i] = ~lo), (words[i + 1] = ~hi);
  }
  return values;
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
  return sortFinite(scratch.subarray(0, n));
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

/**
 * The mean of sorted finite values, rescaled when their sum would overflow. The sums are
 * d3-array's `mean`'s (one pass in order, divided by the count), written as an indexed loop:
 * its for…of over a typed array boxed every value (about 3 KB of garbage a trial in a
 * 100,000-trial summary), and the values here are finite, so its null and NaN tests never skip one.
 */
function finiteMean(sorted: Float64Array): number {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const m = sum / n;
  if (Number.isFinite(m)) return m;
  const scale = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[n - 1]!));
  let scaled = 0;
  for (let i = 0; i < n; i++) scaled += sorted[i]! / scale;
  return scale * (scaled / n);
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

// The summary's shares as plain loops over their columns: `share`'s `test` is a different closure
// at each of a summary's dozen calls, so in a one-off run its loop calls them megamorphically.
// Each gives the count `share` gives, divided the same way.

/** Share of the n trials whose 0/1 flag is 1 (`share(n, (i) => flags[i] === 1)`). */
export function shareFlagged(flags: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (flags[i] === 1) k++;
  return n > 0 ? k / n : 0;
}

/** Share of the n trials whose value `column[i * stride + offset]` is above `x` (`share(n, (i) => column[i * stride + offset] > x)`). */
export function shareAbove(column: Float64Array, x: number, n: number, stride = 1, offset = 0): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (column[i * stride + offset]! > x) k++;
  return n > 0 ? k / n : 0;
}

/** Share of the n trials whose value is below `x` (`share(n, (i) => column[i] < x)`). */
export function shareBelow(column: Float64Array, x: number, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (column[i]! < x) k++;
  return n > 0 ? k / n : 0;
}

/** Share of the n trials whose value is not NaN (`share(n, (i) => !Number.isNaN(column[i]))`). */
export function shareNotNaN(column: Float64Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(column[i]!)) k++;
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
