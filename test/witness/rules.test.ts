/**
 * Payment-rule families checked against hand arithmetic on hand-written outcome tables. Terms
 * follow published contracts (docs/domain.md): Norrköping 2016, Peterborough 2010, Massachusetts
 * (Roca) stepped tiers, Chicago CPC rate card, NYC Rikers 75 % guarantee.
 */
import { describe, expect, test } from "vitest";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { evaluateHand, type HandTrial } from "../helpers/table.js";

const MSEK = 1_000_000;

/** The Norrköping terms (RISE/SKR final report abstract; LSV slides), paid together at period 8. */
const norrkoping = {
  capital: 10 * MSEK,
  drawdown: [{ period: 0, share: 1 }],
  rules: [
    { id: "activity", kind: "activity", amount: { ofCapital: 0.4 }, period: 8 },
    { id: "savings", kind: "savingsShare", measure: "care.cost", share: 0.6, cap: { ofCapital: 0.6 } },
    {
      id: "return", kind: "conditionalReturn", measure: "care.cost", share: 0.6, above: { ofCapital: 1 },
      cap: { ofCapital: 0.2 }, condition: { measure: "school", minImprovement: 0 },
    },
  ],
  totalCap: { ofCapital: 1.2 },
};

/** A trial whose measured savings are `saved` and whose school result did or did not improve. */
function trial(saved: number, schoolImproved: boolean, delivered = true): HandTrial {
  return {
    delivered,
    treated: { "care.cost": [20 * MSEK - saved], school: [schoolImproved ? 35 : 30] },
    comparator: { "care.cost": [20 * MSEK], school: [30] },
  };
}

describe("Norrköping 2016 terms", () => {
  const s = scenario(contractScenario(norrkoping));
  const cases: [string, HandTrial, number][] = [
    ["no savings: activity compensation only (40 %)", trial(0, true), 4 * MSEK],
    ["savings below break-even are shared 60/40", trial(5 * MSEK, false), 4 * MSEK + 0.6 * 5 * MSEK],
    ["break-even: savings equal to the capital repay it", trial(10 * MSEK, false), 10 * MSEK],
    ["beyond break-even, no school improvement: no return", trial(15 * MSEK, false), 10 * MSEK],
    ["beyond break-even with school improvement: 60 % of the excess", trial(12 * MSEK, true), 10 * MSEK + 0.6 * 2 * MSEK],
    ["the return is capped at 20 % of capital", trial(15 * MSEK, true), 12 * MSEK],
    ["not delivered: no activity compensation", trial(15 * MSEK, true, false), 8 * MSEK],
    ["costs rose: activity compensation only", trial(-3 * MSEK, true), 4 * MSEK],
  ];
  const r = evaluateHand(s, cases.map((c) => c[1]));
  test.each(cases.map((c, i) => [c[0], i, c[2]] as const))("%s", (_, i, expected) => {
    expect(r.payments[i]).toBeCloseTo(expected, 6);
    expect(r.multiple[i]).toBeCloseTo(expected / (10 * MSEK), 12);
    // Capital at period 0, everything repaid at period 8 (two years): IRR = multiple^(1/2) - 1.
    expect(r.irr[i]).toBeCloseTo(Math.sqrt(expected / (10 * MSEK)) - 1, 9);
  });
});

describe("proportional rule, Peterborough 2010 (10 % per cohort or 7.5 % pooled)", () => {
  const price = 1000;
  const s = scenario(
    contractScenario(
      {
        capital: 1_000_000,
        drawdown: [{ period: 0, share: 1 }],
        rules: [
          { id: "cohort", kind: "proportional", measure: "care.replacements", threshold: 0.1, pricePerUnit: price },
          { id: "pooled", kind: "proportional", scope: "pooled", measure: "care.replacements", threshold: 0.075, pricePerUnit: price, offsetBy: ["cohort"] },
        ],
      },
      { population: { cohorts: [{ size: 1000, startPeriod: 0 }, { size: 1000, startPeriod: 4 }] } },
    ),
  );
  test("a cohort below 10 % is not paid; the pooled 7.5 % test pays the rest", () => {
    // Cohort 1: 1540 → 1410 events, 8.4 % (as Peterborough's cohort 1): nothing.
    // Cohort 2: 1540 → 1380, 10.4 %: 160 events avoided are paid.
    // Pooled: 3080 → 2790, 9.4 % ≥ 7.5 %: 290 events, less the 160 already paid.
    const r = evaluateHand(s, [
      { treated: { "care.replacements": [1410, 1380] }, comparator: { "care.replacements": [1540, 1540] } },
    ]);
    expect(r.paymentsByRule[0]).toBeCloseTo(160 * price, 9);
    expect(r.paymentsByRule[1]).toBeCloseTo((290 - 160) * price, 9);
    expect(r.payments[0]).toBeCloseTo(290 * price, 9);
  });
  test("below both thresholds nothing is paid", () => {
    const r = evaluateHand(s, [
      { treated: { "care.replacements": [1450, 1450] }, comparator: { "care.replacements": [1540, 1540] } }, // 5.8 %
    ]);
    expect(r.payments[0]).toBe(0);
    expect(r.anyPayment[0]).toBe(0);
  });
});

