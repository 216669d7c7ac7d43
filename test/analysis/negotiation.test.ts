/**
 * Negotiation analytics: zone of agreement, ensemble sensitivity, value of information,
 * measurement design and scenario comparison. Reference values are closed forms (binomial
 * tails from Python's math.comb, the normal loss integral, the correlation ratio of a linear
 * model in uniform inputs) or hand-built grids.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { randomNormal, randomUniform, randomLcg } from "d3-random";
import { errorFunction } from "simple-statistics";
import {
  compareSummaries, describePath, driver, evpiAll, evppiFromConditionalMeans, operatingCurves, runScenario,
  applyDesign, compile, evaluateCells, expectedBaseline, prepareSweep, standardDesigns, sweep, tornado, valueOfInformation, zoneOfAgreement, DEFAULT_NEEDS, KEY_FIGURES, type Cell, type Needs,
} from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

const fourSE = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);
const norrkoping = JSON.parse(readFileSync(new URL("../../data/scenarios/norrkoping-2016.json", import.meta.url), "utf8"));
const Phi = (z: number) => 0.5 * (1 + errorFunction(z / Math.SQRT2));
const phi = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);

describe("zone of agreement", () => {
  /** A cell whose financier IRR and payer net are given; the other figures comfortably inside the needs. */
  const cell = (a: number, b: number, irr: number | null, net: number): Cell => ({
    at: { a, b },
    financier: { irrOfExpectedFlows: irr, expectedNpv: 0, hurdleRate: 0.05, medianIrr: irr, meanMultiple: 1, probLoss: 0.1, probNpvBelowZero: 0.1, probTotalLoss: 0, meanProfit: 0 },
    payer: { meanPayments: 0, meanNet: net, probNetCost: 0, probPayForNothing: 0.05 },
    contract: { probAnyPayment: 1, probMissedSuccess: 0 },
    society: { meanNpv: 0, chanceBenefitsExceedCosts: 1 },
  });
  // Rows: a (the price); columns: b. A higher price lifts the IRR and lowers the payer's net.
  const irrs = [[0.0, 0.02, 0.04], [0.06, 0.08, 0.1], [0.12, 0.14, null]];
  const nets = [[30, 20, 10], [10, 0, -10], [-10, -20, -30]];
  const cells = irrs.flatMap((row, i) => row.map((irr, j) => cell(i, j, irr, nets[i]![j]!)));
  const needs: Needs = { financier: { minIrrOfExpectedFlows: 0.05, maxProbLoss: 0.2 }, payer: { minMeanNet: 0, maxProbPayForNothing: 0.1 } };

  test("a cell is in the zone exactly when every need is met; an undefined IRR fails the hurdle", () => {
    const zone = zoneOfAgreement(cells, [3, 3], needs);
    expect(zone.verdicts.map((v) => (v!.agreed ? 1 : 0))).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0]);
    expect(zone.shareAgreed).toBeCloseTo(2 / 9, 12);
    expect(zone.verdicts[0]!.failing).toEqual(["financier.irr"]);
    expect(zone.verdicts[5]!.failing).toEqual(["payer.net"]);
    expect(zone.verdicts[8]!.failing).toEqual(["financier.irr", "payer.net"]);
    expect(zone.failCounts).toEqual({ "financier.irr": 4, "financier.loss": 0, "payer.net": 4, "payer.payForNothing": 0 });
  });

  test("inside the zone, the binding needs are those failing next door", () => {
    const zone = zoneOfAgreement(cells, [3, 3], needs);
    // (1,0): above it (0,0) fails the IRR hurdle, below it (2,0) the payer's net.
    expect(zone.verdicts[3]!.binding).toEqual(["financier.irr", "payer.net"]);
    // (1,1): above it the IRR, right of it (1,2) the payer's net.
    expect(zone.verdicts[4]!.binding).toEqual(["financier.irr", "payer.net"]);
  });

  test("a loss limit tighter than every cell's chance of loss leaves no zone, and says why", () => {
    const zone = zoneOfAgreement(cells, [3, 3], { ...needs, financier: { minIrrOfExpectedFlows: -1, maxProbLoss: 0.05 } });
    expect(zone.shareAgreed).toBe(0);
    expect(zone.failCounts["financier.loss"]).toBe(9);
  });

  test("a grid still filling in: holes get no verdict, bind nothing, and the share is of the cells done", () => {
    const holes = cells.map((c, i) => ([3, 5, 8].includes(i) ? undefined : c));
    const zone = zoneOfAgreement(holes, [3, 3], needs);
    expect(zone.verdicts.map((v) => v === null)).toEqual([false, false, false, true, false, true, false, false, true]);
    expect(zone.shareAgreed).toBeCloseTo(1 / 6, 12); // only (1,1) of the six evaluated cells
    // (1,1): above it (0,1) fails the IRR hurdle; its other neighbours fail too or are not done.
    expect(zone.verdicts[4]!.binding).toEqual(["financier.irr", "payer.net"]);
    expect(zone.failCounts).toEqual({ "financier.irr": 3, "financier.loss": 0, "payer.net": 2, "payer.payForNothing": 0 });
  });

  test("the shape must match the cells", () => {
    expect(() => zoneOfAgreement(cells, [2, 3], needs)).toThrow(/9 cells do not fill a grid of shape 2 × 3/);
  });

  test("on the Norrköping sweep, a higher return cap can only help the financier and cost the payer", () => {
    const r = sweep(norrkoping, [
      { path: "contract.rules[savings].share", values: [0.4, 0.6, 0.8, 1] },
      { path: "contract.rules[return].cap.ofCapital", values: [0, 0.2, 0.5] },
    ], { trials: 2000, seed: 1 });
    const zone = zoneOfAgreement(r.cells, [4, 3], DEFAULT_NEEDS);
    for (let i = 0; i < 4; i++) {
      for (let j = 1; j < 3; j++) {
        const lo = zone.verdicts[i * 3 + j - 1]!, hi = zone.verdicts[i * 3 + j]!;
        expect(hi.slack["financier.irr"]).toBeGreaterThanOrEqual(lo.slack["financier.irr"] - 1e-12);
        expect(hi.slack["payer.net"]).toBeLessThanOrEqual(lo.slack["payer.net"] + 1e-6);
      }
    }
  });
});

