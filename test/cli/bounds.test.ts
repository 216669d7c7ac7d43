/**
 * Issue 12, items 2 and 3: money and rate fields are bounded to what a real contract can have;
 * a trial whose money is not finite stops the run (never a summary of the other trials); a run
 * whose columns would not fit in memory is refused before it starts; rules, states, cohorts and
 * outcomes are capped. CLI cases run `main` in-process (cli/main.ts); engine cases call
 * parseScenario and runScenario.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { compile, contractShape, estimateRunBytes, MEMORY_LIMIT_BYTES, NonFiniteTrial, parseScenario, RunTooLarge, runScenario, type Scenario } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const NORRKOPING = join(root, "data/scenarios/norrkoping-2016.json");
const base = () => JSON.parse(readFileSync(NORRKOPING, "utf8"));

const tmp = mkdtempSync(join(tmpdir(), "utfall-bounds-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Norrköping with `edit` applied, written to a temporary file; returns its path. */
function variant(edit: (s: any) => void): string {
  const s = base();
  edit(s);
  const path = join(tmp, `v${n++}.json`);
  writeFileSync(path, JSON.stringify(s));
  return path;
}

describe("money and rate fields are bounded (issue 12, item 2)", () => {
  const cases: [string, (s: any) => void, RegExp][] = [
    ["a cost per day of 1e308", (s) => (s.outcomes[0].states[0].costPerDay = 1e308), /outcomes\[0\]\.states\[0\]\.costPerDay: must be a number from 0 to 1000000000, got 1e\+308/],
    ["a uniform from −1e308 to 1e308", (s) => (s.outcomes[0].states[0].costPerDay = { dist: "uniform", min: -1e308, max: 1e308 }), /outcomes\[0\]\.states\[0\]\.costPerDay: min must be at most 1000000000000000 in size/],
    ["a lognormal with sigma 50", (s) => (s.intervention.effects[0].rateRatio = { dist: "lognormal", mu: 0, sigma: 50 }), /intervention\.effects\[0\]\.rateRatio: sigma must be at most 10/],
    ["{p5: 1e-300, p95: 1e300}", (s) => (s.outcomes[0].states[2].costPerDay = { p5: 1e-300, p95: 1e300 }), /outcomes\[0\]\.states\[2\]\.costPerDay: p95 must be at most 1000000000000000 in size, got 1e\+300/],
    // {p5, p95} with both ends positive is a lognormal with sigma = ln(p95/p5) / (2 × 1.6449);
    // sigma ≤ 10 means p95/p5 ≤ e^(2 × 1.6449 × 10) = e^32.897 = e^32 × e^0.897 ≈ 7.896e13 × 2.452 ≈ 1.94e14; here 1e5/1e-10 = 1e15.
    ["{p5: 1e-10, p95: 1e5}", (s) => (s.outcomes[0].states[2].costPerDay = { p5: 1e-10, p95: 1e5 }), /outcomes\[0\]\.states\[2\]\.costPerDay: p95 ÷ p5 must be at most 1\.94e\+14 \(a lognormal's sigma at most 10\), got 1\.00e\+15/],
    ["a rate ratio of 1001", (s) => (s.intervention.effects[0].rateRatio = 1001), /intervention\.effects\[0\]\.rateRatio: must be a number from 0 to 1000, got 1001/],
    ["capital of 1e14", (s) => (s.contract.capital = 1e14), /contract\.capital: must be an amount from 0 to 10000000000000/],
  ];
  for (const [what, edit, message] of cases) {
    it(`refuses ${what} with exit 2, naming the field and the bound`, async () => {
      const file = variant(edit);
      for (const command of ["validate", "run"]) {
        const r = await cli(command, file, ...(command === "run" ? ["--trials", "50"] : []));
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
      }
    });
  }

  it("accepts the bounds themselves (a cost per day of exactly 1e9, a rate ratio of 1000)", async () => {
    const file = variant((s) => {
      s.outcomes[0].states[0].costPerDay = 1e9;
      s.intervention.effects[0].rateRatio = 1000;
    });
    expect((await cli("validate", file)).status).toBe(0);
  });
});

describe("a trial whose money is not finite stops the run (issue 12, item 2)", () => {
  // The schema now refuses such inputs, so the engine's own check is reached by handing
  // runScenario a parsed scenario changed afterwards: a cost of 1e308 a day in the first state,
  // where every Norrköping child starts (initial shares), times about 91 days a period exceeds
  // the largest double (1.798e308), so trial 0's avoided costs are ±Infinity or NaN.
  function broken(): Scenario {
    const parsed = parseScenario(base());
    if (!parsed.ok) throw new Error("Norrköping must parse");
    const s = structuredClone(parsed.scenario);
    (s.outcomes[0] as { states: { costPerDay: unknown }[] }).states.forEach((st) => (st.costPerDay = 1e308));
    return s;
  }

  it("throws NonFiniteTrial naming the first trial and its largest inputs, with no summary", async () => {
    let error: unknown;
    try {
      runScenario(broken(), { trials: 20, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteTrial);
    const e = error as NonFiniteTrial;
    expect(e.trial).toBe(0);
    expect(Number.isFinite(e.value)).toBe(false);
    expect(e.inputs[0]!.value).toBe(1e308);
    expect(e.path).toMatch(/^outcomes\[0\]\.states\[\d\]\.costPerDay$/);
    expect(e.message).toMatch(/trial 0 gave .* = (-?Infinity|NaN), not a finite amount, so the run stops rather than summarise the other trials/);
    expect(e.message).toContain("= 1e+308");
  });

  it("the shipped scenario runs without it (every trial finite)", async () => {
    const parsed = parseScenario(base());
    if (!parsed.ok) throw new Error("Norrköping must parse");
    expect(() => runScenario(parsed.scenario, { trials: 200, seed: 1 })).not.toThrow();
  });
});

describe("memory is bounded (issue 12, item 3)", () => {
  it("refuses --trials 10000000 on Norrköping with exit 2, the estimate and the limit, before simulating", async () => {
    const r = await cli("run", NORRKOPING, "--trials", "10000000", "--json");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/simulation\.trials: 10000000 trials would need about \d+\.\d+ GiB of memory \(\d+ bytes a trial\), more than the limit of 4\.00 GiB; use at most \d+ trials/);
  });

  it("refuses the same in sweep and compare, before simulating", async () => {
    const sweep = await cli("sweep", NORRKOPING, "--vary", "contract.rules[1].share=0.4:0.8:2", "--trials", "10000000");
    expect(sweep.status).toBe(2);
    expect(sweep.stdout).toBe("");
    expect(sweep.stderr).toMatch(/simulation\.trials: 10000000 trials would need about .* more than the limit of 4\.00 GiB/);
    const compare = await cli("compare", NORRKOPING, NORRKOPING, "--trials", "10000000");
    expect(compare.status).toBe(2);
    expect(compare.stderr).toMatch(/more than the limit of 4\.00 GiB/);
  });

  // One cohort, one binary outcome (1 measure), one uncertain parameter (the payer's lending
  // rate: a SEK scenario gets Kommuninvest's range by default), one rate-card rule; the
  // horizon of 4 quarters is 1 budget year; the payment falls in period 4, so the cash flows
  // have 5 periods over 2 budget years. Bytes a trial, from the columns allocated:
  //   allocateTable: 3 × 1 × 1 × 8 = 24 (treated, counterfactual, comparator) + 1 (delivered)
  //     + 8 × (3 + 1 year + 1 uncertain) = 40  → 65
  //   evaluateContract: 14 × 8 = 112 + 7 flags + 8 × (2 years + 1 rule) = 24  → 143
  //   summarize's working space: 25 × 8 = 200 (models/summary/limits.ts)
  //   total 65 + 143 + 200 = 408 bytes a trial.
  const small = () => scenario(binaryScenario({ n: 100, p: 0.5, rules: [{ kind: "rateCard", measure: "success", pricePerOutcome: 100 }] }));

  it("estimates the bytes from the columns (hand count: 408 bytes a trial)", async () => {
    const s = small();
    const model = compile(s);
    expect(contractShape(model, s.contract)).toEqual({ periods: 5, years: 2, rules: 1 });
    expect(estimateRunBytes(model, contractShape(model, s.contract), 1000)).toBe(408_000);
    // Kept flows add flows and the waterfall's four columns: 5 × 5 periods × 8 = 200 bytes a trial.
    expect(estimateRunBytes(model, contractShape(model, s.contract), 1000, true)).toBe(608_000);
  });

  it("runs at the limit and refuses one trial beyond it", async () => {
    const s = small();
    expect(runScenario(s, { trials: 1000, memoryLimit: 408_000 }).summary.trials).toBe(1000);
    expect(() => runScenario(s, { trials: 1001, memoryLimit: 408_000 })).toThrow(RunTooLarge);
  });

  it("the default limit is 4 GiB", async () => {
    expect(MEMORY_LIMIT_BYTES).toBe(4 * 1024 ** 3);
  });
});

describe("rules, states, cohorts and outcomes are capped at what the schema documents (issue 12, item 3)", () => {
  const rule = { kind: "activity", amount: 1, period: 0 };
  const cases: [string, (s: any) => void, RegExp][] = [
    ["51 rules", (s) => (s.contract.rules = Array.from({ length: 51 }, () => rule)), /contract\.rules: at most 50 rules/],
    ["101 cohorts", (s) => (s.population.cohorts = Array.from({ length: 101 }, () => ({ size: 1 }))), /population\.cohorts: at most 100 cohorts/],
    [
      "17 states",
      (s) => {
        const st = s.outcomes[0].states;
        for (let k = st.length; k < 17; k++) st.push({ id: `extra${k}`, placement: false, costPerDay: 0 });
      },
      /outcomes\[0\]\.states: at most 16 states/,
    ],
    ["21 outcomes", (s) => (s.outcomes = [...s.outcomes, ...Array.from({ length: 21 - s.outcomes.length }, (_, k) => ({ id: `b${k}`, kind: "binary", baseline: 0.5 }))]), /outcomes: at most 20 outcomes/],
  ];
  for (const [what, edit, message] of cases) {
    it(`refuses ${what} with exit 2`, async () => {
      const r = await cli("validate", variant(edit));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it("accepts 50 rules", async () => {
    const r = await cli("validate", variant((s) => (s.contract.rules = Array.from({ length: 50 }, () => rule))));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
