/** Results do not depend on how blocks of trials are shared out (workers, progress chunks). */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { allocateTable, BLOCK_SIZE, compile, simulateBlock, simulateOutcomes } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

describe("simulateBlock(model, table, block, row, count)", () => {
  test("blocks simulated out of order give the table simulateOutcomes gives", () => {
    const s = scenario(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8")));
    const model = compile(s);
    const trials = 2 * BLOCK_SIZE + 500;
    const whole = simulateOutcomes(model, { trials, seed: 42 });
    const pieces = allocateTable(model, trials, 42);
    for (const b of [2, 0, 1]) simulateBlock(model, pieces, b, b * BLOCK_SIZE, Math.min(BLOCK_SIZE, trials - b * BLOCK_SIZE));
    expect(pieces.treated).toEqual(whole.treated);
    expect(pieces.comparator).toEqual(whole.comparator);
    expect(pieces.societyBenefitPV).toEqual(whole.societyBenefitPV);
    expect(pieces.avoidedByYear).toEqual(whole.avoidedByYear);
  });
});
