/**
 * The placement model: children move between care states (residential care, state institution,
 * family home, at home) once per period, with the same chances every period.
 *
 * Each child is simulated with and without the intervention as if both arms shared one uniform
 * number u per period (a child moves when u falls below its row's chance of leaving), which
 * makes the difference between the arms the trial's true effect, free of cohort chance. The
 * per-period uniforms are never drawn one by one:
 *
 * - **The untreated arm** is drawn from its own stream alone: how long a child stays is
 *   geometric and drawn at once; where it goes, from one uniform over the leaving part of its
 *   row, and that uniform *is* the period's u. So the untreated children of a trial do not
 *   depend on the intervention's chances at all (the common random numbers are really common).
 * - **The treated arm** is drawn given the untreated one, from a second stream: in a period the
 *   untreated child stays, u is uniform on [L_b, 1) (L_b its chance of leaving), so a treated
 *   child with a larger chance L_a leaves with chance (L_a − L_b) / (1 − L_b) per period
 *   (geometric again), at a u uniform on [L_b, L_a); in the untreated child's moving period the
 *   treated child uses the same u. This is exactly the joint law of the two arms under one
 *   shared uniform per period. Where the intervention changes nothing the arms are identical.
 *
 * Chances may change once, at `regimeEnd` periods after a cohort's start (regression to the
 * mean: more exits from care in the first periods); stays are cut at that boundary and drawn
 * afresh, which the geometric law's lack of memory makes exact.
 */
import type { PlacementModel } from "../compile.js";
import type { Rng } from "../random/rng.js";
import { AGGREGATE_FROM, AggregateSampler } from "./aggregate.js";
import { CappedStays, PowMemo, Rows } from "./rows.js";
import { streamOf } from "../random/stream.js";

/** What one cohort's simulation adds up over the measurement window, for one arm. */
export interface WindowTotals {
  cost: number;
  careDays: number;
  replacements: number;
}

export const emptyTotals = (): WindowTotals => ({ cost: 0, careDays: 0, replacements: 0 });

/** The trial's conditions beyond its parameter values. */
export interface PlacementTrial {
  readonly delivered: boolean;
  /** Strength of every effect: rate ratios are raised to this power (0 = no effect). */
  readonly effectScale: number;
  /** Hazard ratio of entering care from home, contract period over the baseline group's period. */
  readonly drift: number;
  /** Hazard ratio of leaving care for home over a cohort's first `regimeEnd` periods (1 = none). */
  readonly exitRateRatio: number;
  readonly regimeEnd: number;
}

/** Reused buffers: one simulator per block of trials, no allocation per trial. */
export class PlacementSimulator {
  private readonly S: number;
  /** Untreated and treated rows in the first regime (0) and after it (1); the baseline group's rows. */
  private readonly c0: Rows;
  private readonly c1: Rows;
  private readonly t0: Rows;
  private readonly t1: Rows;
  private readonly past: Rows;
  private readonly cost: Float64Array;
  private readonly fullCost: Float64Array;
  private regimeEnd = 0;
  /** Occupancy differences [period][state] for each arm, grown together as needed. */
  private occT = new Int32Array(0);
  private occC = new Int32Array(0);
  /** Intake states by cohort size: the same every trial, so computed once. */
  private readonly intake = new Map<number, Uint8Array>();
  /** Groups of at least this many children are sampled as counts (aggregate.ts); tests lower or raise it. */
  aggregateFrom = AGGREGATE_FROM;
  private aggregate: AggregateSampler | null = null;
  /**
   * The treated child's conditional stay, by (regime, treated state, untreated state): its
   * chance of staying q = 1 − (L_a − L_b) / (1 − L_b), computed once per trial and pair, and its
   * capped stays.
   */
  private readonly pairs: CappedStays;
  private readonly pairStay: Float64Array;
  /** By transition: whether it leaves care for home / enters care from home; hazard ratios by arm (setTrial). */
  private readonly exitsCare: Uint8Array;
  private readonly entersCare: Uint8Array;
  private readonly ones: Float64Array;
  private readonly effect: Float64Array;
  private readonly rtmRatio: Float64Array;
  private readonly both: Float64Array;
  /** The rows' powers of the trial's chances, shared by its five fills. */
  private readonly powers: PowMemo;

