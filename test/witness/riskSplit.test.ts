/**
 * Chance or ignorance (models/analysis/riskSplit.ts) against binomial cohorts with a
 * beta-distributed rate, whose two variances are known in closed form.
 */
import { describe, expect, test } from "vitest";
import { riskSplit, splitVariance } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

/** n children, success chance p ~ Beta(α, β), no effect; the rate card pays `price` per success. */
const betaBinomial = (n: number, alpha: number, beta: number, price: number) =>
  scenario(
    binaryScenario({
      n,
      p: 0.5,
      rules: [{ id: "card", kind: "rateCard", measure: "success", pricePerOutcome: price }],
      capital: 1000,
      extra: { valuation: { horizonPeriods: 4, discountRate: 0, financierDiscountRate: 0 } },
    }) as never,
  );

function withBetaBaseline(s: ReturnType<typeof betaBinomial>, alpha: number, beta: number) {
  return scenario({ ...structuredClone(s), outcomes: [{ ...s.outcomes[0], baseline: { dist: "beta", alpha, beta } }] });
}

describe("riskSplit(scenario)", () => {
  test("a binomial cohort with a beta rate: chance is E[np(1−p)], ignorance Var(np), so chance's share is (α+β)/(α+β+n)", () => {
    // X | p ~ Bin(n, p), p ~ Beta(α, β). Var(X) = E[np(1−p)] + Var(np) with
    // E[p(1−p)] = αβ/((α+β)(α+β+1)) and Var(p) = αβ/((α+β)²(α+β+1)), so
    // ignorance ÷ chance = n Var(p) / E[p(1−p)] = n/(α+β). α = 4, β = 6, n = 60: chance share
    // 10/70 = 1/7 = 0.142857; chance = 60·24/110 = 13.0909 successes², ignorance 3600·24/1100 = 78.545.
    // The rate card pays 100 per success; the financier's NPV (rate 0) is 100 X − capital and the
    // payer's net PV −100 X, so both have these components times 100².
    const s = withBetaBaseline(betaBinomial(60, 4, 6, 100), 4, 6);
    const r = riskSplit(s, { groups: 2000, perGroup: 10, seed: 1 });
    for (const split of [r.financierNpv!, r.payerNetPV!]) {
      expect(split.chance + split.ignorance).toBeCloseTo(1, 12);
      expect(split.se).toBeGreaterThan(0);
      expect(split.se).toBeLessThan(0.02); // K = 2,000 groups: a share's error is about 0.005
      expect(Math.abs(split.chance - 1 / 7)).toBeLessThan(4 * split.se);
      // The components in money²: the within-group mean is unbiased with relative error about
      // sqrt(2/(K(J−1))) = 1.05 %; the between part's about sqrt(2/K)·(1 + chance/(J·ignorance)) ≈ 3.3 %.
      expect(Math.abs(split.chanceVariance / (13.0909 * 1e4) - 1)).toBeLessThan(4 * 0.0105);
      expect(Math.abs(split.ignoranceVariance / (78.545 * 1e4) - 1)).toBeLessThan(4 * 0.033);
    }
  });

  test("the chance of paying for nothing: an indicator whose parts are E[(1−p)ⁿ] − E[(1−p)²ⁿ] and Var((1−p)ⁿ)", () => {
    // With no effect, any payment is paid for nothing: the indicator is 1{X > 0}, q(p) = 1 − (1−p)ⁿ.
    // E[(1−p)^k] = B(α, β+k)/B(α, β). α = 1, β = 4, n = 3: E[(1−p)³] = (1/7)/(1/4) = 4/7,
    // E[(1−p)⁶] = (1/10)/(1/4) = 2/5. Chance E[q(1−q)] = 4/7 − 2/5 = 6/35 = 0.171429;
    // ignorance Var(q) = 2/5 − 16/49 = 18/245 = 0.073469; chance's share (6/35)/(6/35 + 18/245) = 0.7.
    const s = withBetaBaseline(betaBinomial(3, 1, 4, 100), 1, 4);
    const r = riskSplit(s, { groups: 4000, perGroup: 5, seed: 2 });
    const split = r.payForNothing!;
    expect(Math.abs(split.chance - 0.7)).toBeLessThan(4 * split.se);
    expect(split.se).toBeLessThan(0.03);
    expect(Math.abs(split.chanceVariance - 6 / 35)).toBeLessThan(0.01); // about 0.0024 Monte Carlo error
  });

  test("splitVariance(values, J): no parameter uncertainty gives chance ≈ 1; no chance gives ignorance 1", () => {
    // Groups that differ only by their level: every trial of group k is k, so W = 0 and all is ignorance.
    const levels = Float64Array.from({ length: 200 }, (_, i) => Math.floor(i / 10));
    const all = splitVariance(levels, 10)!;
    expect(all.ignorance).toBe(1);
    expect(all.chance).toBe(0);
    expect(splitVariance(new Float64Array(40).fill(3), 4)).toBeNull(); // nothing varies
    expect(() => splitVariance(new Float64Array(10), 1)).toThrow(/at least 2 groups of at least 2 trials/);
  });
});
