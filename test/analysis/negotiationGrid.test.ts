// The Negotiation page's default grid (21 × 21 on 10,000 trials), in Node, along the page's own
// path (src/components/analysis.ts: one simulation split over the workers by blocks and laid end
// to end, handed to workers by structured clone, cells split between them);
// test/browser/negotiation.test.ts loads the page itself with a small grid.
import {readFileSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {checkCells, DEFAULT_NEEDS, evaluateCells, prepareSweep, sweep, sweepOutcomes, zoneOfAgreement, type Cell, type Vary} from "../../models/index.js";
import {blockRanges} from "../../src/components/analysis.js";
import {joinTables} from "../../models/simulate.js";

const norrkoping = JSON.parse(readFileSync(new URL("../../data/scenarios/norrkoping-2016.json", import.meta.url), "utf8"));

/** The page's grid values for from:to:steps (termValues in src/components/negotiation.ts, as `utfall sweep --vary`). */
const values = (from: number, to: number, steps: number) => Array.from({length: steps}, (_, i) => +(from + ((to - from) * i) / (steps - 1)).toPrecision(12));

describe("the page's default grid, in Node", () => {
  // The page's defaults: savings share 0–1 and return cap 0–1 of capital, 21 steps each.
  const vary: Vary[] = [
    {path: "contract.rules[savings].share", values: values(0, 1, 21)},
    {path: "contract.rules[return].cap.ofCapital", values: values(0, 1, 21)},
  ];
  /**
   * The page's path (src/components/analysis.ts): each of three workers checks its share of the
   * cells and simulates its share of the blocks, the parts are laid end to end, each worker gets
   * a structured clone of the table (as postMessage makes) and its cells.
   */
  const pagePath = (opts: {trials: number; seed: number}): Cell[] => {
    const prep = prepareSweep(norrkoping, vary, opts);
    const ranges = blockRanges(opts.trials, 3);
    const table = joinTables(ranges.map((blocks, w) => {
      checkCells(prep, Array.from({length: 441}, (_, i) => i).filter((i) => i % ranges.length === w));
      return structuredClone(sweepOutcomes(prep, undefined, blocks));
    }));
    const got: Cell[] = new Array(441);
    for (let w = 0; w < 3; w++) {
      const mine = Array.from({length: 441}, (_, i) => i).filter((i) => i % 3 === w);
      evaluateCells(prep, mine, (i, c) => (got[i] = c), structuredClone(table));
    }
    return got;
  };

  test("21 × 21: one simulation handed to workers gives the sweep's cells, exactly", () => {
    // Equality does not depend on the trial count (the same cells evaluated on the same table):
    // 1,000 trials stand for the page's 10,000.
    const opts = {trials: 1000, seed: 1};
    expect(pagePath(opts)).toEqual(sweep(norrkoping, vary, opts).cells);
  }, 900_000);

  test("21 × 21 on the page's 10 000 trials: no combination meets the default needs", () => {
    // README, Negotiation analytics: "No combination of savings share (0–100 %) and return cap
    // (0–100 % of capital) meets the default needs".
    expect(zoneOfAgreement(pagePath({trials: 10_000, seed: 1}), [21, 21], DEFAULT_NEEDS).shareAgreed).toBe(0);
  }, 900_000);
});

describe("the page's simulation split over workers", () => {
  test("blocks simulated in parts and laid end to end are the table simulated at once, byte for byte", () => {
    // The witness is sweepOutcomes simulating every block itself.
    const vary: Vary[] = [{path: "contract.rules[savings].share", values: [0.5]}];
    for (const trials of [1, 999, 1000, 3500]) {
      const prep = prepareSweep(norrkoping, vary, {trials, seed: 3});
      const whole = sweepOutcomes(prep);
      for (const parts of [1, 2, 3, 8]) {
        const ranges = blockRanges(trials, parts);
        expect(ranges[0]![0]).toBe(0);
        expect(ranges.every(([from, to], i) => to > from && (i === 0 || from === ranges[i - 1]![1]))).toBe(true);
        expect(joinTables(ranges.map((blocks) => sweepOutcomes(prep, undefined, blocks)))).toEqual(whole);
      }
    }
  });
});
