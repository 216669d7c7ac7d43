/**
 * Aggregate sampling of a large cohort: children in the same state are exchangeable, so a
 * cohort can be simulated as counts of children per state (per pair of states, with and
 * without the intervention) instead of child by child. The law is exactly the per-child one of
 * placement.ts; only the realisations differ, so the numbers agree in distribution
 * (test/witness/aggregate.test.ts).
 *
 * Per period, with one shared uniform u per child and period (placement.ts's header):
 *
 * 1. **The untreated arm, from the untreated stream alone.** The m_b untreated children in state b
 *    split over the destinations of b's row (the intervals of u: [cum_{j−1}, cum_j) to dest_j,
 *    [leave, 1) stays): a multinomial, drawn as sequential binomials. Nothing here depends on
 *    the treated arm, so a change in the effect leaves the untreated arm unchanged (common
 *    random numbers).
 * 2. **Which child took which untreated move, from the treated stream.** The m_b children are
 *    n_ab pairs by treated state a; the untreated moves fall on them at random, so the table of
 *    (a, untreated destination) counts with those margins is multivariate hypergeometric, drawn
 *    as sequential hypergeometrics.
 * 3. **The treated move given the untreated one, from the treated stream.** A child whose
 *    untreated move was interval I has u uniform on I, so its treated destination is that of
 *    the interval of a's treated row that u falls in: a multinomial over the overlaps of a's
 *    intervals with I, relative to I's length.
 *
 * The samplers (binomial, hypergeometric) are exact: inversion for small means, BTPE
 * (Kachitvichyanukul & Schmeiser 1988) for large binomials, inversion from the mode for
 * hypergeometrics. Each draws only from the stream it is given.
 *
 * The streams' generator (sfc32, random/stream.ts) is inlined: a run copies a Stream's state
 * words into an Int32Array, draws from them exactly as `Stream.next` does (`uniform`), and
 * writes them back, so the stream goes on where the run left it (as placement.ts's loops do).
 * A closure's call per draw, and the boxing of the number it returns, cost more than the draw.
 */
import type { PlacementModel } from "../compile.js";
import type { Rng } from "../random/rng.js";
import { streamOf, type Stream } from "../random/stream.js";
import { addPeriods, allocate, type WindowTotals } from "./placement.js";
import type { Rows } from "./rows.js";

/**
 * Cohorts (and comparison or past groups) of at least this many children are sampled in
 * aggregate. Measured on Norrköping's chances (CPU time, aggregate over per-child): a cohort
 * over 20 periods 1.25 at 100 children, 0.79 at 200, 0.48 at 400, 0.27 at 900; a past group over
 * 8 periods 0.68 at 100, 0.44 at 200. The aggregate's cost hardly grows with the size.
 */
export const AGGREGATE_FROM = 200;

// ---------------------------------------------------------------------------------------------
// The generator, inlined.

/**
 * A Stream's sfc32 state words a, b, c, d at g[0..3]. One uniform in [0, 1), exactly as
 * `Stream.next` draws it (an Int32Array's stores wrap as `| 0` does).
 */
function uniform(g: Int32Array): number {
  const a = g[0]!, b = g[1]!, c = g[2]!, d = g[3]!;
  const t = (((a + b) | 0) + d) | 0;
  g[3] = d + 1;
  g[0] = b ^ (b >>> 9);
  g[1] = c + (c << 3);
  g[2] = ((c << 21) | (c >>> 11)) + t;
  return (t >>> 0) / 4294967296;
}

function load(s: Stream, g: Int32Array): void {
  g[0] = s.a;
  g[1] = s.b;
  g[2] = s.c;
  g[3] = s.d;
}

function store(g: Int32Array, s: Stream): void {
  s.a = g[0]!;
  s.b = g[1]!;
  s.c = g[2]!;
  s.d = g[3]!;
}

/** The exported samplers' state words while they draw from a Stream's `next`. */
const scratch = new Int32Array(4);

// ---------------------------------------------------------------------------------------------
// Exact samplers.

/** ln k!: from a table grown on demand (sums of logs) up to LOG_FACTORIAL_TABLE, beyond by Stirling's series. */
const LOG_FACTORIAL_TABLE = 1 << 16;
let logFactorials = new Float64Array(0);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export function logFactorial(k: number): number {
  if (k >= logFactorials.length) {
    if (k >= LOG_FACTORIAL_TABLE) return stirling(k);
    growLogFactorials(k);
  }
  return logFactorials[k]!;
}

