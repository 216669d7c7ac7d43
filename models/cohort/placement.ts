/**
 * The placement model: children move between care states (residential care, state institution,
 * family home, at home) once per period. Each child is simulated with and without the
 * intervention from the same uniform number per period (common random numbers), so the
 * difference between the two arms is the trial's true effect, free of cohort chance.
 *
 * Child by child rather than in aggregate counts: with cohorts of tens of children the two cost
 * about the same, and per-child coupling of the two arms is exact (see README, "Methods").
 */
import type { PlacementModel } from "../compile.js";
import type { Rng } from "../random/rng.js";

/** What one cohort's simulation adds up over the measurement window, for one arm. */
export interface WindowTotals {
  cost: number;
  careDays: number;
  replacements: number;
}

export const emptyTotals = (): WindowTotals => ({ cost: 0, careDays: 0, replacements: 0 });

/** Reused buffers: one simulator per block of trials, no allocation per trial. */
export class PlacementSimulator {
  private readonly S: number;
  private readonly cumT: Float64Array;
  private readonly cumC: Float64Array;
  private readonly destT: Uint8Array;
  private readonly destC: Uint8Array;
  private readonly lenT: Uint8Array;
  private readonly lenC: Uint8Array;
  private readonly cost: Float64Array;
  private readonly fullCost: Float64Array;
  /**
   * Joint rows: for a child in state a with and b without the intervention (joint state
   * j = a·S + b), the merged thresholds of both arms' rows split [0, 1) into segments; segment g
   * sends the child to (nextT, nextC), so one uniform moves both arms in one step, exactly as two
   * separate searches would. Both arms stay put above the last threshold, with chance
   * `stay[j]`; since the chances do not change over time, the number of periods a child stays
   * is geometric and is drawn at once, then one more uniform picks where it goes.
   */
  private readonly W: number;
  private readonly jointThresholds: Float64Array;
  private readonly jointNext: Uint16Array;
  private readonly jointReplT: Uint8Array;
  private readonly jointReplC: Uint8Array;
  private readonly logStay: Float64Array;
  private readonly exitWidth: Float64Array;
  private readonly ready: Uint8Array;
  /** Occupancy [period][joint state], grown as needed. */
  private occ = new Int32Array(0);
  private readonly armT: Float64Array;
  private readonly armC: Float64Array;
  /** Intake states by cohort size: the same every trial, so computed once. */
  private readonly intake = new Map<number, Uint8Array>();

  constructor(
    private readonly m: PlacementModel,
    private readonly daysPerPeriod: number,
  ) {
    const S = (this.S = m.states.length);
    this.cumT = new Float64Array(S * S);
    this.cumC = new Float64Array(S * S);
    this.destT = new Uint8Array(S * S);
    this.destC = new Uint8Array(S * S);
    this.lenT = new Uint8Array(S);
    this.lenC = new Uint8Array(S);
    this.cost = new Float64Array(S);
    this.fullCost = new Float64Array(S);
    let widest = 0;
    for (let s = 0; s < S; s++) widest = Math.max(widest, m.from.filter((f) => f === s).length);
    const W = (this.W = 2 * widest + 1); // room for a sentinel threshold after the last
    this.armT = new Float64Array(S);
    this.armC = new Float64Array(S);
    this.jointThresholds = new Float64Array(S * S * W);
    this.jointNext = new Uint16Array(S * S * (W + 1));
    this.jointReplT = new Uint8Array(S * S * (W + 1));
    this.jointReplC = new Uint8Array(S * S * (W + 1));
    this.logStay = new Float64Array(S * S);
    this.exitWidth = new Float64Array(S * S);
    this.ready = new Uint8Array(S * S);
  }

  /** Builds both arms' transition rows from one trial's parameter values. */
  setTrial(values: Float64Array, delivered: boolean, effectScale = 1): void {
    const { m, S } = this;
    for (let s = 0; s < S; s++) {
      this.cost[s] = values[m.costSlot[s]!]!;
      this.fullCost[s] = values[m.fullCostSlot[s]!]!;
    }
    fillRows(m, values, false, S, this.cumC, this.destC, this.lenC);
    fillRows(m, values, delivered, S, this.cumT, this.destT, this.lenT, effectScale);
    this.buildJointRows();
  }

