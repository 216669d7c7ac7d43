/** Small scenarios for tests, built from plain objects and validated like user input. */
import { parseScenario, type Scenario, type ScenarioInput } from "../../models/index.js";

/** Parses a scenario or fails the test with the problems listed. */
export function scenario(input: unknown): Scenario {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.scenario;
}

/**
 * One cohort, one binary outcome with a fixed baseline and a fixed odds ratio, a historical
 * baseline, and the rules given. No uncertainty in any parameter: only cohort chance remains.
 */
export function binaryScenario(opts: {
  n: number;
  p: number;
  oddsRatio?: number;
  rules: unknown[];
  capital?: number;
  followUp?: number;
  baseline?: number;
  extra?: Record<string, unknown>;
}): ScenarioInput {
  return {
    name: "binary test",
    periodsPerYear: 4,
    population: { cohorts: [{ size: opts.n, startPeriod: 0 }] },
    outcomes: [{ id: "success", kind: "binary", higherIsBetter: true, baseline: opts.p }],
    intervention: { delivered: 1, effects: [{ outcome: "success", oddsRatio: opts.oddsRatio ?? 1 }] },
    measurement: {
      followUpPeriods: opts.followUp ?? 4,
      comparator: { kind: "historical", baseline: { success: opts.baseline ?? opts.p } },
    },
    contract: { capital: opts.capital ?? 1000, drawdown: [{ period: 0, share: 1 }], rules: opts.rules },
    valuation: { horizonPeriods: 4, discountRate: 0 },
    ...opts.extra,
  } as unknown as ScenarioInput;
}

/**
 * A placement outcome (care ↔ home) and a binary school outcome, with fixed parameters, for
 * tests that fill an outcome table by hand. Measures: care.cost, care.careDays,
 * care.replacements, school.
 */
export function contractScenario(contract: Record<string, unknown>, extra: Record<string, unknown> = {}): ScenarioInput {
  return {
    name: "contract test",
    periodsPerYear: 4,
    population: { cohorts: [{ size: 60, startPeriod: 0 }] },
    outcomes: [
      {
        id: "care",
        kind: "placement",
        states: [
          { id: "inCare", placement: true, costPerDay: 3000 },
          { id: "home", placement: false, costPerDay: 0 },
        ],
        initial: { inCare: 1 },
        transitions: [
          { from: "inCare", to: "home", perPeriod: 0.2 },
          { from: "home", to: "inCare", perPeriod: 0.05 },
        ],
      },
      { id: "school", kind: "binary", baseline: 0.5 },
    ],
    intervention: { delivered: 1, effects: [] },
    measurement: { followUpPeriods: 8, comparator: { kind: "historical", baseline: { "care.cost": 0, "care.careDays": 0, "care.replacements": 0, school: 0.5 } } },
    contract,
    valuation: { horizonPeriods: 8, discountRate: 0, financierDiscountRate: 0 },
    ...extra,
  } as unknown as ScenarioInput;
}