describe("stepped schedule (Massachusetts juvenile justice: 5 % pays nothing, payment from 10 %)", () => {
  const s = scenario(
    contractScenario({
      capital: 1000,
      drawdown: [{ period: 0, share: 1 }],
      rules: [{ kind: "stepped", measure: "care.careDays", bands: [{ from: 0.1, amount: 400 }, { from: 0.2, amount: 1100 }] }],
    }),
  );
  test.each([
    [0.05, 0],
    [0.1, 400],
    [0.15, 400],
    [0.25, 1100],
  ])("a %f fall in care days pays %d", (fall, expected) => {
    const r = evaluateHand(s, [{ treated: { "care.careDays": [10000 * (1 - fall)] }, comparator: { "care.careDays": [10000] } }]);
    expect(r.payments[0]).toBeCloseTo(expected, 9);
  });
});

describe("ties at a threshold (issue 17 §3.3)", () => {
  // A comparison group of m = 25 with C events, scaled to a cohort of n = 60, is C·60/25. By hand:
  // C = 11 gives 26.4 and 22 treated events a fall of 4.4/26.4 = 1/6 exactly, which floating
  // point makes 0.16666666666666663; C = 7 gives 16.8 and 14 treated events 2.8/16.8 = 1/6, which
  // comes out 0.1666666666666667. Both are ties: they reach a threshold of 1/6 and do not exceed it.
  const ref = (c: number) => (c * 60) / 25;
  const s = scenario(
    contractScenario({
      capital: 1000,
      drawdown: [{ period: 0, share: 1 }],
      rules: [
        { id: "prop", kind: "proportional", measure: "care.replacements", threshold: 1 / 6, pricePerUnit: 1000 },
        { id: "step", kind: "stepped", measure: "care.replacements", bands: [{ from: 1 / 6, amount: 500 }] },
        { id: "cond", kind: "activity", amount: 70, period: 8, condition: { measure: "care.replacements", minImprovement: 1 / 6 } },
      ],
    }),
  );
  test("the floating-point values really are off the tie (so the test can fail)", () => {
    expect((ref(11) - 22) / ref(11)).toBeLessThan(1 / 6);
    expect((ref(7) - 14) / ref(7)).toBeGreaterThan(1 / 6);
  });
  const r = evaluateHand(s, [
    { treated: { "care.replacements": [22] }, comparator: { "care.replacements": [ref(11)] } },
    { treated: { "care.replacements": [14] }, comparator: { "care.replacements": [ref(7)] } },
  ]);
  test("a fall of exactly 1/6 reaches a proportional threshold of 1/6 and pays for every event avoided", () => {
    expect(r.paymentsByRule[0]).toBeCloseTo((26.4 - 22) * 1000, 6); // 4,400
    expect(r.paymentsByRule[3]).toBeCloseTo((16.8 - 14) * 1000, 6); // 2,800
  });
  test("and reaches a stepped band from 1/6", () => {
    expect(r.paymentsByRule[1]).toBe(500);
    expect(r.paymentsByRule[4]).toBe(500);
  });
  test("but does not exceed a condition's minImprovement of 1/6", () => {
    expect(r.paymentsByRule[2]).toBe(0);
    expect(r.paymentsByRule[5]).toBe(0);
  });
});

describe("rate card (Chicago Child-Parent Centers: a price per outcome)", () => {
  const rule = (basis: string, cap?: number) =>
    scenario(contractScenario({ capital: 100000, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "rateCard", measure: "school", pricePerOutcome: 1000, basis, cap }] }));
  const t: HandTrial = { treated: { school: [40] }, comparator: { school: [30] } };
  test("pays every outcome", () => expect(evaluateHand(rule("all"), [t]).payments[0]).toBe(40000));
  test("or only outcomes above the comparator", () => expect(evaluateHand(rule("aboveComparator"), [t]).payments[0]).toBe(10000));
  test("up to the rule's cap", () => expect(evaluateHand(rule("all", 25000), [t]).payments[0]).toBe(25000));
});

