import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runScenario, sweep } from "../../models/index.js";
import { cli } from "../helpers/cli.js";
import { scenario } from "../helpers/scenarios.js";

const norrkoping = JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"));
const vary = [
  { path: "contract.rules[savings].share", values: [0.4, 0.6, 0.8] },
  { path: "contract.rules[return].cap.ofCapital", values: [0.1, 0.2] },
];

describe("sweep(scenario, vary)", () => {
  const result = sweep(norrkoping, vary, { trials: 3000, seed: 4 });

  test("covers every combination, the first path slowest, on common outcomes", () => {
    expect(result.commonOutcomes).toBe(true);
    expect(result.cells.map((c) => Object.values(c.at))).toEqual([[0.4, 0.1], [0.4, 0.2], [0.6, 0.1], [0.6, 0.2], [0.8, 0.1], [0.8, 0.2]]);
  });

  test("a cell at the scenario's own terms equals a plain run with the same seed", () => {
    const run = runScenario(scenario(norrkoping), { trials: 3000, seed: 4 }).summary;
    const cell = result.cells.find((c) => c.at["contract.rules[savings].share"] === 0.6 && c.at["contract.rules[return].cap.ofCapital"] === 0.2)!;
    expect(cell.financier.probLoss).toBe(run.investor.probLoss);
    expect(cell.financier.probNpvBelowZero).toBe(run.investor.probNpvBelowZero);
    expect(cell.financier.expectedNpv).toBeCloseTo(run.investor.expectedNpv, 3);
    expect(cell.financier.irrOfExpectedFlows).toBe(run.investor.irrOfExpectedFlows);
    expect(cell.payer.meanPayments).toBeCloseTo(run.payer.payments!.mean, 6);
    expect(cell.payer.probPayForNothing).toBe(run.contract.probPayForNothing);
  });

  test("with common random numbers, a larger savings share never raises the chance of loss", () => {
    for (const cap of [0.1, 0.2]) {
      const losses = result.cells.filter((c) => c.at["contract.rules[return].cap.ofCapital"] === cap).map((c) => c.financier.probLoss);
      expect(losses).toEqual([...losses].sort((a, b) => b - a));
    }
  });

  test("the same seed gives the same grid", () => {
    expect(JSON.stringify(sweep(norrkoping, vary, { trials: 3000, seed: 4 }))).toBe(JSON.stringify(result));
  });

  test("a value the schema forbids names the field and the cell", () => {
    expect(() => sweep(norrkoping, [{ path: "contract.rules[savings].share", values: [0.5, 1.5] }], { trials: 100 })).toThrow(
      /contract\.rules\[1\]\.share: .*(1|≤).*\(in the cell contract\.rules\[savings\]\.share=1\.5\)/,
    );
  });

  test("a path that does not exist, or holds a distribution, is refused with the path", () => {
    expect(() => sweep(norrkoping, [{ path: "contract.rules[bonus].share", values: [1] }])).toThrow(/no element with id "bonus"/);
    expect(() => sweep(norrkoping, [{ path: "outcomes[1].baseline", values: [0.5] }])).toThrow(/holds a distribution/);
  });
});

describe("utfall sweep", () => {
  // In-process (test/helpers/cli.ts): the command's `main`, without starting Node.
  test("prints amounts in the scenario's currency", async () => {
    const r = await cli("sweep", "data/scenarios/peterborough-2010.json", "--vary", "contract.rules[cohort].threshold=0.05:0.15:2", "--trials", "300");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/amounts in GBP/);
    expect(r.stdout).toMatch(/£[\d,]+/);
    expect(r.stdout).not.toMatch(/ kr/);
  });
  test("prints CSV with a header and one row per cell; bad --vary exits 2", async () => {
    const r = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8:3", "--trials", "500", "--csv");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^contract\.rules\[savings\]\.share,financier\.irrOfExpectedFlows,/);
    expect(r.stdout).not.toMatch(/NaN/);
    const bad = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expected <path>=<from>:<to>:<steps>/);
  });
});
