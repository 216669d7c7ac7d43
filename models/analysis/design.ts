/**
 * Measurement design: a contract's error rates, like a power analysis. For each design (a
 * comparator, a cohort size, a follow-up length: any change to the scenario) and each strength
 * of the true effect (0 = none, 1 = the scenario's), the chance that outcome payments are made,
 * that they are made although nothing truly improved, and that a real improvement goes unpaid.
 * At no effect, the chance of payment is the contract's false alarm rate; at the scenario's
 * effect, its power.
 */
import { compile } from "../compile.js";
import { evaluateContract } from "../contract/evaluate.js";
import { expectedBaseline } from "../expectation.js";
import { MONEY_EPSILON } from "../constants.js";
import { resolveFigureRefs } from "../figures/resolve.js";
import { parseScenario } from "../scenario/parse.js";
import { relativeEffects, simulateOutcomes } from "../simulate.js";
import { meanOfFinite } from "../summary/dist.js";
import { parsePath, replacePath } from "./path.js";
import { SweepError } from "./sweep.js";

export interface Design {
  readonly label: string;
  /** JSON path → new value (any JSON: a number, or an object such as a comparator). */
  readonly changes: Readonly<Record<string, unknown>>;
  /**
   * Carry a baseline published as fixed figures over to the new design (a simulated past group
   * follows any change by itself): each measure's baseline is scaled by
   * the model's expectation under the new design over that under the old (a baseline measured
   * over a longer window is larger), so any deliberate gap between the written baseline and the
   * model's expectation is kept.
   */
  readonly rebaseHistorical?: boolean;
}

export interface OperatingPoint {
  readonly scale: number;
  /** Mean true relative improvement of the contract's measure at this scale. */
  readonly trueEffect: number | null;
  /** Chance of any outcome-based payment. */
  readonly probPay: number;
  readonly probPayForNothing: number;
  readonly probMissedSuccess: number;
  readonly meanPayments: number;
}

export interface OperatingCurve {
  readonly design: string;
  readonly points: readonly OperatingPoint[];
}

export interface DesignOptions {
  readonly scales?: readonly number[];
  readonly trials: number;
  readonly seed: string | number;
  readonly onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_SCALES = [0, 0.25, 0.5, 0.75, 1, 1.5, 2] as const;

/** Applies a design's changes to raw scenario JSON and validates the result. */
export function applyDesign(raw: unknown, design: Design) {
  const input = resolveFigureRefs(raw); // so a design can change a figure taken from the tables
  const json = structuredClone(input) as Record<string, unknown>;
  for (const [path, value] of Object.entries(design.changes)) replacePath(json, parsePath(path, input), value, path);
  let parsed = parseScenario(json);
  if (parsed.ok && design.rebaseHistorical) {
    const comparator = (json.measurement as { comparator: { kind: string; baseline?: Record<string, number> } }).comparator;
    if (comparator.kind === "historical" && comparator.baseline) {
      const before = parseScenario(input);
      const was = before.ok ? expectedBaseline(compile(before.scenario)) : {};
      const now = expectedBaseline(compile(parsed.scenario));
      for (const id of Object.keys(comparator.baseline)) {
        if (was[id] && now[id] !== undefined) comparator.baseline[id] = (comparator.baseline[id]! * now[id]!) / was[id]!;
      }
      parsed = parseScenario(json);
    }
  }
  if (!parsed.ok) {
    throw new SweepError(parsed.problems.map((q) => ({ path: q.path, message: `${q.message} (in the design "${design.label}")` })));
  }
  return parsed.scenario;
}

export function operatingCurves(input: unknown, designs: readonly Design[], options: DesignOptions): OperatingCurve[] {
  const scales = options.scales ?? DEFAULT_SCALES;
  const scenarios = designs.map((d) => applyDesign(input, d)); // every design checked before any runs
  const total = designs.length * scales.length;
  let done = 0;
  return scenarios.map((scenario, di) => {
    const model = compile(scenario);
    const outcomeRules = scenario.contract.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.kind !== "activity");
    const firstMeasure = (outcomeRules[0]?.r as { measure?: string } | undefined)?.measure;
    const measure = Math.max(0, model.measures.findIndex((m) => m.id === firstMeasure));
    const R = scenario.contract.rules.length;
    const points = scales.map((scale): OperatingPoint => {
      const table = simulateOutcomes(model, { trials: options.trials, seed: options.seed, effectScale: scale });
      const r = evaluateContract(model, table);
      let pay = 0, nothing = 0, missed = 0, paid = 0;
      for (let t = 0; t < r.trials; t++) {
        let outcomePaid = 0;
        for (const { i } of outcomeRules) outcomePaid += r.paymentsByRule[t * R + i]!;
        if (outcomePaid > MONEY_EPSILON) pay++;
        nothing += r.payForNothing[t]!;
        missed += r.missedSuccess[t]!;
        paid += r.payments[t]!;
      }
      options.onProgress?.(++done, total);
      const T = r.trials;
      return { scale, trueEffect: meanOfFinite(relativeEffects(model, table, measure, table.counterfactual)), probPay: pay / T, probPayForNothing: nothing / T, probMissedSuccess: missed / T, meanPayments: paid / T };
    });
    return { design: designs[di]!.label, points };
  });
}

/**
 * The designs worth comparing for any scenario: as it is, twice the follow-up, twice the
 * cohorts, and the other kind of comparator (a concurrent comparison group as large as all the
 * cohorts together, or, for a comparison group, a simulated past group of its size).
 */
export function standardDesigns(input: unknown): Design[] {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new SweepError(parsed.problems);
  const s = parsed.scenario;
  const followUp = s.measurement.followUpPeriods;
  const ppy = s.periodsPerYear;
  const years = (p: number) => `${+(p / ppy).toFixed(1)}-year follow-up`;
  const sizes = s.population.cohorts.map((c) => c.size);
  const designs: Design[] = [{ label: "as written", changes: {} }];
  // Binary and count outcomes are stated over the follow-up, whatever its length; only a
  // placement outcome's measures grow with the window.
  if (s.outcomes.some((o) => o.kind === "placement")) {
    designs.push({ label: years(followUp * 2), changes: { "measurement.followUpPeriods": followUp * 2 }, rebaseHistorical: true });
  }
  designs.push({
    label: `cohorts twice as large (${sizes.map((n) => n * 2).join(", ")})`,
    changes: Object.fromEntries(sizes.map((n, i) => [`population.cohorts[${i}].size`, n * 2])),
  });
  const comparator = s.measurement.comparator;
  if (comparator.kind === "historical") {
    const size = sizes.reduce((a, b) => a + b, 0);
    designs.push({ label: `comparison group of ${size}`, changes: { "measurement.comparator": { kind: "comparisonGroup", size } } });
  } else {
    // A past group as large as the comparison group, followed over the same window.
    designs.push({ label: `historical baseline (a past group of ${comparator.size})`, changes: { "measurement.comparator": { kind: "historical", cohort: { size: comparator.size } } } });
  }
  return designs;
}
