/**
 * Deterministic base, upside and downside cases (models/analysis/cases.ts).
 * Witnesses: (1) a scenario without uncertain inputs gives three cases equal to its own Monte
 * Carlo run at the same trials and seed (nothing to fix, the cohort's chance is the same draws);
 * (2) a contract whose money does not depend on the outcome gives exact sums by hand;
 * (3) an uncertain baseline that drives a rate-card payment moves the financier's NPV in the
 * direction the cases name.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { deterministicCases } from "../../models/analysis/cases.js";
import { runScenario } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

describe("deterministicCases", () => {
  test("a scenario with fixed inputs: all three cases are the deterministic evaluation (the run itself)", () => {
    const s = scenario(binaryScenario({ n: 40, p: 0.4, oddsRatio: 1.5, rules: [{ kind: "rateCard", measure: "success", pricePerOutcome: 20 }] }));
    const c = deterministicCases(s, { trials: 500, seed: 3 });
    const run = runScenario(s, { trials: 500, seed: 3 }).summary;
    expect(c.inputs).toEqual([]);
    for (const k of ["base", "upside", "downside"] as const) {
      expect(c[k].payerNet).toBe(run.payer.net!.mean);
      expect(c[k].financierNpv).toBe(run.investor.expectedNpv);
      expect(c[k].financierIrr).toBe(run.investor.irrOfExpectedFlows);
      expect(c[k].societyNpv).toBe(run.society.npv!.mean);
    }
  });

  test("a fixed activity payment: exact sums whatever the uncertain input", () => {
    // Capital 1000 drawn in quarter 0; an activity payment of 600 in quarter 2; rates 0.
    // payer's net = 0 avoided − 600 paid = −600; financier's NPV at 0 % = 600 − 1000 = −400;
    // society's NPV = no benefits − 1000 capital = −1000; IRR of the expected flows:
    // 1000 = 600/(1+r)² per quarter, so (1+r)⁴ = 0.36 and the IRR per year is 0.36 − 1 = −64 %.
    const s = scenario(binaryScenario({
      n: 30,
      p: { p5: 0.2, p95: 0.5 } as unknown as number,
      baseline: 0.3,
      rules: [{ kind: "activity", amount: 600, period: 2 }],
      extra: { valuation: { horizonPeriods: 4, discountRate: 0, financierDiscountRate: 0 } },
    }));
    const c = deterministicCases(s, { trials: 300, seed: 1 });
    expect(c.inputs.map((i) => i.path)).toEqual(["outcomes[0].baseline"]);
    for (const k of ["base", "upside", "downside"] as const) {
      expect(c[k].payerNet).toBeCloseTo(-600, 9);
      expect(c[k].financierNpv).toBeCloseTo(-400, 9);
      expect(c[k].societyNpv).toBeCloseTo(-1000, 9);
      expect(c[k].financierIrr).toBeCloseTo(-0.64, 9);
    }
  });

  test("an uncertain baseline that a rate card pays on: the upside pays the financier more, the downside less", () => {
    // More successes without the intervention (a higher baseline p) means more outcomes paid at
    // 20 each (the historical comparator is fixed), so the financier's NPV rises with p: its
    // upside is p's 90th percentile and its downside p's 10th.
    const s = scenario(binaryScenario({
      n: 200,
      p: { p5: 0.2, p95: 0.5 } as unknown as number,
      baseline: 0.2,
      rules: [{ kind: "rateCard", measure: "success", pricePerOutcome: 20 }],
      extra: { valuation: { horizonPeriods: 4, discountRate: 0, financierDiscountRate: 0 } },
    }));
    const c = deterministicCases(s, { trials: 2000, seed: 2 });
    const p = c.inputs[0]!;
    expect(p.direction).toBe(1);
    // The range form {p5, p95} with p5 > 0 is a lognormal: its centre is √(0.2 × 0.5).
    expect(p.base).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(p.upside).toBeGreaterThan(p.base);
    expect(p.downside).toBeLessThan(p.base);
    expect(c.upside.financierNpv).toBeGreaterThan(c.base.financierNpv);
    expect(c.base.financierNpv).toBeGreaterThan(c.downside.financierNpv);
    // The payer pays what the financier gets, and avoids nothing: its net is minus the payments.
    for (const k of ["base", "upside", "downside"] as const) expect(c[k].payerNet).toBeCloseTo(-(c[k].financierNpv + 1000), 6);
  });

  test("Norrköping: a base, an upside and a downside from the same seed (the same inputs and order each time)", () => {
    const s = scenario(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8")));
    const a = deterministicCases(s, { trials: 400, seed: 1 });
    const b = deterministicCases(s, { trials: 400, seed: 1 });
    expect(b).toEqual(a);
    expect(a.inputs.length).toBeGreaterThan(3);
    expect(a.upside.financierNpv).toBeGreaterThanOrEqual(a.downside.financierNpv);
  });
});