describe("a sweep split by cells", () => {
  test("any share of the cells, evaluated alone, equals the same cells of the whole sweep (how workers split a grid)", () => {
    const vary = [
      { path: "contract.rules[savings].share", values: [0.2, 0.6, 1] },
      { path: "contract.rules[return].cap.ofCapital", values: [0, 0.3] },
    ];
    const whole = sweep(norrkoping, vary, { trials: 1500, seed: 9 });
    const prep = prepareSweep(norrkoping, vary, { trials: 1500, seed: 9 });
    const got = new Map<number, Cell>();
    for (const share of [[5, 0, 3], [1], [4, 2]]) evaluateCells(prep, share, (i, c) => got.set(i, c));
    expect(got.size).toBe(6);
    whole.cells.forEach((c, i) => expect(got.get(i)).toEqual(c));
  });
});

describe("sensitivity from the ensemble", () => {
  test("correlation ratio and swing of a linear model in uniform inputs match their closed forms", () => {
    // Y = 3·X1 + 1·X2 + ε, X1, X2 ~ U(0, 1), ε ~ N(0, 0.5²). With K equal-count bins of a uniform
    // input, Var(E[Y | bin]) = a²·(1 − 1/K²)/12, so η²(X1) = 9·(1 − 1/400)/12 / (9/12 + 1/12 + 0.25)
    // = 0.69289; η²(X2) = (1 − 1/400)/12 / 1.0833 = 0.07673. Swing: E[Y | top tenth] − E[Y | bottom
    // tenth] = a·(0.95 − 0.05) = 2.7 for X1 and 0.9 for X2.
    const T = 200_000;
    const source = randomLcg(0.42);
    const u = randomUniform.source(source)(0, 1), e = randomNormal.source(source)(0, 0.5);
    const x1 = Float64Array.from({ length: T }, u), x2 = Float64Array.from({ length: T }, u);
    const y = Float64Array.from({ length: T }, (_, i) => 3 * x1[i]! + x2[i]! + e());
    const total = 9 / 12 + 1 / 12 + 0.25;
    const t = tornado("y", y, new Map([["x2", x2], ["x1", x1], ["constant", new Float64Array(T).fill(2)]]));
    expect(t.drivers.map((d) => d.input)).toEqual(["x1", "x2"]); // the constant is left out
    // The estimator's standard error at T = 200 000 is below 0.002; tolerance 0.006.
    expect(t.drivers[0]!.share).toBeCloseTo((9 * (1 - 1 / 400)) / 12 / total, 2);
    expect(Math.abs(t.drivers[1]!.share - (1 - 1 / 400) / 12 / total)).toBeLessThan(0.006);
    // Swing: the mean of 20 000 trials has SE ≈ √(Var(Y|tail))/√20000 < 0.01.
    expect(Math.abs(t.drivers[0]!.high - t.drivers[0]!.low - 2.7)).toBeLessThan(0.04);
    expect(Math.abs(t.drivers[1]!.high - t.drivers[1]!.low - 0.9)).toBeLessThan(0.04);
    expect(t.noiseFloor).toBeCloseTo(19 / (T - 1), 12);
  });

  test("a two-valued input is split at its values: the swing is the difference of group means", () => {
    const x = Uint8Array.from([0, 1, 0, 1, 1, 0, 1, 1]);
    const y = Float64Array.from([1, 5, 2, 6, 7, 3, 4, 8]);
    const d = driver("delivered", x, y);
    expect(d.low).toBe(2); // mean of 1, 2, 3
    expect(d.high).toBe(6); // mean of 5, 6, 7, 4, 8
    // η² = SS_between / SS_total = (3·(2 − 4.5)² + 5·(6 − 4.5)²) / Σ(y − 4.5)² = 30 / 42.
    expect(d.share).toBeCloseTo(30 / 42, 12);
  });

  test("on Norrköping, an uncertain cost or rate drives the payer's net more than the school baseline", () => {
    const run = runScenario(scenario(norrkoping), { trials: 4000, seed: 1 });
    const inputs = new Map<string, Float64Array | Uint8Array>(run.outcomes.params);
    inputs.set("delivered", run.outcomes.delivered);
    const t = tornado("payer net", run.results.payerNet, inputs);
    const share = (p: string) => t.drivers.find((d) => d.input === p)?.share ?? 0;
    expect(t.drivers.length).toBeGreaterThan(5);
    expect(share("outcomes[1].baseline")).toBeLessThan(t.drivers[0]!.share);
    for (const d of t.drivers) expect(Number.isFinite(d.low) && Number.isFinite(d.high)).toBe(true);
  });
});

