/**
 * dist()'s percentiles (models/summary/dist.ts) against the R-7 definition of Hyndman & Fan
 * (1996, "Sample quantiles in statistical packages", The American Statistician 50:361, definition
 * 7), R's default `quantile(x, type = 7)` and Excel's PERCENTILE.INC: for sorted x_1 … x_n and
 * h = (n − 1)p + 1, Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
 */
import { describe, expect, test } from "vitest";
import { dist, expectedShortfall, meanOfFinite } from "../../models/summary/dist.js";

describe("percentiles are R's type 7", () => {
  test("1:10 — R: quantile(1:10, c(.05, .25, .5, .75, .95)) = 1.45 3.25 5.50 7.75 9.55", () => {
    // h = 9p + 1: 1.45, 3.25, 5.5, 7.75, 9.55, and x_i = i, so Q(p) = h.
    const d = dist(Float64Array.from([7, 3, 10, 1, 5, 2, 9, 4, 8, 6]))!; // order does not matter
    expect([d.p5, d.p25, d.p50, d.p75, d.p95]).toEqual([1.45, 3.25, 5.5, 7.75, 9.55].map((x) => expect.closeTo(x, 12)));
    expect(d.mean).toBe(5.5);
  });

  test("{15, 20, 35, 40, 50} — R: quantile(c(15, 20, 35, 40, 50), c(.05, .25, .5, .75, .95)) = 16 20 35 40 48", () => {
    // n = 5, h = 4p + 1: p = 0.05 → h = 1.2, 15 + 0.2·(20 − 15) = 16; 0.25 → h = 2, 20;
    // 0.5 → 35; 0.75 → 40; 0.95 → h = 4.8, 40 + 0.8·(50 − 40) = 48. Mean 160/5 = 32.
    const d = dist([50, 15, 40, 20, 35])!;
    expect([d.p5, d.p25, d.p50, d.p75, d.p95]).toEqual([16, 20, 35, 40, 48].map((x) => expect.closeTo(x, 12)));
    expect(d.mean).toBe(32);
  });

  test("non-finite values are left out: the same as the finite ones alone", () => {
    // Finite values −3, 0, 1, 2: h = 3p + 1; p5: h = 1.15 → −3 + 0.15·3 = −2.55; p25: h = 1.75
    // → −3 + 0.75·3 = −0.75; p50: h = 2.5 → 0.5; p75: h = 3.25 → 1.25; p95: h = 3.85 → 1.85.
    const d = dist([2, NaN, -3, Infinity, 1, -Infinity, 0])!;
    expect([d.p5, d.p25, d.p50, d.p75, d.p95]).toEqual([-2.55, -0.75, 0.5, 1.25, 1.85].map((x) => expect.closeTo(x, 12)));
    expect(d.mean).toBe(0);
    expect(dist([NaN, Infinity])).toBeNull();
    expect(meanOfFinite([NaN, 4, 6])).toBe(5);
  });

  test("expected shortfall: the mean of the worst ⌈5 % × n⌉ values, as a positive loss", () => {
    // 40 values −1 … −40 and 60 zeros: the worst ⌈0.05 × 100⌉ = 5 are −40 … −36, mean −38.
    const xs = [...Array.from({ length: 40 }, (_, i) => -(i + 1)), ...new Array(60).fill(0)];
    expect(expectedShortfall(xs, 0.05)).toBe(38);
    expect(expectedShortfall([1, 2, 3], 0.05)).toBe(0); // even the worst is a gain
  });
});
