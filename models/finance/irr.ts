/**
 * Internal rate of return of cash flows at equally spaced periods, per period.
 *
 * - Total loss (money out, nothing back) is −100 %: the rate at which nothing received is worth
 *   exactly what was paid, by the usual convention.
 * - Flows that never change sign, or whose net present value has no root or several roots in
 *   (−100 %, ∞), have no IRR: the function returns NaN and callers report "no IRR".
 *
 * Uniqueness: if the flows change sign once, there is exactly one IRR above −100 %
 * (Descartes' rule of signs in 1/(1 + r)). Otherwise every root in (−100 %, ∞) is isolated
 * (Descartes' rule on intervals, see `isolated`), and only a single one is reported.
 */

/** Net present value at a per-period rate r, flows[t] at period t. */
export function npv(flows: ArrayLike<number>, r: number, n = flows.length): number {
  const v = 1 / (1 + r);
  let acc = 0;
  for (let t = n - 1; t >= 0; t--) acc = acc * v + flows[t]!; // Horner's rule in 1/(1+r)
  return acc;
}

/** Lowest per-period rate searched; keeps (1 + r)^−t finite for a few hundred periods. */
export const LOWEST = -0.9999;
const TOLERANCE = 1e-12;

export function irr(flows: ArrayLike<number>, n = flows.length): number {
  // Zero flows at the end change nothing below: every sum over the flows starts at +0 and adding
  // ±0 leaves it as it is, and Horner's rule from the end keeps +0 until the last non-zero flow.
  // Leaving them out gives the same numbers, bit for bit, in fewer steps.
  while (n > 0 && flows[n - 1] === 0) n--;
  let out = 0, back = 0, flowChanges = 0, flowSign = 0;
  for (let t = 0; t < n; t++) {
    const f = flows[t]!;
    if (f < 0) out -= f;
    else back += f;
    const s = Math.sign(f);
    if (s !== 0) {
      if (flowSign !== 0 && s !== flowSign) flowChanges++;
      flowSign = s;
    }
  }
  if (out === 0) return NaN; // nothing invested: no rate of return
  if (back === 0) return -1; // invested, nothing back: total loss
  // One sign change in the flows: one root above −100 % (Descartes): the fast path. Norström's
  // running-sum criterion only rules out several positive roots, so other flows are isolated.
  if (flowChanges === 1) {
    const r = newton(flows, n, out, back);
    return Number.isNaN(r) ? bracketed(flows, n) : r;
  }
  return isolated(flows, n);
}

/**
 * Newton's method from a guess that treats the flows as one outlay and one return at their
 * money-weighted mean times: (back/out)^(1/Δt) − 1. Converges in a few steps on the usual
 * flows; NaN asks the caller to fall back to the bracketed solver.
 */
function newton(flows: ArrayLike<number>, n: number, out: number, back: number): number {
  let tOut = 0, tBack = 0;
  for (let t = 0; t < n; t++) {
    const f = flows[t]!;
    if (f < 0) tOut -= t * f;
    else tBack += t * f;
  }
  const dt = tBack / back - tOut / out;
  if (!(dt > 0)) return NaN;
  let r = Math.pow(back / out, 1 / dt) - 1;
  for (let i = 0; i < 30; i++) {
    if (!(r > LOWEST)) return NaN;
    const v = 1 / (1 + r);
    let f = 0, df = 0;
    for (let t = n - 1; t >= 0; t--) {
      // Horner for f(v) = Σ flows[t]·v^t and its derivative in v; df/dr = −v²·df/dv.
      df = df * v + f;
      f = f * v + flows[t]!;
    }
    const step = f / (-v * v * df);
    if (!Number.isFinite(step)) return NaN;
    r -= step;
    if (Math.abs(step) < TOLERANCE * (1 + Math.abs(r))) return r > LOWEST ? r : NaN;
  }
  return NaN;
}

/** A single root is known to exist: find an upper bracket, then bisect with secant steps. */
function bracketed(flows: ArrayLike<number>, n: number): number {
  let lo = LOWEST, hi = 0.1;
  let flo = npv(flows, lo, n), fhi = npv(flows, hi, n);
  while (Math.sign(fhi) === Math.sign(flo) && hi < 1e9) {
    lo = hi;
    flo = fhi;
    hi = hi * 4 + 1;
    fhi = npv(flows, hi, n);
  }
  if (Math.sign(fhi) === Math.sign(flo)) return NaN;
  return solve(flows, n, lo, hi, flo);
}

/**
 * Several sign changes. Roots are isolated in x = 1/(1 + r) on (0, ∞), that is r in (−1, ∞), by
 * Descartes' rule of signs on intervals (the Vincent–Collins–Akritas bisection): on (0, 1) the
 * number of roots of p is at most, and of the same parity as, the sign changes of the
 * coefficients of (1 + y)^n·p(1/(1 + y)); 0 changes mean no root, 1 exactly one, and more split
 * the interval in halves. (1, ∞) is (0, 1) for the reversed polynomial (x → 1/x). Close roots
 * are separated however close, down to a width of 2^−ISOLATION_DEPTH in x; roots closer still
 * (or a double root) count as several. Exactly one root gives the IRR, none or several give NaN.
 */