describe("value of information", () => {
  test("the estimator matches the normal loss integral", () => {
    // Conditional means m ~ N(μ, σ²): EVPPI = E[max(m, 0)] − max(μ, 0) = σφ(μ/σ) + μΦ(μ/σ) − max(μ, 0).
    for (const [mu, sigma] of [[-1, 2], [0.5, 1], [3, 1]] as const) {
      const K = 400_000;
      const m = Float64Array.from({ length: K }, randomNormal.source(randomLcg(7))(mu, sigma));
      const reference = sigma * phi(mu / sigma) + mu * Phi(mu / sigma) - Math.max(mu, 0);
      // Standard error of a mean of max(m, 0) over 400 000 draws is below σ/600.
      expect(Math.abs(evppiFromConditionalMeans(m).evppi - reference)).toBeLessThan((4 * sigma) / 600 + 0.004);
    }
  });

  test("zero when the effect is known", () => {
    const fixed = scenario(binaryScenario({ n: 60, p: 0.5, oddsRatio: 1.5, rules: [{ kind: "stepped", measure: "success", bands: [{ from: 0.1, amount: 500 }] }] }));
    for (const v of [valueOfInformation(fixed, { seed: 1, method: "twoLevel", outer: 20, inner: 200 }), valueOfInformation(fixed, { seed: 1, trials: 500 })]) {
      expect(v.inputs).toEqual([]);
      expect(v.evppi).toBe(0);
    }
  });

  test("the estimator on small sets of conditional means, by exact sums", () => {
    // EVPPI = mean(max(m, 0)) − max(mean(m), 0); the decision changes where m's sign differs from mean(m)'s.
    // [−3, 1, 2]: mean 0 (do not buy), mean(max) = 3/3 = 1, EVPPI 1; changes at 1 and 2: 2/3.
    expect(evppiFromConditionalMeans([-3, 1, 2])).toEqual({ evppi: 1, expected: 0, probDecisionChanges: 2 / 3 });
    // [4, −2, 1, 5]: mean 8/4 = 2 (buy), mean(max) = 10/4 = 2.5, EVPPI 0.5; changes at −2: 1/4.
    expect(evppiFromConditionalMeans([4, -2, 1, 5])).toEqual({ evppi: 0.5, expected: 2, probDecisionChanges: 0.25 });
    // [−1, −4]: mean −2.5, no m above 0: knowing cannot change the decision, EVPPI 0.
    expect(evppiFromConditionalMeans([-1, -4])).toEqual({ evppi: 0, expected: -2.5, probDecisionChanges: 0 });
    // [6, 2, 1]: all above 0, EVPPI 3 − 3 = 0.
    expect(evppiFromConditionalMeans([6, 2, 1]).evppi).toBe(0);
  });

  test("Norrköping: the effects are uncertain enough to be worth knowing, and less than knowing everything", () => {
    const s = scenario(norrkoping);
    const run = runScenario(s, { trials: 12000, seed: 1 });
    for (const v of [valueOfInformation(s, { seed: 1, method: "twoLevel", outer: 40, inner: 300 }), valueOfInformation(s, { seed: 1, trials: 4000 })]) {
      expect(v.inputs.length).toBeGreaterThan(0);
      for (const p of v.inputs) expect(p.startsWith("intervention.effects")).toBe(true);
      // Worth knowing: above zero by more than twice its own standard error (seed 1: two-level
      // 0.83 M kr ± 0.37 M, regression 1.27 M ± 0.07 M).
      expect(v.standardError).toBeGreaterThan(0);
      expect(v.evppi, v.method).toBeGreaterThan(2 * v.standardError);
      // Perfect information on the effects alone cannot be worth more than on everything; the
      // margin allows for the estimators' Monte Carlo error (reported).
      expect(v.evppi, v.method).toBeLessThanOrEqual(evpiAll(run.results.payerNetPV) + 3 * (v.innerStandardError ?? 0) + 3 * v.standardError);
    }
  }, 300_000);
});

