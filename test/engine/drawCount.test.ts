/**
 * drawCount() (models/random/stream.ts) stays exact with the generator inlined in the placement
 * model's cohorts (models/cohort/placement.ts writes the state words back to the Stream).
 */
import { describe, expect, test } from "vitest";
import { compile, simulateOutcomes } from "../../models/index.js";
import { drawCount, resetDrawCount, Stream, streamOf } from "../../models/random/stream.js";
import { scenario } from "../helpers/scenarios.js";

describe("draws counted", () => {
  test("children who move every period use exactly two uniforms a period (stay, destination)", () => {
    // Two states, each left with chance 1 every period: every stay is 0 extra periods and every
    // period ends in a move, so each child draws 2 uniforms a period from its untreated stream.
    // The rate ratio 1 leaves the treated arm identical (no treated draws); the only uncertain
    // parameter is the payer's default lending rate (a range: a lognormal by Box–Muller, 2
    // uniforms), and delivery draws 1 a trial. A stream's draws are counted when it is re-keyed,
    // so one block of T trials counts (T − 1) · (2 + 1 + 2 · P · n) + 2 (the last trial's
    // parameter draw is counted when its stream is re-keyed for delivery; its other draws stay
    // uncounted): with T = 50, P = 6, n = 10: 49 · 123 + 2 = 6029.
    const s = scenario({
      name: "always moving",
      population: { cohorts: [{ size: 10 }] },
      outcomes: [
        {
          id: "p",
          kind: "placement",
          states: [
            { id: "care", placement: true, costPerDay: 1 },
            { id: "home", placement: false, costPerDay: 0 },
          ],
          initial: { care: 1 },
          transitions: [
            { from: "care", to: "home", perPeriod: 1 },
            { from: "home", to: "care", perPeriod: 1 },
          ],
        },
      ],
      intervention: { delivered: 1, effects: [{ outcome: "p", from: "home", to: "care", rateRatio: 1 }] },
      measurement: { followUpPeriods: 6, comparator: { kind: "historical", baseline: { "p.cost": 1 } } },
      contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [] },
      valuation: { horizonPeriods: 6, discountRate: 0 },
    });
    const model = compile(s);
    resetDrawCount();
    const table = simulateOutcomes(model, { trials: 50, seed: 3 });
    expect(drawCount()).toBe(49 * 123 + 2);
    // Every child is in care in periods 0, 2, 4 and moves home at the end of each: 3 periods in care.
    for (let t = 0; t < 50; t++) expect(table.counterfactual[t * 3 + 1]).toBe(10 * 3 * model.daysPerPeriod);
  });

  test("streamOf finds a Stream's own next and refuses any other generator", () => {
    const s = new Stream().reset(1, 2, 3);
    expect(streamOf(s.next)).toBe(s);
    expect(() => streamOf(() => 0.5)).toThrow(TypeError);
  });
});