describe("contract-level terms", () => {
  test("a third-party guarantee of 75 % of principal (NYC Rikers) tops up a total loss", () => {
    const s = scenario(contractScenario({ capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [], guarantee: { ofCapital: 0.75 } }));
    const r = evaluateHand(s, [{ treated: {}, comparator: {} }]);
    expect(r.payments[0]).toBe(0); // the payer pays nothing
    expect(r.guarantee[0]).toBe(750);
    expect(r.multiple[0]).toBe(0.75);
  });
  test("the total cap limits the sum of all rules, in payment order", () => {
    const s = scenario(
      contractScenario({
        capital: 1000,
        drawdown: [{ period: 0, share: 1 }],
        rules: [
          { kind: "activity", amount: 600, period: 2 },
          { kind: "rateCard", measure: "school", pricePerOutcome: 100, lagPeriods: 1 },
        ],
        totalCap: 1000,
      }),
    );
    const r = evaluateHand(s, [{ treated: { school: [10] }, comparator: { school: [5] } }]);
    expect(r.paymentsByRule[0]).toBe(600);
    expect(r.paymentsByRule[1]).toBe(400); // 1000 asked, 400 left under the cap
  });
});

describe("error rates", () => {
  const s = scenario(
    contractScenario({ capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "proportional", measure: "care.careDays", threshold: 0.1, pricePerUnit: 1 }] }),
  );
  test("a payment although the true effect is not positive is a payment for nothing", () => {
    // Measured: 20 % fewer care days than the historical baseline; truth: the same as without.
    const r = evaluateHand(s, [
      { treated: { "care.careDays": [800] }, comparator: { "care.careDays": [1000] }, counterfactual: { "care.careDays": [800] } },
    ]);
    expect(r.payments[0]).toBe(200);
    expect(r.payForNothing[0]).toBe(1);
    expect(r.missedSuccess[0]).toBe(0);
  });
  test("a true effect above the threshold that goes unpaid is a missed success", () => {
    const r = evaluateHand(s, [
      { treated: { "care.careDays": [800] }, comparator: { "care.careDays": [850] }, counterfactual: { "care.careDays": [1000] } },
    ]);
    expect(r.payments[0]).toBe(0);
    expect(r.missedSuccess[0]).toBe(1);
    expect(r.payForNothing[0]).toBe(0);
  });
});

describe("regressions found in review", () => {
  const twoCohorts = { population: { cohorts: [{ size: 60, startPeriod: 0 }, { size: 60, startPeriod: 0 }] } };

  test("a per-cohort offset subtracts what the named rule paid for the same cohort only", () => {
    const s = scenario(
      contractScenario(
        {
          capital: 1000,
          drawdown: [{ period: 0, share: 1 }],
          rules: [
            { id: "act", kind: "activity", amount: 100, period: 0 },
            { id: "sav", kind: "savingsShare", measure: "care.cost", share: 1, offsetBy: ["act"] },
          ],
        },
        twoCohorts,
      ),
    );
    // Each cohort: 500 measured savings, less its own 100 activity payment.
    const r = evaluateHand(s, [{ treated: { "care.cost": [500, 500] }, comparator: { "care.cost": [1000, 1000] } }]);
    expect(r.paymentsByRule[0]).toBe(200);
    expect(r.paymentsByRule[1]).toBe(800);
  });

  test("a guarantee top-up is paid after the last drawdown, not before", () => {
    const s = scenario(
      contractScenario({
        capital: 1000,
        drawdown: [0, 2, 4, 6].map((period) => ({ period, share: 0.25 })),
        rules: [],
        guarantee: 500,
      }),
    );
    const r = evaluateHand(s, [{ treated: {}, comparator: {} }]);
    // Flows: −250 at quarters 0, 2, 4; −250 + 500 at quarter 6. NPV at the IRR must vanish.
    const v = Math.pow(1 + r.irr[0]!, -1 / 4);
    expect(-250 - 250 * v ** 2 - 250 * v ** 4 + 250 * v ** 6).toBeCloseTo(0, 8);
  });

  test("a payment held back by the total cap is not a missed success", () => {
    const s = scenario(
      contractScenario({ capital: 100, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "savingsShare", measure: "care.cost", share: 1 }], totalCap: 100 }, twoCohorts),
    );
    const r = evaluateHand(s, [
      { treated: { "care.cost": [850, 950] }, comparator: { "care.cost": [1000, 1000] }, counterfactual: { "care.cost": [900, 1000] } },
    ]);
    expect(r.payments[0]).toBe(100);
    expect(r.missedSuccess[0]).toBe(0);
  });

  test("a rate card paying for every outcome needs a measure where higher is better", () => {
    expect(() =>
      scenario(contractScenario({ capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "rateCard", measure: "care.replacements", pricePerOutcome: 1 }] })),
    ).toThrow(/contract\.rules\[0\]\.basis: "all" pays for every success/);
  });
});