function isolated(flows: ArrayLike<number>, n: number): number {
  // p(x) = Σ flows[t]·x^t without the zero coefficients at either end (a root at x = 0 is
  // r = ∞, not an IRR).
  let first = 0, last = n - 1;
  while (first <= last && flows[first] === 0) first++;
  while (last >= first && flows[last] === 0) last--;
  if (last - first < 1) return NaN;
  const p = new Float64Array(last - first + 1);
  for (let k = 0; k < p.length; k++) p[k] = flows[first + k]!;
  const roots: Isolated[] = [];
  // r = 0 (x = 1) is a root when the flows sum to zero.
  let atOne = 0;
  for (let k = 0; k < p.length; k++) atOne += p[k]!;
  let count = atOne === 0 ? 1 : 0;
  // A cheap bound first, per half: the roots in x ∈ (0, 1) are at most the sign changes of the
  // running sums of the flows (p(x)/(1 − x) = Σ A_k x^k, and Descartes' rule holds for such
  // series: Norström 1972), those in x ∈ (1, ∞) at most the sign changes of the sums from the end
  // (the same for the reversed polynomial). A half with bound 0 has no root; with bound 1, one
  // root exactly when p changes sign across it. Only a half with a larger bound is isolated.
  // Roots in x ∈ (0, 1): r > 0. Roots in x ∈ (1, ∞), i.e. y = 1/x ∈ (0, 1): −1 < r < 0.
  const reversed = p.slice().reverse();
  let only: { poly: Float64Array; flip: boolean } | null = null;
  for (const flip of [false, true]) {
    const poly = flip ? reversed : p;
    const bound = runningSignChanges(p, flip);
    if (bound === 0) continue;
    if (bound === 1 && atOne !== 0) {
      // poly(0) is the first coefficient, poly(1) the sum of all.
      if (Math.sign(poly[0]!) !== Math.sign(atOne)) {
        count++;
        only = { poly, flip };
      }
    } else {
      const before = roots.length;
      count += rootsInUnit(poly, 0, 1, 0, roots, flip, 2 - count);
      if (roots.length > before) only = null;
    }
    if (count > 1) return NaN;
  }
  if (count !== 1) return NaN;
  if (atOne === 0) return 0;
  if (only) {
    const z = refine(only.poly, 0, 1);
    if (z === null) return NaN; // cannot happen: p changes sign across the half
    return only.flip ? z - 1 : 1 / z - 1; // y = 1/x = 1 + r, or x
  }
  const { q, lo, hi, flip } = roots[0]!;
  // Refine on the original coefficients (p in x, or reversed p in y = 1/x = 1 + r), which the
  // isolating interval brackets; the transformed q is only a fallback against rounding.
  const orig = flip ? reversed : p;
  const z = refine(orig, lo, hi) ?? lo + (hi - lo) * (refine(q, 0, 1) ?? 0.5);
  return flip ? z - 1 : 1 / z - 1;
}

/** Σ q[k]·z^k by Horner's rule. */
function horner(q: Float64Array, z: number): number {
  let acc = 0;
  for (let k = q.length - 1; k >= 0; k--) acc = acc * z + q[k]!;
  return acc;
}

