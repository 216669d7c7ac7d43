/**
 * One money basis (issue 17, bug 9) and calendar budget years (bug 7). Reference values are
 * SCB's KPI annual averages (data/figures/kpi.json: 2016 316.43, 2017 322.11, 2020 335.92,
 * 2023 403.70) and calendar arithmetic by hand.
 */
import { describe, expect, test } from "vitest";
import { compile, runScenario, simulateOutcomes } from "../../models/index.js";
import { budgetYear, budgetYearLabels } from "../../models/calendar.js";
import { scenario } from "../helpers/scenarios.js";

/** n children who stay in care all along at 100 kr a day (in the price year's prices). */
function inCare(extra: { priceYear?: number; startDate?: string; horizon?: number }) {
  return scenario({
    name: "prices",
    periodsPerYear: 4,
    population: { cohorts: [{ size: 10 }] },
    outcomes: [
      {
        id: "p",
        kind: "placement",
        states: [
          { id: "care", placement: true, costPerDay: 100 },
          { id: "home", placement: false, costPerDay: 0 },
        ],
        initial: { care: 1 },
        transitions: [{ from: "care", to: "home", perPeriod: 0 }],
      },
    ],
    intervention: { delivered: 1, effects: [] },
    measurement: { followUpPeriods: 8, comparator: { kind: "historical", baseline: { "p.cost": 0 } } },
    contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [], ...(extra.startDate ? { startDate: extra.startDate } : {}) },
    valuation: { horizonPeriods: extra.horizon ?? 8, discountRate: 0, ...(extra.priceYear ? { priceYear: extra.priceYear } : {}) },
  });
}

describe("budget years", () => {
  test("a contract from August books each quarter in the calendar year of its middle", () => {
    const c = { periodsPerYear: 4, startMonth: 2016 * 12 + 7 };
    // Aug–Oct 2016 (middle mid-September), Nov–Jan (mid-December): 2016; Feb–Apr 2017: 2017; … May–Jul 2018 (period 7): 2018.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((p) => budgetYear(c, p))).toEqual([0, 0, 1, 1, 1, 1, 2, 2]);
    expect(budgetYearLabels(c, 3)).toEqual(["2016", "2017", "2018"]);
    expect(budgetYearLabels({ periodsPerYear: 4, startMonth: null }, 2)).toEqual(["year 1", "year 2"]);
  });

  test("the Norrköping summary names calendar budget years from August 2016", () => {
    const { summary } = runScenario(inCare({ startDate: "2016-08" }), { trials: 5, seed: 1 });
    expect(summary.payer.budgetYears.slice(0, 3)).toEqual(["2016", "2017", "2018"]);
  });
});

describe("money in one basis", () => {
  const days = 365.25 / 4;

  test("costs at 2020 prices become nominal kronor of 2016 and 2017 by KPI", () => {
    const model = compile(inCare({ priceYear: 2020, startDate: "2016-01" }));
    const table = simulateOutcomes(model, { trials: 1, seed: 1 });
    // 10 children × 4 quarters × 91.3125 days × 100 kr in each year, × KPI(year) / KPI(2020).
    const expected = 10 * 4 * days * 100 * (316.43 / 335.92 + 322.11 / 335.92);
    expect(table.counterfactual[0]).toBeCloseTo(expected, 6);
  });

  test("past the KPI table, prices grow by the stated inflation", () => {
    const s = inCare({ priceYear: 2023, startDate: "2024-01" });
    const table = simulateOutcomes(compile(s), { trials: 1, seed: 1 });
    // 2024 and 2025 are past the table (last year 2023): ×1.02 and ×1.02² (the default inflation).
    expect(table.counterfactual[0]).toBeCloseTo(10 * 4 * days * 100 * (1.02 + 1.02 ** 2), 6);
  });

  test("without a price year the figures are taken as they stand", () => {
    const table = simulateOutcomes(compile(inCare({ startDate: "2016-01" })), { trials: 1, seed: 1 });
    expect(table.counterfactual[0]).toBeCloseTo(10 * 8 * days * 100, 6);
  });
});

describe("society's price of a care day (issue 17, bug 5)", () => {
  test("without a full cost, society's avoided cost is the payer's own draw, trial by trial", () => {
    // An uncertain cost per day and an effect that moves children home: society's avoided costs
    // (its benefit without long-run values) must equal the payer's in every trial.
    const s = scenario({
      name: "same price",
      periodsPerYear: 4,
      population: { cohorts: [{ size: 30 }] },
      outcomes: [
        {
          id: "p",
          kind: "placement",
          states: [
            { id: "care", placement: true, costPerDay: { p5: 1000, p95: 4000 } },
            { id: "home", placement: false, costPerDay: 0 },
          ],
          initial: { care: 1 },
          transitions: [{ from: "care", to: "home", perPeriod: 0.2 }],
        },
      ],
      intervention: { delivered: 1, effects: [{ outcome: "p", from: "care", to: "home", rateRatio: 1.5 }] },
      measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { "p.cost": 0 } } },
      contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [] },
      valuation: { horizonPeriods: 8, discountRate: 0.03 },
    });
    const table = simulateOutcomes(compile(s), { trials: 200, seed: 2 });
    for (let t = 0; t < table.trials; t++) expect(table.societyBenefitPV[t], `trial ${t}`).toBeCloseTo(table.avoidedPV[t]!, 6);
  });
});
