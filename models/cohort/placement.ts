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

/** What one cohort's simulation adds up over the measurement window, for one arm. */
export interface WindowTotals {
  cost: number;
  careDays: number;
  replacements: number;
}

export const emptyTotals = (): WindowTotals => ({ cost: 0, careDays: 0, replacements: 0 });

/** One arm's transition rows: cumulative chances by destination, and the chance of leaving. */
export class Rows {
  readonly cum: Float64Array;
  readonly dest: Uint8Array;
  readonly len: Uint8Array;
  readonly leave: Float64Array;
  /** log(1 − leave): the geometric stay's parameter (0 where nobody leaves). */
  readonly logStay: Float64Array;

  constructor(readonly S: number) {
    this.cum = new Float64Array(S * S);
    this.dest = new Uint8Array(S * S);
    this.len = new Uint8Array(S);
    this.leave = new Float64Array(S);
    this.logStay = new Float64Array(S);
  }

  /**
   * Fills the rows from a trial's chances. `ratio(i)` multiplies transition i's hazard:
   * p' = 1 − (1 − p)^ratio, which stays in [0, 1] for any ratio ≥ 0. If a state's exits then sum
   * above 1 they are scaled to 1.
   */
  fill(m: PlacementModel, values: Float64Array, ratio: (i: number) => number): void {
    const { S, cum, dest, len } = this;
    len.fill(0);
    for (let i = 0; i < m.from.length; i++) {
      let p = values[m.slot[i]!]!;
      const k = ratio(i);
      if (k !== 1) p = 1 - Math.pow(1 - p, k);
      const s = m.from[i]!;
      const j = len[s]!++;
      dest[s * S + j] = m.to[i]!;
      cum[s * S + j] = p;
    }
    for (let s = 0; s < S; s++) {
      const base = s * S, k = len[s]!;
      let total = 0;
      for (let j = 0; j < k; j++) total += cum[base + j]!;
      const scale = total > 1 ? 1 / total : 1;
      let acc = 0;
      for (let j = 0; j < k; j++) cum[base + j] = acc += cum[base + j]! * scale;
      const leave = k > 0 ? Math.min(1, acc) : 0;
      this.leave[s] = leave;
      this.logStay[s] = Math.log(1 - leave);
    }
  }

  copy(from: Rows): void {
    this.cum.set(from.cum);
    this.dest.set(from.dest);
    this.len.set(from.len);
    this.leave.set(from.leave);
    this.logStay.set(from.logStay);
  }