  constructor(
    private readonly m: PlacementModel,
    private readonly daysPerPeriod: number,
  ) {
    const S = (this.S = m.states.length);
    this.c0 = new Rows(S);
    this.c1 = new Rows(S);
    this.t0 = new Rows(S);
    this.t1 = new Rows(S);
    this.past = new Rows(S);
    this.cost = new Float64Array(S);
    this.fullCost = new Float64Array(S);
    this.pairs = new CappedStays(2 * S * S);
    this.pairStay = new Float64Array(2 * S * S);
    const T = m.from.length, pl = m.isPlacement;
    this.exitsCare = Uint8Array.from(m.from, (f, i) => (pl[f] === 1 && pl[m.to[i]!] === 0 ? 1 : 0));
    this.entersCare = Uint8Array.from(m.from, (f, i) => (pl[f] === 0 && pl[m.to[i]!] === 1 ? 1 : 0));
    this.ones = new Float64Array(T).fill(1);
    this.effect = new Float64Array(T);
    this.rtmRatio = new Float64Array(T);
    this.both = new Float64Array(T);
    this.powers = new PowMemo(T);
  }

  /** Builds every arm's rows from one trial's parameter values. */
  setTrial(values: Float64Array, trial: PlacementTrial): void {
    const { m, S } = this;
    for (let s = 0; s < S; s++) {
      this.cost[s] = values[m.costSlot[s]!]!;
      const full = m.fullCostSlot[s]!;
      this.fullCost[s] = full >= 0 ? values[full]! : this.cost[s]!;
    }
    // Each transition's hazard ratio by arm and regime (Math.pow(x, 1) is x: skipped).
    const { exitsCare, entersCare, ones, effect, rtmRatio, both, powers } = this;
    const scale = trial.effectScale;
    for (let i = 0; i < m.from.length; i++) {
      const e = m.effectSlot[i]!;
      effect[i] = trial.delivered && e >= 0 ? (scale === 1 ? values[e]! : Math.pow(values[e]!, scale)) : 1;
    }
    const rtm = trial.exitRateRatio;
    this.c1.fillRatios(m, values, ones);
    this.t1.fillRatios(m, values, effect, powers);
    this.regimeEnd = rtm === 1 ? 0 : trial.regimeEnd;
    if (this.regimeEnd > 0) {
      for (let i = 0; i < m.from.length; i++) {
        rtmRatio[i] = exitsCare[i] ? rtm : 1;
        both[i] = effect[i]! * (exitsCare[i] ? rtm : 1);
      }
      this.c0.fillRatios(m, values, rtmRatio, powers);
      this.t0.fillRatios(m, values, both, powers);
    }
    this.pairs.clear();
    const drift = trial.drift;
    if (drift === 1) this.past.copy(this.c1);
    else {
      for (let i = 0; i < m.from.length; i++) rtmRatio[i] = entersCare[i] ? 1 / drift : 1;
      this.past.fillRatios(m, values, rtmRatio, powers);
    }
  }

