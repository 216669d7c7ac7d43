/**
 * The financier's decision figures (issue 10 §2) on a hand-written three-trial table: expected
 * NPV at the hurdle rate, the IRR of the expected cash flows, the chance of a negative NPV, the
 * MIRR, and the expected shortfall on a column sorted by hand.
 */
import { describe, expect, test } from "vitest";
import { compile, evaluateContract, summarize } from "../../models/index.js";
import { expectedShortfall } from "../../models/summary/dist.js";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { handTable } from "../helpers/table.js";

describe("decision figures on three trials", () => {
  // 100 lent at period 0; the whole measured saving is paid at period 8 (two years): 180, 120, 63.
  const s = scenario(
    contractScenario(
      { capital: 100, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "savingsShare", measure: "care.cost", share: 1 }] },
      { valuation: { horizonPeriods: 8, discountRate: 0, financierDiscountRate: 0.05 } },
    ),
  );
  const model = compile(s);
  const table = handTable(model, [180, 120, 63].map((saved) => ({ treated: { "care.cost": [1000 - saved] }, comparator: { "care.cost": [1000] } })));
  const r = evaluateContract(model, table);
  const sum = summarize(model, table, r);

  test("expected NPV at the hurdle rate is the mean of the trials' NPVs, by hand", () => {
    // (−100 + 180/1.05²) + (−100 + 120/1.05²) + (−100 + 63/1.05²) = −300 + 363/1.1025, over 3:
    // −100 + 121/1.1025 = 9.750566893…
    expect(sum.investor.hurdleRate).toBe(0.05);
    expect(sum.investor.expectedNpv).toBeCloseTo(-100 + 121 / 1.1025, 9);
    expect(sum.investor.probNpvBelowZero).toBeCloseTo(1 / 3, 12); // only 63/1.1025 = 57.1 < 100
    expect(sum.investor.probLoss).toBeCloseTo(1 / 3, 12);
  });

  test("the IRR of the expected flows is 10 %, not the mean of the trials' IRRs", () => {
    // Expected flows: −100 at 0, (180 + 120 + 63)/3 = 121 at two years: 1.21 = 1.1², so 10 % a year.
    expect(sum.investor.irrOfExpectedFlows).toBeCloseTo(0.1, 9);
    // The trials' IRRs are √1.8 − 1, √1.2 − 1, √0.63 − 1 (34.2 %, 9.5 %, −20.6 %): their mean, 7.7 %,
    // is a third answer; the median is √1.2 − 1.
    expect(sum.investor.irr!.p50).toBeCloseTo(Math.sqrt(1.2) - 1, 9);
    const meanOfIrrs = (Math.sqrt(1.8) + Math.sqrt(1.2) + Math.sqrt(0.63)) / 3 - 1;
    expect(Math.abs(meanOfIrrs - 0.1)).toBeGreaterThan(0.02);
  });

  test("each trial's MIRR equals its IRR when its one payment falls in the last period", () => {
    // Nothing is reinvested, so (FV/PV)^(1/Δt) − 1 = √(received/100) − 1 per year.
    expect(r.periods).toBe(9);
    [1.8, 1.2, 0.63].forEach((m, i) => expect(r.mirr[i]).toBeCloseTo(Math.sqrt(m) - 1, 12));
    expect(sum.investor.trialsWithoutIrr).toBe(0);
  });

  test("expected shortfall: the worst 5 % of three trials is the worst trial, 63 − 100", () => {
    expect(sum.investor.expectedShortfall95).toBeCloseTo(37, 9);
  });
});

describe("expectedShortfall(column, tail)", () => {
  // The 40 profits −20, −19, …, 19 in a shuffled order; sorted by hand the worst are −20, −19, −18, −17.
  const column = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) - 20);
  test("averages the worst ⌈tail × n⌉ trials as a positive loss", () => {
    expect(new Set(column).size).toBe(40);
    expect(expectedShortfall(column, 0.05)).toBe(19.5); // (20 + 19) / 2
    expect(expectedShortfall(column, 0.1)).toBe(18.5); // (20 + 19 + 18 + 17) / 4
    expect(expectedShortfall([NaN, 3, 5], 0.05)).toBe(0); // even the worst is a gain
    expect(expectedShortfall([], 0.05)).toBeNull();
  });
});
