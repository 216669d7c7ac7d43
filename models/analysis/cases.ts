/**
 * Deterministic base, upside and downside cases beside the Monte Carlo, as social impact bond
 * workbooks show them (issue 13, item 16): every uncertain input fixed at one value,
 *
 * - base: its central value (`centralValue`: a range's median, a PERT's mode, a normal's mean);
 * - upside: its favourable end, the 90th percentile of its draws if more of it raises the
 *   financier's NPV, else the 10th;
 * - downside: its unfavourable end, the other one.
 *
 * "Favourable" is decided per input by the sign of its swing on the financier's NPV in the
 * ensemble's tornado (models/analysis/tornado.ts: mean NPV among the trials where the input is
 * in its highest tenth, less that in its lowest). An input with no swing stays at its central
 * value in all three cases. The percentiles are of the input's own draws in the Monte Carlo run
 * (clipped to its field's bounds as every draw is). An input the scenario does not state, a
 * default the engine supplies (the payer's lending rate for self-funding), keeps its spread: it
 * moves none of the cases' figures.
 *
 * With the inputs fixed, what still varies is the cohort's chance (who is placed, who succeeds,
 * whether the work is delivered): each case is the mean over the same trials and seed, so the
 * cases differ only by the inputs (common random numbers, docs/random-streams.md). A scenario
 * with no uncertain input therefore gives three equal cases, each the run itself.
 *
 * Pure: the generator is seeded from `seed`; same scenario and seed give the same cases.
 */
import { quantile } from "d3-array";
import { centralValue } from "../scenario/param.js";
import type { Scenario } from "../scenario/schema.js";
import { runScenario, type Run } from "../run.js";
import { driver } from "./tornado.js";
import { parsePath, PathError, replacePath } from "./path.js";

export type CaseName = "base" | "upside" | "downside";
export const CASE_NAMES: readonly CaseName[] = ["base", "upside", "downside"];

export interface CaseInput {
  /** The input's JSON path, e.g. `intervention.effects[0].rateRatio`. */
  readonly path: string;
  readonly base: number;
  readonly upside: number;
  readonly downside: number;
  /** +1 when more of the input raises the financier's NPV, −1 when it lowers it, 0 when it has no swing. */
  readonly direction: 1 | -1 | 0;
}

export interface CaseFigures {
  /** The payer's net (avoided costs − payments), mean over the trials, undiscounted and discounted at society's rate. */
  readonly payerNet: number;
  readonly payerNetPV: number;
  /** The financier's expected NPV at its hurdle rate. */
  readonly financierNpv: number;
  /** IRR per year of the financier's expected cash flows; null where they have no single IRR. */
  readonly financierIrr: number | null;
  /** Society's expected NPV at society's rate. */
  readonly societyNpv: number;
}

export interface Cases {
  readonly trials: number;
  readonly seed: string | number;
  /** The hurdle rate of `financierNpv`. */
  readonly hurdleRate: number;
  /** The end percentiles used (0.1 and 0.9). */
  readonly low: number;
  readonly high: number;
  readonly inputs: readonly CaseInput[];
  readonly base: CaseFigures;
  readonly upside: CaseFigures;
  readonly downside: CaseFigures;
}

export interface CasesOptions {
  readonly trials: number;
  readonly seed: string | number;
  /** The scenario's Monte Carlo run at these trials and seed, with every input's draws (`params: "all"`), if already made. */
  readonly run?: Run;
}

/** The end percentiles of the upside and downside (P10 and P90). */
export const CASE_LOW = 0.1, CASE_HIGH = 0.9;

function figures(run: Run): CaseFigures {
  const s = run.summary;
  return {
    payerNet: s.payer.net?.mean ?? NaN,
    payerNetPV: s.payer.netPV?.mean ?? NaN,
    financierNpv: s.investor.expectedNpv,
    financierIrr: s.investor.irrOfExpectedFlows,
    societyNpv: s.society.npv?.mean ?? NaN,
  };
}

/** The scenario with each input at `pick(input)`; a fitted block (joint posterior rows) goes, as its inputs are fixed now. */
function fixed(scenario: Scenario, inputs: readonly CaseInput[], pick: (i: CaseInput) => number): Scenario {
  const copy = structuredClone(scenario) as Scenario & { fitted?: unknown };
  if (inputs.length) delete copy.fitted;
  for (const i of inputs) replacePath(copy as unknown as Record<string, unknown>, parsePath(i.path, copy), pick(i), i.path);
  return copy;
}

/** Whether the scenario itself holds the field (not a default the engine supplies). */
function stated(scenario: Scenario, path: string): boolean {
  try {
    parsePath(path, scenario);
    return true;
  } catch (e) {
    if (e instanceof PathError) return false;
    throw e;
  }
}

export function deterministicCases(scenario: Scenario, options: CasesOptions): Cases {
  const { trials, seed } = options;
  const run = options.run ?? runScenario(scenario, { trials, seed, params: "all" });
  const npv = run.results.financierNpv;
  const inputs: CaseInput[] = [];
  for (const slot of run.model.params) {
    if (!slot.uncertain || !stated(scenario, slot.path)) continue;
    const draws = run.outcomes.params.get(slot.path);
    if (!draws) throw new Error(`deterministicCases: the run kept no draws of ${slot.path} (run it with params: "all")`);
    const lo = quantile(draws, CASE_LOW)!, hi = quantile(draws, CASE_HIGH)!;
    const swing = trials >= 2 && hi > lo ? driver(slot.path, draws, npv) : null;
    const d = swing == null ? 0 : swing.high - swing.low;
    const direction: 1 | -1 | 0 = d > 0 ? 1 : d < 0 ? -1 : 0;
    const base = centralValue(slot.spec);
    inputs.push({ path: slot.path, base, direction, upside: direction > 0 ? hi : direction < 0 ? lo : base, downside: direction > 0 ? lo : direction < 0 ? hi : base });
  }
  const evaluate = (pick: (i: CaseInput) => number) => figures(runScenario(fixed(scenario, inputs, pick), { trials, seed, params: "used" }));
  return {
    trials: run.summary.trials,
    seed: run.summary.seed,
    hurdleRate: run.summary.investor.hurdleRate,
    low: CASE_LOW,
    high: CASE_HIGH,
    inputs,
    base: evaluate((i) => i.base),
    upside: evaluate((i) => i.upside),
    downside: evaluate((i) => i.downside),
  };
}
