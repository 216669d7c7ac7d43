/**
 * Correlated inputs (issue 15 §1; models/random/copula.ts): the drawn inputs' rank correlations
 * and marginals against the stated ones, within Monte Carlo error; common random numbers for
 * the inputs outside every correlation; the refusals and the pair a non-PSD matrix names.
 *
 * Monte Carlo error of a sample Spearman correlation rs of n draws: Bonett & Wright (2000,
 * Psychometrika 65:23) give Var(atanh rs) ≈ (1 + rs²/2)/(n − 3), so SE(rs) ≈ (1 − ρ²)·√((1 + ρ²/2)/(n − 3))
 * by the delta method (a little wider than the (1 − ρ²)/√(n − 1) of Pearson's r). A fraction
 * below a point of known CDF F has SE √(F(1 − F)/n); a mean, sd/√n. Tolerances are 4 SE.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile, parseScenario, riskSplit, simulateOutcomes } from "../../models/index.js";
import { betaQuantile, firstInconsistentPair, normalScaleCorrelation } from "../../models/random/copula.js";
import { correlatedInputs, tornado } from "../../models/analysis/tornado.js";
import { cli } from "../helpers/cli.js";

const base = JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"));

const HVB = "outcomes[0].states[0].costPerDay"; // range 2000–4500: lognormal
const SIS = "outcomes[0].states[1].costPerDay"; // range 3528–5400: lognormal
const FAMILY = "outcomes[0].states[2].costPerDay"; // set to triangular below
const DELIVERED = "intervention.delivered"; // beta(18, 2)
const EFFECT = "intervention.effects[0].rateRatio"; // range 0.55–1.2: lognormal
const SCHOOL = "outcomes[1].baseline"; // set to PERT below
const DRIFT = "measurement.comparator.cohort.drift"; // set to uniform below
const SMD = "intervention.effects[2].standardizedMeanDifference"; // normal(0.15, 0.12)

/** Norrköping with a triangular, a uniform and a PERT of integer shape, so every marginal has a closed form. */
function withShapes(correlations?: unknown[]) {
  const s = structuredClone(base);
  s.outcomes[0].states[2].costPerDay = { dist: "triangular", min: 700, mode: 1000, max: 1500 };
  s.measurement.comparator.cohort.drift = { dist: "uniform", min: 0.95, max: 1.2 };
  // PERT weights 4: α = 1 + 4(0.45 − 0.3)/0.6 = 2, β = 1 + 4(0.9 − 0.45)/0.6 = 4.
  s.outcomes[1].baseline = { dist: "pert", min: 0.3, mode: 0.45, max: 0.9 };
  if (correlations) s.correlations = correlations;
  return s;
}

const STATED = [
  { between: [HVB, SIS], rank: 0.6 },
  { between: [SIS, FAMILY], rank: 0.5 },
  { between: [DELIVERED, EFFECT], rank: -0.4 },
  { between: [SCHOOL, DRIFT], rank: 0.3 },
  { between: [SMD, SCHOOL], rank: -0.7 },
];