  /**
   * Simulates one cohort of `n` children from period `start` to `end`, with the measurement
   * window [start, windowEnd): the untreated arm from `untreated`, the treated arm given it from
   * `treated`. Adds each period's avoided costs (untreated − treated) to `avoidedPayer` and
   * `avoidedFull`, and the window totals to `treatedOut` and `untreatedOut`, in nominal money:
   * period t's costs times `nominal[t]` (all ones when figures are taken as they stand).
   * `untreated` and `treated` must be Streams' `next` (random/stream.ts): their generators are
   * inlined here, and the streams go on from where the cohort left them.
   */
  runCohort(
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
    const { S, cost, fullCost, daysPerPeriod, c0, c1, t0, t1, regimeEnd } = this;
    if (n >= this.aggregateFrom) {
      this.aggregate ??= new AggregateSampler(this.m, daysPerPeriod);
      return this.aggregate.runCohort({ c0, c1, t0, t1, regimeEnd, cost, fullCost }, n, start, windowEnd, end, untreated, treated, treatedOut, untreatedOut, avoidedPayer, avoidedFull, nominal);
    }
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeOf(n);
    const periods = end - start, window = windowEnd - start;
    const size = (periods + 1) * S;
    if (this.occT.length < size) (this.occT = new Int32Array(size)), (this.occC = new Int32Array(size));
    const occT = this.occT.fill(0, 0, size), occC = this.occC.fill(0, 0, size);
    const { pairs, pairStay } = this;
    c0.capped.reserve(periods);
    c1.capped.reserve(periods);
    pairs.reserve(periods);
    let replT = 0, replC = 0;
    // Both streams' generators are inlined (sfc32, as Stream.next): state in locals, written back below.
    const us = streamOf(untreated), ts = streamOf(treated);
    let ua = us.a, ub = us.b, uc = us.c, ud = us.d;
    let ta = ts.a, tb = ts.b, tc = ts.c, td = ts.d;

    for (let i = 0; i < n; i++) {
      // The untreated path, cut into segments at moves and at the regime boundary; each segment's
      // treated path is drawn given it as soon as it is known (the two streams are separate, so
      // each draws the same sequence as it would in two passes).
      let b = intake[i]!, a = b, k = 0;
      // Occupancy differences: +1 where a child enters a state, −1 where it leaves. A child that
      // stays in its state across a segment's end adds nothing there (a −1 and a +1 that cancel
      // exactly), and row `periods` is never read, so only the intake and the moves are written.
      occC[b]!++;
      occT[a]!++;
      while (k < periods) {
        const first = k < regimeEnd;
        const rows = first ? c0 : c1;
        const bound = first ? Math.min(regimeEnd, periods) : periods;
        // Periods stayed before a move: Geometric, P(more than d) = (1 − leave)^d, i.e.
        // floor(log(y) / log(1 − leave)); only needed exactly when short of the bound.
        // untreated(), inlined
        let t = (((ua + ub) | 0) + ud) | 0;
        ud = (ud + 1) | 0;
        ua = ub ^ (ub >>> 9);
        let r = (uc << 21) | (uc >>> 11);
        ub = (uc + (uc << 3)) | 0;
        uc = (r + t) | 0;
        const y = 1 - (t >>> 0) / 4294967296;
        const from = k, bs = b;
        const extra = rows.capped.stay(b, bound - k, y);
        // The segment [from, to) in state bs, ending in a move at u (NaN: no move).
        let to: number, u: number;
        if (k + extra >= bound) {
          to = bound;
          u = NaN;
          k = bound;
        } else {
          const at = k + extra; // the period at whose end the child moves
          t = (((ua + ub) | 0) + ud) | 0; // untreated(), inlined
          ud = (ud + 1) | 0;
          ua = ub ^ (ub >>> 9);
          r = (uc << 21) | (uc >>> 11);
          ub = (uc + (uc << 3)) | 0;
          uc = (r + t) | 0;
          u = ((t >>> 0) / 4294967296) * rows.leave[b]!;
          const next = rows.step(b, u);
          to = at + 1;
          occC[(at + 1) * S + b]!--;
          occC[(at + 1) * S + next]!++;
          if (at < window && !isPlacement[b] && isPlacement[next]) replC++;
          b = next;
          k = at + 1;
        }

        // The treated path over the segment, given the untreated one.
        const rowsT = first ? t0 : t1;
        const moves = u === u; // not NaN
        const stayEnd = moves ? to - 1 : to;
        const lb = rows.leave[bs]!;
        let k2 = from;
        while (k2 < stayEnd) {
          const la = rowsT.leave[a]!;
          if (la <= lb) break; // u ≥ L_b ≥ L_a: the treated child stays too
          const pair = ((first ? 0 : S) + a) * S + bs;
          if (!pairs.has(pair)) {
            const q = 1 - (la - lb) / (1 - lb);
            pairStay[pair] = q;
            pairs.set(pair, q);
          }
          // q < 1 exactly when Math.log(q) < 0 (q lies in [0, 1] here), the stay's test before.
          if (!(pairStay[pair]! < 1)) break; // a difference below rounding: the treated child stays too
          // treated(), inlined
          let t = (((ta + tb) | 0) + td) | 0;
          td = (td + 1) | 0;
          ta = tb ^ (tb >>> 9);
          let r = (tc << 21) | (tc >>> 11);
          tb = (tc + (tc << 3)) | 0;
          tc = (r + t) | 0;
          const y = 1 - (t >>> 0) / 4294967296;
          const extra = pairs.stay(pair, stayEnd - k2, y);
          if (k2 + extra >= stayEnd) break;
          const at = k2 + extra;
          t = (((ta + tb) | 0) + td) | 0; // treated(), inlined
          td = (td + 1) | 0;
          ta = tb ^ (tb >>> 9);
          r = (tc << 21) | (tc >>> 11);
          tb = (tc + (tc << 3)) | 0;
          tc = (r + t) | 0;
          const next = rowsT.step(a, lb + ((t >>> 0) / 4294967296) * (la - lb));
          if (at < window && !isPlacement[a] && isPlacement[next]) replT++;
          occT[(at + 1) * S + a]!--;
          occT[(at + 1) * S + next]!++;
          a = next;
          k2 = at + 1;
        }
        if (moves) {
          const at = to - 1;
          const next = rowsT.step(a, u);
          if (next !== a) {
            if (at < window && !isPlacement[a] && isPlacement[next]) replT++;
            occT[to * S + a]!--;
            occT[to * S + next]!++;
            a = next;
          }
        }
      }
    }
    us.a = ua, us.b = ub, us.c = uc, us.d = ud;
    ts.a = ta, ts.b = tb, ts.c = tc, ts.d = td;
    for (let k = 1; k < periods; k++) {
      for (let s = 0; s < S; s++) {
        occT[k * S + s]! += occT[(k - 1) * S + s]!;
        occC[k * S + s]! += occC[(k - 1) * S + s]!;
      }
    }
    treatedOut.replacements += replT;
    untreatedOut.replacements += replC;
    addPeriods(occT, occC, 0, S, S, periods, start, window, nominal, daysPerPeriod, cost, fullCost, isPlacement, treatedOut, untreatedOut, avoidedPayer, avoidedFull);
  }

