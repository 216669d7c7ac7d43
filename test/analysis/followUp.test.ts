/**
 * The quarterly follow-up (models/analysis/followUp.ts). Witnesses, none of them our code:
 * - a closed-form posterior by quadrature: from a quarter in which every child is in care, the
 *   pooled multinomial is exact (each child leaves with the same chance), so one quarter later the
 *   number gone home is binomial(N, 1 − (1 − p)^r) and the posterior of the rate ratio r under a
 *   uniform prior is that likelihood normalised over the prior's interval (Simpson's rule);
 * - a trajectory simulated from a known effect: the posterior concentrates around it as quarters
 *   are added (sd shrinking, the true value inside the 90 % interval);
 * - the two-state chain's expected occupancy in closed form, π(k+1) = 0.8 π(k) + 0.05 (1 − π(k)),
 *   for the measured cost that the observed past fixes and the rest of the window simulates.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { contractScenario, scenario } from "../helpers/scenarios.js";
import { checkObservations, followUp, FollowUpError, followUpLogLik, parseObservations, pinObservedPast } from "../../models/analysis/followUp.js";
import { importanceWeights } from "../../models/analysis/fit.js";
import { compile, simulateOutcomes } from "../../models/index.js";
import { Stream } from "../../models/random/stream.js";

const EXIT = 0.2, ENTRY = 0.05;

/** contractScenario (care ↔ home, 3,000 a day in care) with `n` children and a rate ratio on leaving care. */
function withEffect(n: number, rateRatio: unknown) {
  return scenario(
    contractScenario(
      { capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [{ id: "pay", kind: "activity", amount: 500, period: 8 }] },
      { population: { cohorts: [{ size: n, startPeriod: 0 }] }, intervention: { delivered: 1, effects: [{ outcome: "care", from: "inCare", to: "home", rateRatio }] }, simulation: { trials: 4000, seed: 5 } },
    ),
  );
}

/** A trajectory of the two-state chain with the given rate ratio on leaving care, from a fixed seed. */
function trajectory(n: number, ratio: number, quarters: number, seed: number) {
  const leave = 1 - Math.pow(1 - EXIT, ratio);
  const u = new Stream().reset(seed, 0, 1).next;
  const inCare = new Uint8Array(n).fill(1);
  const out = [];
  for (let q = 1; q <= quarters; q++) {
    const c = inCare.reduce((s, x) => s + x, 0);
    out.push({ quarter: q, states: { inCare: c, home: n - c } });
    for (let i = 0; i < n; i++) inCare[i] = inCare[i] ? (u() < leave ? 0 : 1) : u() < ENTRY ? 1 : 0;
  }
  return out;
}

