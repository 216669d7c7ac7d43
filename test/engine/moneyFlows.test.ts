/** Money flows by year, checked against contract terms by hand and against the trial's totals. */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile, evaluateContract, moneyFlows, parseScenario, runScenario, trialAtQuantile } from "../../models/index.js";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { handTable } from "../helpers/table.js";

describe("moneyFlows(run, trial)", () => {
  test("a guarantee (NYC Rikers, 75 % of principal) is paid in the year of the last drawdown", () => {
    // Quarterly periods; capital 1000 drawn 250 at quarters 0, 2, 4, 6: years 1 and 2 each 500.
    // Nothing is paid, so the guarantor tops up 750 at quarter 6 (year 2).
    const s = scenario(contractScenario({ capital: 1000, drawdown: [0, 2, 4, 6].map((period) => ({ period, share: 0.25 })), rules: [], guarantee: { ofCapital: 0.75 } }));
    const model = compile(s);
    const outcomes = handTable(model, [{ treated: {}, comparator: {} }]);
    const results = evaluateContract(model, outcomes, s.contract, { keepFlows: true });
    const flows = moneyFlows({ model, outcomes, results }, 0);
    expect(flows.map((f) => [f.capital, f.payments, f.guarantee])).toEqual([[500, 0, 0], [500, 0, 750]]);
  });

  test("an activity payment at quarter 8 falls in year 3", () => {
    const s = scenario(contractScenario({ capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "activity", amount: 400, period: 8 }] }, { valuation: { horizonPeriods: 12, discountRate: 0, financierDiscountRate: 0 } }));
    const model = compile(s);
    const outcomes = handTable(model, [{ treated: {}, comparator: {} }]);
    const results = evaluateContract(model, outcomes, s.contract, { keepFlows: true });
    expect(moneyFlows({ model, outcomes, results }, 0).map((f) => [f.capital, f.payments, f.guarantee])).toEqual([[1000, 0, 0], [0, 0, 0], [0, 400, 0]]);
  });

  test("Norrköping: about 7.5 MSEK of the 10 MSEK drawn over eight quarters (3.75 MSEK a year), and each trial's flows add up to its totals", () => {
    // socialeinvesteringer.nu: about 7.5 MSEK drawn; the scenario spends it evenly over quarters 0–7.
    const parsed = parseScenario(JSON.parse(readFileSync(new URL("../../data/scenarios/norrkoping-2016.json", import.meta.url), "utf8")));
    if (!parsed.ok) throw new Error("invalid");
    const run = runScenario(parsed.scenario, { trials: 500, seed: 3, keepFlows: true });
    for (const t of [0, 1, 17, 499]) {
      const flows = moneyFlows(run, t);
      expect(flows.slice(0, 2).map((f) => f.capital)).toEqual([3.75e6, 3.75e6]);
      expect(flows.reduce((a, f) => a + f.capital, 0)).toBe(7.5e6);
      expect(run.results.drawn[t]).toBe(7.5e6);
      expect(flows.reduce((a, f) => a + f.payments, 0)).toBeCloseTo(run.results.payments[t]!, 6);
      expect(flows.reduce((a, f) => a + f.guarantee, 0)).toBe(0); // Norrköping has no guarantee
      expect(flows.reduce((a, f) => a + f.avoided, 0)).toBeCloseTo(run.results.payerNet[t]! + run.results.payments[t]!, 4);
    }
  });

  test("Essex with recycling: money in equals money out in every trial (capital + payments = financier + provider + intermediary)", () => {
    const parsed = parseScenario(JSON.parse(readFileSync(new URL("../../data/scenarios/essex-2013.json", import.meta.url), "utf8")));
    if (!parsed.ok) throw new Error("invalid");
    const run = runScenario(parsed.scenario, { trials: 300, seed: 5, keepFlows: true });
    for (let t = 0; t < 300; t += 37) {
      const f = moneyFlows(run, t);
      const sum = (k: "capital" | "payments" | "toFinancier" | "toProvider" | "toIntermediary" | "guarantee") => f.reduce((a, y) => a + y[k], 0);
      expect(sum("capital") + sum("payments")).toBeCloseTo(sum("toFinancier") + sum("toProvider") + sum("toIntermediary"), 2);
      expect(sum("capital")).toBeLessThanOrEqual(3.1e6 + 0.01); // never beyond the commitment (to the cent)
      expect(sum("toFinancier") + sum("guarantee")).toBeCloseTo(run.results.profit[t]! + run.results.drawn[t]!, 2);
    }
  });
});

describe("trialAtQuantile(values, p)", () => {
  test("picks the trial holding the p-th smallest finite value", () => {
    const v = [5, NaN, 1, 4, 2, 3];
    expect(trialAtQuantile(v, 0)).toBe(2); // 1
    expect(trialAtQuantile(v, 0.5)).toBe(5); // 1 2 [3] 4 5: the middle of five
    expect(trialAtQuantile(v, 1)).toBe(0); // 5
  });
  test("ties keep trial order", () => expect(trialAtQuantile([7, 7, 7], 0.5)).toBe(1));
});
