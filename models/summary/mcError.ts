/**
 * Monte Carlo error and exceedance curves from a per-trial column (pure; for the Financier's and
 * Payer's pages). A chance estimated from n trials has the binomial standard error
 * √(p(1−p)/n); a mean has s/√n with s the sample standard deviation (n − 1 in its denominator).
 */

import { sortedFinite } from "./dist.js";

/** The standard error of a chance p estimated from n independent trials: √(p(1−p)/n). */
export function chanceError(p: number, n: number): number {
  return n > 0 && p >= 0 && p <= 1 ? Math.sqrt((p * (1 - p)) / n) : NaN;
}

/** The standard error of the mean of a column's finite values: s/√n (null with fewer than two). */
export function meanError(column: ArrayLike<number>): number | null {
  let n = 0, mean = 0, m2 = 0;
  for (let i = 0; i < column.length; i++) {
    const x = column[i]!;
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean); // Welford's update
  }
  return n < 2 ? null : Math.sqrt(m2 / (n - 1) / n);
}

/** The share of a column's finite values at or below x. */
export function shareAtOrBelow(column: ArrayLike<number>, x: number): number | null {
  let n = 0, k = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v <= x) k++;
  }
  return n ? k / n : null;
}

/**
 * The empirical distribution of a column's finite values as at most `points` steps
 * {x, below}: `below` is the share of values at or below x (the chance of "x or less"); one
 * minus it, the chance of more than x. Every distinct value where the share jumps is kept when
 * there are few; otherwise evenly spaced ranks.
 */
export function exceedancePoints(column: ArrayLike<number>, points = 200): { x: number; below: number }[] {
  const v = sortedFinite(column);
  const n = v.length;
  if (!n) return [];
  const out: { x: number; below: number }[] = [];
  const step = Math.max(1, Math.floor(n / points));
  for (let i = 0; i < n; i += step) {
    // The last index with the same value: the share at or below it.
    let j = i;
    while (j + 1 < n && v[j + 1] === v[i]) j++;
    out.push({ x: v[i]!, below: (j + 1) / n });
    if (j > i) i = j - step + 1;
  }
  if (out[out.length - 1]!.x !== v[n - 1]) out.push({ x: v[n - 1]!, below: 1 });
  return out;
}
