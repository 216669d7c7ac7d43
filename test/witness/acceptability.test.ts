// Acceptability curves (models/analysis/acceptability.ts) against cash flows whose IRRs are known
// in closed form, and the effect curve against the run's own NPV column at the scenario's rate.
import {describe, expect, test} from "vitest";
import {readFileSync} from "node:fs";
import {acceptabilityByEffect, acceptabilityByRate} from "../../models/analysis/acceptability.js";
import {parseScenario, runScenario} from "../../models/index.js";

describe("acceptabilityByRate", () => {
  test("one fixed cash flow: a step from 1 to 0 at its IRR", () => {
    // −100 now, 121 in two years: IRR 10 % a year exactly (100 × 1.1² = 121).
    const flows = [-100, 0, 121];
    const rates = [0, 0.05, 0.0999, 0.1001, 0.15, 0.3];
    const curve = acceptabilityByRate(flows, 1, 3, 1, rates);
    expect(curve.map((p) => p.probPositive)).toEqual([1, 1, 1, 0, 0, 0]);
    // At 0 % the NPV is the plain sum, 21; at 5 %: −100 + 121 / 1.05² = 9.750566…
    expect(curve[0]!.meanNpv).toBeCloseTo(21, 12);
    expect(curve[1]!.meanNpv).toBeCloseTo(-100 + 121 / 1.05 ** 2, 12);
  });

  test("quarterly periods: the rate is annual, period p discounted by (1 + r)^(−p/4)", () => {
    // −100 now, 110 after four quarters: IRR 10 % a year.
    const flows = [-100, 0, 0, 0, 110];
    const curve = acceptabilityByRate(flows, 1, 5, 4, [0.0999, 0.1001]);
    expect(curve.map((p) => p.probPositive)).toEqual([1, 0]);
  });

  test("trials with IRRs 0 %, 10 %, …, 90 %: the chance at r is the share of IRRs above r", () => {
    // Trial k: −100 now, 100 × (1 + k/10) in a year, IRR k × 10 %.
    const trials = 10;
    const flows = Array.from({length: trials}, (_, k) => [-100, 100 * (1 + k / 10)]).flat();
    const curve = acceptabilityByRate(flows, trials, 2, 1, [-0.05, 0.05, 0.25, 0.55, 0.95]);
    // IRRs above −5 %: all ten; above 5 %: 10 %…90 %, nine; above 25 %: 30 %…90 %, seven; above 55 %: four; above 95 %: none.
    expect(curve.map((p) => p.probPositive)).toEqual([1, 0.9, 0.7, 0.4, 0]);
  });

  test("a shape that does not match the trials is refused", () => {
    expect(() => acceptabilityByRate([1, 2, 3], 2, 2, 1)).toThrow(/2 × 2/);
  });
});

describe("acceptabilityByEffect", () => {
  test("at the scenario's effect and the financier's rate it is the run's share of positive NPVs; the rate curve at that rate agrees", () => {
    const json = JSON.parse(readFileSync(new URL("../../data/scenarios/norrkoping-2016.json", import.meta.url), "utf8"));
    const parsed = parseScenario(json);
    if (!parsed.ok) throw new Error("scenario invalid");
    const trials = 1000, seed = 7;
    const run = runScenario(parsed.scenario, {trials, seed, keepFlows: true});
    const npv = run.results.financierNpv;
    let positive = 0;
    for (const x of npv) if (x > 0) positive++;
    const [atOne] = acceptabilityByEffect(parsed.scenario, {trials, seed, scales: [1]});
    expect(atOne!.probPositive).toBe(positive / trials);
    // The same share from the per-trial flows at the financier's own rate (a second NPV path: Horner's rule).
    const r = run.results;
    const [byRate] = acceptabilityByRate(r.flows!, trials, r.periods, r.periodsPerYear, [r.financierRate]);
    expect(byRate!.probPositive).toBe(positive / trials);
    // A witness that can fail on the engine's side too: some trials win and some lose here.
    expect(positive).toBeGreaterThan(0);
    expect(positive).toBeLessThan(trials);
  });
});

describe("whoWins", () => {
  test("quadrant shares, means and medians of five trials, counted by hand", async () => {
    const {whoWins} = await import("../../models/analysis/acceptability.js");
    // Trials: (payer, financier) = (1, 1) both, (2, −1) payer, (−3, 4) financier, (−1, −1) neither, (0, 2) financier (0 is no gain).
    const w = whoWins([1, 2, -3, -1, 0], [1, -1, 4, -1, 2], 3);
    expect(w.shares).toEqual({both: 0.2, payer: 0.2, financier: 0.4, neither: 0.2});
    // Means: (1 + 2 − 3 − 1 + 0) / 5 = −0.2 and (1 − 1 + 4 − 1 + 2) / 5 = 1; medians of the sorted −3, −1, 0, 1, 2 and −1, −1, 1, 2, 4.
    expect(w.mean.payer).toBeCloseTo(-0.2, 12);
    expect(w.mean.financier).toBeCloseTo(1, 12);
    expect(w.median).toEqual({payer: 0, financier: 1});
    // Three points of five: trials 0, 1 and 3 (floor of 0, 5/3, 10/3).
    expect(w.points.map((q) => q.trial)).toEqual([0, 1, 3]);
  });
});