  /** Marks every joint row stale; each is built when a child first reaches it in this trial. */
  private buildJointRows(): void {
    this.ready.fill(0);
  }

  private buildJointRow(j: number): void {
    const { S, W, cumT, cumC, destT, destC, lenT, lenC, jointThresholds, jointNext, jointReplT, jointReplC } = this;
    const isPlacement = this.m.isPlacement;
    const a = (j / S) | 0, b = j % S;
    // Merge the two sorted rows of thresholds; pad with 2, which no u reaches.
    let x = 0, y = 0, g = 0;
    const nx = lenT[a]!, ny = lenC[b]!;
    while (x < nx || y < ny) {
      const tx = x < nx ? cumT[a * S + x]! : 2, ty = y < ny ? cumC[b * S + y]! : 2;
      jointThresholds[j * W + g++] = tx <= ty ? (x++, tx) : (y++, ty);
    }
    const used = g;
    for (; g < W; g++) jointThresholds[j * W + g] = 2;
    for (g = 0; g <= used; g++) {
      const lo = g === 0 ? 0 : Math.min(1, jointThresholds[j * W + g - 1]!);
      const hi = g < used ? Math.min(1, jointThresholds[j * W + g]!) : 1;
      const u = (lo + hi) / 2; // inside the segment; empty segments are never selected
      const na = step(a, u, S, cumT, destT, lenT), nb = step(b, u, S, cumC, destC, lenC);
      jointNext[j * (W + 1) + g] = na * S + nb;
      jointReplT[j * (W + 1) + g] = !isPlacement[a] && isPlacement[na] ? 1 : 0;
      jointReplC[j * (W + 1) + g] = !isPlacement[b] && isPlacement[nb] ? 1 : 0;
    }
    // Leaving: u below the last threshold. Staying: the rest, 1 − last (log 0 = −∞ when certain to leave).
    const leave = used > 0 ? Math.min(1, jointThresholds[j * W + used - 1]!) : 0;
    this.exitWidth[j] = leave;
    this.logStay[j] = Math.log(1 - leave);
    this.ready[j] = 1;
  }

  /**
   * Simulates one cohort of `n` children from period `start` to `end`, with the measurement
   * window [start, windowEnd). Adds each period's avoided costs (counterfactual − treated) to
   * `avoidedPayer` and `avoidedFull`, and the window totals to `treated` and `counterfactual`.
   */
  runCohort(
    n: number,
    start: number,
    windowEnd: number,
    end: number,
    rng: Rng,
    treated: WindowTotals,
    counterfactual: WindowTotals,
    avoidedPayer: Float64Array,
    avoidedFull: Float64Array,
  ): void {
    const { S, W, cost, fullCost, daysPerPeriod, jointThresholds, jointNext, jointReplT, jointReplC, ready, logStay, exitWidth } = this;
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeOf(n);
    const periods = end - start, window = windowEnd - start, J = S * S;
    // Occupancy as differences: +1 where a stay starts, −1 where it ends; summed up below.
    const occ = this.occupancy(periods + 1);
    let replT = 0, replC = 0;
    for (let i = 0; i < n; i++) {
      let j = intake[i]! * (S + 1); // same state in both arms at intake
      let k = 0;
      while (k < periods) {
        if (ready[j] === 0) this.buildJointRow(j);
        // Periods spent in j: 1 + Geometric(stay), P(more than d) = stay^d. A state nobody leaves
        // has log(stay) = 0; a u of 0 gives log 1 = 0, an immediate move (probability zero).
        const ls = logStay[j]!;
        const extra = ls === 0 ? Infinity : Math.floor(Math.log(1 - rng()) / ls);
        const leaves = extra < periods - k; // moves at the end of one of the simulated periods
        const leaveAt = leaves ? k + 1 + extra : periods; // first period in the next state
        occ[k * J + j]!++;
        occ[leaveAt * J + j]!--;
        if (!leaves) break;
        // Where it goes: u uniform over the leaving part [0, exitWidth).
        const u = rng() * exitWidth[j]!;
        let g = 0;
        while (u >= jointThresholds[j * W + g]!) g++;
        const seg = j * (W + 1) + g;
        if (leaveAt - 1 < window) {
          replT += jointReplT[seg]!;
          replC += jointReplC[seg]!;
        }
        j = jointNext[seg]!;
        k = leaveAt;
      }
    }
    for (let k = 1; k < periods; k++) for (let jj = 0; jj < J; jj++) occ[k * J + jj]! += occ[(k - 1) * J + jj]!;
    treated.replacements += replT;
    counterfactual.replacements += replC;
    const occT = this.armT, occC = this.armC;
    for (let k = 0; k < periods; k++) {
      const t = start + k;
      occT.fill(0);
      occC.fill(0);
      for (let a = 0; a < S; a++) {
        for (let b = 0; b < S; b++) {
          const c = occ[k * J + a * S + b]!;
          occT[a]! += c;
          occC[b]! += c;
        }
      }
      let dPayer = 0, dFull = 0;
      for (let s = 0; s < S; s++) {
        const dt = occT[s]! * daysPerPeriod, dc = occC[s]! * daysPerPeriod;
        dPayer += (dc - dt) * cost[s]!;
        dFull += (dc - dt) * fullCost[s]!;
        if (t < windowEnd) {
          treated.cost += dt * cost[s]!;
          counterfactual.cost += dc * cost[s]!;
          if (isPlacement[s]) {
            treated.careDays += dt;
            counterfactual.careDays += dc;
          }
        }
      }
      if (t < avoidedPayer.length) {
        avoidedPayer[t]! += dPayer;
        avoidedFull[t]! += dFull;
      }
    }
  }

