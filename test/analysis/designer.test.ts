/**
 * The contract designer (models/analysis/designer.ts). Witnesses: an exhaustive grid of the same
 * discrete terms (the search must find exactly the grid's front), hand-built fronts for the
 * non-dominated sort, and the needs themselves (a relaxation the designer names must make its
 * contract acceptable when applied).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { designByGrid, designContract, nonDominatedFronts, type DesignNeeds, type FreeTerm } from "../../models/analysis/designer.js";

const norrkoping = JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"));

/** Needs that some Norrköping contracts meet (a fee above the capital) and others do not. */
const NEEDS: DesignNeeds = {
  financier: { minIrrOfExpectedFlows: 0.02, maxProbLoss: 0.3 },
  payer: { minMeanNet: 0, maxProbPayForNothing: 0.15 },
};

const sig = (c: { objectives: readonly number[] }) => c.objectives.join(" ");

describe("nonDominatedFronts (Deb et al. 2002, fast non-dominated sort)", () => {
  it("sorts points into the fronts drawn by hand", () => {
    // Minimising both: (1,4), (2,2), (4,1) are mutually non-dominated; (3,3) is dominated by (2,2)
    // only; (4,4) by every point of the first front and by (3,3); so three fronts.
    const pts = [[3, 3], [1, 4], [4, 4], [2, 2], [4, 1]];
    const beats = (a: number[], b: number[]) => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
    expect(nonDominatedFronts(pts, beats).map((f) => f.sort())).toEqual([[1, 3, 4], [0], [2]]);
  });
});

describe("designContract on Norrköping", () => {
  // Two discrete terms, 6 × 6 = 36 contracts: small enough to enumerate.
  const free: FreeTerm[] = [
    { path: "contract.rules[savings].share", min: 0, max: 1, steps: 6 },
    { path: "contract.rules[activity].amount.ofCapital", min: 0.5, max: 1.3, steps: 6 },
  ];
  const options = { trials: 1000, seed: 1 };

  it("finds exactly the front of the exhaustive grid", () => {
    const grid = designByGrid(norrkoping, free, NEEDS, options);
    const found = designContract(norrkoping, free, NEEDS, { ...options, settings: { population: 16, generations: 12 } });
    expect(grid.length).toBeGreaterThan(0); // the witness is not empty, so the test can fail
    expect(found.front.map(sig).sort()).toEqual(grid.map(sig).sort());
    expect(found.evaluations.distinct).toBeLessThanOrEqual(36);
    // Every contract on the front meets every need.
    for (const c of found.front) for (const v of Object.values(c.slack)) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("is reproducible from its seeds", () => {
    const a = designContract(norrkoping, free, NEEDS, { ...options, settings: { population: 8, generations: 3 } });
    const b = designContract(norrkoping, free, NEEDS, { ...options, settings: { population: 8, generations: 3 } });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("names the need that binds and the change that makes a contract acceptable", () => {
    // At most 5 % chance of loss: Norrköping's delivery fails in about a tenth of trials, so no
    // contract meets it (the financier then loses whatever it lent).
    const strict: DesignNeeds = { ...NEEDS, financier: { ...NEEDS.financier, maxProbLoss: 0.05 } };
    const r = designContract(norrkoping, free, strict, { ...options, settings: { population: 16, generations: 6 } });
    expect(r.front).toEqual([]);
    const loss = r.relaxations!.find((x) => x.need === "financier.loss")!;
    expect(loss.needed).toBeGreaterThan(0.05);
    // Witness: the relaxed need, applied, makes the named contract acceptable.
    const relaxed: DesignNeeds = { ...strict, financier: { ...strict.financier, maxProbLoss: loss.needed! } };
    const fixedTerms: FreeTerm[] = free.map((f) => ({ path: f.path, min: loss.terms![f.path]!, max: loss.terms![f.path]!, steps: 1 }));
    expect(designByGrid(norrkoping, fixedTerms, relaxed, options)).toHaveLength(1);
    expect(r.closest!.misses[0]!.need).toBeDefined();
  });

  it("refuses terms outside the contract", () => {
    expect(() => designContract(norrkoping, [{ path: "population.cohorts[0].size", min: 10, max: 100 }], NEEDS, options)).toThrow(/only contract terms/);
  });
});


describe("utfall design", () => {

  it("prints the front as JSON", async () => {
    const r = await cli("design", "data/scenarios/norrkoping-2016.json", "--free", "contract.rules[activity].amount.ofCapital=0.5:1.3:5", "--trials", "500", "--population", "8", "--generations", "2", "--json");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.settings).toMatchObject({ population: 8, generations: 2 });
    expect(json.evaluations.distinct).toBeLessThanOrEqual(5);
  });

  it.each([
    [["--free", "contract.rules[savings].share=1:0"], /--free .*min must not be above max/],
    [["--free", "contract.rules[savings].share=0x1:2"], /min must be a decimal number/],
    [["--free", "simulation.trials=1:2"], /--free simulation\.trials: only contract terms/],
    [["--free", "contract.rules[nope].share=0:1"], /--free contract\.rules\[nope\]/],
    [["--free", "contract.rules[savings].share=0:1", "--population", "7"], /--population: must be an even whole number/],
    [[], /design: give one or more --free/],
  ])("refuses %j with exit 2", async (args, message) => {
    const r = await cli("design", "data/scenarios/norrkoping-2016.json", ...args, "--trials", "200");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("refuses a needs file with an unknown or out-of-range field, naming it", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const dir = mkdtempSync("/tmp/utfall-needs-");
    writeFileSync(`${dir}/needs.json`, JSON.stringify({ financier: { minIrrOfExpectedFlows: 0.05, maxProbLoss: 2 }, payer: { minMeanNet: 0, maxProbPayForNothing: 0.1 } }));
    const r = await cli("design", "data/scenarios/norrkoping-2016.json", "--free", "contract.rules[savings].share=0:1", "--needs", `${dir}/needs.json`, "--trials", "200");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs\.json: financier\.maxProbLoss/);
  });
});