describe("the interim update's likelihood", () => {
  it("gives the exact posterior of the rate ratio after one quarter from all in care (uniform prior, quadrature)", () => {
    const n = 200, gone = 62; // 31 % left, against 20 % without effect
    const s = withEffect(n, { dist: "uniform", min: 0.5, max: 2.5, source: "assumption: test prior" });
    const r = followUp(s, parseObservations({ quarters: [{ quarter: 1, states: { inCare: n } }, { quarter: 2, states: { inCare: n - gone, home: gone } }] }), { trials: 20_000, seed: 3, essFloor: 500 });
    // Posterior ∝ p(r)^62 (1 − p(r))^138 on [0.5, 2.5], p(r) = 1 − 0.8^r: Simpson's rule, 2,000 intervals.
    const like = (x: number) => { const p = 1 - Math.pow(1 - EXIT, x); return Math.exp(gone * Math.log(p) + (n - gone) * Math.log1p(-p) + 130); };
    let z = 0, m1 = 0, m2 = 0;
    const K = 2000, h = 2 / K;
    for (let k = 0; k <= K; k++) {
      const x = 0.5 + k * h, w = (k === 0 || k === K ? 1 : k % 2 ? 4 : 2) * like(x);
      z += w; m1 += w * x; m2 += w * x * x;
    }
    const mean = m1 / z, sd = Math.sqrt(m2 / z - mean * mean);
    const post = r.steps[2]!.effects[0]!.dist;
    expect(sd).toBeLessThan(0.3); // the data say something: the prior's sd is 2 / √12 = 0.58
    // Error of a weighted mean ~ sd / √ESS, of an sd ~ sd / √(2 ESS): 4 of them.
    expect(Math.abs(post.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(r.steps[2]!.ess));
    expect(Math.abs(post.sd / sd - 1)).toBeLessThan(4 / Math.sqrt(2 * r.steps[2]!.ess));
  });

  // One fixed trajectory (seed 5). Over trajectories of seeds 1–8 the posterior means after eight
  // quarters were 1.60, 1.33, 1.37, 1.51, 1.36, 1.36, 1.31, 1.50 (sd about 0.11 each; average 1.42):
  // centred on the truth, as an unbiased update should be.
  it("concentrates around the true effect as quarters are added (a trajectory simulated with rate ratio 1.4)", () => {
    const truth = 1.4, n = 300;
    const s = withEffect(n, { p5: 0.6, p95: 2.2, source: "assumption: test prior" });
    const r = followUp(s, parseObservations({ quarters: trajectory(n, truth, 8, 5) }), { trials: 8000, seed: 9, essFloor: 300 });
    const sd = [1, 2, 4, 6, 8].map((q) => r.steps[q]!.effects[0]!.dist.sd);
    for (let i = 1; i < sd.length; i++) expect(sd[i]!).toBeLessThan(sd[i - 1]!);
    expect(sd[4]!).toBeLessThan(sd[0]! / 3);
    for (const q of [2, 4, 6, 8]) {
      const d = r.steps[q]!.effects[0]!.dist;
      expect(d.p5).toBeLessThan(truth);
      expect(d.p95).toBeGreaterThan(truth);
    }
  });
});

describe("the observed past in the contract's measures", () => {
  it("has the two-state chain's closed-form expected cost when only the intake is seen", () => {
    const n = 60, s = withEffect(n, 1); // rate ratio 1: every chance fixed
    const model = compile(s);
    const table = simulateOutcomes(model, { trials: 4000, seed: 2 });
    const obs = checkObservations(model, parseObservations({ quarters: [{ quarter: 1, states: { inCare: n } }] }));
    const pinned = pinObservedPast(model, table, obs);
    // E[cost] = 3000 × days × N × Σ_{k<8} π(k), π(0) = 1, π(k+1) = 0.8 π(k) + 0.05 (1 − π(k)).
    let pi = 1, sum = 0;
    for (let k = 0; k < 8; k++) (sum += pi), (pi = 0.8 * pi + ENTRY * (1 - pi));
    const expected = 3000 * model.daysPerPeriod * n * sum;
    const M = table.measureCount, costs = Array.from({ length: table.trials }, (_, t) => pinned.treated[t * M]!);
    const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
    const sd = Math.sqrt(costs.reduce((a, b) => a + (b - mean) ** 2, 0) / costs.length);
    expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(table.trials));
    expect(sd).toBeGreaterThan(0); // the rest of the window is simulated, not its mean
  });

  it("takes observed costs as reported", () => {
    const n = 60, s = withEffect(n, 1);
    const model = compile(s);
    const table = simulateOutcomes(model, { trials: 50, seed: 2 });
    const quarters = Array.from({ length: 8 }, (_, i) => ({ quarter: i + 1, states: { inCare: n }, cost: 1000 * (i + 1) }));
    const pinned = pinObservedPast(model, table, checkObservations(model, parseObservations({ quarters })));
    expect(pinned.treated[0]).toBe(36_000); // 1,000 + 2,000 + … + 8,000
    expect(pinned.treated[1]).toBe(8 * n * model.daysPerPeriod); // care days: everyone in care all eight quarters
  });

  it("weights 0 to trials whose delivery disagrees with the latest report", () => {
    const s = scenario({ ...contractScenario({ capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [] }), intervention: { delivered: { dist: "beta", alpha: 1, beta: 1, source: "assumption" }, effects: [] } });
    const model = compile(s);
    const table = simulateOutcomes(model, { trials: 500, seed: 1 });
    const l = followUpLogLik(model, table, checkObservations(model, parseObservations({ quarters: [{ quarter: 1, states: { inCare: 60 }, delivered: false }] })));
    const { weights } = importanceWeights(l);
    for (let t = 0; t < table.trials; t++) if (table.delivered[t]) expect(weights[t]).toBe(0);
  });
});

