// Society by perspective (issue 17 §3.10): a hand-computed case in which the resource total
// equals participants + taxpayers + others, with the transfers (taxes, the payer's payments)
// cancelling; and the invariant on a simulated run.
import { describe, expect, test } from "vitest";
import { compile, evaluateContract, runScenario, simulateOutcomes } from "../../models/index.js";
import { societyByPerspective } from "../../models/society/perspectives.js";
import { PERSPECTIVES } from "../../models/scenario/schema.js";
import { readFileSync } from "node:fs";
import { parseScenario } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";
import { handTable } from "../helpers/table.js";

const WORK = { id: "work", perspective: "participants", value: 1000 };
const TAXES = { id: "taxes", perspective: "taxpayers", transferFrom: "participants", of: "work", share: 0.4 };

function handCase() {
  // One cohort of 10; the school goal: 6 reach it with the intervention, 4 without (2 more).
  // Yearly figures on quarterly periods: the follow-up ends at period 4, one year in.
  const s = scenario({
    name: "perspectives by hand",
    periodsPerYear: 4,
    population: { cohorts: [{ size: 10 }] },
    outcomes: [{ id: "school", kind: "binary", baseline: 0.4 }],
    intervention: { effects: [] },
    measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { school: 0.4 } } },
    contract: { capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [{ id: "activity", kind: "activity", amount: 600, period: 4 }] },
    valuation: { horizonPeriods: 4, discountRate: 0.25, longRun: [{ outcome: "school", components: [WORK, TAXES], countedShare: 0.5 }] },
  });
  const model = compile(s);
  const table = handTable(model, [{ treated: { school: [6] }, comparator: { school: [4] }, counterfactual: { school: [4] } }]);
  // Filled as the simulation would: society's rate 25 % a year, so a year's discount factor is 1/1.25 = 0.8.
  // Care costs avoided at full cost (PV) 500, of which the payer's own 300; long-run resource value
  // 2 extra successes × 0.5 counted × 1000 × 0.8 = 800. Society's benefits: 500 + 800 = 1300.
  table.discountRate[0] = 0.25;
  table.avoidedPV[0] = 300;
  table.societyBenefitPV[0] = 1300;
  return { model, table, results: evaluateContract(model, table) };
}

