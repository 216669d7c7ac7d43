/**
 * The chance of paying for nothing when the true effect is zero, against closed forms. Each
 * tolerance is 4 standard errors of a proportion over the trial count (false alarm ≈ 6e-5).
 */
import { describe, expect, test } from "vitest";
import { errorFunction } from "simple-statistics";
import { runScenario } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

const fourSE = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

describe("chance of paying for nothing under a zero effect", () => {
  test("historical baseline: the binomial tail P(X ≥ 33), X ~ Bin(60, 0.5)", () => {
    // Pays when successes beat the 50 % baseline by at least 10 %: X ≥ 33 of 60.
    // Reference: Σ_{k=33}^{60} C(60,k) / 2^60 = 0.2594790016 (Python math.comb, exact).
    const reference = 0.2594790016;
    const trials = 20000;
    const s = scenario(binaryScenario({ n: 60, p: 0.5, oddsRatio: 1, rules: [{ kind: "stepped", measure: "success", bands: [{ from: 0.1, amount: 500 }] }] }));
    const { summary } = runScenario(s, { trials, seed: 7 });
    expect(summary.contract.probPayForNothing).toBe(summary.contract.probAnyPayment); // every payment is for nothing
    expect(Math.abs(summary.contract.probPayForNothing - reference)).toBeLessThan(fourSE(reference, trials));
    expect(summary.contract.probMissedSuccess).toBe(0);
  });

  test("comparison group: the normal tail for two Poisson counts", () => {
    // 1000 participants and 1000 comparisons at 1.5 events each; pays if events fall ≥ 5 %:
    // 0.95·C − T ≥ 0 with T, C ~ Poisson(1500): mean −75, variance 0.95²·1500 + 1500.
    // P = 1 − Φ(75 / √2853.75) = 1 − Φ(1.40396) = 0.0802 (Φ from the error function).
    const z = 75 / Math.sqrt(0.95 * 0.95 * 1500 + 1500);
    const reference = 0.5 * (1 - errorFunction(z / Math.SQRT2));
    expect(reference).toBeCloseTo(0.0802, 4);
    const trials = 20000;
    const s = scenario({
      name: "count test",
      population: { cohorts: [{ size: 1000 }] },
      outcomes: [{ id: "events", kind: "count", baselineRate: 1.5 }],
      intervention: { effects: [{ outcome: "events", rateRatio: 1 }] },
      measurement: { followUpPeriods: 4, comparator: { kind: "comparisonGroup", size: 1000 } },
      contract: { capital: 100, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "proportional", measure: "events", threshold: 0.05, pricePerUnit: 1 }] },
      valuation: { horizonPeriods: 4, discountRate: 0 },
    });
    const { summary } = runScenario(s, { trials, seed: 3 });
    // Normal approximation error for λ = 1500 is far below the sampling tolerance (±0.0077).
    expect(Math.abs(summary.contract.probPayForNothing - reference)).toBeLessThan(fourSE(reference, trials) + 0.002);
  });

  test("a real effect moves the chance of payment the way the binomial says", () => {
    // Odds ratio 1.5 on p = 0.5 gives p1 = 0.6; P(X ≥ 33), X ~ Bin(60, 0.6) = 0.8221383 (Python math.comb).
    const reference = 0.8221383;
    const trials = 20000;
    const s = scenario(binaryScenario({ n: 60, p: 0.5, oddsRatio: 1.5, rules: [{ kind: "stepped", measure: "success", bands: [{ from: 0.1, amount: 500 }] }] }));
    const { summary } = runScenario(s, { trials, seed: 11 });
    expect(Math.abs(summary.contract.probAnyPayment - reference)).toBeLessThan(fourSE(reference, trials) + 1e-4);
  });
});
