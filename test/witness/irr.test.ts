import { describe, expect, test } from "vitest";
import { annualize, irr, mirr, npv } from "../../models/index.js";

describe("irr(flows)", () => {
  // Microsoft Support, "IRR function" (Excel): the documented example and its printed results,
  // rounded there to 0.1 percentage point.
  test("matches Excel's documented IRR example", () => {
    expect(irr([-70000, 12000, 15000, 18000, 21000])).toBeCloseTo(-0.021, 3); // Excel: -2.1%
    expect(irr([-70000, 12000, 15000, 18000, 21000, 26000])).toBeCloseTo(0.087, 3); // Excel: 8.7%
    expect(irr([-70000, 12000, 15000])).toBeCloseTo(-0.444, 3); // Excel: -44.4%
  });

  test("solves cash flows with closed-form rates exactly", () => {
    expect(irr([-100, 110])).toBeCloseTo(0.1, 10);
    expect(irr([-100, 0, 121])).toBeCloseTo(0.1, 10);
    // -100 + 50x + 60x² = 0 with x = 1/(1+r): x = (-50 + √(2500 + 24000)) / 120.
    const x = (-50 + Math.sqrt(26500)) / 120;
    expect(irr([-100, 50, 60])).toBeCloseTo(1 / x - 1, 10);
    // Capital drawn over time, one repayment: NPV at the IRR is zero.
    const flows = [-25, -25, -25, -25, 0, 0, 0, 0, 112];
    expect(npv(flows, irr(flows))).toBeCloseTo(0, 8);
  });

  test("calls money out and nothing back a total loss of -100 %", () => {
    expect(irr([-100, 0, 0])).toBe(-1);
    expect(irr([-50, -50, 0, 0])).toBe(-1);
  });

  test("a tiny repayment gives a rate just above -100 %, not a failure", () => {
    // 1 back for 1,000,000 after 8 periods: (1e-6)^(1/8) - 1.
    expect(irr([-1e6, 0, 0, 0, 0, 0, 0, 0, 1])).toBeCloseTo(Math.pow(1e-6, 1 / 8) - 1, 8);
  });

  test("says there is no IRR rather than inventing one", () => {
    expect(irr([100, 50])).toBeNaN(); // nothing invested
    expect(irr([0, 0, 0])).toBeNaN();
    // -100, +230, -132 has two IRRs, 10 % and 20 % (NPV = -(1.1 - x)(1.2 - x)·100/x² style): ambiguous.
    expect(npv([-100, 230, -132], 0.1)).toBeCloseTo(0, 10);
    expect(npv([-100, 230, -132], 0.2)).toBeCloseTo(0, 10);
    expect(irr([-100, 230, -132])).toBeNaN();
    // The running sum changes sign once, yet there are two roots: ±0.9487 (a review found it).
    expect(npv([-10, 20, -1], Math.sqrt(0.9)) ).toBeCloseTo(0, 10);
    expect(npv([-10, 20, -1], -Math.sqrt(0.9))).toBeCloseTo(0, 10);
    expect(irr([-10, 20, -1])).toBeNaN();
  });

  test("finds all three IRRs of a cubic, two of them close, and so reports none", () => {
    // With y = 1 + r, NPV·y³ = −100y³ + 363y² − 436.52y + 174.048 = −100(y − 1.11)(y − 1.12)(y − 1.4):
    // by hand, 1.11 + 1.12 + 1.4 = 3.63; 1.11·1.12 + 1.11·1.4 + 1.12·1.4 = 1.2432 + 1.554 + 1.568
    // = 4.3652; 1.11·1.12·1.4 = 1.74048. So the IRRs are 11 %, 12 % and 40 %. A grid with a cell
    // from 10 % to 20 % saw two sign changes cancel there and reported 40 % alone.
    const flows = [-100, 363, -436.52, 174.048];
    for (const r of [0.11, 0.12, 0.4]) expect(npv(flows, r)).toBeCloseTo(0, 9);
    expect(irr(flows)).toBeNaN();
    // Roots 0.1 % apart are still told apart: −(y − 1.1)(y − 1.101)(y − 1.5) expanded by hand
    // (sum 3.701, pair sums 1.2111 + 1.65 + 1.6515 = 4.5126, product 1.81665).
    for (const r of [0.1, 0.101, 0.5]) expect(npv([-1, 3.701, -4.5126, 1.81665], r)).toBeCloseTo(0, 12);
    expect(irr([-1, 3.701, -4.5126, 1.81665])).toBeNaN();
  });

  test("several sign changes but one IRR: the root is found", () => {
    // −(y − 1)³ + 0.001 = −y³ + 3y² − 3y + 1.001 has the single real root y = 1 + 0.1 (cube root
    // of 0.001), so r = 10 %, although the flows change sign three times.
    expect(irr([-1, 3, -3, 1.001])).toBeCloseTo(0.1, 9);
    // −100 + 50x − 10x² + 80x³ = 0: whatever the root, NPV there is zero and it is the only one
    // (the cubic in x is increasing: its derivative 50 − 20x + 240x² has no real root).
    const flows = [-100, 50, -10, 80];
    expect(npv(flows, irr(flows))).toBeCloseTo(0, 9);
  });

  test("several sign changes, one IRR on either side of 0 %: found without isolating (running-sum bound)", () => {
    // 2·(x − ½)(1 + x²) = −1 + 2x − x² + 2x³ with x = 1/(1 + r): 1 + x² has no real root, so
    // x = ½ is the only one: r = 100 % per period.
    expect(irr([-1, 2, -1, 2])).toBeCloseTo(1, 12);
    // (x − 2)(1 + x²) = −2 + x − 2x² + x³: only x = 2, r = −50 % per period.
    expect(irr([-2, 1, -2, 1])).toBeCloseTo(-0.5, 12);
  });

  test("mirr(flows, finance, reinvest) matches Excel's documented MIRR example", () => {
    // Microsoft Support, "MIRR function": a loan of 120,000 at 10 %, returns reinvested at 12 %;
    // printed results 12.61 %, −4.80 % (after three years), 13.48 % (reinvested at 14 %).
    const flows = [-120000, 39000, 30000, 21000, 37000, 46000];
    expect(mirr(flows, 0.1, 0.12)).toBeCloseTo(0.1261, 4);
    expect(mirr(flows.slice(0, 4), 0.1, 0.12)).toBeCloseTo(-0.048, 4);
    expect(mirr(flows, 0.1, 0.14)).toBeCloseTo(0.1348, 4);
    // Exists where the IRR does not: a total loss is −100 %, and the three-root flows above get
    // ((363·1.1² + 174.048) / (100 + 436.52/1.1²))^(1/3) − 1 at 10 %.
    expect(mirr([-100, 0, 0], 0.05, 0.05)).toBe(-1);
    const expected = Math.pow((363 * 1.21 + 174.048) / (100 + 436.52 / 1.21), 1 / 3) - 1;
    expect(mirr([-100, 363, -436.52, 174.048], 0.1, 0.1)).toBeCloseTo(expected, 12);
    expect(mirr([100, 50], 0.1, 0.1)).toBeNaN(); // nothing goes out
  });

  test("annualize(r, periodsPerYear) compounds a per-period rate", () => {
    expect(annualize(0.1, 4)).toBeCloseTo(Math.pow(1.1, 4) - 1, 12);
    expect(annualize(-1, 4)).toBe(-1);
  });
});
