/**
 * Placing a published result in a run's distribution. Witnesses: hand-counted ranks, and a
 * scenario without uncertainty whose measured effect is known in closed form.
 */
import { describe, expect, test } from "vitest";
import { caseMetric, rankOf } from "../../models/analysis/referenceCase.js";
import { runScenario } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

describe("rankOf(column, value)", () => {
  test("counts the shares of finite values below and at or below the value", () => {
    const col = [5, 1, NaN, 3, 3, 2];
    expect(rankOf(col, 3)).toEqual({ below: 2 / 5, atOrBelow: 4 / 5, n: 5 });
    expect(rankOf(col, 0)).toEqual({ below: 0, atOrBelow: 0, n: 5 });
    expect(rankOf(col, 9)).toEqual({ below: 1, atOrBelow: 1, n: 5 });
  });
});

describe("caseMetric(run, metric)", () => {
  // n = 1000 children, success chance 0.3 without and (odds ratio 1) the same with the
  // intervention, against a historical baseline of 0.2: the measured relative improvement is
  // (X/1000 − 0.2)/0.2 with X ~ Binomial(1000, 0.3); its mean is exactly 0.5.
  const run = runScenario(scenario(binaryScenario({ n: 1000, p: 0.3, baseline: 0.2, rules: [] })), { trials: 4000, seed: 11 });

  test("measuredEffect is the relative improvement against the comparator, pooled and per cohort", () => {
    const pooled = caseMetric(run, { kind: "measuredEffect", measure: "success" });
    const first = caseMetric(run, { kind: "measuredEffect", measure: "success", cohort: 0 });
    expect(first).toEqual(pooled); // one cohort
    const mean = pooled.reduce((a, b) => a + b, 0) / pooled.length;
    // sd of one trial's value: sqrt(1000·0.3·0.7)/1000/0.2 = 0.0724; of the mean of 4000: 0.00115; 4 sd.
    expect(mean).toBeCloseTo(0.5, 2);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * 0.00115);
  });

  test("treatedShare is the share of the cohort with the outcome", () => {
    const share = caseMetric(run, { kind: "treatedShare", measure: "success", cohort: 0 });
    const effect = caseMetric(run, { kind: "measuredEffect", measure: "success" });
    for (let t = 0; t < 50; t++) expect(share[t]!).toBeCloseTo(0.2 * (1 + effect[t]!), 12);
  });

  test("names the measures when one is unknown", () => {
    expect(() => caseMetric(run, { kind: "treatedShare", measure: "nope", cohort: 0 })).toThrow('unknown measure "nope"; measures are success');
  });
});
