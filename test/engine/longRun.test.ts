import { describe, expect, test } from "vitest";
import { compile, simulateOutcomes } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

describe("long-run value", () => {
  test("counts fewer bad outcomes as a gain when lower is better", () => {
    // Exclusion (lower is better) falls with an odds ratio of 0.3; each avoided exclusion is worth 1000.
    const s = scenario({
      name: "long run",
      population: { cohorts: [{ size: 1000 }] },
      outcomes: [{ id: "excluded", kind: "binary", higherIsBetter: false, baseline: 0.5 }],
      intervention: { effects: [{ outcome: "excluded", oddsRatio: 0.3 }] },
      measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { excluded: 0.5 } } },
      contract: { capital: 0, drawdown: [{ period: 0, share: 1 }], rules: [] },
      valuation: { horizonPeriods: 4, discountRate: 0, longRun: [{ outcome: "excluded", valuePerSuccess: 1000, countedShare: 1 }] },
    });
    const table = simulateOutcomes(compile(s), { trials: 200, seed: 1 });
    for (let t = 0; t < table.trials; t++) {
      const avoided = table.counterfactual[t]! - table.treated[t]!;
      expect(table.societyBenefitPV[t]).toBeCloseTo(avoided * 1000, 6);
    }
    expect(table.societyBenefitPV[0]).toBeGreaterThan(0);
  });
});