  /**
   * Simulates `n` children without the intervention over `periods` periods and adds their
   * totals to `out`: a concurrent comparison group (the contract period's chances) or the
   * historical baseline's past group (`past`: its own period's chances, no regression to the mean).
   * `rng` must be a Stream's `next`, as in `runCohort`.
   */
  runUntreated(n: number, periods: number, past: boolean, rng: Rng, out: WindowTotals): void {
    const { S, cost, daysPerPeriod } = this;
    const rows = past ? this.past : this.c1;
    if (n >= this.aggregateFrom) return (this.aggregate ??= new AggregateSampler(this.m, daysPerPeriod)).runUntreated(rows, cost, n, periods, rng, out);
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeOf(n);
    const capped = rows.capped;
    capped.reserve(periods);
    let days = 0, careDays = 0, money = 0, repl = 0;
    const gs = streamOf(rng); // the generator inlined, as in runCohort
    let ga = gs.a, gb = gs.b, gc = gs.c, gd = gs.d;
    for (let i = 0; i < n; i++) {
      let s = intake[i]!, k = 0;
      while (k < periods) {
        // rng(), inlined
        let t = (((ga + gb) | 0) + gd) | 0;
        gd = (gd + 1) | 0;
        ga = gb ^ (gb >>> 9);
        let r = (gc << 21) | (gc >>> 11);
        gb = (gc + (gc << 3)) | 0;
        gc = (r + t) | 0;
        const y = 1 - (t >>> 0) / 4294967296;
        const extra = capped.stay(s, periods - k, y); // at most the periods left (CappedStays)
        const stay = Math.min(extra + 1, periods - k);
        days = stay * daysPerPeriod;
        money += days * cost[s]!;
        if (isPlacement[s]) careDays += days;
        if (k + extra >= periods) break;
        t = (((ga + gb) | 0) + gd) | 0; // rng(), inlined
        gd = (gd + 1) | 0;
        ga = gb ^ (gb >>> 9);
        r = (gc << 21) | (gc >>> 11);
        gb = (gc + (gc << 3)) | 0;
        gc = (r + t) | 0;
        const next = rows.step(s, ((t >>> 0) / 4294967296) * rows.leave[s]!);
        if (!isPlacement[s] && isPlacement[next]) repl++;
        s = next;
        k += extra + 1;
      }
    }
    gs.a = ga, gs.b = gb, gs.c = gc, gs.d = gd;
    out.cost += money;
    out.careDays += careDays;
    out.replacements += repl;
  }

