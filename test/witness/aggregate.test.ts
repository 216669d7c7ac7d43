/**
 * Aggregate sampling (models/cohort/aggregate.ts) against witnesses that are not its own code:
 * the binomial's and hypergeometric's closed-form mean, variance and pmf; the per-child sampler
 * of placement.ts (the same law, drawn child by child); and the Markov chain's expected
 * occupancy, the intake vector times the transition matrix's powers.
 *
 * Tolerances: a mean is compared within 4 standard errors (a two-sided normal tail of 6e-5 per
 * comparison); two samples' means within 4·√(s₁²/R + s₂²/R). A variance s² over R draws has
 * standard error √((μ₄ − σ⁴)/R), with μ₄ the fourth central moment (closed form for the
 * samplers, estimated from the sample for the cohorts); two samples' variances within 4·√(se₁² + se₂²).
 * Chi-square statistics against the 1 − 1e-4 quantile (Wilson–Hilferty's approximation).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { binomial, hypergeometric, AGGREGATE_FROM } from "../../models/cohort/aggregate.js";
import { Stream } from "../../models/random/stream.js";
import { compile, parseScenario, simulateOutcomes } from "../../models/index.js";
import { centralValues, loadModel, sampleCohort, sampleUntreated, type ArmSamples } from "./aggregateHarness.js";
import type { PlacementModel } from "../../models/compile.js";
import { PlacementSimulator, emptyTotals } from "../../models/cohort/placement.js";
import { Purpose } from "../../models/random/stream.js";

const NORRKOPING = "data/scenarios/norrkoping-2016.json";

/** ln k! by summing logs: the test's own, independent of the engine's table. */
const lnFactTable = [0];
function lnFact(k: number): number {
  for (let i = lnFactTable.length; i <= k; i++) lnFactTable.push(lnFactTable[i - 1]! + Math.log(i));
  return lnFactTable[k]!;
}

function moments(xs: ArrayLike<number>): { mean: number; variance: number; m4: number; n: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  const mean = s / n;
  let s2 = 0, s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    s2 += d * d;
    s4 += d * d * d * d;
  }
  return { mean, variance: s2 / (n - 1), m4: s4 / n, n };
}

/** The chi-square distribution's upper 1e-4 quantile for d degrees of freedom (Wilson–Hilferty 1931). */
function chiSquareBound(d: number): number {
  const z = 3.719; // the standard normal's 1 − 1e-4 quantile
  return d * (1 - 2 / (9 * d) + z * Math.sqrt(2 / (9 * d))) ** 3;
}

/** Pearson's statistic of observed counts against a pmf, cells with expected count below 5 pooled into their neighbours. */
function chiSquare(counts: Map<number, number>, pmf: (k: number) => number, lo: number, hi: number, draws: number): { stat: number; df: number } {
  let stat = 0, cells = 0, obs = 0, exp = 0;
  for (let k = lo; k <= hi; k++) {
    obs += counts.get(k) ?? 0;
    exp += pmf(k) * draws;
    if (exp >= 5 || k === hi) {
      stat += ((obs - exp) * (obs - exp)) / Math.max(exp, 1e-300);
      cells++;
      obs = exp = 0;
    }
  }
  return { stat, df: cells - 1 };
}

