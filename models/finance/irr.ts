/**
 * Internal rate of return of cash flows at equally spaced periods, per period.
 *
 * - Total loss (money out, nothing back) is −100 %: the rate at which nothing received is worth
 *   exactly what was paid, by the usual convention.
 * - Flows that never change sign, or whose net present value has no root or several roots in
 *   (−100 %, ∞), have no IRR: the function returns NaN and callers report "no IRR".
 *
 * Uniqueness: if the flows change sign once, there is exactly one IRR above −100 %
 * (Descartes' rule of signs in 1/(1 + r)). Otherwise the roots are searched on a grid, and only
 * a single one is reported.
 */

/** Net present value at a per-period rate r, flows[t] at period t. */
export function npv(flows: ArrayLike<number>, r: number, n = flows.length): number {
  const v = 1 / (1 + r);
  let acc = 0;
  for (let t = n - 1; t >= 0; t--) acc = acc * v + flows[t]!; // Horner's rule in 1/(1+r)
  return acc;
}

/** Lowest per-period rate searched; keeps (1 + r)^−t finite for a few hundred periods. */
const LOWEST = -0.9999;
const TOLERANCE = 1e-12;

export function irr(flows: ArrayLike<number>, n = flows.length): number {
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
  // One sign change in the flows: one root above −100 % (Descartes). Norström's running-sum
  // criterion only rules out several positive roots, so other flows are searched on a grid.
  if (flowChanges === 1) {
    const r = newton(flows, n, out, back);
    return Number.isNaN(r) ? bracketed(flows, n) : r;
  }
  return scanned(flows, n);
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

/** Several sign changes: look for roots on a grid; exactly one gives the IRR, else none. */
function scanned(flows: ArrayLike<number>, n: number): number {
  const grid = [LOWEST, -0.99, -0.9, -0.75, -0.5, -0.3, -0.2, -0.1, -0.05, -0.02, 0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 100];
  let found = NaN, roots = 0;
  let prev = npv(flows, grid[0]!, n);
  for (let i = 1; i < grid.length; i++) {
    const f = npv(flows, grid[i]!, n);
    if (f === 0 || Math.sign(f) !== Math.sign(prev)) {
      roots++;
      found = solve(flows, n, grid[i - 1]!, grid[i]!, prev);
    }
    prev = f;
  }
  return roots === 1 ? found : NaN;
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