/** Makes the table cover 0..k (k < LOG_FACTORIAL_TABLE). */
function growLogFactorials(k: number): void {
  if (k < logFactorials.length) return;
  const size = Math.min(LOG_FACTORIAL_TABLE, Math.max(1024, 2 * k + 1));
  const t = new Float64Array(size);
  t.set(logFactorials);
  for (let i = Math.max(2, logFactorials.length); i < size; i++) t[i] = t[i - 1]! + Math.log(i);
  logFactorials = t;
}

/** ln k! = ln Γ(k + 1) by Stirling's series, for k ≥ 65536: its next term is below 1e-25 of the result. */
function stirling(k: number): number {
  const x = k + 1, x2 = x * x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}

/** Below this mean (n · min(p, 1 − p)) a binomial is drawn by inversion, above it by BTPE (as the 1988 paper). */
const BTPE_FROM = 30;

/**
 * One Binomial(n, p) draw from `rng` (a Stream's `next`): inversion (BINV) for
 * n · min(p, 1 − p) < 30, else BTPE (Kachitvichyanukul & Schmeiser 1988, Comm. ACM 31:216; the
 * same steps as NumPy's random_binomial_btpe). Built per call at the cost of a few arithmetic
 * operations, keeping nothing between calls.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  const s = streamOf(rng);
  load(s, scratch);
  chance[0] = p;
  chance[1] = NaN;
  const x = binomialAt(scratch, n, chance, 0, chance, 1);
  store(scratch, s);
  return x;
}

/** `binomial`'s chance and its log cache. */
const chance = new Float64Array(2);

/**
 * `binomial` drawing from the state words g, with p = ps[at]; logs[log] caches inversion's
 * ln(1 − min(p, 1 − p)) (NaN: not yet taken), so a chance split at many sizes takes its
 * logarithm once. The chance is passed in an array: a number that is not a small integer would
 * be boxed at each call that is not inlined.
 */
function binomialAt(g: Int32Array, n: number, ps: Float64Array, at: number, logs: Float64Array, log: number): number {
  const p = ps[at]!;
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const r = flip ? 1 - p : p;
  let y: number;
  if (n * r < BTPE_FROM) {
    let lq = logs[log]!;
    if (lq !== lq) logs[log] = lq = Math.log1p(-r);
    y = inversion(g, n, r, lq);
  } else y = btpe(g, n, ps, at);
  return flip ? n - y : y;
}

/** BINV: search from 0 with the pmf's recursion; r ≤ 1/2, n·r < 30, lq = ln(1 − r). */
function inversion(g: Int32Array, n: number, r: number, lq: number): number {
  const q = 1 - r;
  const s = r / q, a = (n + 1) * s;
  const q0 = Math.exp(n * lq);
  // The search stops far in the tail, at `bound`: past it the mass is below rounding, so start
  // again. The bound is at least min(n, 10) (its square root is at least 1), so it is only
  // worked out when the search gets that far.
  let bound = Math.min(n, 10), exact = false;
  for (;;) {
    let u = uniform(g), x = 0, f = q0;
    while (u >= f) {
      if (x >= bound) {
        if (exact) break;
        bound = Math.min(n, Math.floor(n * r + 10 * Math.sqrt(n * r * q + 1)));
        exact = true;
        if (x >= bound) break;
      }
      u -= f;
      x++;
      f *= a / x - s;
    }
    if (u < f) return x;
  }
}

