/**
 * Common random numbers that really are common: every trial draws each purpose from its own
 * stream (models/random/stream.ts), so changing one input moves only the draws that depend on it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile, runScenario, simulateOutcomes } from "../../models/index.js";
import { resolveFigureRefs } from "../../models/figures/resolve.js";
import { Stream } from "../../models/random/stream.js";
import { scenario } from "../helpers/scenarios.js";

const norrkoping = JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"));

describe("random streams by purpose", () => {
  test("two runs that differ only in the re-placement rate ratio share every other parameter draw, delivery and the untreated arm in every trial", () => {
    const a = resolveFigureRefs(norrkoping) as typeof norrkoping;
    const b = structuredClone(a);
    b.intervention.effects[0].rateRatio = { p5: 0.3, p95: 0.9 }; // a stronger, different belief
    const [ma, mb] = [compile(scenario(a)), compile(scenario(b))];
    const T = 2000;
    const [ta, tb] = [simulateOutcomes(ma, { trials: T, seed: 1 }), simulateOutcomes(mb, { trials: T, seed: 1 })];
    const changed = "intervention.effects[0].rateRatio";
    for (const [path, column] of ta.params) {
      if (path === changed) {
        expect(Array.from(column)).not.toEqual(Array.from(tb.params.get(path)!));
      } else {
        expect(Array.from(column), path).toEqual(Array.from(tb.params.get(path)!));
      }
    }
    expect(Array.from(ta.delivered)).toEqual(Array.from(tb.delivered));
    expect(Array.from(ta.counterfactual)).toEqual(Array.from(tb.counterfactual)); // untreated children
    expect(Array.from(ta.comparator)).toEqual(Array.from(tb.comparator)); // the past group
    // ... while the treated arm did change, in most trials.
    let differ = 0;
    for (let i = 0; i < ta.treated.length; i++) if (ta.treated[i] !== tb.treated[i]) differ++;
    expect(differ).toBeGreaterThan(ta.treated.length / 4);
  });

  test("a trial's numbers do not depend on how many trials run with it", () => {
    const s = scenario(norrkoping);
    const model = compile(s);
    const small = simulateOutcomes(model, { trials: 300, seed: 4 });
    const large = simulateOutcomes(model, { trials: 2500, seed: 4 });
    const M = small.measureCount * small.cohorts;
    expect(Array.from(small.treated)).toEqual(Array.from(large.treated.subarray(0, 300 * M)));
    expect(Array.from(small.comparator)).toEqual(Array.from(large.comparator.subarray(0, 300 * M)));
  });

  test("Stream gives uniforms in [0, 1) with the mean, variance and bin counts of a uniform, and unrelated streams for neighbouring keys", () => {
    const s = new Stream();
    const N = 200_000, bins = new Float64Array(20);
    let sum = 0, sum2 = 0, outside = 0;
    for (let trial = 0; trial < N / 10; trial++) {
      s.reset(12345, trial, 3, 7);
      for (let k = 0; k < 10; k++) {
        const u = s.next();
        if (!(u >= 0 && u < 1)) outside++;
        sum += u;
        sum2 += u * u;
        bins[Math.floor(u * 20)]!++;
      }
    }
    expect(outside).toBe(0);
    // Uniform: mean 1/2, variance 1/12; standard errors sqrt(1/12/N) and about sqrt(1/180/N).
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sum2 / N - (sum / N) ** 2 - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / N));
    // Chi-square with 19 degrees of freedom: 43.8 is its 99.9th percentile (R: qchisq(0.999, 19)).
    const chi2 = bins.reduce((acc, o) => acc + (o - N / 20) ** 2 / (N / 20), 0);
    expect(chi2).toBeLessThan(43.8);
    // First draws of streams with neighbouring trials and indexes: correlation near 0.
    const x: number[] = [], y: number[] = [];
    for (let t = 0; t < 20_000; t++) {
      x.push(s.reset(1, t, 1, 0).next());
      y.push(s.reset(1, t + 1, 1, 0).next() + s.reset(1, t, 1, 1).next());
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mx = mean(x), my = mean(y);
    const cov = mean(x.map((v, i) => (v - mx) * (y[i]! - my)));
    const r = cov / Math.sqrt(mean(x.map((v) => (v - mx) ** 2)) * mean(y.map((v) => (v - my) ** 2)));
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(20_000));
  });
});

/**
 * A past group of m children and a cohort of n, no effect, no drift: two periods in care or at
 * home, everyone placed at intake, leaving with chance p after the first period and never coming
 * back. The cohort's cost is (n + X) days' worth, X ~ Bin(n, 1 − p) still placed in period 2;
 * the past group's, per child, (m + Y)/m with Y ~ Bin(m, 1 − p). A rule that pays any measured
 * fall pays when n(m + Y)/m > n + X, i.e. when nY > mX: the chance that one binomial sample
 * beats another, summed exactly outside our code.
 */
describe("historical baseline as a simulated past group", () => {
  const pastGroup = (n: number, m: number, p: number) =>
    scenario({
      name: "past group",
      periodsPerYear: 4,
      population: { cohorts: [{ size: n }] },
      outcomes: [
        {
          id: "p",
          kind: "placement",
          states: [
            { id: "care", placement: true, costPerDay: 1000 },
            { id: "home", placement: false, costPerDay: 0 },
          ],
          initial: { care: 1 },
          transitions: [{ from: "care", to: "home", perPeriod: p }],
        },
      ],
      intervention: { delivered: 1, effects: [] },
      measurement: { followUpPeriods: 2, comparator: { kind: "historical", cohort: { size: m } } },
      contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [{ id: "s", kind: "savingsShare", measure: "p.cost", share: 1 }] },
      valuation: { horizonPeriods: 2, discountRate: 0 },
    });

  test("with no effect and no drift, the chance of any payment is P(nY > mX) for X ~ Bin(n, q), Y ~ Bin(m, q)", () => {
    // Reference values from Python: sum of comb(n,x) q^x (1-q)^(n-x) * comb(m,y) q^y (1-q)^(m-y)
    // over n*y > m*x, with q = 1 - p (exact rational arithmetic with fractions.Fraction).
    const cases = [
      { n: 60, m: 61, p: 0.3, exact: 0.5158739035798717 },
      { n: 20, m: 200, p: 0.5, exact: 0.4915806463649699 },
    ];
    const T = 20_000;
    for (const c of cases) {
      const { summary } = runScenario(pastGroup(c.n, c.m, c.p), { trials: T, seed: 3 });
      const se = Math.sqrt((c.exact * (1 - c.exact)) / T);
      expect(Math.abs(summary.contract.probAnyPayment - c.exact), `n ${c.n}, m ${c.m}`).toBeLessThan(4 * se);
    }
  });
});
