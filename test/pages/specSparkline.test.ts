/**
 * The explorer's picture of an uncertain input (src/components/spec-sparkline.ts) against closed
 * forms: where a density peaks, how high it is one sd out, where the 90 % range ends.
 */
import { describe, expect, test } from "vitest";
import { densityCurve } from "../../src/components/spec-sparkline.js";

const argmax = (c: { x: number[]; y: number[] }) => c.x[c.y.indexOf(Math.max(...c.y))]!;
/** Density at x, interpolated linearly between grid points. */
function at(c: { x: number[]; y: number[] }, x: number): number {
  const i = c.x.findIndex((v) => v >= x);
  const x0 = c.x[i - 1]!, x1 = c.x[i]!, y0 = c.y[i - 1]!, y1 = c.y[i]!;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

describe("densityCurve", () => {
  test("normal: peak at the mean, e^(−1/2) of it one sd out, 90 % range mean ± 1.6449 sd", () => {
    // 61 points over mean ± 3 sd: the mean is the middle point, ± 1 sd fall on points 20 and 40.
    const c = densityCurve({ dist: "normal", mean: 10, sd: 2 }, 61)!;
    expect(argmax(c)).toBeCloseTo(10, 12);
    expect(at(c, 12)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(at(c, 8)).toBeCloseTo(Math.exp(-0.5), 12);
    // Φ⁻¹(0.95) = 1.644854 (standard normal tables).
    expect(c.p5).toBeCloseTo(10 - 2 * 1.644854, 5);
    expect(c.p95).toBeCloseTo(10 + 2 * 1.644854, 5);
  });

  test("a {p5, p95} range with positive ends is the lognormal through them (its mode e^(μ − σ²))", () => {
    const c = densityCurve({ p5: 0.55, p95: 1.2 }, 2001)!;
    expect(c.p5).toBeCloseTo(0.55, 12);
    expect(c.p95).toBeCloseTo(1.2, 12);
    const mu = (Math.log(0.55) + Math.log(1.2)) / 2, sigma = (Math.log(1.2) - Math.log(0.55)) / (2 * 1.6448536269514722);
    const step = c.x[1]! - c.x[0]!;
    expect(Math.abs(argmax(c) - Math.exp(mu - sigma * sigma))).toBeLessThanOrEqual(step);
  });

  test("a range through zero is a normal centred between its ends", () => {
    const c = densityCurve({ p5: -2, p95: 4 }, 61)!;
    expect(argmax(c)).toBeCloseTo(1, 12);
  });

  test("PERT and triangular peak at the mode; uniform is flat", () => {
    const pert = densityCurve({ dist: "pert", min: 0, mode: 3, max: 10 }, 101)!;
    expect(argmax(pert)).toBeCloseTo(3, 12); // a beta's mode (α − 1)/(α + β − 2) = 1.2/4 of the span
    const tri = densityCurve({ dist: "triangular", min: 0, mode: 2, max: 10 }, 101)!;
    expect(argmax(tri)).toBeCloseTo(2, 12);
    expect(at(tri, 6)).toBeCloseTo(0.5, 12); // halfway down the right side
    const flat = densityCurve({ dist: "uniform", min: 1, max: 2 })!;
    expect(new Set(flat.y)).toEqual(new Set([1]));
  });

  test("a beta with α < 1 stays finite at its edge", () => {
    const c = densityCurve({ dist: "beta", alpha: 0.5, beta: 2 })!;
    expect(c.y.every(Number.isFinite)).toBe(true);
    expect(argmax(c)).toBe(c.x[0]);
  });

  test("a fixed number or an impossible spec has no picture", () => {
    expect(densityCurve(3)).toBeNull();
    expect(densityCurve({ value: 3 })).toBeNull();
    expect(densityCurve({ p5: 2, p95: 1 })).toBeNull();
    expect(densityCurve({ dist: "pert", min: 0, mode: 12, max: 10 })).toBeNull();
  });
});
