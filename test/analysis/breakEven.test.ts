import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { breakEven, ScaledRuns } from "../../models/index.js";
import { acceptabilityByEffect } from "../../models/analysis/acceptability.js";
import { scenario } from "../helpers/scenarios.js";

describe("breakEven(scenario, party)", () => {
  test("with a fixed effect and a large cohort, the financier's break-even effect is capital × (1 + hurdle) ÷ (price × events)", () => {
    // 20,000 participants at 1 event each; 1,000 paid per event avoided against the exact
    // historical rate, one year (4 quarters) after the capital of 1,000,000 is lent. The
    // financier breaks even when its expected NPV at its hurdle of 5 % a year is zero: payments of
    // 1,050,000, a fall of 1,050,000 / (1,000 × 20,000) = 5.25 % (closed form; the rule is linear
    // above a 0 threshold).
    const s = scenario({
      name: "break-even",
      population: { cohorts: [{ size: 20000 }] },
      outcomes: [{ id: "events", kind: "count", baselineRate: 1 }],
      intervention: { effects: [{ outcome: "events", rateRatio: 0.9 }] },
      measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { events: 1 } } },
      contract: { capital: 1_000_000, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "proportional", measure: "events", threshold: 0, pricePerUnit: 1000 }] },
      valuation: { horizonPeriods: 4, discountRate: 0, financierDiscountRate: 0.05 },
    });
    const r = breakEven(s, "financier", { trials: 2000, seed: 1 });
    expect(r.measure).toBe("events");
    expect(r.trueEffect).toBeCloseTo(0.0525, 3);
    // The scenario's own effect is a fixed 10 %: it always reaches 5.25 %.
    expect(r.probReach).toBe(1);
    // rr^scale = 0.9475 ⇒ scale = ln 0.9475 / ln 0.9.
    expect(r.scale).toBeCloseTo(Math.log(0.9475) / Math.log(0.9), 2);
  });

  test("both parties' searches and the acceptability curve sharing one ScaledRuns give exactly what each gives alone, and the curve's quarter scales are kept for it", () => {
    // Peterborough: the financier breaks even inside the grid (a bisection) and the payer does
    // not (the whole grid scanned), so the shared runs serve both paths.
    const s = scenario(JSON.parse(readFileSync("data/scenarios/peterborough-2010.json", "utf8")));
    const options = { trials: 300, seed: 4 };
    const alone = [breakEven(s, "financier", options), breakEven(s, "payer", options), acceptabilityByEffect(s, options)];
    const runs = new ScaledRuns(s, options.trials, options.seed);
    const shared = [breakEven(s, "financier", { ...options, runs }), breakEven(s, "payer", { ...options, runs }), acceptabilityByEffect(s, { ...options, runs })];
    expect(shared).toEqual(alone);
    // Runs of other trials or another seed are not used for a search that asks for its own.
    expect(breakEven(s, "financier", { trials: 200, seed: 4, runs })).toEqual(breakEven(s, "financier", { trials: 200, seed: 4 }));
    expect(runs.at(0.75)).toBe(runs.at(0.75)); // kept: one of the curve's scales
    expect(runs.at(0.3)).not.toBe(runs.at(0.3)); // a bisection's midpoint: made each time
  });
});
