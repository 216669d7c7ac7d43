/**
 * The placement model against exact Markov-chain expectations (occupancy after t periods is
 * the intake vector times the transition matrix to the power t), and the invariants of common
 * random numbers.
 */
import { describe, expect, test } from "vitest";
import { randomLcg } from "d3-random";
import { compile, runScenario, simulateOutcomes } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

const states = ["hvb", "sis", "home"] as const;
// Per-period transition chances; staying is the remainder.
const P: Record<string, Record<string, number>> = {
  hvb: { sis: 0.05, home: 0.2 },
  sis: { hvb: 0.3, home: 0.1 },
  home: { hvb: 0.06, sis: 0.02 },
};
const cost = { hvb: 3000, sis: 5000, home: 0 };

function placementScenario(rateRatio: number, delivered = 1) {
  return scenario({
    name: "markov",
    population: { cohorts: [{ size: 50 }] },
    outcomes: [
      {
        id: "p",
        kind: "placement",
        states: states.map((id) => ({ id, placement: id !== "home", costPerDay: cost[id] })),
        initial: { hvb: 0.6, sis: 0.4 },
        transitions: states.flatMap((from) => Object.entries(P[from]!).map(([to, perPeriod]) => ({ from, to, perPeriod }))),
      },
    ],
    intervention: { delivered, effects: [{ outcome: "p", from: "home", to: ["hvb", "sis"], rateRatio }] },
    measurement: { followUpPeriods: 6, comparator: { kind: "historical", baseline: { "p.cost": 1e6 } } },
    contract: { capital: 1, drawdown: [{ period: 0, share: 1 }], rules: [] },
    valuation: { horizonPeriods: 6, discountRate: 0 },
  });
}

/** The chances with a hazard ratio on some transitions: p' = 1 − (1 − p)^ratio (README, Methods). */
function withRatio(ratios: Record<string, number>): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(P).map(([from, row]) => [from, Object.fromEntries(Object.entries(row).map(([to, p]) => [to, 1 - (1 - p) ** (ratios[`${from}>${to}`] ?? 1)]))]),
  );
}

/**
 * Exact expected care days, cost and re-placements per child over `periods`, by matrix powers;
 * `rows(t)` gives period t's chances (the same every period by default).
 */
function exact(periods: number, daysPerPeriod: number, rows: (t: number) => Record<string, Record<string, number>> = () => P) {
  let occ: Record<string, number> = { hvb: 0.6, sis: 0.4, home: 0 };
  let days = 0, money = 0, replaced = 0;
  for (let t = 0; t < periods; t++) {
    for (const s of states) {
      if (s !== "home") days += occ[s]! * daysPerPeriod;
      money += occ[s]! * daysPerPeriod * cost[s];
    }
    const next: Record<string, number> = { hvb: 0, sis: 0, home: 0 };
    for (const from of states) {
      let stay = 1;
      for (const [to, p] of Object.entries(rows(t)[from]!)) {
        next[to]! += occ[from]! * p;
        stay -= p;
        if (from === "home") replaced += occ[from]! * p;
      }
      next[from]! += occ[from]! * stay;
    }
    occ = next;
  }
  return { days, money, replaced };
}

function meanAndSE(xs: Float64Array): [number, number] {
  let s = 0, s2 = 0;
  for (const x of xs) (s += x), (s2 += x * x);
  const m = s / xs.length;
  return [m, Math.sqrt((s2 / xs.length - m * m) / xs.length)];
}

