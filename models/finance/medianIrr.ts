/**
 * The median of per-trial IRRs without solving every trial's IRR: what a sweep cell reports
 * (models/analysis/sweep.ts), the same number as solving them all and taking the median.
 *
 * Why the sign of the NPV decides the order. If a trial's flows f₀ … f_{n−1} change sign exactly
 * once, say at period k, then for r > −1
 *   g(r) = NPV(r)·(1 + r)^k = Σ_t f_t (1 + r)^{k−t}
 * has every term moving the same way as r grows: the flows before k (one sign) are multiplied by
 * growing powers, those from k on (the other sign) by shrinking ones. So g, and with it the
 * sign of the NPV, is strictly monotonic: there is exactly one root (Descartes' rule, as
 * models/finance/irr.ts uses), and for any rate ρ
 *   root < ρ  ⟺  sign NPV(ρ) = s₀,   root > ρ  ⟺  sign NPV(ρ) = −s₀,
 * where s₀ is the sign of the first non-zero flow. One NPV (n multiplications) thus tells on which
 * side of ρ a trial's IRR lies, where solving it takes several NPV-and-derivative passes. Only
 * under this monotonicity is "the rate where the median NPV crosses zero" the median IRR; with
 * several sign changes it need not be, so such trials are solved as they come (the caller).
 *
 * The order statistics are found by selection (Hoare's FIND, weighted by how many trials share a
 * flow): solve one candidate's IRR as the pivot ρ, sort the other candidates to either side of
 * [ρ − δ, ρ + δ] by the NPV's sign at the two ends (δ = 1e-7·(1 + |ρ|), far above the solver's
 * error of 1e-12·(1 + |r|) and the NPV's rounding, so no candidate lands on the wrong side), solve
 * only those inside, and keep the side that holds the rank asked for. What is finally reported
 * is each chosen trial's solved IRR, annualised, exactly as solving every trial would give it.
 *
 * Measured: on Norrköping's sweep cells (about a third of 10,000 trials' flows distinct, 20
 * periods) this was no faster than solving each distinct flow by Newton's method (a few passes
 * from a good guess), so sweeps do not use it by default (EvaluateOptions.medianBySign in
 * models/contract/evaluate.ts); it pays where solving is dear (many periods, slow convergence).
 */
import { annualize, irr, npv, LOWEST } from "./irr.js";

/** Roots above this per-period rate are solved as they come (irr()'s bracket search ends near 1e9). */
const HIGHEST = 1e6;
/** Candidate sets this small are solved outright. */
const SMALL = 24;

/**
 * s₀ (±1), the sign of the first non-zero flow, when `flows[0..n)` change sign exactly once and
 * their one IRR lies in (LOWEST, HIGHEST), where irr() is sure to find it; 0 otherwise (solve it).
 */
export function monotoneSign(flows: ArrayLike<number>, n: number): number {
  let first = 0, sign = 0, changes = 0;
  for (let t = 0; t < n; t++) {
    const s = Math.sign(flows[t]!);
    if (s !== 0 && s === s) {
      if (sign !== 0 && s !== sign) changes++;
      else if (sign === 0) first = s;
      sign = s;
    } else if (s !== s) return 0; // NaN
  }
  if (changes !== 1) return 0;
  // The root is above LOWEST when NPV(LOWEST) has the sign of "root above": −s₀; below HIGHEST when NPV(HIGHEST) has s₀.
  return Math.sign(npv(flows, LOWEST, n)) === -first && Math.sign(npv(flows, HIGHEST, n)) === first ? first : 0;
}

/** The trials whose IRR is not solved yet: distinct flows, each with its weight (trials) and s₀. */
export interface DeferredIrrs {
  /** Flows of entry e at [e·P, (e + 1)·P). */
  readonly flows: Float64Array;
  readonly weight: Int32Array;
  readonly sign: Int8Array;
  readonly count: number;
  readonly periods: number;
}

/**
 * The median (d3's quantileSorted(sorted, 0.5), as models/analysis/sweep.ts's `median`) of
 * `known[0..nKnown)` (annualised IRRs, no NaN, never −0) together with every trial of `deferred`
 * at annualize(irr(flows), periodsPerYear); null when there are none.
 */
