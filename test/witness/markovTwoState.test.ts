/**
 * The placement model's treated arm against the exact two-state Markov chain.
 *
 * Witness: a chain with states care (C) and home (H), P(C→H) = a, P(H→C) = b per period, has
 * the transition matrix P = [[1−a, a], [b, 1−b]], whose powers are in closed form (eigenvalues
 * 1 and λ = 1 − a − b): a child in care at period 0 is in care at period t with chance
 *   π(t) = b/(a+b) + a/(a+b) · λ^t.
 * Over a follow-up of F periods the expected periods in care are Σ_{t<F} π(t)
 *   = F·b/(a+b) + a/(a+b) · (1 − λ^F)/(1 − λ),
 * and the expected re-placements (moves H→C at the end of periods 0 … F−1) Σ_{t<F} (1 − π(t))·b.
 * The intervention's rate ratio 0.5 on H→C makes b' = 1 − (1 − b)^0.5 (README, Methods).
 *
 * With a = 0.25, b = 0.1, F = 8: λ = 0.65, λ^8 = 0.0318644812890625,
 *   untreated: 8·0.1/0.35 + (0.25/0.35)·(1 − 0.65^8)/0.35 = 2.2857142857 + 1.9757867729
 *            = 4.2615010586 periods in care; re-placements 0.3738498941;
 *   treated:   b' = 1 − √0.9 = 0.0513167019, λ' = 0.6986832981:
 *              3.9596556186 periods in care; re-placements 0.2073371484
 * (the same sums evaluated term by term in Python; the test evaluates the closed form).
 * Every parameter is fixed, so the trials are independent draws of one cohort of 50 children
 * (independent given the chances); the tolerance is 4 standard errors of the trial mean.
 */
import { describe, expect, test } from "vitest";
import { compile, simulateOutcomes } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

const a = 0.25, b = 0.1, F = 8, N = 50, COST = 1000;

/** Expected periods in care and re-placements per child over F periods, from the closed form. */
function closedForm(leave: number, enter: number): { care: number; replacements: number } {
  const lambda = 1 - leave - enter;
  const stationary = enter / (leave + enter), transient = leave / (leave + enter);
  const care = F * stationary + (transient * (1 - lambda ** F)) / (1 - lambda);
  // Σ (1 − π(t))·enter = enter·(F − care)
  return { care, replacements: enter * (F - care) };
}

function twoState(rateRatio: number) {
  return scenario({
    name: "two-state chain",
    population: { cohorts: [{ size: N }] },
    outcomes: [
      {
        id: "p",
        kind: "placement",
        states: [
          { id: "care", placement: true, costPerDay: COST },
          { id: "home", placement: false, costPerDay: 0 },
        ],
        initial: { care: 1 },
        transitions: [
          { from: "care", to: "home", perPeriod: a },
          { from: "home", to: "care", perPeriod: b },
        ],
      },
    ],
    intervention: { delivered: 1, effects: [{ outcome: "p", from: "home", to: "care", rateRatio }] },
    measurement: { followUpPeriods: F, comparator: { kind: "historical", baseline: { "p.cost": 1e6 } } },
    contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [] },
    valuation: { horizonPeriods: F, discountRate: 0 },
  });
}

function meanAndSE(xs: ArrayLike<number>): [number, number] {
  let s = 0, s2 = 0;
  for (let i = 0; i < xs.length; i++) (s += xs[i]!), (s2 += xs[i]! * xs[i]!);
  const m = s / xs.length;
  return [m, Math.sqrt((s2 / xs.length - m * m) / (xs.length - 1))];
}

describe("the two-state chain with a rate ratio of 0.5", () => {
  const model = compile(twoState(0.5));
  const T = 6000;
  const table = simulateOutcomes(model, { trials: T, seed: 11 });
  const dpp = model.daysPerPeriod;
  const [mc, md, mr] = [0, 1, 2]; // cost, care days, re-placements (the placement outcome's measures)
  const column = (col: Float64Array, m: number) => Float64Array.from({ length: T }, (_, t) => col[t * 3 + m]! / N);
  const bTreated = 1 - Math.sqrt(1 - b);

  test("the closed form is the one written down above", () => {
    expect(closedForm(a, b).care).toBeCloseTo(4.2615010586, 9);
    expect(closedForm(a, b).replacements).toBeCloseTo(0.3738498941, 9);
    expect(bTreated).toBeCloseTo(0.0513167019, 9);
    expect(closedForm(a, bTreated).care).toBeCloseTo(3.9596556186, 9);
    expect(closedForm(a, bTreated).replacements).toBeCloseTo(0.2073371484, 9);
  });

  test("treated care days, costs and re-placements per child match the chain with b' = 1 − (1 − b)^0.5", () => {
    const ref = closedForm(a, bTreated);
    for (const [m, expected] of [[md, ref.care * dpp], [mc, ref.care * dpp * COST], [mr, ref.replacements]] as const) {
      const [mean, se] = meanAndSE(column(table.treated, m));
      expect(Math.abs(mean - expected), `measure ${m}: simulated ${mean}, exact ${expected}`).toBeLessThan(4 * se);
    }
  });

  test("the untreated arm matches the chain with b, and the saving (coupled arms) matches the difference of the two", () => {
    const untreated = closedForm(a, b), treated = closedForm(a, bTreated);
    const [mean, se] = meanAndSE(column(table.counterfactual, md));
    expect(Math.abs(mean - untreated.care * dpp)).toBeLessThan(4 * se);
    // The arms share each child's uniforms, so the saving has a much smaller spread than either arm.
    const saving = Float64Array.from({ length: T }, (_, t) => (table.counterfactual[t * 3 + md]! - table.treated[t * 3 + md]!) / N);
    const [ms, ss] = meanAndSE(saving);
    expect(Math.abs(ms - (untreated.care - treated.care) * dpp)).toBeLessThan(4 * ss);
    expect(ss).toBeLessThan(se);
  });
});
