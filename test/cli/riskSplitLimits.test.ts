/**
 * Issue 12, items 2 and 3, for `run --risk-split`: its second run (trials/20 parameter draws ×
 * 20 cohorts) is bounded like the first. The memory of both runs is estimated before either
 * starts and a run that would not fit is refused with exit 2, the estimate and the limit; a trial
 * of the second run whose money is not finite stops it (NonFiniteTrial) instead of splitting the
 * variance of the other trials. CLI cases run `main` in-process (cli/main.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { checkRiskSplitMemory, compile, contractShape, estimateRunBytes, MEMORY_LIMIT_BYTES, NonFiniteTrial, parseScenario, riskSplit, riskSplitGroups, RunTooLarge, type Scenario } from "../../models/index.js";
import { binaryScenario, scenario } from "../helpers/scenarios.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const NORRKOPING = join(root, "data/scenarios/norrkoping-2016.json");

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "", stderr = "";
  const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
  const err = { isTTY: false, write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WriteStream;
  const status = await main(argv, out, err);
  return { status, stdout, stderr };
}

function norrkoping(): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(NORRKOPING, "utf8")));
  if (!parsed.ok) throw new Error("Norrköping must parse");
  return parsed.scenario;
}

describe("run --risk-split: memory of both runs (issue 12, item 3)", () => {
  // 4,000,000 trials fit alone (Norrköping's estimate is below 4 GiB: the first expectation
  // below), but not with a second run of 4,000,000 (200,000 draws × 20 cohorts) beside it. The
  // first run keeps only the parameter columns it reads ("used"), the second all of them.
  it("refuses 4,000,000 trials with --risk-split before simulating, with the estimate of both runs and the limit", async () => {
    const s = norrkoping();
    const model = compile(s);
    const shape = contractShape(model, s.contract);
    const first = estimateRunBytes(model, shape, 4_000_000, false, "used"), second = estimateRunBytes(model, shape, 4_000_000, false, "all");
    expect(second).toBeLessThanOrEqual(MEMORY_LIMIT_BYTES);
    expect(first + second).toBeGreaterThan(MEMORY_LIMIT_BYTES);
    const r = await cli("run", NORRKOPING, "--trials", "4000000", "--json", "--risk-split");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const gib = ((first + second) / 2 ** 30).toPrecision(3);
    expect(r.stderr).toContain(`simulation.trials: 4000000 trials with --risk-split's second run of 4000000 trials would need about ${gib} GiB of memory`);
    expect(r.stderr).toMatch(/more than the limit of 4\.00 GiB; use at most \d+ trials\n$/);
    expect(r.stderr).not.toMatch(/NaN|Infinity|\n\s+at /);
  });

  it("the table form is refused alike", async () => {
    const r = await cli("run", NORRKOPING, "--trials", "4000000", "--risk-split");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/with --risk-split's second run of 4000000 trials would need about/);
  });

  // One cohort, one binary outcome, one uncertain input, one rule: 408 bytes a trial, counted
  // by hand in test/cli/bounds.test.ts from the columns allocateTable, evaluateContract and the
  // summary make (the second run's); the first run keeps only the inputs it reads ("used").
  const small = () => scenario(binaryScenario({ n: 100, p: 0.5, rules: [{ kind: "rateCard", measure: "success", pricePerOutcome: 100 }] }));

  it("checkRiskSplitMemory adds the second run's trials: the first run's 1000 trials (used inputs only) + 50 × 20 = 1000 trials × 408 bytes", () => {
    const model = compile(small());
    const shape = contractShape(model, small().contract);
    const first = (trials: number) => estimateRunBytes(model, shape, trials, false, "used");
    expect(estimateRunBytes(model, shape, 1000, false)).toBe(408_000); // the hand count of bounds.test.ts
    expect(riskSplitGroups(1000, 20)).toBe(50);
    expect(() => checkRiskSplitMemory(small(), 1000, 20, first(1000) + 408_000)).not.toThrow();
    expect(() => checkRiskSplitMemory(small(), 1000, 20, first(1000) + 407_999)).toThrow(RunTooLarge);
    // A tiny run still gets at least 2 draws: 1 trial + 2 × 20 = 40 trials × 408 bytes beside it.
    expect(riskSplitGroups(1, 20)).toBe(2);
    expect(() => checkRiskSplitMemory(small(), 1, 20, first(1) + 16_320)).not.toThrow();
    expect(() => checkRiskSplitMemory(small(), 1, 20, first(1) + 16_319)).toThrow(RunTooLarge);
  });

  it("riskSplit itself refuses K × J trials beyond its memoryLimit, before simulating", () => {
    expect(riskSplit(small(), { groups: 50, perGroup: 20, seed: 1, memoryLimit: 408_000 }).groups).toBe(50);
    expect(() => riskSplit(small(), { groups: 50, perGroup: 20, seed: 1, memoryLimit: 407_999 })).toThrow(RunTooLarge);
  });
});

describe("run --risk-split: non-finite trials (issue 12, item 2)", () => {
  // As in test/cli/bounds.test.ts: the schema refuses such inputs, so the engine's check is
  // reached by changing a parsed scenario. 1e308 a day × about 91 days a quarter exceeds the
  // largest double (1.798e308), so the avoided costs of every trial are not finite.
  it("throws NonFiniteTrial naming the risk split's trial and its inputs, with no split", () => {
    const s = structuredClone(norrkoping());
    (s.outcomes[0] as { states: { costPerDay: unknown }[] }).states.forEach((st) => (st.costPerDay = 1e308));
    let error: unknown;
    try {
      riskSplit(s, { groups: 2, perGroup: 3, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteTrial);
    const e = error as NonFiniteTrial;
    expect(e.trial).toBe(0);
    expect(e.message).toMatch(/^trial 0 of the risk split's run \(2 parameter draws × 3 cohorts; .*\) gave .* = (-?Infinity|NaN), not a finite amount/);
    expect(e.message).toContain("= 1e+308");
    expect(e.path).toMatch(/^outcomes\[0\]\.states\[\d\]\.costPerDay$/);
  });

  it("the shipped scenario's risk split has every trial finite", () => {
    expect(() => riskSplit(norrkoping(), { groups: 10, perGroup: 20, seed: 1 })).not.toThrow();
  });
});