describe("measurement design", () => {
  const rules = [{ kind: "stepped", measure: "success", bands: [{ from: 0.1, amount: 500 }] }];
  test("operating curves: no effect pays with the binomial tail, a real effect with the binomial power", () => {
    // Pays when successes beat the 50 % baseline by ≥ 10 %: X ≥ 0.55·n. References (Python math.comb):
    // n = 60:  P(X ≥ 33 | p = 0.5) = 0.2594790016, P(X ≥ 33 | p = 0.6) = 0.8221383;
    // n = 240: P(X ≥ 132 | p = 0.5) = 0.0687369619, P(X ≥ 132 | p = 0.6) = 0.9495609377.
    const input = binaryScenario({ n: 60, p: 0.5, oddsRatio: 1.5, rules });
    const trials = 20000;
    const curves = operatingCurves(input, [
      { label: "60", changes: {} },
      { label: "240", changes: { "population.cohorts[0].size": 240 } },
    ], { scales: [0, 1], trials, seed: 5 });
    const refs = [[0.2594790016, 0.8221383], [0.0687369619, 0.9495609377]];
    curves.forEach((c, i) => c.points.forEach((p, j) => {
      expect(Math.abs(p.probPay - refs[i]![j]!)).toBeLessThan(fourSE(refs[i]![j]!, trials));
    }));
    // With no effect every payment is for nothing; with an effect of odds ratio 1.5, none is
    // unless the cohort's luck ran against it.
    expect(curves[0]!.points[0]!.probPayForNothing).toBe(curves[0]!.points[0]!.probPay);
    expect(curves[0]!.points[0]!.trueEffect).toBe(0);
    expect(curves[0]!.points[1]!.trueEffect!).toBeGreaterThan(0.15); // p 0.5 → 0.6 is +20 %
  });

  test("standard designs: a simulated past group follows a longer follow-up by itself; a published baseline is carried over in proportion", () => {
    const designs = standardDesigns(norrkoping);
    expect(designs.map((d) => d.label)).toEqual(["as written", "4-year follow-up", "cohorts twice as large (120)", "comparison group of 60"]);
    const longer = applyDesign(norrkoping, designs[1]!);
    expect(longer.measurement.comparator).toEqual(scenario(norrkoping).measurement.comparator); // nothing to rebase
    // Essex publishes its baseline as a figure: doubling the window scales it by the model's expectation.
    const essex = JSON.parse(readFileSync("data/scenarios/essex-2013.json", "utf8"));
    const essexDesigns = standardDesigns(essex);
    const longerEssex = applyDesign(essex, essexDesigns[1]!);
    const was = expectedBaseline(compile(scenario(essex)))["care.careDays"]!;
    const now = expectedBaseline(compile(longerEssex))["care.careDays"]!;
    expect(now).toBeGreaterThan(was);
    const written = essex.measurement.comparator.baseline["care.careDays"];
    expect(longerEssex.measurement.comparator.kind === "historical" && longerEssex.measurement.comparator.baseline!["care.careDays"]).toBeCloseTo((written * now) / was, 6);
    const curves = operatingCurves(norrkoping, designs, { scales: [0, 1], trials: 1000, seed: 1 });
    // With no effect, any outcome payment is for nothing.
    for (const c of curves) expect(c.points[0]!.probPayForNothing).toBeCloseTo(c.points[0]!.probPay, 12);
  });

  test("a design that breaks the scenario names the field and the design", () => {
    expect(() => operatingCurves(norrkoping, [{ label: "none", changes: { "population.cohorts[0].size": 0 } }], { trials: 10, seed: 1 }))
      .toThrow(/population\.cohorts\[0\]\.size: .*\(in the design "none"\)/);
  });
});