function tally(draw: () => number, draws: number): { counts: Map<number, number>; xs: Float64Array } {
  const counts = new Map<number, number>();
  const xs = new Float64Array(draws);
  for (let i = 0; i < draws; i++) {
    const x = draw();
    xs[i] = x;
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  return { counts, xs };
}

describe("binomial sampler", () => {
  // Inversion below n·min(p, 1 − p) = 30, BTPE above; p > 1/2 by symmetry.
  const cases: [number, number][] = [
    [20, 0.3], // inversion
    [1000, 0.01], // inversion, mean 10
    [60, 0.45], // inversion, mean 27
    [200, 0.4], // BTPE, mean 80 (step 5.1's recursion for |y − m| ≤ 20, the squeeze beyond)
    [5000, 0.7], // BTPE on 1 − p
    [100000, 0.02], // BTPE, mean 2000
  ];
  const R = 100_000;
  for (const [n, p] of cases) {
    test(`Binomial(${n}, ${p}): mean, variance and pmf`, () => {
      const rng = new Stream().reset(11, n, 3, Math.round(p * 1000)).next;
      const { counts, xs } = tally(() => binomial(rng, n, p), R);
      const q = 1 - p, mean = n * p, variance = n * p * q;
      const m4 = n * p * q * (1 + 3 * (n - 2) * p * q); // the binomial's fourth central moment
      const s = moments(xs);
      expect(Math.abs(s.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / R));
      expect(Math.abs(s.variance - variance)).toBeLessThan(4 * Math.sqrt((m4 - variance * variance) / R));
      const lp = Math.log(p), lq = Math.log(q), lnN = lnFact(n);
      const pmf = (k: number) => Math.exp(lnN - lnFact(k) - lnFact(n - k) + k * lp + (n - k) * lq);
      const lo = Math.max(0, Math.floor(mean - 8 * Math.sqrt(variance))), hi = Math.min(n, Math.ceil(mean + 8 * Math.sqrt(variance)));
      let inside = 0;
      for (const [k, c] of counts) if (k >= lo && k <= hi) inside += c;
      expect(inside).toBe(R); // nothing beyond 8 standard deviations
      const { stat, df } = chiSquare(counts, pmf, lo, hi, R);
      expect(df).toBeGreaterThan(3);
      expect(stat).toBeLessThan(chiSquareBound(df));
      expect(xs.filter((x) => !Number.isInteger(x) || x < 0 || x > n).length).toBe(0);
    });
  }
  test("edge cases: n = 0, p = 0, p = 1", () => {
    const rng = new Stream().reset(1, 2, 3, 4).next;
    expect(binomial(rng, 0, 0.5)).toBe(0);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
  });
});

describe("hypergeometric sampler", () => {
  // [total, good, draws]: inversion from 0 when at most 8 successes are possible, from the mode beyond.
  const cases: [number, number, number][] = [
    [50, 5, 20], // at most 5 successes: from 0
    [3000, 30, 100], // mean 1
    [3000, 600, 100], // mean 20
    [6000, 3000, 2500], // mean 1250, sd about 19
    [100, 90, 40], // at least 30 successes: lo > 0
  ];
  const R = 100_000;
  for (const [N, K, n] of cases) {
    test(`Hypergeometric(${N}, ${K}, ${n}): mean, variance and pmf`, () => {
      const rng = new Stream().reset(12, N, K, n).next;
      const { counts, xs } = tally(() => hypergeometric(rng, N, K, n), R);
      const mean = (n * K) / N, variance = ((n * K * (N - K)) / (N * N)) * ((N - n) / (N - 1));
      const lo = Math.max(0, n - (N - K)), hi = Math.min(n, K);
      const lnC = (a: number, b: number) => lnFact(a) - lnFact(b) - lnFact(a - b);
      const pmf = (k: number) => Math.exp(lnC(K, k) + lnC(N - K, n - k) - lnC(N, n));
      // The fourth central moment by summing the pmf (exact to rounding).
      let m4 = 0;
      for (let k = lo; k <= hi; k++) m4 += pmf(k) * (k - mean) ** 4;
      const s = moments(xs);
      expect(Math.abs(s.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / R));
      expect(Math.abs(s.variance - variance)).toBeLessThan(4 * Math.sqrt((m4 - variance * variance) / R));
      const { stat, df } = chiSquare(counts, pmf, lo, hi, R);
      expect(df).toBeGreaterThan(2);
      expect(stat).toBeLessThan(chiSquareBound(df));
      expect(xs.filter((x) => !Number.isInteger(x) || x < lo || x > hi).length).toBe(0);
    });
  }
});

/**
 * Expected window totals of one arm by the Markov chain: occupancy after k periods is the intake
 * times the product of the periods' matrices. Built from the scenario's own states and
 * transitions with the hazard-ratio rule p' = 1 − (1 − p)^ratio (README, Methods).
 */
function expectedArm(
  file: string,
  values: Float64Array,
  paths: string[],
  opts: { n: number; window: number; ratio: (from: string, to: string, k: number) => number; days: number },
): { careDays: number; cost: number; replacements: number; occupancy: number[][] } {
  const sc = JSON.parse(readFileSync(file, "utf8"));
  const o = sc.outcomes.find((x: { kind: string }) => x.kind === "placement");
  const ids: string[] = o.states.map((s: { id: string }) => s.id);
  const placed = o.states.map((s: { placement: boolean }) => s.placement);
  const value = (path: string) => values[paths.indexOf(path)]!;
  const cost = ids.map((_, i) => value(`outcomes[0].states[${i}].costPerDay`));
  // Intake by the largest remainder (the shares here give whole numbers at n = 400).
  let occ = ids.map((id) => (o.initial[id] ?? 0) * opts.n);
  const occupancy: number[][] = [];
  let careDays = 0, money = 0, repl = 0;
  for (let k = 0; k < opts.window; k++) {
    occupancy.push(occ);
    ids.forEach((_, s) => {
      if (placed[s]) careDays += occ[s]! * opts.days;
      money += occ[s]! * opts.days * cost[s]!;
    });
    const next = ids.map(() => 0);
    ids.forEach((from, s) => {
      let leave = 0;
      o.transitions.forEach((t: { from: string; to: string }, i: number) => {
        if (t.from !== from) return;
        const p = 1 - (1 - value(`outcomes[0].transitions[${i}].perPeriod`)) ** opts.ratio(t.from, t.to, k);
        const to = ids.indexOf(t.to);
        next[to]! += occ[s]! * p;
        leave += p;
        if (!placed[s] && placed[to]) repl += occ[s]! * p;
      });
      next[s]! += occ[s]! * (1 - leave);
    });
    occ = next;
  }
  return { careDays, cost: money, replacements: repl, occupancy };
}

describe("aggregate cohorts against the per-child sampler and the Markov chain (Norrköping, 400 children)", () => {
  const model = loadModel(NORRKOPING);
  const values = centralValues(model);
  const paths = model.params.map((p) => p.path);
  const v = (path: string) => values[paths.indexOf(path)]!;
  // Regression to the mean on (its first 4 periods: 30 % more exits home), and drift for the past group.
  const trial = { delivered: true, effectScale: 1, drift: 1.1, exitRateRatio: 1.3, regimeEnd: 4 };
  const R = 3000, n = 400, window = 8, end = 20;
  const perChild = sampleCohort(model, values, trial, { n, window, end, reps: R, key: 101, aggregate: false });
  const aggregate = sampleCohort(model, values, trial, { n, window, end, reps: R, key: 202, aggregate: true });

  // Regression to the mean speeds every exit from care (the placement states hvb, sis, family) to home.
  const rtm = (from: string, to: string, k: number) => (k < trial.regimeEnd && from !== "home" && to === "home" ? trial.exitRateRatio : 1);
  // The effects as the scenario states them: home → care at effects[0]'s ratio, hvb or sis → home at effects[1]'s.
  const effect = (from: string, to: string) =>
    from === "home" ? v("intervention.effects[0].rateRatio") : (from === "hvb" || from === "sis") && to === "home" ? v("intervention.effects[1].rateRatio") : 1;
  const days = model.daysPerPeriod;
  const expectedC = expectedArm(NORRKOPING, values, paths, { n, window, days, ratio: rtm });
  const expectedT = expectedArm(NORRKOPING, values, paths, { n, window, days, ratio: (f, t, k) => rtm(f, t, k) * effect(f, t) });

  const samePerChild = (x: Float64Array, y: Float64Array) => {
    const a = moments(x), b = moments(y);
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.sqrt(a.variance / a.n + b.variance / b.n));
    const seVar = (m: typeof a) => Math.sqrt(Math.max(m.m4 - m.variance * m.variance, 0) / m.n);
    expect(Math.abs(a.variance - b.variance)).toBeLessThan(4 * Math.hypot(seVar(a), seVar(b)));
  };
  const nearExpected = (x: Float64Array, expected: number) => {
    const a = moments(x);
    expect(Math.abs(a.mean - expected)).toBeLessThan(4 * Math.sqrt(a.variance / a.n));
  };
  const diff = (s: ArmSamples, k: "cost" | "careDays" | "replacements") => s.untreated[k].map((c, i) => c - s.treated[k][i]!);

  for (const arm of ["treated", "untreated"] as const) {
    for (const k of ["careDays", "cost", "replacements"] as const) {
      test(`${arm} ${k}: same mean and variance as child by child, mean as the Markov chain`, () => {
        samePerChild(aggregate[arm][k], perChild[arm][k]);
        const expected = (arm === "treated" ? expectedT : expectedC)[k];
        nearExpected(aggregate[arm][k], expected);
        nearExpected(perChild[arm][k], expected);
      });
    }
  }
  for (const k of ["careDays", "cost", "replacements"] as const) {
    test(`untreated − treated ${k}: same mean and variance as child by child (the coupling), mean as the chains' difference`, () => {
      const a = diff(aggregate, k), b = diff(perChild, k);
      samePerChild(a, b);
      const expected = expectedC[k] - expectedT[k];
      nearExpected(a, expected);
      // The coupling makes the difference far less variable than independent arms would.
      expect(moments(a).variance).toBeLessThan(0.5 * (moments(aggregate.treated[k]).variance + moments(aggregate.untreated[k]).variance));
    });
  }
  test("avoided payer costs over the whole horizon (beyond the window): same mean and variance", () => {
    samePerChild(aggregate.avoided, perChild.avoided);
  });

  test("the past group (runUntreated, drift on entries to care) and a comparison group: same as child by child and the chain", () => {
    const drift = (from: string, to: string) => (from === "home" && to !== "home" ? 1 / trial.drift : 1);
    for (const past of [true, false]) {
      const opts = { n, periods: window, past, reps: R };
      const a = sampleUntreated(model, values, trial, { ...opts, key: 303, aggregate: true });
      const b = sampleUntreated(model, values, trial, { ...opts, key: 404, aggregate: false });
      const expected = expectedArm(NORRKOPING, values, paths, { n, window, days, ratio: past ? drift : () => 1 });
      for (const k of ["careDays", "cost", "replacements"] as const) {
        samePerChild(a[k], b[k]);
        nearExpected(a[k], expected[k]);
      }
    }
  });
});

