/**
 * Break-even effect: how strong the intervention must truly be for a party's expected money
 * to reach zero: the financier's expected NPV at its hurdle rate (valuation.financierDiscountRate),
 * the payer's expected net saving over the horizon. Every effect is scaled together (rate and odds ratios raised to a power,
 * standardized mean differences multiplied; 0 = no effect, 1 = the scenario's), the scale is
 * found by bisection on simulations from the same seed (common random numbers), and reported
 * as the true relative improvement of one measure, with the chance that the scenario's
 * uncertain effect reaches it.
 */
import { compile } from "../compile.js";
import { evaluateContract, type ContractResults } from "../contract/evaluate.js";
import type { Scenario } from "../scenario/schema.js";
import { relativeEffects, simulateOutcomes } from "../simulate.js";
import { meanOfFinite } from "../summary/dist.js";

export type Party = "financier" | "payer";

/** The largest effect scale searched (4 × the scenario's assumed effect), unless maxScale says otherwise. */
export const MAX_EFFECT_SCALE = 4;
/** The most trials a page spends on each simulation of the search (about 30 of them). */
export const BREAK_EVEN_TRIALS = 4000;

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
}

function expectedMoney(party: Party, r: ContractResults): number {
  const column = party === "financier" ? r.financierNpv : r.payerNet;
  let s = 0;
  for (let t = 0; t < r.trials; t++) s += column[t]!;
  return s / r.trials;
}


export function breakEven(scenario: Scenario, party: Party, options: BreakEvenOptions): BreakEven {
  const model = compile(scenario);
  const firstRule = scenario.contract.rules.find((r) => r.kind !== "activity" && "measure" in r) as { measure: string } | undefined;
  const measureId = options.measure ?? firstRule?.measure ?? model.measures[0]!.id;
  const measure = model.measures.findIndex((m) => m.id === measureId);
  if (measure < 0) throw new Error(`unknown measure "${measureId}"; measures are ${model.measures.map((m) => m.id).join(", ")}`);
  const maxScale = options.maxScale ?? MAX_EFFECT_SCALE;

  const at = (scale: number) => {
    const table = simulateOutcomes(model, { trials: options.trials, seed: options.seed, effectScale: scale });
    return { table, money: expectedMoney(party, evaluateContract(model, table)) };
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
  const base = simulateOutcomes(model, { trials: options.trials, seed: options.seed });
  const baseEffects = relativeEffects(model, base, measure, base.counterfactual);
  if (Number.isNaN(hi)) return { party, measure: measureId, scale: null, trueEffect: null, probReach: null };
  for (let i = 0; i < 20; i++) {
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
