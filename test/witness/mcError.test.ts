// Monte Carlo error and exceedance points (models/summary/mcError.ts) against hand arithmetic.
import {expect, test} from "vitest";
import {chanceError, exceedancePoints, meanError, shareAtOrBelow} from "../../models/summary/mcError.ts";

test("the binomial standard error of a chance is √(p(1−p)/n)", () => {
  // p = 0.5, n = 100: √(0.25/100) = 0.05 exactly.
  expect(chanceError(0.5, 100)).toBeCloseTo(0.05, 15);
  // p = 0.64, n = 10 000: √(0.64 · 0.36 / 10 000) = 0.8 · 0.6 / 100 = 0.0048.
  expect(chanceError(0.64, 10_000)).toBeCloseTo(0.0048, 15);
  expect(chanceError(0, 10)).toBe(0);
  expect(chanceError(1.5, 10)).toBeNaN();
});

test("the standard error of a mean is s/√n, skipping non-finite values", () => {
  // 1, 2, 3, 4: mean 2.5, s² = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3, s/√4 = √(5/3)/2 = 0.645497…
  expect(meanError([1, 2, NaN, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3) / 2, 14);
  expect(meanError([7])).toBeNull();
});

test("exceedance points are the empirical distribution, ties counted at their value", () => {
  // 1…100: the share at or below 50 is 50/100.
  const col = Float64Array.from({length: 100}, (_, i) => i + 1);
  expect(shareAtOrBelow(col, 50)).toBe(0.5);
  const pts = exceedancePoints(col, 1000);
  expect(pts).toHaveLength(100);
  expect(pts[49]).toEqual({x: 50, below: 0.5});
  // Three zeros and one 5: at 0 the share jumps to 3/4 at once.
  expect(exceedancePoints([0, 5, 0, 0])).toEqual([{x: 0, below: 0.75}, {x: 5, below: 1}]);
  expect(exceedancePoints([NaN])).toEqual([]);
});
