/**
 * models/random/sampler.ts against closed forms of the distributions it claims to draw.
 *
 * Witnesses (none of them our code):
 * - a {p5, p95} range is a belief stated by two percentiles: 5 % of draws fall below p5 and 5 %
 *   above p95, whether it is read as a lognormal (p5 > 0) or a normal (p5 ≤ 0);
 * - the lognormal with median m and log-sd σ has mean m·exp(σ²/2): for {p5: 2, p95: 8},
 *   m = √(2·8) = 4, σ = ln 4 / (2 · 1.6448536) = 0.4214036, mean 4.3714066 (Python math);
 * - the triangular on [a, b] with mode c has mean (a + b + c)/3 and variance
 *   (a² + b² + c² − ab − ac − bc)/18, and P(X ≤ c) = (c − a)/(b − a):
 *   for (0, 2, 10): mean 4, variance 84/18 = 4.6667, P(X ≤ 2) = 0.2;
 * - the PERT (beta-PERT, shape weight 4; Vose 2008, Risk Analysis, §10.3) has mean
 *   (a + 4c + b)/6 and variance (μ − a)(b − μ)/7: for (0, 2, 10): mean 3, variance 3;
 * - the beta(α, β) has mean α/(α + β) and variance αβ/((α + β)²(α + β + 1));
 * - a standard normal clipped to [0, 1] has mass Φ(0) = 0.5 at 0 and 1 − Φ(1) = 0.1586553 at 1,
 *   and mean φ(0) − φ(1) + (1 − Φ(1)) = 0.3989423 − 0.2419707 + 0.1586553 = 0.3156268
 *   (E[X; 0 < X < 1] = φ(0) − φ(1) since x·φ(x) = −φ'(x)).
 *
 * Draws are from one fixed seed; N = 100,000 per distribution. A share p has standard error
 * √(p(1 − p)/N) (0.00069 for p = 0.05), a mean σ/√N; every tolerance is 4 standard errors.
 */
import { describe, expect, test } from "vitest";
import { sampler } from "../../models/random/sampler.js";
import { blockRng } from "../../models/random/rng.js";
import type { Bounds, ParamSpec } from "../../models/scenario/param.js";

const N = 100_000;

function draws(p: ParamSpec, bounds: Bounds = {}, seed = 1): Float64Array {
  const rng = blockRng(seed, 0);
  const draw = sampler(p, bounds);
  return Float64Array.from({ length: N }, () => draw(rng));
}

