/**
 * Outcome simulation: draws each trial's parameters and its cohorts' chance outcomes, with and
 * without the intervention and for the contract's comparator. Everything here is independent
 * of the payment rules, so contract terms can be re-evaluated on the same table.
 */
import type { Model } from "./compile.js";
import type { BaselineCohort } from "./compile.js";
import { PlacementSimulator, emptyTotals, type WindowTotals } from "./cohort/placement.js";
import { binomial, coupledBinomial, coupledPoisson, poisson, shiftLogOdds, SMD_TO_LOG_ODDS, type Pair } from "./cohort/coupled.js";
import { hashString, Purpose, seedKey, Stream } from "./random/stream.js";
import { quantileAtNormal, sampler, standardNormal } from "./random/sampler.js";
import { mixCorrelated } from "./random/copula.js";
import { centralValue } from "./scenario/param.js";
import { budgetYear } from "./calendar.js";
import { priceFactors, realToStartYear } from "./prices.js";
import { BLOCK_SIZE } from "./constants.js";
import { relativeImprovement } from "./outcomes/improvement.js";
import { resourceValuePerSuccess } from "./society/longRun.js";

/** Per-trial columns; measure arrays are laid out [trial][cohort][measure]. */
export interface OutcomeTable {
  readonly trials: number;
  readonly seed: string | number;
  readonly cohorts: number;
  readonly measureCount: number;
  /** Measured window totals with the intervention. */
  readonly treated: Float64Array;
  /** The same children without the intervention (unobservable; the true effect's reference). */
  readonly counterfactual: Float64Array;
  /** What the contract measures against: the historical baseline or the comparison group. */
  readonly comparator: Float64Array;
  readonly delivered: Uint8Array;
  readonly discountRate: Float64Array;
  /** Payer's avoided costs by budget year [trial][year], undiscounted. */
  readonly avoidedByYear: Float64Array;
  /** Payer's avoided costs over the horizon, discounted to period 0. */
  readonly avoidedPV: Float64Array;
  /** Society's avoided costs and long-run value, discounted to period 0 (intervention cost not deducted). */
  readonly societyBenefitPV: Float64Array;
  /** Drawn values of each uncertain parameter, by slot path. */
  readonly params: ReadonlyMap<string, Float64Array>;
}

/** The parameter stream's index for a fitted scenario's choice of posterior row. */
const FITTED_KEY = hashString("fitted.rows");

export interface SimulateOptions {
  readonly trials: number;
  readonly seed: string | number;
  /** Simulate only blocks [firstBlock, firstBlock + blockCount): how workers split a run. */
  readonly firstBlock?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Strength of every effect: rate and odds ratios are raised to this power and standardized
   * mean differences multiplied by it; 0 is no effect, 1 the scenario's. For break-even analysis.
   */
  readonly effectScale?: number;
  /**
   * The trial whose parameter draws trial t uses (default t itself). Mapping several trials to
   * one parameter draw gives them the same parameters and their own cohort chance: how the
   * risk is split into chance and ignorance.
   */
  readonly parameterTrial?: (trial: number) => number;
  // --- memory (issue 11 goal 6) ---
  /**
   * Which uncertain parameters' drawn columns the table keeps: "all" (the default; the analyses
   * of inputs need them) or "used", only those the contract evaluation and the summary read
   * (usedParamPaths), 8 bytes a trial for each column left out.
   */
  readonly params?: "all" | "used";
  // --- end memory ---
}

// --- memory (issue 11 goal 6) ---
/**
 * The uncertain parameters whose drawn columns evaluateContract and summarize read from the
 * table (paramOf, slotValues): the long-run values, the lending rate, volume and termination.
 */
export function usedParamPaths(model: Model): Set<string> {
  const slots = [model.lendingRateSlot, model.volumeSlot, model.terminationSlot, model.terminationDrawSlot];
  for (const lr of model.longRun) for (const c of lr.components) slots.push(c.slot);
  return new Set(slots.filter((s) => s >= 0 && model.params[s]!.uncertain).map((s) => model.params[s]!.path));
}
// --- end memory ---

/**
 * A zeroed table for `trials` trials, keeping the parameter columns `keep` says. With `shared`,
 * every column lies on a SharedArrayBuffer, so worker threads can simulate blocks into it in
 * place (cli/threads.ts).
 */