/** BTPE for r = min(p, 1 − p), p = ps[at], n·r ≥ 30 (the paper's steps 1–6; its step numbers in the labels' comments). */
function btpe(g: Int32Array, n: number, ps: Float64Array, at: number): number {
  const p = ps[at]!, r = p > 0.5 ? 1 - p : p;
  const q = 1 - r, nrq = n * r * q;
  const fm = n * r + r, m = Math.floor(fm);
  const p1 = Math.floor(2.195 * Math.sqrt(nrq) - 4.6 * q) + 0.5;
  const xm = m + 0.5, xl = xm - p1, xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1 + a / 2);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1 + a / 2);
  const p2 = p1 * (1 + 2 * c), p3 = p2 + c / laml, p4 = p3 + c / lamr;
  for (;;) {
    // Step 1: the triangular centre.
    const u = uniform(g) * p4;
    let v = uniform(g);
    if (u <= p1) return Math.floor(xm - p1 * v + u);
    let y: number;
    if (u <= p2) {
      // Step 2: the parallelograms.
      const x = xl + (u - p1) / c;
      v = v * c + 1 - Math.abs(m - x + 0.5) / p1;
      if (v > 1) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      // Step 3: the left exponential tail.
      if (v === 0) continue;
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0) continue;
      v *= (u - p2) * laml;
    } else {
      // Step 4: the right exponential tail.
      if (v === 0) continue;
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n) continue;
      v *= (u - p3) * lamr;
    }
    // Step 5: accept or reject y.
    const k = Math.abs(y - m);
    if (k <= 20 || k >= nrq / 2 - 1) {
      // 5.1: the pmf's ratio f(y)/f(m) by recursion.
      const s = r / q, aa = s * (n + 1);
      let F = 1;
      if (m < y) for (let i = m + 1; i <= y; i++) F *= aa / i - s;
      else if (m > y) for (let i = y + 1; i <= m; i++) F /= aa / i - s;
      if (v <= F) return y;
      continue;
    }
    // 5.2: squeeze on log f(y)/f(m), then 5.3 the bound by Stirling's formula.
    const rho = (k / nrq) * ((k * (k / 3 + 0.625) + 0.1666666666666667) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const A = Math.log(v);
    if (A < t - rho) return y;
    if (A > t + rho) continue;
    const x1 = y + 1, f1 = m + 1, z = n + 1 - m, w = n - y + 1;
    const x2 = x1 * x1, f2 = f1 * f1, z2 = z * z, w2 = w * w;
    // Stirling's correction terms for f1, z, x1 and w, (13860 − (462 − (132 − (99 − 140/x²)/x²)/x²)/x²)/x/166320,
    // written out: a function for them was not inlined here, and its results were boxed.
    const bound =
      xm * Math.log(f1 / x1) +
      (n - m + 0.5) * Math.log(z / w) +
      (y - m) * Math.log((w * r) / (x1 * q)) +
      (13860 - (462 - (132 - (99 - 140 / f2) / f2) / f2) / f2) / f1 / 166320 +
      (13860 - (462 - (132 - (99 - 140 / z2) / z2) / z2) / z2) / z / 166320 +
      (13860 - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x1 / 166320 +
      (13860 - (462 - (132 - (99 - 140 / w2) / w2) / w2) / w2) / w / 166320;
    if (A <= bound) return y;
  }
}

/**
 * One hypergeometric draw: successes among `draws` taken without replacement from `total`
 * items of which `good` are successes. Inversion from the mode: u is spent on the pmf at the
 * mode, then alternately one step up and one down (pmf by its ratio recursion), so the search
 * takes about as many steps as a few standard deviations, whatever the sizes. `rng` must be a
 * Stream's `next`.
 */
export function hypergeometric(rng: Rng, total: number, good: number, draws: number): number {
  const s = streamOf(rng);
  load(s, scratch);
  const x = hypergeometricFrom(scratch, total, good, draws);
  store(scratch, s);
  return x;
}

/** `hypergeometric` drawing from the state words g. */
function hypergeometricFrom(g: Int32Array, total: number, good: number, draws: number): number {
  const bad = total - good;
  const lo = Math.max(0, draws - bad), hi = Math.min(draws, good);
  if (lo >= hi) return lo;
  if (lo === 0 && hi <= SMALL_HYPERGEOMETRIC) return smallHypergeometric(g, total, good, draws, hi);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (good + 1)) / (total + 2))));
  let f0: number;
  if (total < LOG_FACTORIAL_TABLE) {
    growLogFactorials(total);
    const lf = logFactorials;
    f0 = Math.exp(lf[good]! - lf[mode]! - lf[good - mode]! + lf[bad]! - lf[draws - mode]! - lf[bad - draws + mode]! - lf[total]! + lf[draws]! + lf[total - draws]!);
  } else {
    const lf = logFactorial;
    f0 = Math.exp(lf(good) - lf(mode) - lf(good - mode) + lf(bad) - lf(draws - mode) - lf(bad - draws + mode) - lf(total) + lf(draws) + lf(total - draws));
  }
  for (;;) {
    let u = uniform(g) - f0;
    if (u < 0) return mode;
    let up = mode, fu = f0, down = mode, fd = f0;
    while (up < hi || down > lo) {
      if (up < hi) {
        fu *= ((good - up) * (draws - up)) / ((up + 1) * (bad - draws + up + 1));
        up++;
        if ((u -= fu) < 0) return up;
      }
      if (down > lo) {
        fd *= (down * (bad - draws + down)) / ((good - down + 1) * (draws - down + 1));
        down--;
        if ((u -= fd) < 0) return down;
      }
    }
    // u fell in the rounding left over by the pmf's sum: draw again.
  }
}

