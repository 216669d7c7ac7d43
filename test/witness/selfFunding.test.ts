// Doing it ourselves (issue 10 §4): the payer's cost under the contract and under self-funding,
// and the premium, on a hand-computed case with fixed outcomes and two periods of delivery.
import { describe, expect, test } from "vitest";
import { compile, evaluateContract } from "../../models/index.js";
import { deliveryCostByPeriod, meanOfWorst, selfFundedCostPV, selfFundingColumns, summarizeSelfFunding } from "../../models/analysis/selfFunding.js";
import { scenario } from "../helpers/scenarios.js";
import { handTable } from "../helpers/table.js";

function handCase(lendingRate: number) {
  // Yearly periods. Delivery 1000: 500 in year 0 and 500 in year 1 (the drawdown). The contract
  // pays 1100 at period 2 if delivered; the loan is repaid then (the last payment falls due).
  const s = scenario({
    name: "self-funding by hand",
    periodsPerYear: 1,
    population: { cohorts: [{ size: 10 }] },
    outcomes: [{ id: "school", kind: "binary", baseline: 0.5 }],
    intervention: { effects: [] },
    measurement: { followUpPeriods: 2, comparator: { kind: "historical", baseline: { school: 0.5 } } },
    contract: { capital: 1000, drawdown: [{ period: 0, share: 0.5 }, { period: 1, share: 0.5 }], rules: [{ id: "activity", kind: "activity", amount: 1100, period: 2 }] },
    valuation: { horizonPeriods: 2, discountRate: 0.05, selfFunding: { lendingRate, source: "assumption: test" } },
  });
  const model = compile(s);
  // 40 trials with the same outcomes; the payer's avoided costs (PV) are 100, 200, …, 4000.
  const table = handTable(model, Array.from({ length: 40 }, () => ({ treated: { school: [5] }, comparator: { school: [5] } })));
  for (let t = 0; t < 40; t++) {
    table.discountRate[t] = 0.05;
    table.avoidedPV[t] = 100 * (t + 1);
  }
  const results = evaluateContract(model, table);
  return { model, table, results, columns: selfFundingColumns(model, table, results)! };
}

describe("self-funding against the contract", () => {
  test("deliveryCostByPeriod(model) is the capital drawdown", () => {
    const { model } = handCase(0.02);
    expect(Array.from(deliveryCostByPeriod(model))).toEqual([500, 500]);
  });

  test("both costs and the premium, by hand", () => {
    const { model, table, columns } = handCase(0.02);
    expect(columns.terms.repayPeriod).toBe(2);
    // Contract: 1100 at period 2, discounted at 5 %: 1100 / 1.05² = 1100 / 1.1025 = 997.732426…
    const contract = 1100 / 1.1025;
    expect(columns.contractCostPV[0]).toBeCloseTo(997.7324263, 6);
    // Self-funded: 500 borrowed at 2 % for two years and 500 for one, repaid at period 2:
    // (500 × 1.02² + 500 × 1.02) / 1.05² = (520.2 + 510) / 1.1025 = 1030.2 / 1.1025 = 934.421768…
    expect(columns.selfFundedCostPV[0]).toBeCloseTo(934.4217687, 6);
    const s = summarizeSelfFunding(model, table, columns)!;
    // Premium: (1100 − 1030.2) / 1.1025 = 69.8 / 1.1025 = 63.310657…
    expect(s.premium).toBeCloseTo(63.3106576, 6);
    expect(s.contract.costPV!.mean).toBeCloseTo(contract, 6);
    // What it buys: the worst 5 % of 40 trials are the 2 with the least avoided (100 and 200): mean 150.
    expect(s.contract.netPVWorst5Mean).toBeCloseTo(150 - 997.7324263, 6);
    expect(s.selfFunded.netPVWorst5Mean).toBeCloseTo(150 - 934.4217687, 6);
    // 5th percentile: position 0.05 × 39 = 1.95, between 200 and 300: 295.
    expect(s.contract.netPV!.p5).toBeCloseTo(295 - 997.7324263, 6);
    expect(s.selfFunded.netPV!.p5).toBeCloseTo(295 - 934.4217687, 6);
    expect(s.deliveryCost).toBe(1000);
  });

  test("borrowing at the payer's own discount rate costs the delivery's present value, whenever it is repaid", () => {
    // 500 + 500 / 1.05 = 976.190476…
    for (const repay of [1, 2, 7]) expect(selfFundedCostPV([500, 500], 0.05, 0.05, repay, 1)).toBeCloseTo(976.1904762, 6);
    const { columns } = handCase(0.05);
    expect(columns.selfFundedCostPV[0]).toBeCloseTo(976.1904762, 6);
  });

  test("meanOfWorst(column, share) is the mean of the lowest ⌈share × n⌉ values", () => {
    expect(meanOfWorst([5, 1, 4, 2, 3], 0.4)).toBe(1.5); // ⌈2⌉ lowest: 1, 2
    expect(meanOfWorst(Array.from({ length: 20 }, (_, i) => i), 0.05)).toBe(0); // ⌈1⌉: the least
    expect(meanOfWorst([NaN, 3, 1], 0.5)).toBe(1); // finite values only: ⌈1⌉ of 2
    expect(meanOfWorst([], 0.05)).toBeNull();
  });

  test("a scenario in another currency without a lending rate has no self-funding figures", () => {
    const s = scenario({
      name: "no rate", currency: "GBP",
      population: { cohorts: [{ size: 10 }] },
      outcomes: [{ id: "school", kind: "binary", baseline: 0.5 }],
      intervention: { effects: [] },
      measurement: { followUpPeriods: 2, comparator: { kind: "historical", baseline: { school: 0.5 } } },
      contract: { capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [] },
      valuation: { horizonPeriods: 2, discountRate: 0.05 },
    });
    const model = compile(s);
    const table = handTable(model, [{ treated: {}, comparator: {} }]);
    expect(selfFundingColumns(model, table, evaluateContract(model, table))).toBeNull();
  });
});
