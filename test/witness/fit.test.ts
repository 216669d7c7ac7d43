/**
 * Fitting a scenario to data (models/analysis/fit.ts). Witness: conjugacy. A beta(α, β) prior on a
 * binary outcome's baseline chance and k successes in n binomial trials give the posterior
 * beta(α + k, β + n − k) exactly (e.g. Gelman et al., Bayesian Data Analysis, 3rd ed., §2.4), with
 * mean (α + k)/(α + β + n) and variance mean·(1 − mean)/(α + β + n + 1). The importance-sampled
 * posterior must match both within Monte Carlo error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { FitError, fitScenario, importanceWeights, systematicResample, withFit } from "../../models/analysis/fit.js";
import { compile, parseScenario, simulateOutcomes } from "../../models/index.js";
import { resolveFigureRefs } from "../../models/figures/resolve.js";

function norrkopingWithBetaPrior(alpha: number, beta: number) {
  const raw = resolveFigureRefs(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"))) as { outcomes: Record<string, unknown>[] };
  const school = raw.outcomes.find((o) => o.id === "school")!;
  school.baseline = { dist: "beta", alpha, beta, source: "assumption: test prior" };
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

describe("fitScenario", () => {
  const a = 4, b = 4, n = 61, k = 20; // prior mean 0.5; data 20 of 61 = 0.33
  const scenario = norrkopingWithBetaPrior(a, b);
  const fit = fitScenario(scenario, { observations: [{ kind: "binary", outcome: "school", n, successes: k }] }, { trials: 20_000, seed: 7 });
  const school = fit.inputs.find((i) => i.path === "outcomes[1].baseline")!;
  // Beta(24, 45): mean 24/69 = 0.347826…, sd sqrt(0.347826 × 0.652174 / 70) = 0.056929…
  const mean = (a + k) / (a + b + n), sd = Math.sqrt((mean * (1 - mean)) / (a + b + n + 1));

  it("gives the conjugate beta posterior's mean and sd within Monte Carlo error", () => {
    expect(fit.ess).toBeGreaterThan(1000);
    // The weighted mean's standard error is about sd / sqrt(ESS); 4 of them.
    expect(Math.abs(school.posterior.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(fit.ess));
    // The sd's relative standard error is about 1 / sqrt(2 · ESS); 4 of them.
    expect(Math.abs(school.posterior.sd / sd - 1)).toBeLessThan(4 / Math.sqrt(2 * fit.ess));
    // The prior was different enough for the test to mean something: Beta(4, 4) has mean 0.5, sd 0.167.
    expect(Math.abs(school.prior.mean - 0.5)).toBeLessThan(0.01);
  });

  it("keeps rows that carry the posterior (systematic resampling)", () => {
    const col = fit.fitted.paths.indexOf("outcomes[1].baseline");
    const xs = fit.fitted.rows.map((r) => r[col]!);
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(m - mean)).toBeLessThan((4 * sd) / Math.sqrt(Math.min(fit.ess, xs.length)));
  });

  it("leaves inputs the data say nothing about as they were (the first effect's prior mean and sd within error)", () => {
    const other = fit.inputs.find((i) => i.path.startsWith("intervention.effects"))!;
    expect(Math.abs(other.posterior.mean - other.prior.mean)).toBeLessThan((4 * other.prior.sd) / Math.sqrt(fit.ess));
  });

  it("refuses data about an outcome the scenario does not have, or of another kind", () => {
    expect(() => fitScenario(scenario, { observations: [{ kind: "binary", outcome: "nope", n: 10, successes: 1 }] })).toThrow(FitError);
    expect(() => fitScenario(scenario, { observations: [{ kind: "count", outcome: "school", exposure: 10, events: 1 }] })).toThrow(/binary outcome/);
  });
});

describe("importance weights and resampling", () => {
  it("gives Kish's effective size: equal weights → n; one weight → 1", () => {
    expect(importanceWeights(new Float64Array([0, 0, 0, 0])).ess).toBeCloseTo(4, 12);
    expect(importanceWeights(new Float64Array([0, -Infinity, -Infinity])).ess).toBeCloseTo(1, 12);
  });
  it("resamples weights (0.5, 0.25, 0.25) into 4 draws as 2, 1, 1", () => {
    expect(Array.from(systematicResample(new Float64Array([0.5, 0.25, 0.25]), 4, 0.5))).toEqual([0, 0, 1, 2]);
  });
});

describe("a fitted scenario", () => {
  const a = 4, b = 4, n = 61, k = 20;
  const raw = resolveFigureRefs(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"))) as { outcomes: Record<string, unknown>[] };
  raw.outcomes.find((o) => o.id === "school")!.baseline = { dist: "beta", alpha: a, beta: b, source: "assumption: test prior" };
  const prior = parseScenario(raw);
  if (!prior.ok) throw new Error("prior");
  const data = { observations: [{ kind: "binary" as const, outcome: "school", n, successes: k }] };
  const result = fitScenario(prior.scenario, data, { trials: 20_000, seed: 3 });
  const fittedJson = withFit(raw as Record<string, unknown>, result, data);

  it("runs with its posterior: the school chance drawn per trial has the conjugate beta(24, 45)'s mean", () => {
    const parsed = parseScenario(fittedJson);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const table = simulateOutcomes(compile(parsed.scenario), { trials: 5000, seed: 11 });
    const xs = table.params.get("outcomes[1].baseline")!;
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const mean = (a + k) / (a + b + n), sd = Math.sqrt((mean * (1 - mean)) / (a + b + n + 1));
    // Error: the fit's own (sd / sqrt(ESS)) and this run's (sd / sqrt(5,000)), 4 of each.
    expect(Math.abs(m - mean)).toBeLessThan(4 * sd * (1 / Math.sqrt(result.ess) + 1 / Math.sqrt(5000)));
  });

  it("refuses a fitted path that is not an uncertain input, naming it", () => {
    const bad = structuredClone(fittedJson) as { fitted: { paths: string[] } };
    bad.fitted.paths[0] = "population.cohorts[0].size";
    const parsed = parseScenario(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.path).toBe("fitted.paths[0]");
  });

  it("refuses rows of the wrong width", () => {
    const bad = structuredClone(fittedJson) as { fitted: { rows: number[][] } };
    bad.fitted.rows[3] = [1, 2];
    const parsed = parseScenario(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.path)).toContain("fitted.rows[3]");
  });
});

describe("utfall fit", () => {
  const dir = mkdtempSync("/tmp/utfall-fit-");
  const write = (name: string, value: unknown) => (writeFileSync(`${dir}/${name}`, JSON.stringify(value)), `${dir}/${name}`);

  it("writes a fitted scenario that validates and runs", async () => {
    const data = write("data.json", { observations: [{ kind: "binary", outcome: "school", n: 61, successes: 20 }] });
    const r = await cli("fit", "data/scenarios/norrkoping-2016.json", data, "--trials", "4000", "--ess-floor", "100", "--out", `${dir}/fitted.json`, "--json");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    const school = json.inputs.find((i: { path: string }) => i.path === "outcomes[1].baseline");
    expect(school.posterior.mean).toBeLessThan(school.prior.mean); // 20 of 61 is below the prior's 0.56
    expect((await cli("validate", `${dir}/fitted.json`)).status).toBe(0);
    expect((await cli("run", `${dir}/fitted.json`, "--trials", "200", "--json")).status).toBe(0);
  });

  it.each([
    [{ observations: [{ kind: "binary", outcome: "school", n: 10, successes: 11 }] }, /observations\[0\]\.successes: must not exceed n/],
    [{ observations: [{ kind: "binary", outcome: "nope", n: 10, successes: 1 }] }, /observations\[0\]\.outcome: no outcome "nope"/],
    [{ observations: [] }, /observations/],
  ])("refuses bad data %j with exit 2", async (value, message) => {
    const r = await cli("fit", "data/scenarios/norrkoping-2016.json", write("bad.json", value), "--trials", "200");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