describe("common random numbers in aggregate", () => {
  const text = JSON.parse(readFileSync(NORRKOPING, "utf8"));
  text.population.cohorts[0].size = 1000;
  text.measurement.comparator.cohort.size = 1000;
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error("scenario");
  const model = compile(parsed.scenario);
  test("the cohort and the past group are large enough to be sampled in aggregate", () => {
    expect(model.cohortSizes[0]).toBeGreaterThanOrEqual(AGGREGATE_FROM);
    expect(model.baselineCohort!.size).toBeGreaterThanOrEqual(AGGREGATE_FROM);
  });
  test("a change in the effect leaves the untreated arm and the comparator unchanged, trial by trial", () => {
    const full = simulateOutcomes(model, { trials: 300, seed: 5 });
    const half = simulateOutcomes(model, { trials: 300, seed: 5, effectScale: 0.5 });
    expect(half.counterfactual).toEqual(full.counterfactual);
    expect(half.comparator).toEqual(full.comparator);
    let differs = 0;
    for (let i = 0; i < full.treated.length; i++) if (full.treated[i] !== half.treated[i]) differs++;
    expect(differs).toBeGreaterThan(full.treated.length / 2);
  });
  test("no effect: the treated arm is the untreated one", () => {
    const none = simulateOutcomes(model, { trials: 100, seed: 5, effectScale: 0 });
    const M = none.measureCount;
    for (let t = 0; t < 100; t++) for (let m = 0; m < 3; m++) expect(none.treated[t * M + m]).toBe(none.counterfactual[t * M + m]);
  });
});