/** Up to this many possible successes, a hypergeometric is drawn by inversion from 0 (no logarithms). */
const SMALL_HYPERGEOMETRIC = 8;

/**
 * Inversion from 0 when at most `hi` = min(good, draws) ≤ 8 successes are possible and none is
 * certain: P(0) = C(total − draws, good) / C(total, good) = ∏_{i < hi} (total − max − i) / (total − i)
 * (by the symmetry of good and draws, max = max(good, draws)), then the pmf's ratio recursion.
 */
function smallHypergeometric(g: Int32Array, total: number, good: number, draws: number, hi: number): number {
  const other = good + draws - hi;
  let f0 = 1;
  for (let i = 0; i < hi; i++) f0 *= (total - other - i) / (total - i);
  const bad = total - good;
  for (;;) {
    let u = uniform(g), x = 0, f = f0;
    while (u >= f && x < hi) {
      u -= f;
      f *= ((good - x) * (draws - x)) / ((x + 1) * (bad - draws + x + 1));
      x++;
    }
    if (u < f) return x;
  }
}

/** At most this many (times the outcomes less one) are split one by one, a uniform each, rather than by binomials or hypergeometrics. */
const ONE_BY_ONE = 8;

/**
 * Prepares a split over k outcomes with weights w[base..base+k) (each > 0) for `splitPrepared`:
 * reorders them heaviest first (and `tag`, what each outcome means, with them), and writes each
 * one's chance given that the ones before it were not taken (cond) and the cumulative chances
 * (cum), both relative to the weights' total; clears the binomials' log cache (logs).
 */
export function prepareSplit(w: Float64Array, tag: Uint8Array, k: number, base: number, cond: Float64Array, cum: Float64Array, logs: Float64Array): void {
  for (let i = 1; i < k; i++) {
    const x = w[base + i]!, t = tag[base + i]!;
    let j = i - 1;
    for (; j >= 0 && w[base + j]! < x; j--) (w[base + j + 1] = w[base + j]!), (tag[base + j + 1] = tag[base + j]!);
    w[base + j + 1] = x;
    tag[base + j + 1] = t;
  }
  let total = 0;
  for (let i = 0; i < k; i++) total += w[base + i]!;
  let left = total, acc = 0;
  for (let i = 0; i < k; i++) {
    const x = w[base + i]!;
    cond[base + i] = i === k - 1 ? 1 : Math.min(1, x / left);
    logs[base + i] = NaN;
    left -= x;
    cum[base + i] = i === k - 1 ? 1 : (acc += x) / total;
  }
}

/**
 * Splits n over a prepared split's k outcomes into out[0..k) (in its order): one by one when
 * few (a uniform each), else as sequential binomials, the heaviest first.
 */
export function splitPrepared(g: Int32Array, n: number, k: number, base: number, cond: Float64Array, cum: Float64Array, logs: Float64Array, out: Int32Array): void {
  for (let i = 0; i < k; i++) out[i] = 0;
  if (n <= ONE_BY_ONE * (k - 1)) {
    // uniform(g) with the state words in locals for the loop.
    let ga = g[0]!, gb = g[1]!, gc = g[2]!, gd = g[3]!;
    for (let c = 0; c < n; c++) {
      const t = (((ga + gb) | 0) + gd) | 0;
      gd = (gd + 1) | 0;
      ga = gb ^ (gb >>> 9);
      const r = (gc << 21) | (gc >>> 11);
      gb = (gc + (gc << 3)) | 0;
      gc = (r + t) | 0;
      const u = (t >>> 0) / 4294967296;
      let i = 0;
      while (i < k - 1 && u >= cum[base + i]!) i++;
      out[i]!++;
    }
    g[0] = ga;
    g[1] = gb;
    g[2] = gc;
    g[3] = gd;
    return;
  }
  for (let i = 0; i < k - 1 && n > 0; i++) {
    const x = binomialAt(g, n, cond, base + i, logs, base + i);
    out[i] = x;
    n -= x;
  }
  out[k - 1]! += n;
}

