/**
 * The cash waterfall (models/contract/waterfall.ts) on three-period cases computed by hand, and
 * on whole contracts through evaluateContract. Every expected number is worked out in the
 * comments from the stated terms; none comes from the code under test.
 */
import { describe, expect, test } from "vitest";
import { irr } from "../../models/index.js";
import { allocateFlows, terminationPeriod, waterfall, type WaterfallTerms } from "../../models/contract/waterfall.js";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { evaluateHand } from "../helpers/table.js";

/** Commitment 100; delivery costs 60 and 50 in periods 0 and 1; recycling; 10 % fee on receipts. */
const terms = (over: Partial<WaterfallTerms> = {}): WaterfallTerms => ({
  periods: 3,
  commitment: 100,
  schedule: null,
  costs: Float64Array.from([60, 50, 0]),
  fixedFees: null,
  recycling: true,
  feeShare: 0.1,
  providerShare: 0,
  guarantee: 0,
  guaranteeCovers: "receipts",
  lastDue: 2,
  simple: false,
  ...over,
});

const run = (t: WaterfallTerms, receipts: [number, number][], volume = 1, stopAt = Infinity) =>
  waterfall(t, receipts.map((r) => r[0]), receipts.map((r) => r[1]), receipts.length, volume, stopAt, allocateFlows(t.periods));

describe("waterfall(terms, payments) on a hand-computed three-period case", () => {
  test("draws as delivery needs, recycles receipts, takes the fee, and a first-loss guarantee covers the loss", () => {
    // Payments: 40 in period 1, 20 in period 2; first-loss guarantee of 30.
    // p0: no receipts; cost 60 → draw 60 (drawn 60). Cash 0.
    // p1: receipt 40, fee 10 % = 4, cash 36; cost 50: 36 from cash, draw 14 (drawn 74);
    //     nothing left to distribute.
    // p2: receipt 20, fee 2, cash 18; no cost; last period → distribute 18, all of it return of
    //     capital (18 ≤ 74 drawn).
    // Financier received 18 of 74 drawn: loss 56; the guarantee covers losses up to 30 → 30,
    // paid in period 2 (last payment due). Received 48; net flows −60, −14, +48.
    // Conservation: in 74 + 60 + 30 = 164 = out: provider 110 + fees 6 + financier 48.
    const f = run(terms({ guarantee: 30, guaranteeCovers: "losses" }), [[1, 40], [2, 20]]);
    expect([...f.draws]).toEqual([60, 14, 0]);
    expect([...f.toIntermediary].map((x) => +x.toFixed(9))).toEqual([0, 4, 2]);
    expect([...f.toProvider]).toEqual([60, 50, 0]);
    expect([...f.guarantee]).toEqual([0, 0, 30]);
    expect([...f.net].map((x) => +x.toFixed(9))).toEqual([-60, -14, 48]);
    expect(f.totals).toMatchObject({ drawn: 74, payments: 60, guarantee: 30, providerCosts: 110, providerSurplus: 0, unfunded: 0 });
    expect(f.totals.received).toBeCloseTo(48, 9);
    expect(f.totals.fees).toBeCloseTo(6, 9);
    // IRR per period: −60 − 14x + 48x² = 0 with x = 1/(1+r): x = (14 + √(196 + 11520)) / 96.
    const x = (14 + Math.sqrt(196 + 4 * 48 * 60)) / 96;
    expect(irr(f.net)).toBeCloseTo(1 / x - 1, 9); // ≈ −21.5 % per period
  });

  test("the same guarantee as a top-up of receipts pays G − received instead", () => {
    // Received 18 before the guarantee; tops up to 30 → pays 12.
    const f = run(terms({ guarantee: 30, guaranteeCovers: "receipts" }), [[1, 40], [2, 20]]);
    expect(f.totals.guarantee).toBeCloseTo(12, 9);
    expect(f.totals.received).toBeCloseTo(30, 9);
  });

  test("capital comes back first; the provider shares the surplus beyond it", () => {
    // Payments 100 in period 1, 50 in period 2; provider takes 50 % of surplus.
    // p0: draw 60. p1: receipt 100, fee 10, cash 90; cost 50 from cash → cash 40; no future
    //     cost → distribute 40: all return of capital (returned 40 of 60).
    // p2: receipt 50, fee 5, cash 45 → distribute: 20 capital (to 60), surplus 25 → provider
    //     12.5, financier 12.5. Financier: 40 + 32.5 = 72.5 on 60 drawn.
    // Conservation: 60 + 150 = 210 = provider 110 + 12.5, fees 15, financier 72.5.
    const f = run(terms({ providerShare: 0.5 }), [[1, 100], [2, 50]]);
    expect([...f.draws]).toEqual([60, 0, 0]);
    expect([...f.toFinancier].map((x) => +x.toFixed(9))).toEqual([0, 40, 32.5]);
    expect(f.totals.providerSurplus).toBeCloseTo(12.5, 9);
    expect(f.totals.received).toBeCloseTo(72.5, 9);
    // −60 + 40x + 32.5x² = 0: x = (−40 + √(1600 + 7800)) / 65.
    const x = (-40 + Math.sqrt(1600 + 4 * 32.5 * 60)) / 65;
    expect(irr(f.net)).toBeCloseTo(1 / x - 1, 9); // ≈ +14.1 % per period
  });

  test("with recycling the vehicle keeps what later delivery needs; without, every receipt goes out and capital pays all", () => {
    // Costs 50, 0, 50; payment 80 in period 1; no fee.
    // Recycling: p0 draw 50; p1 cash 80, reserve the 50 due in p2 → distribute 30; p2 pays 50 from
    // cash, draws nothing. Drawn 50, received 30.
    const costs = Float64Array.from([50, 0, 50]);
    const a = run(terms({ costs, feeShare: 0 }), [[1, 80]]);
    expect([...a.draws]).toEqual([50, 0, 0]);
    expect([...a.toFinancier]).toEqual([0, 30, 0]);
    // No recycling: p1 distributes all 80; p2 draws 50. Drawn 100, received 80.
    const b = run(terms({ costs, feeShare: 0, recycling: false }), [[1, 80]]);
    expect([...b.draws]).toEqual([50, 0, 50]);
    expect([...b.toFinancier]).toEqual([0, 80, 0]);
  });

  test("beyond the commitment delivery goes unfunded; volume scales the costs", () => {
    // Volume 1.5: costs 90, 75. Commitment 100: p0 draws 90, p1 only 10 more; 65 unfunded.
    const f = run(terms({ recycling: false }), [], 1.5);
    expect([...f.draws]).toEqual([90, 10, 0]);
    expect(f.totals.unfunded).toBeCloseTo(65, 9);
  });

  test("after early termination nothing is drawn or spent", () => {
    const f = run(terms(), [], 1, 1);
    expect([...f.draws]).toEqual([60, 0, 0]);
  });
});