describe("the aggregate draws from the streams as Stream.next does (its generator is inlined)", () => {
  /** A fresh stream on the same key, advanced by `next` as many times as `s` has drawn (sfc32's d counts the draws). */
  const replay = (s: Stream, key: [number, number, number, number]) => {
    const r = new Stream().reset(...key);
    while (r.d !== s.d) r.next();
    return r;
  };
  const same = (s: Stream, r: Stream) => {
    expect([s.a, s.b, s.c, s.d]).toEqual([r.a, r.b, r.c, r.d]);
    for (let i = 0; i < 5; i++) expect(s.next()).toBe(r.next());
  };
  test("the samplers leave a stream where as many calls of its next would", () => {
    const key: [number, number, number, number] = [7, 1, 3, 0];
    const s = new Stream().reset(...key);
    for (let i = 0; i < 200; i++) {
      binomial(s.next, 10 + i * 37, 0.05 + (i % 9) / 10);
      hypergeometric(s.next, 400 + i, 30 + i, 50);
    }
    expect(s.d).toBeGreaterThan(400);
    same(s, replay(s, key));
  });
  test("a cohort and a comparison group in aggregate leave their streams where as many calls of next would", () => {
    const model = loadModel(NORRKOPING);
    const o = model.outcomes.find((x) => x.kind === "placement") as PlacementModel;
    const sim = new PlacementSimulator(o, model.daysPerPeriod);
    sim.aggregateFrom = 1;
    sim.setTrial(centralValues(model), { delivered: true, effectScale: 1, drift: 1.1, exitRateRatio: 1.3, regimeEnd: 4 });
    const ku: [number, number, number, number] = [5, 0, Purpose.untreated, 0], kt: [number, number, number, number] = [5, 0, Purpose.treated, 0];
    const untreated = new Stream().reset(...ku), treated = new Stream().reset(...kt);
    const nominal = new Float64Array(21).fill(1), avoided = new Float64Array(20), full = new Float64Array(20);
    sim.runCohort(3000, 0, 8, 20, untreated.next, treated.next, emptyTotals(), emptyTotals(), avoided, full, nominal);
    expect(untreated.d).toBeGreaterThan(100);
    expect(treated.d).toBeGreaterThan(100);
    same(untreated, replay(untreated, ku));
    same(treated, replay(treated, kt));
    const kc: [number, number, number, number] = [5, 0, Purpose.comparator, 0];
    const comparator = new Stream().reset(...kc);
    sim.runUntreated(3000, 8, false, comparator.next, emptyTotals());
    expect(comparator.d).toBeGreaterThan(50);
    same(comparator, replay(comparator, kc));
  });
});