// ---------------------------------------------------------------------------------------------
// The cohort as counts.

/** Reused buffers for one placement model's aggregate cohorts. */
export class AggregateSampler {
  private readonly S: number;
  /** Outcomes of a row: up to S − 1 moves and the stay (S is an upper bound, as Rows' own layout). */
  private readonly O: number;
  /** Pair counts [treated state × S + untreated state], this period and the next (swapped each period). */
  private pairs: Int32Array;
  private next: Int32Array;
  /** Children per state in each arm this period. */
  private readonly occC: Int32Array;
  private readonly occT: Int32Array;
  /** The untreated arm's moves this period [state × O + outcome]: outcome j < len to dest_j, len stays. */
  private readonly moves: Int32Array;
  /** One untreated state's moves by pair group and outcome [treated state × O + outcome], and each group's children not yet given an outcome. */
  private readonly table: Int32Array;
  private readonly groupLeft: Int32Array;
  private readonly split: Int32Array;
  /**
   * Step 3's tables, by regime g, pair (a, b) and untreated outcome j (index ((g·S + a)·S + b)·O + j):
   * how many treated outcomes overlap the untreated interval, their lengths and destinations.
   */
  private readonly parts: Uint8Array;
  private readonly partWeight: Float64Array;
  private readonly partDest: Uint8Array;
  private readonly partCond: Float64Array;
  private readonly partCum: Float64Array;
  private readonly partLog: Float64Array;
  /** Step 1's splits by regime and state (index (g·S + b)·O), as prepareSplit leaves them; rowOutcome: the row's outcome j. */
  private readonly rowCount: Uint8Array;
  private readonly rowWeight: Float64Array;
  private readonly rowOutcome: Uint8Array;
  private readonly rowCond: Float64Array;
  private readonly rowCum: Float64Array;
  private readonly rowLog: Float64Array;
  private readonly intakeCounts = new Map<number, Int32Array>();
  /** The untreated and the treated stream's state words while a run draws from them. */
  private readonly genU = new Int32Array(4);
  private readonly genT = new Int32Array(4);

  constructor(
    private readonly m: PlacementModel,
    private readonly daysPerPeriod: number,
  ) {
    const S = (this.S = m.states.length), O = (this.O = S + 1);
    this.pairs = new Int32Array(S * S);
    this.next = new Int32Array(S * S);
    this.occC = new Int32Array(S);
    this.occT = new Int32Array(S);
    this.moves = new Int32Array(S * O);
    this.table = new Int32Array(S * O);
    this.groupLeft = new Int32Array(S);
    this.split = new Int32Array(O);
    this.parts = new Uint8Array(2 * S * S * O);
    this.partWeight = new Float64Array(2 * S * S * O * (O + 1));
    this.partDest = new Uint8Array(2 * S * S * O * (O + 1));
    this.partCond = new Float64Array(2 * S * S * O * (O + 1));
    this.partCum = new Float64Array(2 * S * S * O * (O + 1));
    this.partLog = new Float64Array(2 * S * S * O * (O + 1));
    this.rowCount = new Uint8Array(3 * S);
    this.rowWeight = new Float64Array(3 * S * O);
    this.rowOutcome = new Uint8Array(3 * S * O);
    this.rowCond = new Float64Array(3 * S * O);
    this.rowCum = new Float64Array(3 * S * O);
    this.rowLog = new Float64Array(3 * S * O);
  }