describe("terminationPeriod(u, h, from, lastDue)", () => {
  test("is from + ⌊ln u ÷ ln(1 − h)⌋, a geometric number of periods", () => {
    // h = 0.5: u in (0.5, 1] ends in `from`, (0.25, 0.5] one period later.
    expect(terminationPeriod(0.75, 0.5, 2, 10)).toBe(2);
    expect(terminationPeriod(0.3, 0.5, 2, 10)).toBe(3);
    expect(terminationPeriod(0.3, 0.5, 2, 2)).toBe(Infinity); // past the last payment: ran to the end
    expect(terminationPeriod(0.3, 0, 2, 10)).toBe(Infinity);
  });
});

describe("evaluateContract with a capital structure", () => {
  const base = { capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [{ kind: "activity", amount: 600, period: 2 }] };

  test("structured terms that change nothing give the simple form's figures", () => {
    // A zero fee and no provider share on the drawdown schedule: the same money as without them.
    const simple = evaluateHand(scenario(contractScenario(base)), [{ treated: {}, comparator: {} }]);
    const neutral = evaluateHand(scenario(contractScenario({ ...base, fees: { shareOfReceipts: 0 }, providerShareOfSurplus: 0 })), [{ treated: {}, comparator: {} }]);
    expect(neutral.payments[0]).toBe(simple.payments[0]);
    expect(neutral.multiple[0]).toBeCloseTo(simple.multiple[0]!, 12); // 0.6
    expect(neutral.irr[0]).toBeCloseTo(simple.irr[0]!, 12);
  });

  test("early termination stops later payments; the payer pays the settlement instead", () => {
    // Chance 1 per period from period 1: ended in period 1, before the activity payment in
    // period 2; settlement 25 % of the commitment = 250, paid by the payer.
    const s = scenario(contractScenario({ ...base, termination: { chancePerPeriod: 1, fromPeriod: 1, settlement: { ofCapital: 0.25 } } }));
    const r = evaluateHand(s, [{ treated: {}, comparator: {} }]);
    expect(r.terminated[0]).toBe(1);
    expect(r.payments[0]).toBe(250);
    expect(r.paymentsByRule[0]).toBe(0);
    expect(r.multiple[0]).toBeCloseTo(0.25, 12);
  });

  test("a schema error names the field", () => {
    const bad = contractScenario({ ...base, delivery: { perPeriod: [{ from: 3, to: 1, amount: 10 }] } });
    expect(() => scenario(bad)).toThrow(/contract\.delivery\.perPeriod\[0\]\.to: must be ≥ `from`/);
  });
});

describe("Essex 2013 at the achieved outcome (data/scenarios/essex-2013.json)", () => {
  test("investors get drawn capital + outcome payments − delivery costs: about 1.23 × the £3.1M committed", { timeout: 60_000 }, async () => {
    const { readFileSync } = await import("node:fs");
    const { runScenario } = await import("../../models/index.js");
    const s = JSON.parse(readFileSync(new URL("../../data/scenarios/essex-2013.json", import.meta.url), "utf8"));
    // Achieved: 10.8 % of days in care against 55 % (Social Finance 2019), an 80 % fall; a rate
    // ratio of 0.11 on entries to care at the central transition rates measures about that.
    for (const t of s.outcomes[0].transitions) t.perPeriod = { value: Math.sqrt(t.perPeriod.p5 * t.perPeriod.p95) };
    s.intervention.effects[0].rateRatio = { value: 0.11 };
    s.contract.delivery.volume = { value: 388 / 380 }; // 388 served against 380 planned (Social Finance 2019)
    const r = runScenario(scenario(s), { trials: 200, seed: 1 }).results;
    // At that outcome the £7.1M total cap binds in every trial.
    const costs = 23 * 247_000 * (388 / 380); // £5.80M of delivery over 23 quarters
    for (let t = 0; t < 200; t += 23) {
      expect(r.payments[t]).toBe(7_100_000);
      const received = r.profit[t]! + r.drawn[t]!;
      // Money in = money out, all cash distributed by the end: received = drawn + payments − costs.
      expect(received).toBeCloseTo(r.drawn[t]! + 7_100_000 - costs, 2);
      // Social Finance reported about 1.45 × committed capital; the kit gives 1.23 × (1.52 × drawn).
      expect(received / 3_100_000).toBeCloseTo(1.23, 2);
    }
  });
});