export function medianIrr(known: Float64Array, nKnown: number, deferred: DeferredIrrs, periodsPerYear: number): number | null {
  let n = nKnown;
  for (let e = 0; e < deferred.count; e++) n += deferred.weight[e]!;
  if (n === 0) return null;
  const P = deferred.periods;
  const solved = new Float64Array(deferred.count).fill(NaN);
  const value = (e: number): number => {
    let v = solved[e]!;
    if (v !== v) v = solved[e] = annualize(irr(deferred.flows.subarray(e * P, (e + 1) * P), P), periodsPerYear);
    return v;
  };
  const sorted = known.slice(0, nKnown).sort();
  const ids = new Int32Array(deferred.count);
  let m = 0;
  for (let e = 0; e < deferred.count; e++) if (deferred.weight[e]! > 0) ids[m++] = e;
  if (n < 2) return +(nKnown ? sorted[0]! : value(ids[0]!));
  const i = (n - 1) * 0.5, i0 = Math.floor(i);
  const v0 = orderStatistic(i0, ids.slice(0, m), sorted, deferred, periodsPerYear, value);
  // With n odd the weight of v1 is 0: v0 + (v1 − v0)·0 is v0 when v1 is finite (no value is −0).
  if (i === i0 && Number.isFinite(sorted[0] ?? 0) && Number.isFinite(sorted[nKnown - 1] ?? 0)) return v0;
  const v1 = orderStatistic(i0 + 1, ids.slice(0, m), sorted, deferred, periodsPerYear, value);
  return v0 + (v1 - v0) * (i - i0);
}

/** The first index in sorted[from..to) whose value is ≥ x (`strict`: > x). */
function bound(sorted: Float64Array, from: number, to: number, x: number, strict: boolean): number {
  while (from < to) {
    const mid = (from + to) >> 1;
    if (strict ? sorted[mid]! <= x : sorted[mid]! < x) from = mid + 1;
    else to = mid;
  }
  return from;
}

/**
 * The k-th smallest (0-based, trials weighted) of the known values (sorted) and the deferred
 * entries' IRRs. Reorders `ids`.
 */
function orderStatistic(k: number, ids: Int32Array, sorted: Float64Array, d: DeferredIrrs, ppy: number, value: (e: number) => number): number {
  const P = d.periods;
  let from = 0, to = ids.length, ka = 0, kb = sorted.length;
  for (;;) {
    if (to - from <= SMALL) {
      return solveAll(k, ids, from, to, sorted, ka, kb, d, value); // few left: solve and rank them
    }
    const pivot = ids[(from + to) >> 1]!;
    const x = value(pivot);
    const rho = irr(d.flows.subarray(pivot * P, (pivot + 1) * P), P); // the pivot's per-period IRR
    const delta = 1e-7 * (1 + Math.abs(rho));
    const lo = rho - delta, hi = rho + delta;
    const alo = annualize(lo, ppy), ahi = annualize(hi, ppy);
    // Too close to −100 % for the margins to be told apart once annualised: solve them all.
    if (!(alo < x && x < ahi && lo > LOWEST)) return solveAll(k, ids, from, to, sorted, ka, kb, d, value);
    // Three-way partition of ids[from..to): below [from, b), inside [b, c), above [c, to).
    let b = from, j = from, c = to, wBelow = 0, wInside = 0, pivotInside = false;
    while (j < c) {
      const e = ids[j]!, f = d.flows.subarray(e * P, (e + 1) * P), s = d.sign[e]!;
      if (Math.sign(npv(f, lo, P)) === s) {
        wBelow += d.weight[e]!;
        ids[j++] = ids[b]!;
        ids[b++] = e;
      } else if (Math.sign(npv(f, hi, P)) === -s) {
        ids[j] = ids[--c]!;
        ids[c] = e;
      } else {
        wInside += d.weight[e]!;
        if (e === pivot) pivotInside = true;
        j++;
      }
    }
    // The pivot itself lies inside; should rounding ever put it outside, the side kept might not
    // shrink: solve what is left instead of looping.
    if (!pivotInside) return solveAll(k, ids, from, to, sorted, ka, kb, d, value);
    const kLo = bound(sorted, ka, kb, alo, false), kHi = bound(sorted, kLo, kb, ahi, true);
    const nBelow = wBelow + (kLo - ka), nInside = wInside + (kHi - kLo);
    if (k < nBelow) {
      to = b;
      kb = kLo;
    } else if (k < nBelow + nInside) {
      // The few inside the margins (the pivot, and any within δ of it): solve and rank them.
      k -= nBelow;
      from = b;
      to = c;
      ka = kLo;
      kb = kHi;
      return solveAll(k, ids, from, to, sorted, ka, kb, d, value);
    } else {
      from = c;
      ka = kHi;
      k -= nBelow + nInside;
    }
  }
}

/** The k-th smallest of sorted[ka..kb) and the entries ids[from..to), every entry solved: a merge of the two in order. */
function solveAll(k: number, ids: Int32Array, from: number, to: number, sorted: Float64Array, ka: number, kb: number, d: DeferredIrrs, value: (e: number) => number): number {
  const pairs: [number, number][] = [];
  for (let j = from; j < to; j++) pairs.push([value(ids[j]!), d.weight[ids[j]!]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  let q = 0;
  for (;;) {
    const next = pairs[q];
    if (ka < kb && (!next || sorted[ka]! <= next[0])) {
      if (k === 0) return sorted[ka]!;
      k--;
      ka++;
    } else if (next) {
      if (k < next[1]) return next[0];
      k -= next[1];
      q++;
    } else throw new Error("medianIrr: rank beyond the values");
  }
}
