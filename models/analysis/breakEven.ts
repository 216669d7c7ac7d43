/**
 * Break-even effect: how strong the intervention must truly be for a party's expected money
 * to reach zero: the financier's expected NPV at its hurdle rate (valuation.financierDiscountRate),
 * the payer's expected net saving over the horizon. Every effect is scaled together (rate and odds ratios raised to a power,
 * standardized mean differences multiplied; 0 = no effect, 1 = the scenario's), the scale is
 * found by bisection on simulations from the same seed (common random numbers), and reported
 * as the true relative improvement of one measure, with the chance that the scenario's
 * uncertain effect reaches it.
 */
import { compile, type Model } from "../compile.js";
import { evaluateContract, type ContractResults } from "../contract/evaluate.js";
import type { Scenario } from "../scenario/schema.js";
import { relativeEffects, simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { meanOfFinite } from "../summary/dist.js";

export type Party = "financier" | "payer";

/** The largest effect scale searched (4 × the scenario's assumed effect), unless maxScale says otherwise. */
export const MAX_EFFECT_SCALE = 4;
/** The most trials a page spends on each simulation of the search (about 30 of them). */
export const BREAK_EVEN_TRIALS = 4000;

/**
 * The break-even scale is found to within this. Measured on Norrköping (test/analysis/breakEvenSpread.test.ts's
 * header): the payer's break-even true effect spreads by 0.0005 over seeds at 4,000 trials, and
 * a scale moves that effect by about a fifth of itself, so 1e-4 of scale is some 2e-5 of effect,
 * a twenty-fifth of the Monte Carlo error (20 steps went to 1e-6 and cost 6 to 8 more runs).
 */
export const SCALE_TOLERANCE = 1e-4;

export interface BreakEven {
  readonly party: Party;
  /** The measure whose true effect is reported. */
  readonly measure: string;
  /** Effect scale at break-even; null if the party does not break even for scales in [0, maxScale]. */
  readonly scale: number | null;
  /** Mean true relative improvement of the measure at break-even. */
  readonly trueEffect: number | null;
  /** Chance, under the scenario's own uncertainty, that the true effect reaches the break-even effect. */
  readonly probReach: number | null;
}

export interface BreakEvenOptions {
  readonly trials: number;
  readonly seed: string | number;
  /** Measure id; default: the measure of the contract's first outcome-based rule. */
  readonly measure?: string;
  readonly maxScale?: number;
  /**
   * Simulations to share with other searches and curves on the same scenario, trials and seed
   * (both parties' searches scan the same scales, and acceptabilityByEffect's curve passes through
   * them); made from the scenario when not given.
   */
  readonly runs?: ScaledRuns;
}

/**
 * One model's simulations and contract results at effect scales, on the same trials and seed
 * (common random numbers), each made once. The two parties' break-even searches scan the same
 * grid of scales and the acceptability curve (acceptability.ts) steps through every quarter, so
 * the Negotiation page's worker keeps one of these for a scenario: with it the page simulates
 * each grid scale once instead of up to three times. Only scales on a quarter are kept (the grid's
 * and the curve's); a bisection's midpoints are each asked for once and are not, so the memory
 * stays at most 4 × maxScale + 1 simulations.
 */
export class ScaledRuns {
  readonly model: Model;
  private readonly kept = new Map<number, { table: OutcomeTable; results: ContractResults }>();
  constructor(
    scenario: Scenario,
    readonly trials: number,
    readonly seed: string | number,
  ) {
    this.model = compile(scenario);
  }
  /** `shared` when it holds runs of `trials` from `seed`, else new runs of the scenario (a search asking for other trials makes its own). */
  static of(scenario: Scenario, trials: number, seed: string | number, shared?: ScaledRuns): ScaledRuns {
    return shared && shared.trials === trials && shared.seed === seed ? shared : new ScaledRuns(scenario, trials, seed);
  }
  /** The simulation at `scale` and the scenario's contract evaluated on it. */
  at(scale: number): { table: OutcomeTable; results: ContractResults } {
    const hit = this.kept.get(scale);
    if (hit) return hit;
    const table = simulateOutcomes(this.model, { trials: this.trials, seed: this.seed, effectScale: scale });
    const run = { table, results: evaluateContract(this.model, table) };
    if (Number.isInteger(scale * 4)) this.kept.set(scale, run);
    return run;
  }
}

function expectedMoney(party: Party, r: ContractResults): number {
  const column = party === "financier" ? r.financierNpv : r.payerNet;
  let s = 0;
  for (let t = 0; t < r.trials; t++) s += column[t]!;
  return s / r.trials;
}


export function breakEven(scenario: Scenario, party: Party, options: BreakEvenOptions): BreakEven {
  const runs = ScaledRuns.of(scenario, options.trials, options.seed, options.runs);
  const model = runs.model;
  const firstRule = scenario.contract.rules.find((r) => r.kind !== "activity" && "measure" in r) as { measure: string } | undefined;
  const measureId = options.measure ?? firstRule?.measure ?? model.measures[0]!.id;
  const measure = model.measures.findIndex((m) => m.id === measureId);
  if (measure < 0) throw new Error(`unknown measure "${measureId}"; measures are ${model.measures.map((m) => m.id).join(", ")}`);
  const maxScale = options.maxScale ?? MAX_EFFECT_SCALE;

  const at = (scale: number) => {
    const { table, results } = runs.at(scale);
    return { table, money: expectedMoney(party, results) };
  };

  // Scan for the first sign change of expected money, then bisect inside it.
  const grid = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4].filter((s) => s <= maxScale);
  let lo = grid[0]!, flo = at(lo).money, hi = NaN;
  for (const s of grid.slice(1)) {
    const f = at(s).money;
    if (Math.sign(f) !== Math.sign(flo)) {
      hi = s;
      break;
    }
    (lo = s), (flo = f);
  }
  // Scale 1 is the scenario's own effect: the same simulation as one without a scale.
  const base = runs.at(1).table;
  const baseEffects = relativeEffects(model, base, measure, base.counterfactual);
  if (Number.isNaN(hi)) return { party, measure: measureId, scale: null, trueEffect: null, probReach: null };
  // Bisect until the bracket is narrower than SCALE_TOLERANCE (12 to 14 steps from the grid's
  // brackets): the root is then known far more finely than the Monte Carlo error lets it mean
  // anything, and each further step is one more simulation.
  for (let i = 0; i < 20 && hi - lo > SCALE_TOLERANCE; i++) {
    const mid = (lo + hi) / 2;
    const f = at(mid).money;
    if (Math.sign(f) === Math.sign(flo)) (lo = mid), (flo = f);
    else hi = mid;
  }
  const scale = (lo + hi) / 2;
  const atBreakEven = at(scale).table;
  const trueEffect = meanOfFinite(relativeEffects(model, atBreakEven, measure, atBreakEven.counterfactual));
  let reach = 0;
  if (trueEffect !== null) for (const e of baseEffects) if (e >= trueEffect) reach++;
  return { party, measure: measureId, scale, trueEffect, probReach: trueEffect === null ? null : reach / baseEffects.length };
}