  /** Intake states of a cohort of n children: the same every trial, so computed once per size. */
  private intakeOf(n: number): Uint8Array {
    let intake = this.intake.get(n);
    if (!intake) {
      intake = new Uint8Array(n);
      allocate(this.m.initialShares, n, intake);
      this.intake.set(n, intake);
    }
    return intake;
  }
}

/**
 * Adds `count` periods' occupancy (children by state, the j-th period's from `at + j × stride` in
 * each arm's array, from period `first`) as days, costs at that period's nominal prices, and care
 * days to the window totals for the first `window` of them, and the avoided costs (untreated −
 * treated) to the payer's and society's columns: the same sums for the per-child path (all its
 * periods in one call) and the aggregate one (aggregate.ts, one period a call). The window
 * totals are summed in local variables,
 * term by term in the same order as field by field (so to the same numbers), and stored once:
 * a number stored in an object's field 100 times a cohort was a boxed number allocated each time.
 */
export function addPeriods(
  occT: ArrayLike<number>,
  occC: ArrayLike<number>,
  at: number,
  S: number,
  stride: number,
  count: number,
  first: number,
  window: number,
  nominal: Float64Array,
  daysPerPeriod: number,
  cost: Float64Array,
  fullCost: Float64Array,
  isPlacement: ArrayLike<number>,
  treatedOut: WindowTotals,
  untreatedOut: WindowTotals,
  avoidedPayer: Float64Array,
  avoidedFull: Float64Array,
): void {
  let tCost = treatedOut.cost, tDays = treatedOut.careDays, cCost = untreatedOut.cost, cDays = untreatedOut.careDays;
  for (let j = 0; j < count; j++) {
    const t = first + j, row = at + j * stride, inWindow = j < window;
    const price = nominal[t]!; // the price year's prices → nominal money of period t's year
    let dPayer = 0, dFull = 0;
    for (let s = 0; s < S; s++) {
      const dt = occT[row + s]! * daysPerPeriod, dc = occC[row + s]! * daysPerPeriod;
      dPayer += (dc - dt) * cost[s]! * price;
      dFull += (dc - dt) * fullCost[s]! * price;
      if (inWindow) {
        tCost += dt * cost[s]! * price;
        cCost += dc * cost[s]! * price;
        if (isPlacement[s]) {
          tDays += dt;
          cDays += dc;
        }
      }
    }
    if (t < avoidedPayer.length) {
      avoidedPayer[t]! += dPayer;
      avoidedFull[t]! += dFull;
    }
  }
  treatedOut.cost = tCost;
  treatedOut.careDays = tDays;
  untreatedOut.cost = cCost;
  untreatedOut.careDays = cDays;
}

/** Assigns n children to states by the largest-remainder rule, so intake is the same every trial. */
export function allocate(shares: Float64Array, n: number, out: Uint8Array): void {
  const S = shares.length;
  const counts = new Int32Array(S);
  let assigned = 0;
  for (let s = 0; s < S; s++) assigned += counts[s] = Math.floor(shares[s]! * n);
  while (assigned < n) {
    let best = 0, bestRem = -1;
    for (let s = 0; s < S; s++) {
      const rem = shares[s]! * n - counts[s]!;
      if (rem > bestRem) (best = s), (bestRem = rem);
    }
    counts[best]!++;
    assigned++;
  }
  let i = 0;
  for (let s = 0; s < S; s++) for (let c = 0; c < counts[s]!; c++) out[i++] = s;
}
