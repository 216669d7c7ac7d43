/**
 * Outcome simulation: draws each trial's parameters and its cohorts' chance outcomes, with and
 * without the intervention and for the contract's comparator. Everything here is independent
 * of the payment rules, so contract terms can be re-evaluated on the same table.
 */
import type { Model } from "./compile.js";
import { PlacementSimulator, emptyTotals, type WindowTotals } from "./cohort/placement.js";
import { coupledBinomial, coupledPoisson, coupledSamplers, shiftLogOdds, SMD_TO_LOG_ODDS, type Pair } from "./cohort/coupled.js";
import { blockRng } from "./random/rng.js";
import { sampler } from "./random/sampler.js";
import { BLOCK_SIZE } from "./constants.js";
import { relativeImprovement } from "./contract/rules.js";
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
}

export function allocateTable(model: Model, trials: number, seed: string | number): OutcomeTable {
  const C = model.cohortSizes.length, M = model.measures.length;
  const params = new Map<string, Float64Array>();
  for (const p of model.params) if (p.uncertain) params.set(p.path, new Float64Array(trials));
  return {
    trials,
    seed,
    cohorts: C,
    measureCount: M,
    treated: new Float64Array(trials * C * M),
    counterfactual: new Float64Array(trials * C * M),
    comparator: new Float64Array(trials * C * M),
    delivered: new Uint8Array(trials),
    discountRate: new Float64Array(trials),
    avoidedByYear: new Float64Array(trials * model.years),
    avoidedPV: new Float64Array(trials),
    societyBenefitPV: new Float64Array(trials),
    params,
  };
}

/** Simulates `trials` trials in blocks of BLOCK_SIZE, each block seeded from (seed, block index). */
export function simulateOutcomes(model: Model, options: SimulateOptions): OutcomeTable {
  const { trials, seed } = options;
  const table = allocateTable(model, trials, seed);
  const blocks = Math.ceil(trials / BLOCK_SIZE);
  const first = options.firstBlock ?? 0;
  for (let b = 0; b < blocks; b++) {
    const from = b * BLOCK_SIZE;
    simulateBlock(model, table, first + b, from, Math.min(trials, from + BLOCK_SIZE) - from, options.effectScale ?? 1);
    options.onProgress?.(Math.min(trials, from + BLOCK_SIZE), trials);
  }
  return table;
}

/**
 * Simulates `count` trials of global block `block` into rows [row, row + count) of `table`.
 * The numbers depend only on (seed, block), never on which worker runs the block.
 */