/** The root of q in [lo, hi] (Illinois regula falsi, bisection as a safeguard), or null if q does not change sign there. */
function refine(q: Float64Array, lo: number, hi: number): number | null {
  let flo = horner(q, lo), fhi = horner(q, hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi)) return null;
  let side = 0;
  for (let i = 0; i < 200; i++) {
    let x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    if (hi - lo <= 1e-15 * Math.max(Math.abs(x), 1e-300) || x <= lo || x >= hi) return x;
    const fx = horner(q, x);
    if (fx === 0) return x;
    if (Math.sign(fx) === Math.sign(flo)) {
      (lo = x), (flo = fx);
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      (hi = x), (fhi = fx);
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

interface Isolated {
  /** The polynomial in u ∈ (0, 1) for this interval. */
  readonly q: Float64Array;
  /** The interval in x (or, for `flip`, in y = 1/x). */
  readonly lo: number;
  readonly hi: number;
  readonly flip: boolean;
}

/** Sign changes of the running sums of q, from the start or (`fromEnd`) from the end. */
function runningSignChanges(q: Float64Array, fromEnd: boolean): number {
  let acc = 0, sign = 0, changes = 0;
  for (let i = 0; i < q.length; i++) {
    acc += q[fromEnd ? q.length - 1 - i : i]!;
    const c = Math.sign(acc);
    if (c !== 0) {
      if (sign !== 0 && c !== sign) changes++;
      sign = c;
    }
  }
  return changes;
}

/** Halvings of (0, 1) before two roots closer than 2^−depth count as several. */
const ISOLATION_DEPTH = 52;

/**
 * Roots of `q` in (0, 1), where q(u) = p(lo + (hi − lo)·u) for the original interval (lo, hi);
 * at most `limit` are counted (the caller stops at two). Records each isolated root.
 */
function rootsInUnit(
  q: Float64Array,
  lo: number,
  hi: number,
  depth: number,
  roots: Isolated[],
  flip: boolean,
  limit: number,
): number {
  const v = unitVariations(q);
  if (v === 0) return 0;
  if (v === 1) {
    roots.push({ q, lo, hi, flip });
    return 1;
  }
  if (depth >= ISOLATION_DEPTH) return limit; // unresolvable: as good as several
  // q(u/2) on the left half, q((u + 1)/2) on the right; the midpoint itself may be a root.
  const left = q.slice();
  let scale = 1;
  for (let k = 0; k < left.length; k++) (left[k]! *= scale), (scale /= 2);
  normalise(left);
  const right = taylorShift(left);
  const mid = (lo + hi) / 2;
  let found = 0;
  if (right[0] === 0) {
    // u = 1/2 is a root: a degenerate interval
    roots.push({ q, lo: mid, hi: mid, flip });
    found++;
    if (found >= limit) return found;
  }
  found += rootsInUnit(left, lo, mid, depth + 1, roots, flip, limit - found);
  if (found >= limit) return found;
  found += rootsInUnit(right, mid, hi, depth + 1, roots, flip, limit - found);
  return found;
}

/** Sign changes of the coefficients of (1 + y)^n·q(1/(1 + y)): Descartes' bound for (0, 1). */
function unitVariations(q: Float64Array): number {
  const s = taylorShift(q.slice().reverse());
  let changes = 0, sign = 0;
  for (let k = 0; k < s.length; k++) {
    const c = Math.sign(s[k]!);
    if (c !== 0) {
      if (sign !== 0 && c !== sign) changes++;
      sign = c;
    }
  }
  return changes;
}

/** Coefficients of q(u + 1) (Horner's scheme of Taylor shifts, O(n²)). */
function taylorShift(q: Float64Array): Float64Array {
  const a = q.slice();
  const n = a.length - 1;
  for (let i = 0; i < n; i++) for (let k = n - 1; k >= i; k--) a[k]! += a[k + 1]!;
  return a;
}

/** Scales coefficients by a power of two (exact) so the largest is about 1: no underflow on deep halvings. */
function normalise(q: Float64Array): void {
  let max = 0;
  for (let k = 0; k < q.length; k++) max = Math.max(max, Math.abs(q[k]!));
  if (max === 0) return;
  const f = Math.pow(2, -Math.round(Math.log2(max)));
  for (let k = 0; k < q.length; k++) q[k]! *= f;
}

/** Bisection safeguarded by a secant step (Illinois variant); NPV changes sign on [lo, hi]. */
function solve(flows: ArrayLike<number>, n: number, lo: number, hi: number, flo: number): number {
  let fhi = npv(flows, hi, n);
  let side = 0;
  for (let i = 0; i < 200; i++) {
    let x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    const fx = npv(flows, x, n);
    if (fx === 0 || hi - lo < TOLERANCE * (1 + Math.abs(x))) return x;
    if (Math.sign(fx) === Math.sign(flo)) {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

/** A per-period rate as a rate per year: (1 + r)^periodsPerYear − 1. */
export function annualize(r: number, periodsPerYear: number): number {
  return r <= -1 ? -1 : Math.pow(1 + r, periodsPerYear) - 1;
}

/**
 * Modified internal rate of return per period, as Excel's MIRR: negative flows discounted to
 * period 0 at `financeRate`, positive flows compounded to the last period at `reinvestRate`,
 * MIRR = (FV(positive) / −PV(negative))^(1/(n − 1)) − 1. It exists whenever money goes out
 * (−1 when nothing comes back) and, with both rates fixed, ranks cash flows on one drawdown
 * schedule as their NPV does. NaN when nothing goes out or there is a single period.
 * Reference: Microsoft Support, "MIRR function".
 */
export function mirr(flows: ArrayLike<number>, financeRate: number, reinvestRate: number, n = flows.length): number {
  if (n < 2) return NaN;
  let pvOut = 0, fvBack = 0;
  for (let t = 0; t < n; t++) {
    const f = flows[t]!;
    if (f < 0) pvOut -= f * Math.pow(1 + financeRate, -t);
    else if (f > 0) fvBack += f * Math.pow(1 + reinvestRate, n - 1 - t);
  }
  if (!(pvOut > 0)) return NaN;
  return Math.pow(fvBack / pvOut, 1 / (n - 1)) - 1;
}