const shareOf = (xs: Float64Array, test: (x: number) => boolean) => xs.reduce((k, x) => k + (test(x) ? 1 : 0), 0) / xs.length;
const meanOf = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const varianceOf = (xs: Float64Array) => {
  const m = meanOf(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** |observed share − p| within 4 standard errors of a share of N draws. */
function expectShare(observed: number, p: number, what: string) {
  expect(Math.abs(observed - p), `${what}: ${observed}, expected ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
}
/** |observed mean − μ| within 4 standard errors, from the distribution's own variance. */
function expectMean(observed: number, mu: number, variance: number, what: string) {
  expect(Math.abs(observed - mu), `${what}: ${observed}, expected ${mu}`).toBeLessThan(4 * Math.sqrt(variance / N));
}

describe("a {p5, p95} range", () => {
  test.each([
    ["lognormal (p5 > 0)", { p5: 2, p95: 8 }],
    ["normal (p5 ≤ 0)", { p5: -1, p95: 3 }],
    ["normal with p5 = 0", { p5: 0, p95: 0.4 }],
  ] as const)("%s puts 5 %% of draws below p5 and 5 %% above p95", (_, range) => {
    const xs = draws(range);
    expectShare(shareOf(xs, (x) => x < range.p5), 0.05, "below p5");
    expectShare(shareOf(xs, (x) => x > range.p95), 0.05, "above p95");
    // And half of them below the median: √(p5·p95) for the lognormal, the midpoint for the normal.
    const median = range.p5 > 0 ? Math.sqrt(range.p5 * range.p95) : (range.p5 + range.p95) / 2;
    expectShare(shareOf(xs, (x) => x < median), 0.5, "below the median");
  });

  test("the lognormal reading has mean m·exp(σ²/2) = 4.3714066 for {p5: 2, p95: 8}", () => {
    const sigma = Math.log(4) / (2 * 1.6448536269514722);
    expect(sigma).toBeCloseTo(0.4214036, 6);
    const mu = 4 * Math.exp(sigma ** 2 / 2);
    expect(mu).toBeCloseTo(4.3714066, 6);
    const variance = mu ** 2 * (Math.exp(sigma ** 2) - 1);
    expectMean(meanOf(draws({ p5: 2, p95: 8 }, {}, 2)), mu, variance, "mean");
  });
});

describe("named distributions: means and variances by closed form", () => {
  test("triangular (0, 2, 10): mean 4, variance 84/18, P(X ≤ mode) = 0.2", () => {
    const xs = draws({ dist: "triangular", min: 0, mode: 2, max: 10 } as ParamSpec);
    const variance = (0 + 4 + 100 - 0 - 0 - 20) / 18;
    expectMean(meanOf(xs), 4, variance, "mean");
    expect(Math.abs(varianceOf(xs) - variance) / variance).toBeLessThan(0.02); // the variance's relative SE is about √(2/N)·1.1 ≈ 0.005
    expectShare(shareOf(xs, (x) => x <= 2), 0.2, "P(X ≤ mode)");
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(10);
  });

  test("PERT (0, 2, 10): mean (0 + 4·2 + 10)/6 = 3, variance (3 − 0)(10 − 3)/7 = 3", () => {
    const xs = draws({ dist: "pert", min: 0, mode: 2, max: 10 } as ParamSpec);
    expectMean(meanOf(xs), 3, 3, "mean");
    expect(Math.abs(varianceOf(xs) - 3) / 3).toBeLessThan(0.02);
  });

  test("PERT with the mode off centre (100, 180, 200): mean 170, variance 70·30/7 = 300", () => {
    const xs = draws({ dist: "pert", min: 100, mode: 180, max: 200 } as ParamSpec, {}, 3);
    expectMean(meanOf(xs), (100 + 4 * 180 + 200) / 6, 300, "mean");
    expect(Math.abs(varianceOf(xs) - 300) / 300).toBeLessThan(0.02);
  });

  test("beta(2, 5): mean 2/7, variance 10/(49·8)", () => {
    const xs = draws({ dist: "beta", alpha: 2, beta: 5 } as ParamSpec);
    const variance = 10 / (49 * 8);
    expectMean(meanOf(xs), 2 / 7, variance, "mean");
    expect(Math.abs(varianceOf(xs) - variance) / variance).toBeLessThan(0.03);
  });

  test("uniform (3, 7): mean 5, a quarter of draws below 4", () => {
    const xs = draws({ dist: "uniform", min: 3, max: 7 } as ParamSpec);
    expectMean(meanOf(xs), 5, 16 / 12, "mean");
    expectShare(shareOf(xs, (x) => x < 4), 0.25, "below 4");
  });

  test("normal (10, 2) and lognormal (μ 0, σ 0.5): means 10 and exp(0.125) = 1.1331485", () => {
    expectMean(meanOf(draws({ dist: "normal", mean: 10, sd: 2 } as ParamSpec)), 10, 4, "normal mean");
    const m = Math.exp(0.125);
    expect(m).toBeCloseTo(1.1331485, 6);
    expectMean(meanOf(draws({ dist: "lognormal", mu: 0, sigma: 0.5 } as ParamSpec)), m, m ** 2 * (Math.exp(0.25) - 1), "lognormal mean");
  });
});

describe("clipping to the field's bounds", () => {
  test("a standard normal clipped to [0, 1]: mass 0.5 at 0, 0.1586553 at 1, mean 0.3156268", () => {
    const xs = draws({ dist: "normal", mean: 0, sd: 1 } as ParamSpec, { min: 0, max: 1 });
    expectShare(shareOf(xs, (x) => x === 0), 0.5, "at the lower bound");
    expectShare(shareOf(xs, (x) => x === 1), 0.15865525, "at the upper bound");
    expect(shareOf(xs, (x) => x < 0 || x > 1)).toBe(0);
    // Variance of the clipped draw: E[Y²] − E[Y]² = (Φ(1) − ½ − φ(1)) + (1 − Φ(1)) − 0.3156268² = 0.1584090.
    expectMean(meanOf(xs), 0.31562681, 0.15840899, "mean");
  });

  test("a range with p5 ≤ 0 for a field bounded at 0 (a rate ratio) puts the normal's lower tail at 0", () => {
    // {p5: −0.2, p95: 1.8}: a normal with mean 0.8, sd 1/1.6448536 = 0.6079568; P(X < 0) = Φ(−0.8/0.6079568) = Φ(−1.3158829) = 0.0941067 (Python statistics.NormalDist).
    const xs = draws({ p5: -0.2, p95: 1.8 }, { min: 0, max: 1000 });
    expectShare(shareOf(xs, (x) => x === 0), 0.0941067, "at 0");
    expect(Math.min(...xs)).toBe(0);
  });

  test("a fixed value is not clipped (the schema checks it against the bounds instead)", () => {
    const draw = sampler(5, { min: 0, max: 1 });
    expect(draw(blockRng(1, 0))).toBe(5);
  });
});