describe("scenario comparison and labels", () => {
  test("key figures side by side, never NaN", () => {
    const a = runScenario(scenario(norrkoping), { trials: 500, seed: 1 }).summary;
    const b = runScenario(scenario(binaryScenario({ n: 60, p: 0.5, oddsRatio: 1, rules: [] })), { trials: 500, seed: 1 }).summary;
    const c = compareSummaries([a, b]);
    expect(c.rows.length).toBe(KEY_FIGURES.length);
    expect(c.rows.find((r) => r.id === "investor.probLoss")!.values).toEqual([a.investor.probLoss, b.investor.probLoss]);
    for (const r of c.rows) for (const v of r.values) expect(v === null || Number.isFinite(v)).toBe(true);
  });

  test("paths read as names", () => {
    expect(describePath(norrkoping, "outcomes[0].states[1].costPerDay")).toBe("Placement › State institution (SiS): cost per day (payer)");
    expect(describePath(norrkoping, "intervention.effects[0].rateRatio")).toBe("Placement, At home → Residential care (HVB), State institution (SiS), Family home: effect (rate ratio)");
    expect(describePath(norrkoping, "contract.rules[savings].share")).toBe("Share of savings to break-even: share of measured savings");
    expect(describePath(norrkoping, "no.such.path")).toBe("no.such.path");
  });
});