export function allocateTable(model: Model, trials: number, seed: string | number, keep: "all" | "used" = "all", shared = false): OutcomeTable {
  const C = model.cohortSizes.length, M = model.measures.length;
  const f64 = (n: number) => (shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n));
  const params = new Map<string, Float64Array>();
  const used = keep === "used" ? usedParamPaths(model) : null;
  for (const p of model.params) if (p.uncertain && (!used || used.has(p.path))) params.set(p.path, f64(trials));
  return {
    trials,
    seed,
    cohorts: C,
    measureCount: M,
    treated: f64(trials * C * M),
    counterfactual: f64(trials * C * M),
    comparator: f64(trials * C * M),
    delivered: shared ? new Uint8Array(new SharedArrayBuffer(trials)) : new Uint8Array(trials),
    discountRate: f64(trials),
    avoidedByYear: f64(trials * model.years),
    avoidedPV: f64(trials),
    societyBenefitPV: f64(trials),
    params,
  };
}

/**
 * Tables of consecutive trials (simulateOutcomes' parts from consecutive firstBlocks, in block order: the Negotiation page's workers, src/components/analysis.ts) laid end to end: every
 * column holds the same number of values per trial, so each is the parts' columns one after
 * the other.
 */
export function joinTables(parts: readonly OutcomeTable[]): OutcomeTable {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const trials = parts.reduce((n, p) => n + p.trials, 0);
  const join = <A extends Float64Array | Uint8Array>(column: (t: OutcomeTable) => A): A => {
    const a = column(first);
    const out = new (a.constructor as new (n: number) => A)((a.length / first.trials) * trials);
    let at = 0;
    for (const p of parts) {
      const c = column(p);
      if (c.length !== (a.length / first.trials) * p.trials) throw new Error("sweep: the simulated parts' columns do not line up");
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  const params = new Map<string, Float64Array>();
  for (const path of first.params.keys()) params.set(path, join((t) => t.params.get(path)!));
  return {
    trials, seed: first.seed, cohorts: first.cohorts, measureCount: first.measureCount,
    treated: join((t) => t.treated), counterfactual: join((t) => t.counterfactual), comparator: join((t) => t.comparator),
    delivered: join((t) => t.delivered), discountRate: join((t) => t.discountRate), avoidedByYear: join((t) => t.avoidedByYear),
    avoidedPV: join((t) => t.avoidedPV), societyBenefitPV: join((t) => t.societyBenefitPV), params,
  };
}

/**
 * Simulates `trials` trials in blocks of BLOCK_SIZE. Every trial draws from its own streams,
 * keyed by (seed, trial, purpose) (random/stream.ts), so blocks can run anywhere in any order.
 */
export function simulateOutcomes(model: Model, options: SimulateOptions): OutcomeTable {
  const { trials, seed } = options;
  const table = allocateTable(model, trials, seed, options.params);
  const blocks = Math.ceil(trials / BLOCK_SIZE);
  const first = options.firstBlock ?? 0;
  for (let b = 0; b < blocks; b++) {
    const from = b * BLOCK_SIZE;
    simulateBlock(model, table, first + b, from, Math.min(trials, from + BLOCK_SIZE) - from, options.effectScale ?? 1, options.parameterTrial);
    options.onProgress?.(Math.min(trials, from + BLOCK_SIZE), trials);
  }
  return table;
}

/**
 * Simulates `count` trials of global block `block` into rows [row, row + count) of `table`.
 * Trial k of the block is global trial block × BLOCK_SIZE + k, whose numbers depend only on
 * (seed, global trial), never on which worker runs the block.
 */
export function simulateBlock(
  model: Model,
  table: OutcomeTable,
  block: number,
  row: number,
  count: number,
  effectScale = 1,
  parameterTrial: (trial: number) => number = (t) => t,
): void {
  const key = seedKey(table.seed);
  const stream = new Stream(), untreated = new Stream(), treated = new Stream();
  const draws = model.params.map((p) => sampler(p.spec, p.bounds));
  const pathKeys = Int32Array.from(model.params, (p) => hashString(p.path));
  const fixed = Float64Array.from(model.params, (p) => (p.uncertain ? NaN : centralValue(p.spec)));
  const values = new Float64Array(model.params.length);
  const paramColumns = model.params.map((p) => table.params.get(p.path));
  // Correlated inputs (models/random/copula.ts): each takes a standard normal from its own
  // stream, mixed with its group's and mapped through its inverse CDF; every other input draws
  // exactly as without correlations.
  const correlated = new Uint8Array(model.params.length);
  for (const g of model.correlation) for (const s of g.members) correlated[s] = 1;
  const quantiles = model.params.map((p, i) => (correlated[i] ? quantileAtNormal(p.spec, p.bounds) : null));
  const normals = new Float64Array(model.params.length);
  const placement = model.outcomes.map((o) => (o.kind === "placement" ? new PlacementSimulator(o, model.daysPerPeriod) : null));
  const pair: Pair = { treated: 0, counterfactual: 0 };
  const t = emptyTotals(), c = emptyTotals(), g = emptyTotals();
  const avoidedPayer = new Float64Array(model.simulatedPeriods);
  const avoidedFull = new Float64Array(model.simulatedPeriods);
  const C = table.cohorts, M = table.measureCount, O = model.outcomes.length, Y = model.years, ppy = model.periodsPerYear;
  const past = model.baselineCohort;
  const rtm = past?.regressionToMean ?? null;
  /** The past group's value per child, by measure: one group per trial, measured against every cohort. */
  const pastPerChild = new Float64Array(M);
  // Avoided costs at the price year's prices → nominal money of each period; present values in
  // kronor of the start year (prices.ts). All ones without a price basis.
  const prices = priceFactors(model.priceBasis, model, model.simulatedPeriods);
  const realToStart = realToStartYear(model.priceBasis);
  // The past group's costs are first taken at the contract's nominal prices over the first
  // cohort's window, then moved to the baseline period by price growth and indexation.
  let pastPrices = 0;
  for (let p = 0; p < model.followUp; p++) pastPrices += prices.nominal[model.cohortStarts[0]! + p]! / model.followUp;
  // Budget year of each period, and the discount factors of the last rate seen: the rate is
  // often fixed, and Math.pow costs tens of nanoseconds. The same expressions as before, so
  // the same numbers.
  const yearOf = Int32Array.from({ length: model.horizon }, (_, p) => budgetYear(model, p));
  const discount = new Float64Array(model.horizon);
  let discountOf = NaN;
  const longRunDiscount = new Float64Array(C * model.longRun.length);

  const fitted = model.fitted;
  for (let k = 0; k < count; k++) {
    const trial = row + k, global = block * BLOCK_SIZE + k;
    const paramTrial = parameterTrial(global);
    for (let i = 0; i < draws.length; i++) {
      if (correlated[i]) {
        normals[i] = standardNormal(stream.reset(key, paramTrial, Purpose.parameter, pathKeys[i]!).next);
        continue;
      }
      const v = (values[i] = fixed[i] === fixed[i] ? fixed[i]! : draws[i]!(stream.reset(key, paramTrial, Purpose.parameter, pathKeys[i]!).next));
      const column = paramColumns[i];
      if (column) column[trial] = v;
    }
    if (model.correlation.length) {
      mixCorrelated(model.correlation, normals, quantiles, values);
      for (const g of model.correlation) for (const s of g.members) {
        const column = paramColumns[s];
        if (column) column[trial] = values[s]!;
      }
    }
    if (fitted) {
      // A fitted scenario: one posterior row for the fitted inputs, from the trial's own stream
      // (the priors above are still drawn, so no other input's draw moves).
      const row = Math.min(fitted.count - 1, Math.floor(stream.reset(key, paramTrial, Purpose.parameter, FITTED_KEY).next() * fitted.count));
      const P = fitted.slots.length;
      for (let k = 0; k < P; k++) {
        const slot = fitted.slots[k]!;
        const v = (values[slot] = fitted.rows[row * P + k]!);
        const column = paramColumns[slot];
        if (column) column[trial] = v;
      }
    }
    const delivered = stream.reset(key, global, Purpose.delivery).next() < values[model.deliveredSlot]!;
    const r = values[model.discountSlot]!;
    const bias = model.biasSlot >= 0 ? values[model.biasSlot]! : 0;
    table.delivered[trial] = delivered ? 1 : 0;
    table.discountRate[trial] = r;
    avoidedPayer.fill(0);
    avoidedFull.fill(0);
    if (!(r === discountOf)) {
      discountOf = r;
      for (let p = 0; p < model.horizon; p++) discount[p] = Math.pow(1 + r, -(p + 0.5) / ppy) * prices.toStart[p]!;
      for (let ci = 0; ci < C; ci++) {
        const windowEnd = model.cohortStarts[ci]! + model.followUp;
        for (let li = 0; li < model.longRun.length; li++) longRunDiscount[ci * model.longRun.length + li] = Math.pow(1 + r, -(windowEnd + model.longRun[li]!.delayPeriods) / ppy);
      }
    }
    let longRunPV = 0;

    for (const o of model.outcomes) {
      if (o.kind !== "placement") continue;
      placement[o.outcomeIndex]!.setTrial(values, {
        delivered,
        effectScale,
        drift: past ? values[past.driftSlot]! : 1,
        exitRateRatio: rtm ? values[rtm.exitRateRatioSlot]! : 1,
        regimeEnd: rtm ? rtm.periods : 0,
      });
    }
    if (past) simulatePastGroup(model, past, values, placement, stream.reset(key, global, Purpose.comparator, C * O), pastPerChild, pastPrices);

    for (let ci = 0; ci < C; ci++) {
      const n = model.cohortSizes[ci]!, start = model.cohortStarts[ci]!, windowEnd = start + model.followUp;
      const comparison = model.comparisonSizes[ci]!;
      const base = (trial * C + ci) * M;
      for (const o of model.outcomes) {
        const index = ci * O + o.outcomeIndex;
        untreated.reset(key, global, Purpose.untreated, index);
        treated.reset(key, global, Purpose.treated, index);
        const comparator = comparison > 0 ? stream.reset(key, global, Purpose.comparator, index).next : null;
        if (o.kind === "placement") {
          const sim = placement[o.outcomeIndex]!;
          reset(t);
          reset(c);
          sim.runCohort(n, start, windowEnd, model.simulatedPeriods, untreated.next, treated.next, t, c, avoidedPayer, avoidedFull, prices.nominal);
          const [mc, md, mr] = o.measureIndex;
          table.treated[base + mc] = t.cost;
          table.treated[base + md] = t.careDays;
          table.treated[base + mr] = t.replacements;
          table.counterfactual[base + mc] = c.cost;
          table.counterfactual[base + md] = c.careDays;
          table.counterfactual[base + mr] = c.replacements;
          if (comparator) {
            reset(g);
            sim.runUntreated(comparison, model.followUp, false, comparator, g);
            const scale = (n / comparison) * (1 + bias);
            table.comparator[base + mc] = g.cost * scale;
            table.comparator[base + md] = g.careDays * scale;
            table.comparator[base + mr] = g.replacements * scale;
          } else {
            for (const mi of o.measureIndex) table.comparator[base + mi] = historical(model, past, pastPerChild, mi, n);
          }
        } else if (o.kind === "binary") {
          const p0 = values[o.baselineSlot]!;
          let p1 = p0;
          if (delivered && o.effect) {
            const e = values[o.effect.slot]!;
            const logOdds = o.effect.type === "oddsRatio" ? Math.log(e) : e * SMD_TO_LOG_ODDS;
            p1 = effectScale === 0 ? p0 : shiftLogOdds(p0, effectScale * logOdds); // 0 × log 0 would be NaN
          }
          coupledBinomial(untreated.next, treated.next, n, p0, p1, pair);
          table.treated[base + o.measureIndex] = pair.treated;
          table.counterfactual[base + o.measureIndex] = pair.counterfactual;
          table.comparator[base + o.measureIndex] = comparator
            ? (binomial(comparator, comparison, p0) * n * (1 + bias)) / comparison
            : historical(model, past, pastPerChild, o.measureIndex, n);
        } else {
          const l0 = values[o.rateSlot]!;
          const l1 = delivered && o.effectSlot >= 0 ? l0 * Math.pow(values[o.effectSlot]!, effectScale) : l0;
          coupledPoisson(untreated.next, treated.next, n, l0, l1, pair);
          table.treated[base + o.measureIndex] = pair.treated;
          table.counterfactual[base + o.measureIndex] = pair.counterfactual;
          table.comparator[base + o.measureIndex] = comparator
            ? (poisson(comparator, comparison * l0) * n * (1 + bias)) / comparison
            : historical(model, past, pastPerChild, o.measureIndex, n);
          if (o.costPerEventSlot >= 0) {
            const saved = (pair.counterfactual - pair.treated) * values[o.costPerEventSlot]! * prices.nominal[windowEnd - 1]!;
            if (windowEnd - 1 < avoidedPayer.length) {
              avoidedPayer[windowEnd - 1]! += saved;
              avoidedFull[windowEnd - 1]! += saved;
            }
          }
        }
      }
      let li = 0;
      for (const lr of model.longRun) {
        const gained = table.treated[base + lr.measureIndex]! - table.counterfactual[base + lr.measureIndex]!;
        const extra = model.measures[lr.measureIndex]!.higherIsBetter ? gained : -gained; // successes are what is better
        // Resource gains only: transfers (taxes) move value between perspectives (models/society/longRun.ts).
        // A long-run value is real (the price year's prices), taken in start-year kronor (prices.ts).
        longRunPV += extra * resourceValuePerSuccess(lr, values) * lr.share * realToStart * longRunDiscount[ci * model.longRun.length + li++]!;
      }
    }

    let pvPayer = 0, pvFull = 0;
    const yearRow = trial * Y;
    for (let p = 0; p < model.horizon; p++) {
      // Avoided costs are nominal; present values in kronor of the start year (prices.ts).
      const df = discount[p]!;
      pvPayer += avoidedPayer[p]! * df;
      pvFull += avoidedFull[p]! * df;
      table.avoidedByYear[yearRow + yearOf[p]!]! += avoidedPayer[p]!;
    }
    table.avoidedPV[trial] = pvPayer;
    table.societyBenefitPV[trial] = pvFull + longRunPV;
  }
}

/**
 * The historical baseline's past group: `size` children followed over the follow-up window,
 * without the intervention, under the trial's prices and chances as they were in the baseline
 * period (drift), with costs at that period's prices lifted by the contract's indexation.
 * Writes each measure's value per child.
 */
function simulatePastGroup(
  model: Model,
  past: BaselineCohort,
  values: Float64Array,
  placement: readonly (PlacementSimulator | null)[],
  stream: Stream,
  perChild: Float64Array,
  nominal: number,
): void {
  const m = past.size;
  const prices = nominal * Math.pow((1 + values[past.indexationSlot]!) / (1 + values[past.careCostGrowthSlot]!), past.years);
  const totals = emptyTotals();
  for (const o of model.outcomes) {
    if (o.kind === "placement") {
      reset(totals);
      placement[o.outcomeIndex]!.runUntreated(m, model.followUp, true, stream.next, totals);
      const [mc, md, mr] = o.measureIndex;
      perChild[mc] = (totals.cost * prices) / m;
      perChild[md] = totals.careDays / m;
      perChild[mr] = totals.replacements / m;
    } else if (o.kind === "binary") {
      perChild[o.measureIndex] = binomial(stream.next, m, values[o.baselineSlot]!) / m;
    } else {
      perChild[o.measureIndex] = poisson(stream.next, m * values[o.rateSlot]!) / m;
    }
  }
}

function reset(w: WindowTotals): void {
  w.cost = w.careDays = w.replacements = 0;
}

/** The historical comparator for a cohort of n: the past group's value per child, or the published figure, times n. */
function historical(model: Model, past: BaselineCohort | null, pastPerChild: Float64Array, measure: number, n: number): number {
  return (past ? pastPerChild[measure]! : model.historicalBaseline[measure]!) * n;
}

/**
 * A measure's value in one trial for one cohort, or summed over all cohorts when `cohort` is
 * −1 (pooled). `column` is the table's treated, counterfactual or comparator column.
 */
export function cohortValue(column: Float64Array, table: OutcomeTable, trial: number, cohort: number, measure: number): number {
  const C = table.cohorts, M = table.measureCount;
  if (cohort >= 0) return column[(trial * C + cohort) * M + measure]!;
  let s = 0;
  for (let c = 0; c < C; c++) s += column[(trial * C + c) * M + measure]!;
  return s;
}

/** Per-trial relative improvement of a measure against `reference`, pooled over cohorts (cohort −1) or for one cohort. */
export function relativeEffects(
  model: Model,
  table: OutcomeTable,
  measure: number,
  reference: Float64Array,
  cohort = -1,
  out = new Float64Array(table.trials), // memory (issue 11 goal 6): a caller's reused column
): Float64Array {
  const higher = model.measures[measure]!.higherIsBetter;
  for (let t = 0; t < table.trials; t++) {
    out[t] = relativeImprovement(cohortValue(table.treated, table, t, cohort, measure), cohortValue(reference, table, t, cohort, measure), higher);
  }
  return out;
}

/** A parameter slot's value per trial: its drawn column if uncertain, else its fixed value; `none` for slot −1. */
export function paramOf(model: Model, table: OutcomeTable, slot: number, none: number): (trial: number) => number {
  if (slot < 0) return () => none;
  const p = model.params[slot]!;
  const column = table.params.get(p.path);
  if (column) return (t) => column[t]!;
  const fixed = centralValue(p.spec);
  return () => fixed;
}