  /** Simulates `n` children without the intervention over [start, windowEnd): a comparison group. */
  runComparison(n: number, start: number, windowEnd: number, rng: Rng, out: WindowTotals): void {
    const { S, cumC, destC, lenC, cost, daysPerPeriod } = this;
    const isPlacement = this.m.isPlacement;
    const intake = this.intakeOf(n);
    for (let i = 0; i < n; i++) {
      let s = intake[i]!;
      for (let t = start; t < windowEnd; t++) {
        out.cost += daysPerPeriod * cost[s]!;
        if (isPlacement[s]) out.careDays += daysPerPeriod;
        const next = step(s, rng(), S, cumC, destC, lenC);
        if (!isPlacement[s] && isPlacement[next]) out.replacements++;
        s = next;
      }
    }
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

  /** A zeroed occupancy buffer for `periods` periods. */
  private occupancy(periods: number): Int32Array {
    const size = periods * this.S * this.S;
    if (this.occ.length < size) this.occ = new Int32Array(size);
    this.occ.fill(0, 0, size);
    return this.occ;
  }
}

/** Next state for a child in state `s` given uniform `u`: the first destination whose cumulative chance exceeds u. */
function step(s: number, u: number, S: number, cum: Float64Array, dest: Uint8Array, len: Uint8Array): number {
  const base = s * S, k = len[s]!;
  for (let j = 0; j < k; j++) if (u < cum[base + j]!) return dest[base + j]!;
  return s;
}

/**
 * Per-period chances for one arm. An effect multiplies the hazard: p' = 1 − (1 − p)^ratio, which
 * stays in [0, 1] for any ratio ≥ 0. If a state's exits then sum above 1 they are scaled to 1.
 */
function fillRows(
  m: PlacementModel,
  values: Float64Array,
  withEffect: boolean,
  S: number,
  cum: Float64Array,
  dest: Uint8Array,
  len: Uint8Array,
  effectScale = 1,
): void {
  len.fill(0);
  for (let i = 0; i < m.from.length; i++) {
    let p = values[m.slot[i]!]!;
    const e = m.effectSlot[i]!;
    if (withEffect && e >= 0) p = 1 - Math.pow(1 - p, Math.pow(values[e]!, effectScale));
    const s = m.from[i]!;
    const k = len[s]!++;
    dest[s * S + k] = m.to[i]!;
    cum[s * S + k] = p;
  }
  for (let s = 0; s < S; s++) {
    const base = s * S, k = len[s]!;
    let total = 0;
    for (let j = 0; j < k; j++) total += cum[base + j]!;
    const scale = total > 1 ? 1 / total : 1;
    let acc = 0;
    for (let j = 0; j < k; j++) cum[base + j] = acc += cum[base + j]! * scale;
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