export function simulateBlock(model: Model, table: OutcomeTable, block: number, row: number, count: number, effectScale = 1): void {
  const rng = blockRng(table.seed, block);
  const draws = model.params.map((p) => sampler(p.spec, p.bounds, rng));
  const values = new Float64Array(model.params.length);
  const paramColumns = model.params.map((p) => table.params.get(p.path));
  const placement = model.outcomes.map((o) => (o.kind === "placement" ? new PlacementSimulator(o, model.daysPerPeriod) : null));
  const coupled = coupledSamplers(rng);
  const pair: Pair = { treated: 0, counterfactual: 0 };
  const t = emptyTotals(), c = emptyTotals(), g = emptyTotals();
  const avoidedPayer = new Float64Array(model.simulatedPeriods);
  const avoidedFull = new Float64Array(model.simulatedPeriods);
  const C = table.cohorts, M = table.measureCount, Y = model.years, ppy = model.periodsPerYear;
  const comparison = model.comparisonSize;

  for (let k = 0; k < count; k++) {
    const trial = row + k;
    for (let i = 0; i < draws.length; i++) {
      const v = (values[i] = draws[i]!());
      const column = paramColumns[i];
      if (column) column[trial] = v;
    }
    const delivered = rng() < values[model.deliveredSlot]!;
    const r = values[model.discountSlot]!;
    const bias = model.biasSlot >= 0 ? values[model.biasSlot]! : 0;
    table.delivered[trial] = delivered ? 1 : 0;
    table.discountRate[trial] = r;
    avoidedPayer.fill(0);
    avoidedFull.fill(0);
    let longRunPV = 0;

    for (const o of model.outcomes) {
      if (o.kind === "placement") placement[o.outcomeIndex]!.setTrial(values, delivered, effectScale);
    }
    for (let ci = 0; ci < C; ci++) {
      const n = model.cohortSizes[ci]!, start = model.cohortStarts[ci]!, windowEnd = start + model.followUp;
      const base = (trial * C + ci) * M;
      for (const o of model.outcomes) {
        if (o.kind === "placement") {
          const sim = placement[o.outcomeIndex]!;
          reset(t);
          reset(c);
          sim.runCohort(n, start, windowEnd, model.simulatedPeriods, rng, t, c, avoidedPayer, avoidedFull);
          const [mc, md, mr] = o.measureIndex;
          table.treated[base + mc] = t.cost;
          table.treated[base + md] = t.careDays;
          table.treated[base + mr] = t.replacements;
          table.counterfactual[base + mc] = c.cost;
          table.counterfactual[base + md] = c.careDays;
          table.counterfactual[base + mr] = c.replacements;
          if (comparison > 0) {
            reset(g);
            sim.runComparison(comparison, start, windowEnd, rng, g);
            const scale = (n / comparison) * (1 + bias);
            table.comparator[base + mc] = g.cost * scale;
            table.comparator[base + md] = g.careDays * scale;
            table.comparator[base + mr] = g.replacements * scale;
          } else {
            for (const mi of o.measureIndex) table.comparator[base + mi] = historical(model, mi, n);
          }
        } else if (o.kind === "binary") {
          const p0 = values[o.baselineSlot]!;
          let p1 = p0;
          if (delivered && o.effect) {
            const e = values[o.effect.slot]!;
            const logOdds = o.effect.type === "oddsRatio" ? Math.log(e) : e * SMD_TO_LOG_ODDS;
            p1 = effectScale === 0 ? p0 : shiftLogOdds(p0, effectScale * logOdds); // 0 × log 0 would be NaN
          }
          coupledBinomial(coupled, n, p0, p1, pair);
          table.treated[base + o.measureIndex] = pair.treated;
          table.counterfactual[base + o.measureIndex] = pair.counterfactual;
          table.comparator[base + o.measureIndex] =
            comparison > 0 ? (coupled.binomial(comparison, p0)() * n * (1 + bias)) / comparison : historical(model, o.measureIndex, n);
        } else {
          const l0 = values[o.rateSlot]!;
          const l1 = delivered && o.effectSlot >= 0 ? l0 * Math.pow(values[o.effectSlot]!, effectScale) : l0;
          coupledPoisson(coupled, n, l0, l1, pair);
          table.treated[base + o.measureIndex] = pair.treated;
          table.counterfactual[base + o.measureIndex] = pair.counterfactual;
          table.comparator[base + o.measureIndex] =
            comparison > 0 ? (sampleCount(coupled, comparison * l0) * n * (1 + bias)) / comparison : historical(model, o.measureIndex, n);
          if (o.costPerEventSlot >= 0) {
            const saved = (pair.counterfactual - pair.treated) * values[o.costPerEventSlot]!;
            if (windowEnd - 1 < avoidedPayer.length) {
              avoidedPayer[windowEnd - 1]! += saved;
              avoidedFull[windowEnd - 1]! += saved;
            }
          }
        }
      }
      for (const lr of model.longRun) {
        const gained = table.treated[base + lr.measureIndex]! - table.counterfactual[base + lr.measureIndex]!;
        const extra = model.measures[lr.measureIndex]!.higherIsBetter ? gained : -gained; // successes are what is better
        // Resource gains only: transfers (taxes) move value between perspectives (models/society/longRun.ts).
        longRunPV += extra * resourceValuePerSuccess(lr, values) * lr.share * Math.pow(1 + r, -(windowEnd + lr.delayPeriods) / ppy);
      }
    }

    let pvPayer = 0, pvFull = 0;
    const yearRow = trial * Y;
    for (let p = 0; p < model.horizon; p++) {
      const df = Math.pow(1 + r, -(p + 0.5) / ppy);
      pvPayer += avoidedPayer[p]! * df;
      pvFull += avoidedFull[p]! * df;
      table.avoidedByYear[yearRow + Math.floor(p / ppy)]! += avoidedPayer[p]!;
    }
    table.avoidedPV[trial] = pvPayer;
    table.societyBenefitPV[trial] = pvFull + longRunPV;
  }
}

function reset(w: WindowTotals): void {
  w.cost = w.careDays = w.replacements = 0;
}

function historical(model: Model, measure: number, n: number): number {
  return model.historicalBaseline[measure]! * n;
}

function sampleCount(s: ReturnType<typeof coupledSamplers>, mean: number): number {
  return mean > 0 ? s.poisson(mean)() : 0;
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
export function relativeEffects(model: Model, table: OutcomeTable, measure: number, reference: Float64Array, cohort = -1): Float64Array {
  const higher = model.measures[measure]!.higherIsBetter;
  return Float64Array.from({ length: table.trials }, (_, t) =>
    relativeImprovement(cohortValue(table.treated, table, t, cohort, measure), cohortValue(reference, table, t, cohort, measure), higher),
  );
}