  /**
   * placement.ts's `runCohort` in aggregate: the same arguments and the same totals, with the
   * trial's rows (c: untreated, t: treated; 0 before `regimeEnd`, 1 after) and prices.
   * `untreated` and `treated` must be Streams' `next`; they go on from where the cohort left them.
   */
  runCohort(
    rows: { c0: Rows; c1: Rows; t0: Rows; t1: Rows; regimeEnd: number; cost: Float64Array; fullCost: Float64Array },
    n: number,
    start: number,
    windowEnd: number,
    end: number,
    untreated: Rng,
    treated: Rng,
    treatedOut: WindowTotals,
    untreatedOut: WindowTotals,
    avoidedPayer: Float64Array,
    avoidedFull: Float64Array,
    nominal: Float64Array,
  ): void {
    const { S, O, daysPerPeriod, occC, occT, genU, genT } = this;
    const { c0, c1, t0, t1, regimeEnd, cost, fullCost } = rows;
    const us = streamOf(untreated), ts = streamOf(treated);
    load(us, genU);
    load(ts, genT);
    const isPlacement = this.m.isPlacement;
    const periods = end - start, window = windowEnd - start;
    if (regimeEnd > 0) this.overlaps(0, c0, t0), this.rowSplits(0, c0);
    if (regimeEnd < periods) this.overlaps(1, c1, t1), this.rowSplits(1, c1);
    const intake = this.intakeCountsOf(n);
    this.pairs.fill(0);
    for (let s = 0; s < S; s++) this.pairs[s * S + s] = intake[s]!;
    let replT = 0, replC = 0;

    for (let k = 0; k < periods; k++) {
      const pairs = this.pairs;
      occC.fill(0);
      occT.fill(0);
      for (let a = 0; a < S; a++)
        for (let b = 0; b < S; b++) {
          const x = pairs[a * S + b]!;
          occT[a]! += x;
          occC[b]! += x;
        }
      addPeriods(occT, occC, 0, S, 0, 1, start + k, k < window ? 1 : 0, nominal, daysPerPeriod, cost, fullCost, isPlacement, treatedOut, untreatedOut, avoidedPayer, avoidedFull);
      // Moves at the end of the last period change nothing counted, unless they are re-placements in the window.
      if (k === periods - 1 && k >= window) break;

      const g = k < regimeEnd ? 0 : 1;
      const rowsC = g === 0 ? c0 : c1;
      const counted = k < window;
      // 1. The untreated arm's moves, by state, from the untreated stream.
      for (let b = 0; b < S; b++) replC += this.splitRow(genU, g, rowsC, b, occC[b]!, counted);
      // 2 and 3. Which pairs made them, and the treated moves given them, from the treated stream.
      const next = this.next.fill(0);
      for (let b = 0; b < S; b++) if (occC[b]! > 0) replT += this.pairMoves(genT, g, rowsC, b, next, counted);
      this.next = pairs;
      this.pairs = next;
    }
    store(genU, us);
    store(genT, ts);
    treatedOut.replacements += replT;
    untreatedOut.replacements += replC;
  }

  /**
   * placement.ts's `runUntreated` in aggregate: n children without the intervention over
   * `periods` periods under `rows`, their cost, care days and re-placements added to `out`.
   * `rng` must be a Stream's `next`.
   */
  runUntreated(rows: Rows, cost: Float64Array, n: number, periods: number, rng: Rng, out: WindowTotals): void {
    const { S, O, daysPerPeriod, occC, moves, genU } = this;
    const stream = streamOf(rng);
    load(stream, genU);
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeCountsOf(n);
    for (let s = 0; s < S; s++) occC[s] = intake[s]!;
    this.rowSplits(2, rows);
    let careDays = 0, money = 0, repl = 0;
    for (let k = 0; k < periods; k++) {
      for (let s = 0; s < S; s++) {
        const days = occC[s]! * daysPerPeriod;
        money += days * cost[s]!;
        if (isPlacement[s]) careDays += days;
      }
      for (let b = 0; b < S; b++) repl += this.splitRow(genU, 2, rows, b, occC[b]!, true);
      occC.fill(0);
      for (let b = 0; b < S; b++) {
        const len = rows.len[b]!;
        for (let j = 0; j < len; j++) occC[rows.dest[b * S + j]!]! += moves[b * O + j]!;
        occC[b]! += moves[b * O + len]!;
      }
    }
    store(genU, stream);
    out.cost += money;
    out.careDays += careDays;
    out.replacements += repl;
  }

