/**
 * Rikers Island 2012 (data/scenarios/rikers-2012.json) run at fixed outcomes: the investor's IRR
 * per band of the stepped schedule against closed forms. Terms: $9.6M drawn as $600,000 a
 * quarter over 16 quarters (periods 0–15); one city payment at period 16; Bloomberg
 * Philanthropies' $7.2M guarantee (WNYC, Newsday, 2 Aug 2012; Social Ventures Australia case study).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runScenario } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

const file = JSON.parse(readFileSync(new URL("../../data/scenarios/rikers-2012.json", import.meta.url), "utf8"));

/** The scenario with the bed-day baseline fixed at the comparator's 50 and the effect fixed. */
function atReduction(reduction: number, covers: "receipts" | "losses" = "receipts") {
  const s = structuredClone(file);
  s.outcomes[0].baselineRate = { value: 50 };
  s.intervention.effects[0].rateRatio = { value: 1 - reduction };
  s.contract.guaranteeCovers = covers;
  return runScenario(scenario(s), { trials: 200, seed: 1 }).results;
}

/**
 * Annual IRR of: −600,000 in each quarter 0…15, +R at quarter 16. NPV at quarterly rate r is
 * R·v¹⁶ − 600,000·(1 − v¹⁶)/(1 − v) with v = 1/(1+r) (a geometric sum); solved by bisection
 * here, independently of models/finance/irr.ts, then annualised as (1+r)⁴ − 1.
 */
function closedFormIrr(R: number): number {
  const npv = (r: number) => {
    const v = 1 / (1 + r), v16 = Math.pow(v, 16);
    return R * v16 - (600_000 * (1 - v16)) / (1 - v);
  };
  let lo = -0.5, hi = 0.7; // the midpoints never hit r = 0, where the sum is 0 ÷ 0
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (npv(mid) > 0) lo = mid; else hi = mid;
  }
  return Math.pow(1 + (lo + hi) / 2, 4) - 1;
}

describe("Rikers Island: the investor's IRR per outcome band", () => {
  test("no effect: the city pays nothing, the guarantee returns $7.2M, the unguaranteed 25 % is lost", { timeout: 60_000 }, () => {
    const r = atReduction(0);
    expect(r.payments[0]).toBe(0);
    expect(r.guarantee[0]).toBe(7_200_000);
    expect(r.multiple[0]).toBeCloseTo(0.75, 12); // 7.2 / 9.6
    expect(r.profit[0]).toBeCloseTo(-2_400_000, 6);
    expect(r.irr[0]).toBeCloseTo(closedFormIrr(7_200_000), 9); // ≈ −13.2 % a year
    expect(r.irr[0]).toBeCloseTo(-0.1321, 3);
  });

  test("a 25 % fall: the top band's $11.7M, about 9.5 % a year on the money as drawn", { timeout: 60_000 }, () => {
    const r = atReduction(0.25);
    expect(r.payments[0]).toBe(11_700_000);
    expect(r.guarantee[0]).toBe(0);
    expect(r.irr[0]).toBeCloseTo(closedFormIrr(11_700_000), 9);
  });

  test("a 9 % fall pays $4.8M: the guarantee tops receipts to $7.2M, or as first loss makes the investor whole", { timeout: 60_000 }, () => {
    const topUp = atReduction(0.09, "receipts");
    expect(topUp.payments[0]).toBe(4_800_000);
    expect(topUp.guarantee[0]).toBe(2_400_000); // 7.2 − 4.8
    expect(topUp.irr[0]).toBeCloseTo(closedFormIrr(7_200_000), 9);
    const firstLoss = atReduction(0.09, "losses");
    expect(firstLoss.guarantee[0]).toBe(4_800_000); // min(7.2, 9.6 − 4.8)
    expect(firstLoss.multiple[0]).toBeCloseTo(1, 12);
  });
});
