/**
 * Rank correlations between uncertain inputs, drawn by a Gaussian copula one trial at a time.
 *
 * Each correlated input takes a standard normal from its own parameter stream (as today,
 * docs/random-streams.md); the normals of a group of correlated inputs are mixed by the
 * Cholesky factor L of their normal-scale correlation matrix (x = L z), and each mixed normal is
 * mapped through that input's own inverse CDF at Φ(x) (models/random/sampler.ts), so every input
 * keeps its own distribution and the group has the stated Spearman rank correlations.
 *
 * Why not Iman & Conover (1982): their method reorders a whole sample so its ranks match the
 * target, which makes trial t's numbers depend on every other trial's. Here a trial's numbers
 * depend only on (seed, trial), and an input outside every correlation draws exactly as before
 * (common random numbers).
 *
 * Spearman's ρs to the normal scale: for a bivariate normal with correlation r, the rank
 * correlation is (6/π) asin(r/2) (Pearson 1907; Kruskal 1958), so r = 2 sin(π ρs / 6). Ranks do
 * not change under the monotone inverse CDFs, so the inputs' Spearman correlation is ρs exactly
 * (apart from clipping to a field's bounds, which ties the clipped draws).
 */

import { betainc, betaln } from "./special.js";

/**
 * The beta(α, β) quantile: the x in [0, 1] with I_x(α, β) = u, I the regularised incomplete beta.
 * I is @stdlib's betainc (a port of Boost's ibeta; bundled with betaln as ./special.js by
 * bin/build.js). The inverse is ours: Newton's method on
 * I_x − u with the beta density as derivative, safeguarded by bisection inside a bracket that
 * always holds the root (a Newton step that leaves the bracket is replaced by its midpoint), to
 * a relative width of 1e-14. @stdlib's own beta quantile reaches for a logging package (debug)
 * through a dynamic require, which the CLI's ESM bundle cannot load. Witnessed against closed
 * forms (beta(a, 1), beta(1, b), beta(a, 2)) in test/analysis/correlation.test.ts.
 */
export function betaQuantile(u: number, a: number, b: number): number {
  if (!(u > 0)) return 0;
  if (!(u < 1)) return 1;
  const logB = betaln(a, b);
  let lo = 0, hi = 1;
  let x = a / (a + b);
  for (let it = 0; it < 200; it++) {
    const f = betainc(x, a, b) - u;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    if (hi - lo <= 1e-14 * Math.max(hi, 1e-300)) break;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB);
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    x = next;
  }
  return x;
}

/** One stated correlation, by the indices of its two inputs in a group's list. */
export interface RankPair {
  readonly a: number;
  readonly b: number;
  /** Spearman's rank correlation, in [−1, 1]. */
  readonly rank: number;
}

/** The normal-scale (Pearson) correlation that gives Spearman rank correlation `rank` under a Gaussian copula. */
export function normalScaleCorrelation(rank: number): number {
  return 2 * Math.sin((Math.PI * rank) / 6);
}

/** A pivot this close to 0 counts as 0 (a singular but positive semi-definite matrix, such as ρ = 1). */
const PIVOT_TOLERANCE = 1e-10;

/**
 * The lower Cholesky factor of the symmetric n × n matrix `m` (row-major), allowing a singular
 * positive semi-definite matrix: a pivot within PIVOT_TOLERANCE of 0 gives a zero column. Null
 * when the matrix is not positive semi-definite (a pivot below −PIVOT_TOLERANCE, or a zero pivot
 * whose column below it is not zero).
 */
export function cholesky(m: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = m[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (d < -PIVOT_TOLERANCE) return null;
    const pivot = d > PIVOT_TOLERANCE ? Math.sqrt(d) : 0;
    L[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = m[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (pivot > 0) L[i * n + j] = s / pivot;
      else if (Math.abs(s) > 1e-8) return null;
    }
  }
  return L;
}

/** The normal-scale correlation matrix of n inputs with the given pairs (unstated pairs 0). */
export function correlationMatrix(n: number, pairs: readonly RankPair[]): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  for (const p of pairs) m[p.a * n + p.b] = m[p.b * n + p.a] = normalScaleCorrelation(p.rank);
  return m;
}

/**
 * The pair that makes the correlations impossible, by this rule: the pairs are added in the
 * order stated (unstated pairs are 0, independent), and the first whose addition leaves the
 * normal-scale matrix not positive semi-definite is named. Every pair before it is consistent
 * with the others before it; this one is not. −1 when the whole matrix is positive semi-definite.
 */
export function firstInconsistentPair(n: number, pairs: readonly RankPair[]): number {
  if (cholesky(correlationMatrix(n, pairs), n)) return -1;
  for (let k = 0; k < pairs.length; k++) {
    if (!cholesky(correlationMatrix(n, pairs.slice(0, k + 1)), n)) return k;
  }
  return pairs.length - 1; // not reached: the whole list fails, so some prefix does
}

/** A group of inputs that are correlated with one another (a connected set of pairs). */
export interface CorrelationGroup {
  /** The inputs' indices (parameter slots), in increasing order. */
  readonly members: Int32Array;
  /** Lower Cholesky factor of the group's normal-scale correlation matrix, row-major. */
  readonly factor: Float64Array;
}

/**
 * Splits stated pairs of slot indices into groups of correlated inputs and factors each; throws
 * when a group's matrix is not positive semi-definite (models/scenario/references.ts refuses
 * such a scenario first, naming the pair).
 */
export function correlationGroups(pairs: readonly { readonly a: number; readonly b: number; readonly rank: number }[]): CorrelationGroup[] {
  // Union–find over the slots named.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const p of pairs) {
    for (const s of [p.a, p.b]) if (!parent.has(s)) parent.set(s, s);
    const ra = find(p.a), rb = find(p.b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const bySet = new Map<number, number[]>();
  for (const s of [...parent.keys()].sort((x, y) => x - y)) {
    const r = find(s);
    if (!bySet.has(r)) bySet.set(r, []);
    bySet.get(r)!.push(s);
  }
  return [...bySet.values()].map((list) => {
    const members = Int32Array.from(list);
    const at = new Map(list.map((s, i) => [s, i]));
    const local = pairs.filter((p) => at.has(p.a)).map((p) => ({ a: at.get(p.a)!, b: at.get(p.b)!, rank: p.rank }));
    const factor = cholesky(correlationMatrix(list.length, local), list.length);
    if (!factor) throw new Error(`correlations between ${list.length} inputs are not positive semi-definite`);
    return { members, factor };
  });
}

/**
 * One trial's correlated values: for each group, x = L z on the members' own standard normals
 * `normals` (indexed by slot), and values[slot] = quantile[slot](x). Writes only the members' slots.
 */
export function mixCorrelated(
  groups: readonly CorrelationGroup[],
  normals: Float64Array,
  quantiles: readonly (((z: number) => number) | null)[],
  values: Float64Array,
): void {
  for (const g of groups) {
    const n = g.members.length, L = g.factor;
    for (let a = 0; a < n; a++) {
      let x = 0;
      for (let b = 0; b <= a; b++) x += L[a * n + b]! * normals[g.members[b]!]!;
      const slot = g.members[a]!;
      values[slot] = quantiles[slot]!(x);
    }
  }
}
