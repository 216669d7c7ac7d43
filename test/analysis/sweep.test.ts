import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { prepareSweep, runScenario, sweep } from "../../models/index.js";
import { touchesSimulation } from "../../models/contract/simulatedFields.js";
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

  test("a contract field the simulation reads (delivery.volume) simulates each cell again: a cell equals a run of that scenario", () => {
    // Witness: runScenario on the scenario with the value written in, same trials and seed. Before,
    // such a sweep evaluated every cell on the base's simulated volumes: all cells were equal.
    const essex = JSON.parse(readFileSync("data/scenarios/essex-2013.json", "utf8"));
    const r = sweep(essex, [{ path: "contract.delivery.volume.p95", values: [1.2, 1.5] }], { trials: 400, seed: 3 });
    expect(r.commonOutcomes).toBe(false);
    const at15 = structuredClone(essex);
    at15.contract.delivery.volume.p95 = 1.5;
    const run = runScenario(scenario(at15), { trials: 400, seed: 3 }).summary;
    expect(r.cells[1]!.financier.expectedNpv).toBe(run.investor.expectedNpv);
    expect(r.cells[1]!.financier.probLoss).toBe(run.investor.probLoss);
    expect(r.cells[0]!.financier.expectedNpv).not.toBe(r.cells[1]!.financier.expectedNpv);
    expect(prepareSweep(norrkoping, [{ path: "contract.rules[savings].share", values: [0.5] }]).commonOutcomes).toBe(true);
  });

  test("touchesSimulation: the one list of contract fields the simulation reads (models/contract/simulatedFields.ts)", () => {
    // The fields compile.ts reads from `contract`: startDate, delivery.volume, termination.chancePerPeriod.
    const touches = (...keys: (string | number)[]) => touchesSimulation(keys);
    expect(touches("contract", "startDate")).toBe(true);
    expect(touches("contract", "delivery", "volume", "p95")).toBe(true);
    expect(touches("contract", "delivery")).toBe(true); // the whole object holds the volume
    expect(touches("contract", "termination")).toBe(true);
    expect(touches("contract", "termination", "chancePerPeriod", "value")).toBe(true);
    expect(touches("population", "cohorts", 0, "size")).toBe(true);
    expect(touches("contract", "termination", "settlement")).toBe(false);
    expect(touches("contract", "delivery", "perPeriod", 0, "amount")).toBe(false);
    expect(touches("contract", "rules", 1, "share")).toBe(false);
    expect(touches("contract", "capital")).toBe(false);
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
  test("prints CSV with a header and one row per cell, in the project's dialect; bad --vary exits 2", async () => {
    const r = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8:3", "--trials", "500", "--csv");
    expect(r.status).toBe(0);
    // models/export/csv.ts's toCsv: a byte-order mark, CRLF, and for SEK Swedish Excel's dialect
    // (semicolons, decimal comma): the first cell is the varied value 0.4 written "0,4".
    expect(r.stdout.startsWith("\ufeff")).toBe(true);
    const lines = r.stdout.slice(1).split("\r\n");
    expect(lines).toHaveLength(5); // header, three cells, and the empty string after the last CRLF
    expect(lines[4]).toBe("");
    expect(lines[0]).toMatch(/^contract\.rules\[savings\]\.share;financier\.irrOfExpectedFlows;/);
    expect(lines[1]).toMatch(/^0,4;/);
    expect(r.stdout).not.toMatch(/NaN/);
    const en = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8:3", "--trials", "500", "--csv", "--locale", "en-GB");
    expect(en.stdout.slice(1).split("\r\n")[2]).toMatch(/^0\.6,/);
    const badLocale = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8:3", "--csv", "--locale", "xx_bad");
    expect(badLocale.status).toBe(2);
    expect(badLocale.stderr).toMatch(/--locale/);
    const bad = await cli("sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expected <path>=<from>:<to>:<steps>/);
  });
});