function parsed(json: unknown) {
  const r = parseScenario(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function ranks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    for (let k = i; k <= j; k++) r[order[k]!] = (i + j) / 2; // ties take their mean rank
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation: Pearson's of the ranks. */
function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = ranks(x), ry = ranks(y), n = rx.length;
  const mx = (n - 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) (sxy += (rx[i]! - mx) * (ry[i]! - mx)), (sxx += (rx[i]! - mx) ** 2), (syy += (ry[i]! - mx) ** 2);
  return sxy / Math.sqrt(sxx * syy);
}

const spearmanSE = (rho: number, n: number) => (1 - rho * rho) * Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
const fractionBelow = (x: ArrayLike<number>, q: number) => Array.from(x).filter((v) => v < q).length / x.length;
const meanOf = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

/** P(Beta(a, b) ≤ x) for whole a, b: P(Binomial(a + b − 1, x) ≥ a), an exact finite sum. */
function betaCdfInteger(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let s = 0, c = 1; // c = C(n, k)
  for (let k = 0; k <= n; k++) {
    if (k >= a) s += c * x ** k * (1 - x) ** (n - k);
    c = (c * (n - k)) / (k + 1);
  }
  return s;
}

const Z95 = 1.6448536269514722; // Φ⁻¹(0.95)
const N = 20_000;

describe("betaQuantile (the beta and PERT inverse CDF)", () => {
  test("matches closed-form quantiles and CDFs", () => {
    for (const u of [1e-6, 0.05, 0.3, 0.5, 0.77, 0.95, 1 - 1e-6]) {
      // Beta(a, 1): F(x) = x^a, so F⁻¹(u) = u^(1/a); Beta(1, b): F(x) = 1 − (1 − x)^b.
      expect(betaQuantile(u, 3.5, 1)).toBeCloseTo(u ** (1 / 3.5), 12);
      expect(betaQuantile(u, 1, 2.5)).toBeCloseTo(1 - (1 - u) ** (1 / 2.5), 12);
      // Beta(18, 2) (Norrköping's delivery): F(x) = 19x^18 − 18x^19; Beta(2, 4) (the PERT below) by the binomial sum.
      const x = betaQuantile(u, 18, 2);
      expect(19 * x ** 18 - 18 * x ** 19).toBeCloseTo(u, 12);
      expect(betaCdfInteger(betaQuantile(u, 2, 4), 2, 4)).toBeCloseTo(u, 12);
    }
    expect(betaQuantile(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 13); // symmetric: the median is ½
    expect([betaQuantile(0, 2, 3), betaQuantile(1, 2, 3)]).toEqual([0, 1]);
  });

  test("normal-scale correlation: r = 2 sin(π ρs / 6)", () => {
    expect(normalScaleCorrelation(0.5)).toBeCloseTo(0.5176380902050415, 14); // 2 sin(π/12)
    expect(normalScaleCorrelation(1)).toBeCloseTo(1, 14);
    expect(normalScaleCorrelation(-0.3)).toBeCloseTo(-0.3128689300804618, 14); // −2 sin(π/20)
  });
});

describe("correlated draws (Gaussian copula per trial)", () => {
  const model = compile(parsed(withShapes(STATED)));
  const table = simulateOutcomes(model, { trials: N, seed: 7 });
  const col = (path: string) => table.params.get(path)!;

  test("each stated pair's sample Spearman correlation is the stated one within 4 SE; an unstated pair in the group is 0", () => {
    for (const c of STATED) {
      const rs = spearman(col(c.between[0]!), col(c.between[1]!));
      expect(Math.abs(rs - c.rank), `${c.between.join(" ~ ")}: ${rs}`).toBeLessThan(4 * spearmanSE(c.rank, N));
    }
    // HVB ~ FAMILY is not stated: normal-scale 0, so rank correlation 0 under the copula.
    expect(Math.abs(spearman(col(HVB), col(FAMILY)))).toBeLessThan(4 * spearmanSE(0, N));
    // An input outside the correlations stays independent of them.
    expect(Math.abs(spearman(col(HVB), col("intervention.effects[1].rateRatio")))).toBeLessThan(4 * spearmanSE(0, N));
  });

  test("each input keeps its marginal: means and p5/p95 against closed forms within 4 SE", () => {
    const se = (F: number) => 4 * Math.sqrt((F * (1 - F)) / N);
    const at = (path: string, q: number, F: number) => expect(Math.abs(fractionBelow(col(path), q) - F), `${path} below ${q}`).toBeLessThan(se(F));
    // {p5, p95} ranges: 5 % below p5, 95 % below p95 by construction.
    for (const [path, p5, p95] of [[HVB, 2000, 4500], [SIS, 3528, 5400], [EFFECT, 0.55, 1.2]] as const) (at(path, p5, 0.05), at(path, p95, 0.95));
    // Lognormal median √(p5·p95): HVB √(2000·4500) = 3000.
    at(HVB, 3000, 0.5);
    // Normal(0.15, 0.12): p5, p95 = 0.15 ∓ 1.6449 · 0.12; mean 0.15, SE 0.12/√N.
    at(SMD, 0.15 - Z95 * 0.12, 0.05), at(SMD, 0.15 + Z95 * 0.12, 0.95);
    expect(Math.abs(meanOf(col(SMD)) - 0.15)).toBeLessThan((4 * 0.12) / Math.sqrt(N));
    // Triangular(700, 1000, 1500): F(x) = (x − a)²/((b − a)(c − a)) below the mode; p5 = 700 + √(0.05 · 800 · 300) = 809.54;
    // above it 1 − (b − x)²/((b − a)(b − c)): p95 = 1500 − √(0.05 · 800 · 500) = 1358.58; mean (700 + 1000 + 1500)/3, sd √((a²+b²+c²−ab−ac−bc)/18) = 163.3.
    at(FAMILY, 700 + Math.sqrt(0.05 * 800 * 300), 0.05), at(FAMILY, 1500 - Math.sqrt(0.05 * 800 * 500), 0.95);
    expect(Math.abs(meanOf(col(FAMILY)) - 3200 / 3)).toBeLessThan((4 * 163.3) / Math.sqrt(N));
    // Uniform(0.95, 1.2): p5 = 0.9625, p95 = 1.1875, mean 1.075, sd 0.25/√12.
    at(DRIFT, 0.9625, 0.05), at(DRIFT, 1.1875, 0.95);
    expect(Math.abs(meanOf(col(DRIFT)) - 1.075)).toBeLessThan((4 * 0.25) / Math.sqrt(12 * N));
    // PERT(0.3, 0.45, 0.9) = 0.3 + 0.6 · Beta(2, 4): mean 0.3 + 0.6/3 = 0.5 (= (0.3 + 4·0.45 + 0.9)/6), sd 0.6 · √(8/252);
    // its CDF at 0.4 and 0.7 by the binomial sum of Beta(2, 4) at 1/6 and 2/3.
    at(SCHOOL, 0.4, betaCdfInteger(1 / 6, 2, 4)), at(SCHOOL, 0.7, betaCdfInteger(2 / 3, 2, 4));
    expect(Math.abs(meanOf(col(SCHOOL)) - 0.5)).toBeLessThan((4 * 0.6 * Math.sqrt(8 / 252)) / Math.sqrt(N));
    // Beta(18, 2) (delivery): mean 0.9, F(x) = 19x^18 − 18x^19 at 0.8 and 0.95.
    for (const x of [0.8, 0.95]) at(DELIVERED, x, 19 * x ** 18 - 18 * x ** 19);
  });

  test("inputs outside every correlation draw byte-identically when a correlation is added between two others (CRN)", () => {
    const plain = simulateOutcomes(compile(parsed(withShapes())), { trials: 2000, seed: 3 });
    const one = simulateOutcomes(compile(parsed(withShapes([{ between: [HVB, SIS], rank: 0.8 }]))), { trials: 2000, seed: 3 });
    let compared = 0;
    for (const [path, column] of plain.params) {
      if (path === HVB || path === SIS) continue;
      expect(one.params.get(path), path).toEqual(column);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    expect(one.delivered).toEqual(plain.delivered);
    // The first input of a group is its own normal (L's first row is [1, 0, …]): a lognormal range draws as before.
    expect(one.params.get(HVB)).toEqual(plain.params.get(HVB));
    expect(one.params.get(SIS)).not.toEqual(plain.params.get(SIS));
  });

  test("the chance/ignorance split draws its parameters with the correlation (one draw per group)", () => {
    const s = parsed(withShapes([{ between: [HVB, SIS], rank: 0.7 }]));
    const J = 4, K = 3000;
    const t = simulateOutcomes(compile(s), { trials: K * J, seed: 5, parameterTrial: (i) => Math.floor(i / J) });
    const first = (path: string) => Float64Array.from({ length: K }, (_, k) => t.params.get(path)![k * J]!);
    expect(Math.abs(spearman(first(HVB), first(SIS)) - 0.7)).toBeLessThan(4 * spearmanSE(0.7, K));
    // and riskSplit runs on such a scenario
    const r = riskSplit(s, { groups: 20, perGroup: 4, seed: 1, bootstrap: 20 });
    expect(r.financierNpv?.chance).toBeGreaterThanOrEqual(0);
  });

  test("the tornado moves correlated inputs with the input: SiS's bar lists HVB, and a note says so", () => {
    const inputs = new Map([...table.params]);
    const y = Float64Array.from(col(HVB)); // an output that is HVB's price itself
    const t = tornado("HVB", y, inputs, { correlated: correlatedInputs(STATED as never) });
    const sis = t.drivers.find((d) => d.input === SIS)!;
    expect(sis.movesWith).toEqual([HVB, FAMILY]);
    expect(t.note).toMatch(/move together/);
    // SiS at its top tenth carries HVB up with it (rank 0.6): the bar is not flat.
    expect(sis.high).toBeGreaterThan(sis.low * 1.1);
  });
});

describe("refusals", () => {
  const problems = (correlations: unknown[]) => {
    const r = parseScenario(withShapes(correlations));
    return r.ok ? [] : r.problems;
  };

  test("a matrix that is not positive semi-definite names the first pair, in order, that breaks it", () => {
    // A ~ B 0.6, A ~ C 0.6, B ~ C −0.6. Normal scale r = 2 sin(π·0.6/6) = 0.6180. The first two
    // alone: det [[1, r, r], [r, 1, 0], [r, 0, 1]] = 1 − 2r² = 0.236 > 0 (and 1 > 0, 1 − r² > 0): PSD.
    // All three: det = 1 + 2r²(−r) − 3r² = 1 − 0.472 − 1.146 = −0.618 < 0: not PSD, so the third pair is named.
    expect(firstInconsistentPair(3, [{ a: 0, b: 1, rank: 0.6 }, { a: 0, b: 2, rank: 0.6 }, { a: 1, b: 2, rank: -0.6 }])).toBe(2);
    expect(firstInconsistentPair(3, [{ a: 0, b: 1, rank: 0.6 }, { a: 0, b: 2, rank: 0.6 }, { a: 1, b: 2, rank: 0.2 }])).toBe(-1);
    const p = problems([{ between: [HVB, SIS], rank: 0.6 }, { between: [HVB, FAMILY], rank: 0.6 }, { between: [SIS, FAMILY], rank: -0.6 }]);
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe("correlations[2].rank");
    expect(p[0]!.message).toContain(`${SIS} ~ ${FAMILY} at -0.6 cannot hold together with the pairs listed before it (${HVB} ~ ${SIS} at 0.6; ${HVB} ~ ${FAMILY} at 0.6)`);
    // ρ = ±1 is singular but positive semi-definite: allowed.
    expect(problems([{ between: [HVB, SIS], rank: 1 }])).toEqual([]);
  });

  test("self-correlation, a duplicate pair, |rank| > 1, an unknown path, a fixed input: each at its field", () => {
    expect(problems([{ between: [HVB, HVB], rank: 0.5 }])).toEqual([{ path: "correlations[0].between", message: `correlates ${JSON.stringify(HVB)} with itself; name two different inputs` }]);
    expect(problems([{ between: [HVB, SIS], rank: 0.5 }, { between: [SIS, HVB], rank: 0.2 }])[0]).toMatchObject({ path: "correlations[1].between", message: expect.stringContaining("again (first in correlations[0])") });
    expect(problems([{ between: [HVB, SIS], rank: 1.2 }])).toEqual([{ path: "correlations[0].rank", message: "must be a rank correlation from −1 to 1" }]);
    expect(problems([{ between: [HVB, "outcomes[0].states[9].costPerDay"], rank: 0.5 }])[0]).toMatchObject({ path: "correlations[0].between[1]", message: expect.stringContaining("is not an input of this scenario") });
    expect(problems([{ between: ["valuation.discountRate", SIS], rank: 0.5 }])[0]).toMatchObject({ path: "correlations[0].between[0]", message: expect.stringContaining("is a fixed number, not an uncertain input") });
  });

  test("the CLI refuses a bad matrix with exit code 2 and the field's name", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "correl-")), "bad.json");
    writeFileSync(file, JSON.stringify(withShapes([{ between: [HVB, SIS], rank: 0.6 }, { between: [HVB, FAMILY], rank: 0.6 }, { between: [SIS, FAMILY], rank: -0.6 }])));
    const r = await cli("validate", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("correlations[2].rank");
  });
});