  /** Where a child in state s goes given the period's u: the first destination whose cumulative chance exceeds u. */
  step(s: number, u: number): number {
    const { S, cum, dest } = this;
    const base = s * S, k = this.len[s]!;
    for (let j = 0; j < k; j++) if (u < cum[base + j]!) return dest[base + j]!;
    return s;
  }
}

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
  /** The untreated child's path as segments: [start, end) in one state, ending in a move at `u` (NaN: no move). */
  private segStart = new Int32Array(0);
  private segEnd = new Int32Array(0);
  private segState = new Uint8Array(0);
  private segU = new Float64Array(0);
  /** Intake states by cohort size: the same every trial, so computed once. */
  private readonly intake = new Map<number, Uint8Array>();
  /** Groups of at least this many children are sampled as counts (aggregate.ts); tests lower or raise it. */
  aggregateFrom = AGGREGATE_FROM;
  private aggregate: AggregateSampler | null = null;

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
  }

  /** Builds every arm's rows from one trial's parameter values. */
  setTrial(values: Float64Array, trial: PlacementTrial): void {
    const { m, S } = this;
    for (let s = 0; s < S; s++) {
      this.cost[s] = values[m.costSlot[s]!]!;
      const full = m.fullCostSlot[s]!;
      this.fullCost[s] = full >= 0 ? values[full]! : this.cost[s]!;
    }
    const pl = m.isPlacement;
    const effect = (i: number) => {
      const e = m.effectSlot[i]!;
      return trial.delivered && e >= 0 ? Math.pow(values[e]!, trial.effectScale) : 1;
    };
    const exitsCare = (i: number) => pl[m.from[i]!] === 1 && pl[m.to[i]!] === 0;
    const entersCare = (i: number) => pl[m.from[i]!] === 0 && pl[m.to[i]!] === 1;
    const rtm = trial.exitRateRatio;
    this.c1.fill(m, values, () => 1);
    this.t1.fill(m, values, effect);
    this.regimeEnd = rtm === 1 ? 0 : trial.regimeEnd;
    if (this.regimeEnd > 0) {
      this.c0.fill(m, values, (i) => (exitsCare(i) ? rtm : 1));
      this.t0.fill(m, values, (i) => effect(i) * (exitsCare(i) ? rtm : 1));
    }
    const drift = trial.drift;
    if (drift === 1) this.past.copy(this.c1);
    else this.past.fill(m, values, (i) => (entersCare(i) ? 1 / drift : 1));
  }

  /**
   * Simulates one cohort of `n` children from period `start` to `end`, with the measurement
   * window [start, windowEnd): the untreated arm from `untreated`, the treated arm given it from
   * `treated`. Adds each period's avoided costs (untreated − treated) to `avoidedPayer` and
   * `avoidedFull`, and the window totals to `treatedOut` and `untreatedOut`, in nominal money:
   * period t's costs times `nominal[t]` (all ones when figures are taken as they stand).
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
    this.segments(2 * periods + 2);
    const { segStart, segEnd, segState, segU } = this;
    let replT = 0, replC = 0;

    for (let i = 0; i < n; i++) {
      // Untreated path, cut into segments at moves and at the regime boundary.
      let b = intake[i]!, k = 0, segs = 0;
      while (k < periods) {
        const first = k < regimeEnd;
        const rows = first ? c0 : c1;
        const bound = first ? Math.min(regimeEnd, periods) : periods;
        const ls = rows.logStay[b]!;
        // Periods stayed before a move: Geometric, P(more than d) = (1 − leave)^d.
        const extra = ls === 0 ? Infinity : Math.floor(Math.log(1 - untreated()) / ls);
        segStart[segs] = k;
        segState[segs] = b;
        occC[k * S + b]!++;
        if (k + extra >= bound) {
          segEnd[segs] = bound;
          segU[segs++] = NaN;
          occC[bound * S + b]!--;
          k = bound;
          continue;
        }
        const at = k + extra; // the period at whose end the child moves
        const u = untreated() * rows.leave[b]!;
        const next = rows.step(b, u);
        segEnd[segs] = at + 1;
        segU[segs++] = u;
        occC[(at + 1) * S + b]!--;
        if (at < window && !isPlacement[b] && isPlacement[next]) replC++;
        b = next;
        k = at + 1;
      }
      // Treated path given the untreated one.
      let a = intake[i]!;
      for (let g = 0; g < segs; g++) {
        const from = segStart[g]!, to = segEnd[g]!, bs = segState[g]!, u = segU[g]!;
        const first = from < regimeEnd;
        const rowsT = first ? t0 : t1, rowsC = first ? c0 : c1;
        const moves = u === u; // not NaN
        const stayEnd = moves ? to - 1 : to;
        const lb = rowsC.leave[bs]!;
        let k2 = from;
        occT[k2 * S + a]!++;
        while (k2 < stayEnd) {
          const la = rowsT.leave[a]!;
          if (la <= lb) break; // u ≥ L_b ≥ L_a: the treated child stays too
          const lq = Math.log(1 - (la - lb) / (1 - lb));
          if (!(lq < 0)) break; // a difference below rounding: the treated child stays too
          const extra = Math.floor(Math.log(1 - treated()) / lq);
          if (k2 + extra >= stayEnd) break;
          const at = k2 + extra;
          const next = rowsT.step(a, lb + treated() * (la - lb));
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
        occT[to * S + a]!--; // the next segment adds it back at its start: the pair cancels
      }
    }
    for (let k = 1; k < periods; k++) {
      for (let s = 0; s < S; s++) {
        occT[k * S + s]! += occT[(k - 1) * S + s]!;
        occC[k * S + s]! += occC[(k - 1) * S + s]!;
      }
    }
    treatedOut.replacements += replT;
    untreatedOut.replacements += replC;
    for (let k = 0; k < periods; k++) {
      const t = start + k;
      const price = nominal[t]!; // the price year's prices → nominal money of period t's year
      let dPayer = 0, dFull = 0;
      for (let s = 0; s < S; s++) {
        const dt = occT[k * S + s]! * daysPerPeriod, dc = occC[k * S + s]! * daysPerPeriod;
        dPayer += (dc - dt) * cost[s]! * price;
        dFull += (dc - dt) * fullCost[s]! * price;
        if (k < window) {
          treatedOut.cost += dt * cost[s]! * price;
          untreatedOut.cost += dc * cost[s]! * price;
          if (isPlacement[s]) {
            treatedOut.careDays += dt;
            untreatedOut.careDays += dc;
          }
        }
      }
      if (t < avoidedPayer.length) {
        avoidedPayer[t]! += dPayer;
        avoidedFull[t]! += dFull;
      }
    }
  }

  /**
   * Simulates `n` children without the intervention over `periods` periods and adds their
   * totals to `out`: a concurrent comparison group (the contract period's chances) or the
   * historical baseline's past group (`past`: its own period's chances, no regression to the mean).
   */
  runUntreated(n: number, periods: number, past: boolean, rng: Rng, out: WindowTotals): void {
    const { S, cost, daysPerPeriod } = this;
    const rows = past ? this.past : this.c1;
    if (n >= this.aggregateFrom) return (this.aggregate ??= new AggregateSampler(this.m, daysPerPeriod)).runUntreated(rows, cost, n, periods, rng, out);
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeOf(n);
    let days = 0, careDays = 0, money = 0, repl = 0;
    for (let i = 0; i < n; i++) {
      let s = intake[i]!, k = 0;
      while (k < periods) {
        const ls = rows.logStay[s]!;
        const extra = ls === 0 ? Infinity : Math.floor(Math.log(1 - rng()) / ls);
        const stay = Math.min(extra + 1, periods - k);
        days = stay * daysPerPeriod;
        money += days * cost[s]!;
        if (isPlacement[s]) careDays += days;
        if (k + extra >= periods) break;
        const next = rows.step(s, rng() * rows.leave[s]!);
        if (!isPlacement[s] && isPlacement[next]) repl++;
        s = next;
        k += extra + 1;
      }
    }
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

  private segments(n: number): void {
    if (this.segStart.length >= n) return;
    this.segStart = new Int32Array(n);
    this.segEnd = new Int32Array(n);
    this.segState = new Uint8Array(n);
    this.segU = new Float64Array(n);
  }
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