describe("bad observations", () => {
  const s = withEffect(60, 1);
  const q = (extra: object = {}) => [{ quarter: 1, states: { inCare: 60 } }, { quarter: 2, states: { inCare: 50, home: 10 }, ...extra }];
  it.each([
    [{ quarters: [{ quarter: 1, states: { inCare: 61 } }] }, "quarters[0].states.inCare", 1, /61 children is more than the cohort's 60/],
    [{ quarters: q({ cost: -1 }) }, "quarters[1].cost", 2, /must be 0 or more/],
    [{ quarters: [q()[0], { ...q()[1], quarter: 3 }] }, "quarters[1].quarter", 3, /in order/],
    [{ quarters: [q()[0], { quarter: 2, states: { inCare: 50, jail: 10 } }] }, "quarters[1].states.jail", 2, /no care state "jail"/],
    [{ quarters: [{ quarter: 1, states: { inCare: 59 } }] }, "quarters[0].states", 1, /add up to 59/],
  ])("refuses %j naming the field and the quarter", (data, path, quarter, message) => {
    let e: unknown;
    try {
      followUp(s, parseObservations(data), { trials: 100 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(FollowUpError);
    expect((e as FollowUpError).path).toBe(path);
    expect((e as FollowUpError).quarter).toBe(quarter);
    expect((e as FollowUpError).message).toMatch(message);
  });
});

describe("utfall followup", () => {
  const dir = mkdtempSync("/tmp/utfall-followup-");
  const write = (name: string, text: string) => (writeFileSync(`${dir}/${name}`, text), `${dir}/${name}`);
  it("prints the Norrköping replay, quarter by quarter, with the clauses", async () => {
    const r = await cli("followup", "data/scenarios/norrkoping-2016.json", "data/observations/norrkoping-2016-replay.json", "--trials", "1000", "--ess-floor", "100", "--json");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.steps).toHaveLength(9); // the prior and eight quarters
    expect(json.clauses.map((c: { kind: string }) => c.kind)).toEqual(["extend", "stop"]);
    expect(json.clauses[1].conditionMet).toBe(true); // 35 placed in quarter 4, at least 30
  });
  it("reads CSV rows", async () => {
    const f = write("obs.csv", "quarter,hvb,sis,family,home,cost,delivered\n1,45,15,0,0,,yes\n2,36,11,2,11,,yes\n");
    const r = await cli("followup", "data/scenarios/norrkoping-2016.json", f, "--trials", "500", "--ess-floor", "10", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).steps).toHaveLength(3);
  });
  it.each([
    ["quarter,hvb,sis,family,home\n1,70,15,0,0\n", /quarters\[0\]\.states\.hvb \(quarter 1\): 70 children is more than the cohort's 60/],
    ["quarter,hvb,sis,family,home,cost\n1,45,15,0,0,-3\n", /quarters\[0\]\.cost \(quarter 1\): must be 0 or more/],
    ["quarter,hvb,sis,family,home\n1,45,15,0,0\n3,36,11,2,11\n", /quarters\[1\]\.quarter \(quarter 3\): quarters must follow in order/],
    ["quarter,hvb,sis,jail,home\n1,45,14,1,0\n", /quarters\[0\]\.states\.jail \(quarter 1\): no care state "jail"/],
  ])("refuses %j with exit 2", async (text, message) => {
    const r = await cli("followup", "data/scenarios/norrkoping-2016.json", write("bad.csv", text), "--trials", "200");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe("clauses", () => {
  // contractScenario: capital 1,000 drawn in period 0, an activity payment of 500 in period 8,
  // delivery certain, the financier's rate 0. Stopping after quarter 4 with a settlement of 200
  // pays 200 in period 4 instead of 500 in period 8: the financier's NPV falls by 500 − 200 = 300
  // and the payer's net rises by 300, in every trial (the same children: the streams are the same).
  const s = scenario(
    contractScenario(
      {
        capital: 1000,
        drawdown: [{ period: 0, share: 1 }],
        rules: [{ id: "pay", kind: "activity", amount: 500, period: 8 }],
        clauses: [
          { kind: "stop", afterQuarter: 4, settlement: 200, condition: { placedAtLeast: 40 } },
          { kind: "stop", afterQuarter: 4, settlement: 200, condition: { placedAtMost: 10 } },
          { kind: "stop", afterQuarter: 6, settlement: 200 },
        ],
      },
      { simulation: { trials: 500, seed: 1 } },
    ),
  );
  const quarters = trajectory(60, 1, 4, 8);
  const r = followUp(s, parseObservations({ quarters }));
  it("values a stop as the difference in expected money with and without it (−300 to the financier, +300 to the payer)", () => {
    for (const c of r.clauses) {
      expect(c.financierNpv).toBeCloseTo(-300, 6);
      expect(c.payerNet).toBeCloseTo(300, 6);
    }
  });
  it("says whether the condition holds in the deciding quarter, or that it is not yet known", () => {
    const placed = quarters[3]!.states.inCare;
    expect(placed).toBeGreaterThan(10); // the trajectory: 60 in care at the start, about 40 % left after three quarters
    expect(r.clauses.map((c) => c.conditionMet)).toEqual([placed >= 40, false, null]);
  });
});