  /** Prepares step 1's splits of each state's row for regime g (2: a group without the intervention). */
  private rowSplits(g: number, rows: Rows): void {
    const { S, O, rowCount, rowWeight, rowOutcome, rowCond, rowCum } = this;
    for (let b = 0; b < S; b++) {
      const len = rows.len[b]!, row = b * S, base = (g * S + b) * O;
      let k = 0, prev = 0;
      for (let j = 0; j <= len; j++) {
        const c = j < len ? rows.cum[row + j]! : 1;
        const w = j < len ? c - prev : 1 - rows.leave[b]!;
        prev = c;
        if (w > 0) (rowWeight[base + k] = w), (rowOutcome[base + k++] = j);
      }
      if (k === 0) (rowWeight[base] = 1), (rowOutcome[base + k++] = len); // rounding: all stay
      prepareSplit(rowWeight, rowOutcome, k, base, rowCond, rowCum, this.rowLog);
      rowCount[g * S + b] = k;
    }
  }

  /**
   * Step 1: splits the `count` children in state b over b's row (outcome j < len: dest_j; len:
   * stay) into moves[b·O + j]; returns the re-placements among them when `counted`.
   */
  private splitRow(gen: Int32Array, g: number, rows: Rows, b: number, count: number, counted: boolean): number {
    const { S, O, split, moves } = this;
    const len = rows.len[b]!, row = b * S, mb = b * O;
    for (let j = 0; j <= len; j++) moves[mb + j] = 0;
    if (count === 0) return 0;
    const k = this.rowCount[g * S + b]!, base = (g * S + b) * O;
    splitPrepared(gen, count, k, base, this.rowCond, this.rowCum, this.rowLog, split);
    let repl = 0;
    const isPlacement = this.m.isPlacement, from = isPlacement[b];
    for (let i = 0; i < k; i++) {
      const j = this.rowOutcome[base + i]!, x = split[i]!;
      moves[mb + j] = x;
      if (counted && j < len && !from && isPlacement[rows.dest[row + j]!]) repl += x;
    }
    return repl;
  }

  /**
   * Steps 2 and 3 for the untreated state b: hands its moves to the pairs (a, b) by a
   * multivariate hypergeometric table, drawn column by column (each untreated outcome's
   * children split over the groups; the largest group and the largest outcome take what the
   * others leave, so the draws are over the smaller counts), then moves each group's treated
   * children given their untreated outcomes, adding the new pairs to `next`. Returns the
   * treated re-placements when `counted`.
   */
  private pairMoves(gen: Int32Array, g: number, rowsC: Rows, b: number, next: Int32Array, counted: boolean): number {
    const { S, O, pairs, moves, table, groupLeft } = this;
    const outcomes = rowsC.len[b]! + 1, mb = b * O;
    let largest = -1, biggest = 0, pop = 0;
    for (let a = 0; a < S; a++) {
      const x = (groupLeft[a] = pairs[a * S + b]!);
      pop += x;
      if (x > 0 && (largest < 0 || x > pairs[largest * S + b]!)) largest = a;
    }
    for (let j = 1; j < outcomes; j++) if (moves[mb + j]! > moves[mb + biggest]!) biggest = j;
    if (groupLeft[largest] !== pop) {
      for (let j = 0; j < outcomes; j++) {
        if (j === biggest) continue;
        let kj = moves[mb + j]!;
        for (let a = 0; a < S; a++) table[a * O + j] = 0;
        if (kj === 0) continue;
        const column = kj;
        if (kj <= ONE_BY_ONE) {
          // A few children: drawn from the groups one by one, without replacement.
          let left = pop;
          for (let c = 0; c < kj; c++) {
            let u = Math.floor(uniform(gen) * left), a = 0;
            while (u >= groupLeft[a]!) u -= groupLeft[a++]!;
            table[a * O + j]!++;
            groupLeft[a]!--;
            left--;
          }
        } else {
          let left = pop;
          for (let a = 0; a < S && kj > 0; a++) {
            const size = groupLeft[a]!;
            if (size === 0 || a === largest) continue;
            const x = hypergeometricFrom(gen, left, size, kj);
            table[a * O + j] = x;
            left -= size;
            kj -= x;
          }
          table[largest * O + j] = kj;
          for (let a = 0; a < S; a++) groupLeft[a]! -= table[a * O + j]!;
        }
        pop -= column;
      }
      for (let a = 0; a < S; a++) table[a * O + biggest] = groupLeft[a]!;
    } else {
      // One group: it takes every outcome.
      for (let j = 0; j < outcomes; j++) table[largest * O + j] = moves[mb + j]!;
    }
    let repl = 0;
    for (let a = 0; a < S; a++) if (pairs[a * S + b]! > 0) repl += this.treatedMoves(gen, g, a, b, outcomes, table, a * O, next, counted);
    return repl;
  }