describe("societyByPerspective(model, table, results)", () => {
  test("splits a hand-computed case so the perspectives add up to the resource total", () => {
    const { model, table, results } = handCase();
    const c = societyByPerspective(model, table, results);
    // Capital 1000 drawn at period 0: PV 1000. Activity payment 600 at period 4: PV 600 × 0.8 = 480.
    // Participants: the work 800 (resource), less taxes 0.4 × 800 = 320 to taxpayers → 480.
    expect(c.benefits.participants[0]).toBeCloseTo(800, 9);
    expect(c.transfers.participants[0]).toBeCloseTo(-320, 9);
    expect(c.npv.participants[0]).toBeCloseTo(480, 9);
    // Taxpayers: care avoided 500 (resource), taxes +320, payments to the financier −480 → 340.
    expect(c.benefits.taxpayers[0]).toBeCloseTo(500, 9);
    expect(c.transfers.taxpayers[0]).toBeCloseTo(320 - 480, 9);
    expect(c.npv.taxpayers[0]).toBeCloseTo(340, 9);
    // Others (the financier): capital 1000 (resource cost), payments +480 → −520.
    expect(c.costs.others[0]).toBeCloseTo(1000, 9);
    expect(c.transfers.others[0]).toBeCloseTo(480, 9);
    expect(c.npv.others[0]).toBeCloseTo(-520, 9);
    // 480 + 340 − 520 = 300 = 1300 − 1000, society's resource NPV; the transfers −320 + (320 − 480) + 480 = 0.
    expect(results.societyNpv[0]).toBeCloseTo(300, 9);
    expect(c.npv.participants[0]! + c.npv.taxpayers[0]! + c.npv.others[0]!).toBeCloseTo(300, 9);
    expect(c.transfers.participants[0]! + c.transfers.taxpayers[0]! + c.transfers.others[0]!).toBeCloseTo(0, 9);
    // The payer's own part of the taxpayers' figures.
    expect(c.payerAvoidedPV[0]).toBeCloseTo(300, 9);
    expect(c.payerPaymentsPV[0]).toBeCloseTo(480, 9);
  });

  test("the simulation counts only the resource gains: adding a tax transfer leaves society's benefits unchanged", () => {
    // Same children, same draws (the share is fixed, so it uses no random numbers): with and without the taxes component.
    const make = (components: unknown[]) => scenario({
      name: "taxes are a transfer",
      population: { cohorts: [{ size: 200 }] },
      outcomes: [{ id: "school", kind: "binary", baseline: 0.5 }],
      intervention: { effects: [{ outcome: "school", oddsRatio: 1.8 }] },
      measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { school: 0.5 } } },
      contract: { capital: 0, drawdown: [{ period: 0, share: 1 }], rules: [] },
      valuation: { horizonPeriods: 4, discountRate: 0.03, longRun: [{ outcome: "school", components, countedShare: 1, delayYears: 2 }] },
    });
    const a = simulateOutcomes(compile(make([WORK])), { trials: 300, seed: 5 });
    const b = simulateOutcomes(compile(make([WORK, TAXES])), { trials: 300, seed: 5 });
    expect(Array.from(b.societyBenefitPV)).toEqual(Array.from(a.societyBenefitPV));
    // And the old form, one valuePerSuccess of 1000, is the same resource value.
    const legacy = scenario({ ...make([WORK]), valuation: { horizonPeriods: 4, discountRate: 0.03, longRun: [{ outcome: "school", valuePerSuccess: 1000, countedShare: 1, delayYears: 2 }] } });
    expect(Array.from(simulateOutcomes(compile(legacy), { trials: 300, seed: 5 }).societyBenefitPV)).toEqual(Array.from(a.societyBenefitPV));
  });

  test("on Norrköping the perspectives add up to society's NPV in every trial and the transfers cancel", () => {
    const parsed = parseScenario(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8")));
    if (!parsed.ok) throw new Error("Norrköping does not parse");
    const run = runScenario(parsed.scenario, { trials: 2000, seed: 3 });
    const c = societyByPerspective(run.model, run.outcomes, run.results);
    for (let t = 0; t < 2000; t++) {
      const total = PERSPECTIVES.reduce((s, p) => s + c.npv[p][t]!, 0);
      const moved = PERSPECTIVES.reduce((s, p) => s + c.transfers[p][t]!, 0);
      const scale = 1 + Math.abs(run.results.societyNpv[t]!);
      expect(Math.abs(total - run.results.societyNpv[t]!) / scale).toBeLessThan(1e-9);
      expect(Math.abs(moved) / scale).toBeLessThan(1e-9);
    }
    // The summary's means add up too.
    const sum = run.summary.society.byPerspective.reduce((s, p) => s + p.npv!.mean, 0);
    expect(sum).toBeCloseTo(run.summary.society.npv!.mean, 3);
  });
});

describe("valuation.longRun components are validated", () => {
  const base = (longRun: unknown) => parseScenario({
    name: "bad",
    population: { cohorts: [{ size: 10 }] },
    outcomes: [{ id: "school", kind: "binary", baseline: 0.5 }],
    intervention: { effects: [] },
    measurement: { followUpPeriods: 4, comparator: { kind: "historical", baseline: { school: 0.5 } } },
    contract: { capital: 0, drawdown: [{ period: 0, share: 1 }], rules: [] },
    valuation: { horizonPeriods: 4, discountRate: 0, longRun: [longRun] },
  });
  const problems = (longRun: unknown) => { const r = base(longRun); return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`); };
  test("names the field and what is allowed", () => {
    expect(problems({ outcome: "school", countedShare: 1 })).toEqual(["valuation.longRun[0]: needs exactly one of valuePerSuccess or components"]);
    expect(problems({ outcome: "school", countedShare: 1, valuePerSuccess: 1, components: [WORK] })).toEqual(["valuation.longRun[0]: needs exactly one of valuePerSuccess or components"]);
    expect(problems({ outcome: "school", countedShare: 1, components: [WORK, { ...TAXES, transferFrom: undefined }] })).toEqual([
      "valuation.longRun[0].components[1].transferFrom: a share of another component must be a transfer: say which perspective it comes from",
    ]);
    expect(problems({ outcome: "school", countedShare: 1, components: [TAXES, WORK] })).toEqual([
      "valuation.longRun[0].components[0].of: must name an earlier component with a value; valued components are none",
    ]);
    expect(problems({ outcome: "school", countedShare: 1, components: [{ ...WORK, transferFrom: "participants" }] })).toEqual([
      "valuation.longRun[0].components[0].transferFrom: must differ from perspective (a transfer moves money between two perspectives)",
    ]);
    expect(problems({ outcome: "school", countedShare: 1, components: [{ ...WORK, perspective: "state" }] })[0]).toMatch(/^valuation\.longRun\[0\]\.components\[0\]\.perspective: /);
  });
});
