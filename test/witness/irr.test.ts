import { describe, expect, test } from "vitest";
import { annualize, irr, npv } from "../../models/index.js";

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

  test("annualize(r, periodsPerYear) compounds a per-period rate", () => {
    expect(annualize(0.1, 4)).toBeCloseTo(Math.pow(1.1, 4) - 1, 12);
    expect(annualize(-1, 4)).toBe(-1);
  });
});