  /**
   * Step 3 for the children of pair (a, b) with untreated outcome counts[j]: their treated
   * children move by the overlaps of a's treated intervals with untreated interval j.
   */
  private treatedMoves(gen: Int32Array, g: number, a: number, b: number, outcomes: number, counts: Int32Array, offset: number, next: Int32Array, counted: boolean): number {
    const { S, O, parts, partWeight, partDest, split } = this;
    const isPlacement = this.m.isPlacement, from = isPlacement[a];
    const cellBase = ((g * S + a) * S + b) * O;
    let repl = 0;
    for (let j = 0; j < outcomes; j++) {
      const c = counts[offset + j]!;
      if (c === 0) continue;
      const ci = cellBase + j, k = parts[ci]!, pb = ci * (O + 1);
      const destB = partDest[pb + O]!; // the untreated destination, kept after the parts (at most O)
      if (k === 1) {
        const to = partDest[pb]!;
        next[to * S + destB]! += c;
        if (counted && !from && isPlacement[to]) repl += c;
        continue;
      }
      splitPrepared(gen, c, k, pb, this.partCond, this.partCum, this.partLog, split);
      for (let i = 0; i < k; i++) {
        const x = split[i]!;
        if (x === 0) continue;
        const to = partDest[pb + i]!;
        next[to * S + destB]! += x;
        if (counted && !from && isPlacement[to]) repl += x;
      }
    }
    return repl;
  }

  /**
   * Fills step 3's tables for regime g: for each pair (a, b) and untreated outcome j, the
   * overlaps of the untreated interval ([cum_{j−1}, cum_j) for a move, [leave, 1) for the stay)
   * with a's treated intervals, by length and treated destination.
   */
  private overlaps(g: number, rowsC: Rows, rowsT: Rows): void {
    const { S, O, parts, partWeight, partDest } = this;
    for (let a = 0; a < S; a++) {
      const lenA = rowsT.len[a]!, rowA = a * S, leaveA = rowsT.leave[a]!;
      for (let b = 0; b < S; b++) {
        const lenB = rowsC.len[b]!, rowB = b * S;
        for (let j = 0; j <= lenB; j++) {
          const lo = j === 0 ? 0 : j < lenB ? rowsC.cum[rowB + j - 1]! : rowsC.leave[b]!;
          const hi = j < lenB ? rowsC.cum[rowB + j]! : 1;
          const ci = ((g * S + a) * S + b) * O + j, pb = ci * (O + 1);
          let k = 0, prev = 0;
          for (let i = 0; i <= lenA; i++) {
            const l = i < lenA ? prev : leaveA, h = i < lenA ? rowsT.cum[rowA + i]! : 1;
            prev = h;
            const w = Math.min(h, hi) - Math.max(l, lo);
            if (w > 0) {
              partWeight[pb + k] = w;
              partDest[pb + k++] = i < lenA ? rowsT.dest[rowA + i]! : a;
            }
          }
          if (k === 0) partDest[pb + k++] = a; // an interval of zero length (rounding): the treated child stays
          else if (k > 1) prepareSplit(partWeight, partDest, k, pb, this.partCond, this.partCum, this.partLog);
          parts[ci] = k;
          partDest[pb + O] = j < lenB ? rowsC.dest[rowB + j]! : b;
        }
      }
    }
  }

  /** Intake counts by state for a cohort of n: placement.ts's largest-remainder intake, counted once per size. */
  private intakeCountsOf(n: number): Int32Array {
    let counts = this.intakeCounts.get(n);
    if (!counts) {
      const intake = new Uint8Array(n);
      allocate(this.m.initialShares, n, intake);
      counts = new Int32Array(this.S);
      for (let i = 0; i < n; i++) counts[intake[i]!]!++;
      this.intakeCounts.set(n, counts);
    }
    return counts;
  }
}