describe("placement model", () => {
  test("mean care days, costs and re-placements match the Markov chain's expectation", () => {
    const s = placementScenario(1);
    const model = compile(s);
    const table = simulateOutcomes(model, { trials: 4000, seed: 5 });
    const ref = exact(6, model.daysPerPeriod);
    const per = (m: number) => Float64Array.from({ length: table.trials }, (_, i) => table.counterfactual[i * 3 + m]! / 50);
    for (const [m, expected] of [[0, ref.money], [1, ref.days], [2, ref.replaced]] as const) {
      const [mean, se] = meanAndSE(per(m));
      expect(Math.abs(mean - expected), `measure ${m}: simulated ${mean}, exact ${expected}`).toBeLessThan(4 * se);
    }
  });

  test("the treated arm matches the Markov chain with the effect's chances (re-placement halved, exits home up by half)", () => {
    // Both kinds of effect: one lowers a state's chance of leaving (home), one raises it (hvb),
    // which is the treated arm's path drawn inside the untreated child's stay.
    const ratios = { "home>hvb": 0.5, "home>sis": 0.5, "hvb>home": 1.5 };
    const s = placementScenario(0.5);
    s.intervention.effects.push({ outcome: "p", from: ["hvb"], to: ["home"], rateRatio: 1.5 } as never);
    const model = compile(s);
    const table = simulateOutcomes(model, { trials: 4000, seed: 6 });
    const ref = exact(6, model.daysPerPeriod, () => withRatio(ratios));
    const per = (m: number) => Float64Array.from({ length: table.trials }, (_, i) => table.treated[i * 3 + m]! / 50);
    for (const [m, expected] of [[0, ref.money], [1, ref.days], [2, ref.replaced]] as const) {
      const [mean, se] = meanAndSE(per(m));
      expect(Math.abs(mean - expected), `measure ${m}: simulated ${mean}, exact ${expected}`).toBeLessThan(4 * se);
    }
  });

  test("the joint law of the two arms is that of one shared uniform per period: the saving's mean and spread match a brute-force simulation", () => {
    // Brute force, written here independently of the engine: each child draws one uniform u per
    // period and both arms step from it through their own cumulative chances (transition order).
    const ratios: Record<string, number> = { "home>hvb": 0.5, "home>sis": 0.5, "hvb>home": 1.5 };
    const s = placementScenario(0.5);
    s.intervention.effects.push({ outcome: "p", from: ["hvb"], to: ["home"], rateRatio: 1.5 } as never);
    const model = compile(s);
    const T = 6000;
    const table = simulateOutcomes(model, { trials: T, seed: 8 });
    const engine = Float64Array.from({ length: T }, (_, t) => table.counterfactual[t * 3]! - table.treated[t * 3]!);
    const treatedRows = withRatio(ratios);
    const step = (st: string, u: number, rows: Record<string, Record<string, number>>) => {
      let acc = 0;
      for (const [to, p] of Object.entries(rows[st]!)) if (u < (acc += p)) return to;
      return st;
    };
    const u = randomLcg(0.25);
    const brute = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < 50; i++) {
        let a = i < 30 ? "hvb" : "sis", b = a; // intake 60 % / 40 % of 50
        for (let k = 0; k < 6; k++) {
          brute[t]! += (cost[b as keyof typeof cost] - cost[a as keyof typeof cost]) * model.daysPerPeriod;
          const x = u();
          [a, b] = [step(a, x, treatedRows), step(b, x, P)];
        }
      }
    }
    const [me, se] = meanAndSE(engine), [mb, sb] = meanAndSE(brute);
    expect(Math.abs(me - mb)).toBeLessThan(4 * Math.hypot(se, sb));
    // Standard deviations: each estimated with relative error about 1/√(2T).
    const sdE = se * Math.sqrt(T), sdB = sb * Math.sqrt(T);
    expect(Math.abs(sdE - sdB)).toBeLessThan(4 * Math.hypot(sdE, sdB) / Math.sqrt(2 * T));
  });

  test("regression to the mean: more exits home in the first periods, in both arms, as the time-varying chain gives", () => {
    // 60 % more exits from care to home over the first 2 periods, then the usual chances; a
    // past group (not regressing) is the comparator, so only the contract cohort has the excess.
    const s = placementScenario(1);
    (s.measurement as { comparator: unknown }).comparator = {
      kind: "historical",
      cohort: { size: 10, drift: 1, years: 0, careCostGrowth: 0, indexation: 0, regressionToMean: { exitRateRatio: 1.6, periods: 2 } },
    };
    const model = compile(scenario(s));
    const table = simulateOutcomes(model, { trials: 4000, seed: 7 });
    const early = withRatio({ "hvb>home": 1.6, "sis>home": 1.6 });
    const ref = exact(6, model.daysPerPeriod, (t) => (t < 2 ? early : P));
    for (const column of [table.counterfactual, table.treated]) {
      const per = (m: number) => Float64Array.from({ length: table.trials }, (_, i) => column[i * 3 + m]! / 50);
      for (const [m, expected] of [[0, ref.money], [1, ref.days], [2, ref.replaced]] as const) {
        const [mean, se] = meanAndSE(per(m));
        expect(Math.abs(mean - expected), `measure ${m}: simulated ${mean}, exact ${expected}`).toBeLessThan(4 * se);
      }
    }
    // The past group has no excess: its cost per child is the stationary chain's.
    const plain = exact(6, model.daysPerPeriod);
    const [pastMean, pastSE] = meanAndSE(Float64Array.from({ length: table.trials }, (_, i) => table.comparator[i * 3]! / 50));
    expect(Math.abs(pastMean - plain.money)).toBeLessThan(4 * pastSE);
    expect(plain.money - ref.money).toBeGreaterThan(8 * pastSE); // and the difference is real
  });

  test("with no effect, treated and counterfactual are identical in every trial (common random numbers)", () => {
    for (const s of [placementScenario(1), placementScenario(0.5, 0)]) {
      const table = simulateOutcomes(compile(s), { trials: 500, seed: 2 });
      expect(Array.from(table.treated)).toEqual(Array.from(table.counterfactual));
    }
  });

  test("a protective effect never increases re-placements relative to its own counterfactual on average, and rarely in a trial", () => {
    const table = simulateOutcomes(compile(placementScenario(0.3)), { trials: 2000, seed: 9 });
    let fewer = 0, more = 0;
    for (let i = 0; i < table.trials; i++) {
      const d = table.counterfactual[i * 3 + 2]! - table.treated[i * 3 + 2]!;
      if (d > 0) fewer++;
      if (d < 0) more++;
    }
    expect(fewer).toBeGreaterThan(10 * more);
  });

  test("the same scenario and seed give the same numbers; another seed others", () => {
    const s = placementScenario(0.7);
    const a = runScenario(s, { trials: 3000, seed: "x" }).summary;
    const b = runScenario(s, { trials: 3000, seed: "x" }).summary;
    const c = runScenario(s, { trials: 3000, seed: "y" }).summary;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });
});
