/**
 * A contract without the capital-structure fields keeps the kit's earlier arithmetic exactly.
 *
 * REGRESSION SNAPSHOT, not a witness: the numbers below were printed by evaluateContract at the
 * commit before models/contract/waterfall.ts existed (0a3cc54), on this hand-written outcome
 * table. They are compared with Object.is, so any change in the order of additions shows. The
 * hand table involves no simulation, so changes to the outcome model do not move them; a
 * deliberate change to the payment rules may, and then the snapshot is re-recorded with a note.
 * (Also checked when the waterfall was added: every reference scenario's `utfall run --json`
 * and trial CSV at 2,000 trials, seed 7, were byte-identical before and after.)
 */
import { describe, expect, test } from "vitest";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { evaluateHand } from "../helpers/table.js";

const s = scenario(
  contractScenario(
    {
      capital: 1000,
      drawdown: [0, 1, 2, 3].map((period) => ({ period, share: 0.25 })),
      rules: [
        { kind: "activity", amount: 300.1, period: 2 },
        { kind: "activity", amount: { ofCapital: 0.2537 }, period: 2 },
        { kind: "rateCard", measure: "school", pricePerOutcome: 7.3, lagPeriods: 1 },
      ],
      totalCap: 1100,
      guarantee: { ofCapital: 0.9 },
    },
    { valuation: { horizonPeriods: 8, discountRate: 0.035, financierDiscountRate: 0.07 } },
  ),
);
const trials = [0, 13, 29, 41, 60].map((k, i) => ({ delivered: i !== 1, treated: { school: [k] }, comparator: { school: [0] } }));

const before = {
  irr: [-0.1179550613885536, -0.05470498061401652, -0.11795506138855394, -0.1179550613885536, -0.009097559462140858],
  multiple: [0.9, 0.9, 0.9, 0.9, 0.9917999999999999],
  profit: [-100, -100, -100, -100, -8.200000000000045],
  financierNpv: [-142.43007762628724, -202.21136730471358, -142.4300776262873, -142.4300776262872, -63.593242493974685],
  guarantee: [346.20000000000005, 805.1, 134.5, 46.90000000000009, 0],
  societyNpv: [-1000, -1000, -1000, -1000, -1000],
  payments: [553.8, 94.89999999999999, 765.5, 853.0999999999999, 991.8],
};

describe("evaluateContract on a contract without the new fields", () => {
  test("gives exactly the figures of the kit before the waterfall", () => {
    const r = evaluateHand(s, trials);
    for (const [k, v] of Object.entries(before)) {
      // The IRR solver now isolates every root (issue 17, bug 4) and the NPV is summed as
      // discounted receipts minus outlays (for the MIRR): both move only their last bits.
      if (k === "irr" || k === "financierNpv") [...r[k]].forEach((x, i) => expect(x, `${k}[${i}]`).toBeCloseTo(v[i]!, 9));
      else expect([...r[k as keyof typeof before]], k).toEqual(v);
    }
    expect([...r.drawn]).toEqual([1000, 1000, 1000, 1000, 1000]);
  });
});
