/**
 * The quarterly forecast during the contract (issue 15 §3): quarterly observations of a running
 * contract (how many of the cohort's children are in each care state, the cohort's placement
 * costs, whether the work is delivered as planned) condition the prior ensemble, with the
 * importance-sampling machinery of fit.ts (weighEnsemble: Kish ESS, ensemble doubling).
 *
 * **The likelihood, and what it approximates.** Only the counts per state are observed, not
 * which child moved where, so the exact likelihood of a trajectory of counts is a sum over every
 * table of moves that fits them: intractable beyond a few states. We use the one-step
 * *pooled multinomial*: given the counts n_q in quarter q, the counts in quarter q+1 are taken as
 * N independent draws from the mixed row q = n_q · P / N (P the trial's treated transition matrix
 * for that period, with the intervention's rate ratios if the trial delivers, and the regression
 * to the mean's extra exits in the first periods). Its mean is the exact one; its variance is a
 * little larger than the exact sum of per-state multinomials (mixing rows adds the spread between
 * them), so the posterior is slightly wider than the exact one, never narrower: conservative.
 * Consecutive quarters are chained (the Markov property), so the information is not counted
 * twice as it would be by treating each quarter's counts as independent draws from π₀Pᵗ.
 * Quarter 1's counts are the intake, which the engine fixes, so they carry no likelihood.
 * Delivery: the model's delivery is one fact for the whole contract (models/simulate.ts), so the
 * latest quarter's report of it is taken as that fact (trials that disagree get weight 0).
 * Costs are not in the likelihood (their spread would need a stated measurement error); they are
 * used to fix the past (below).
 *
 * **The money, conditional on the data.** The contract's money depends on the measured cost and
 * care days over the follow-up window. Each trial's are replaced by the observed quarters' (costs
 * as reported; where a quarter's cost is not given, its counts times the trial's prices per day)
 * plus the rest of the window simulated from the last quarter's observed counts under the trial's
 * treated transition matrix (a stream of the trial's own, FOLLOW_UP_PURPOSE), and the contract is
 * evaluated on that table (models/contract/evaluate.ts, unchanged) and weighted. Approximated:
 * the re-placement count measure and the payer's avoided costs stay the trial's own simulation
 * (their parameters weighted by the data, their chance path not pinned to the observed one); the
 * comparator (the historical group) is not observed and stays simulated.
 *
 * **Clauses** (contract.clauses): an option to extend the follow-up by N periods or to stop after
 * quarter K on a condition on the observed placements, valued as the difference in expected money
 * with and without it, each side evaluated by re-simulating a modified copy of the scenario (same
 * seed and trials, so every parameter draw is the same and the weights carry over) and fixing the
 * observed past as above.
 */
import { z } from "zod";
import { compile, type Model, type PlacementModel } from "../compile.js";
import { evaluateContract, type ContractResults } from "../contract/evaluate.js";
import { Rows } from "../cohort/rows.js";
import { annualize, irr } from "../finance/irr.js";
import { priceFactors } from "../prices.js";
import { Stream, seedKey } from "../random/stream.js";
import { centralValue } from "../scenario/param.js";
import { followUpClause, type Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { importanceWeights, meanSd, weighEnsemble, weightedQuantile } from "./fit.js";

/** The stream purpose of the rest of the window simulated from the observed counts (beyond Purpose's 1–5). */
const FOLLOW_UP_PURPOSE = 0x4655;

export const quarterSchema = z
  .object({
    quarter: z.number().int().min(1).max(400).describe("the contract quarter (period) observed, 1 = the first"),
    states: z.record(z.string(), z.number().int().min(0, { message: "must be a whole number of children, 0 or more" })).describe("children of the cohort in each care state during the quarter"),
    cost: z.number().min(0, { message: "must be 0 or more (kronor spent on the cohort's placements in the quarter)" }).max(1e13).optional().describe("the payer's cost of the cohort's placements in the quarter, nominal"),
    delivered: z.boolean().optional().describe("whether the work was delivered as planned so far"),
    note: z.string().optional(),
  })
  .strict();

export const observationsSchema = z
  .object({
    outcome: z.string().optional().describe("the placement outcome observed (default: the scenario's first)"),
    cohort: z.number().int().min(0).optional().describe("the cohort observed, 0 = the first"),
    quarters: z.array(quarterSchema).min(1, { message: "give at least one quarter" }).max(400),
    clauses: z.array(followUpClause).max(10).optional().describe("clauses under consideration, valued as the contract's own (contract.clauses)"),
    source: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

export type FollowUpObservations = z.infer<typeof observationsSchema>;
export type Quarter = z.infer<typeof quarterSchema>;

/** Observations that do not fit the scenario: `path` is the field, `quarter` the quarter it belongs to (if any). */
export class FollowUpError extends Error {
  constructor(
    readonly path: string,
    readonly quarter: number | null,
    readonly reason: string,
  ) {
    super(`${path}${quarter !== null ? ` (quarter ${quarter})` : ""}: ${reason}`);
  }
}

/** Parses observations from JSON text or CSV rows (quarter, one column per state, cost, delivered). */
export function parseObservationsCsv(rows: readonly Record<string, string | undefined>[]): unknown {
  return {
    quarters: rows.map((r) => {
      const states: Record<string, number> = {};
      let quarter: number | string = NaN, cost: number | undefined, delivered: boolean | undefined;
      for (const [k, v] of Object.entries(r)) {
        const text = (v ?? "").trim();
        if (k === "quarter") quarter = text === "" ? NaN : Number(text);
        else if (k === "cost") cost = text === "" ? undefined : Number(text);
        else if (k === "delivered") delivered = text === "" ? undefined : /^(true|yes|1)$/i.test(text);
        else if (k !== "note" && text !== "") states[k] = Number(text);
      }
      return { quarter, states, ...(cost !== undefined ? { cost } : {}), ...(delivered !== undefined ? { delivered } : {}) };
    }),
  };
}

/** The observations checked against the scenario: dense counts by state index, in quarter order. */
export interface CheckedObservations {
  readonly outcome: PlacementModel;
  readonly cohort: number;
  readonly size: number;
  /** counts[q][s]: quarter q + 1's count in state s. */
  readonly counts: readonly Int32Array[];
  readonly costs: readonly (number | null)[];
  /** The latest quarter's report of delivery, or null if none said. */
  readonly delivered: boolean | null;
  readonly raw: FollowUpObservations;
}

/** Zod problems as one FollowUpError naming the field and, where it is one quarter's, the quarter. */
export function parseObservations(json: unknown): FollowUpObservations {
  const r = observationsSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  let quarter: number | null = null;
  if (issue.path[0] === "quarters" && typeof issue.path[1] === "number") {
    const q = (json as { quarters?: { quarter?: unknown }[] }).quarters?.[issue.path[1]]?.quarter;
    quarter = typeof q === "number" && Number.isInteger(q) ? q : issue.path[1] + 1;
  }
  throw new FollowUpError(path || "observations", quarter, issue.message);
}

export function checkObservations(model: Model, obs: FollowUpObservations): CheckedObservations {
  const placements = model.outcomes.filter((o): o is PlacementModel => o.kind === "placement");
  const ids = model.scenario.outcomes;
  const outcome = obs.outcome === undefined ? placements[0] : placements.find((o) => ids[o.outcomeIndex]!.id === obs.outcome);
  if (!outcome) {
    throw new FollowUpError("outcome", null, obs.outcome === undefined ? "the scenario has no placement outcome to follow" : `no placement outcome ${JSON.stringify(obs.outcome)} in the scenario (it has ${placements.map((o) => ids[o.outcomeIndex]!.id).join(", ") || "none"})`);
  }
  const cohort = obs.cohort ?? 0;
  if (cohort >= model.cohortSizes.length) throw new FollowUpError("cohort", null, `the scenario has ${model.cohortSizes.length} cohort${model.cohortSizes.length === 1 ? "" : "s"} (0 to ${model.cohortSizes.length - 1})`);
  const size = model.cohortSizes[cohort]!;
  const start = model.cohortStarts[cohort]!;
  const S = outcome.states.length;
  const counts: Int32Array[] = [];
  const costs: (number | null)[] = [];
  let delivered: boolean | null = null;
  obs.quarters.forEach((q, i) => {
    const at = `quarters[${i}]`;
    const expected = (counts.length === 0 ? start : obs.quarters[i - 1]!.quarter) + 1;
    if (q.quarter !== expected) {
      throw new FollowUpError(`${at}.quarter`, q.quarter, i === 0 ? `the first quarter observed must be the cohort's first, quarter ${expected}` : `quarters must follow in order without gaps: expected quarter ${expected} after quarter ${expected - 1}`);
    }
    if (q.quarter > model.simulatedPeriods) throw new FollowUpError(`${at}.quarter`, q.quarter, `the scenario simulates ${model.simulatedPeriods} quarters`);
    const row = new Int32Array(S);
    let total = 0;
    for (const [state, n] of Object.entries(q.states)) {
      const s = outcome.states.indexOf(state);
      if (s < 0) throw new FollowUpError(`${at}.states.${state}`, q.quarter, `no care state ${JSON.stringify(state)} in the scenario (it has ${outcome.states.join(", ")})`);
      if (n > size) throw new FollowUpError(`${at}.states.${state}`, q.quarter, `${n} children is more than the cohort's ${size}`);
      row[s] = n;
      total += n;
    }
    if (total !== size) throw new FollowUpError(`${at}.states`, q.quarter, `the counts add up to ${total}; every one of the cohort's ${size} children is in one state`);
    counts.push(row);
    costs.push(q.cost ?? null);
    if (q.delivered !== undefined) delivered = q.delivered;
  });
  return { outcome, cohort, size, counts, costs, delivered, raw: obs };
}

/** A trial's treated transition matrices: the first regime's (regression to the mean) and the later one, [from][to]. */
class TrialChain {
  readonly early: Rows;
  readonly late: Rows;
  readonly values: Float64Array;
  private readonly columns: (Float64Array | null)[];
  private readonly fixed: Float64Array;
  private readonly effect: Float64Array;
  private readonly both: Float64Array;
  private readonly exitsCare: Uint8Array;
  regimeEnd = 0;

  constructor(
    private readonly model: Model,
    private readonly table: OutcomeTable,
    private readonly m: PlacementModel,
  ) {
    this.early = new Rows(m.states.length);
    this.late = new Rows(m.states.length);
    this.values = new Float64Array(model.params.length);
    this.columns = model.params.map((p) => table.params.get(p.path) ?? null);
    this.fixed = Float64Array.from(model.params, (p) => (p.uncertain ? NaN : centralValue(p.spec)));
    this.effect = new Float64Array(m.from.length);
    this.both = new Float64Array(m.from.length);
    this.exitsCare = Uint8Array.from(m.from, (f, i) => (m.isPlacement[f] === 1 && m.isPlacement[m.to[i]!] === 0 ? 1 : 0));
  }

  /** The trial's parameter values and rows, as models/cohort/placement.ts's setTrial builds the treated arm's. */
  set(t: number): void {
    const { model, m, values } = this;
    for (let i = 0; i < values.length; i++) values[i] = this.columns[i] ? this.columns[i]![t]! : this.fixed[i]!;
    const delivered = this.table.delivered[t] === 1;
    for (let i = 0; i < m.from.length; i++) this.effect[i] = delivered && m.effectSlot[i]! >= 0 ? values[m.effectSlot[i]!]! : 1;
    this.late.fillRatios(m, values, this.effect);
    const rtm = model.baselineCohort?.regressionToMean ?? null;
    const ratio = rtm ? values[rtm.exitRateRatioSlot]! : 1;
    this.regimeEnd = rtm && ratio !== 1 ? rtm.periods : 0;
    if (this.regimeEnd > 0) {
      for (let i = 0; i < m.from.length; i++) this.both[i] = this.effect[i]! * (this.exitsCare[i] ? ratio : 1);
      this.early.fillRatios(m, values, this.both);
    }
  }

  /** The rows for the move at the end of period k of the cohort (k from its start). */
  rows(k: number): Rows {
    return k < this.regimeEnd ? this.early : this.late;
  }
}

/** The chance of moving from s to d in one period under `rows` (staying included). */
function chance(rows: Rows, s: number, d: number): number {
  const S = rows.S, base = s * S, k = rows.len[s]!;
  let p = s === d ? 1 - rows.leave[s]! : 0, prev = 0;
  for (let j = 0; j < k; j++) {
    const c = rows.cum[base + j]!;
    if (rows.dest[base + j] === d) p += c - prev;
    prev = c;
  }
  return p;
}

/** Log-likelihood per trial of the first `quarters` observed quarters (the pooled multinomial; see the file's comment). */
export function followUpLogLik(model: Model, table: OutcomeTable, obs: CheckedObservations, quarters = obs.counts.length): Float64Array {
  const out = new Float64Array(table.trials);
  const chain = new TrialChain(model, table, obs.outcome);
  const S = obs.outcome.states.length, N = obs.size;
  const mix = new Float64Array(S);
  const delivered = lastDelivery(obs, quarters);
  for (let t = 0; t < table.trials; t++) {
    if (delivered !== null && (table.delivered[t] === 1) !== delivered) {
      out[t] = -Infinity;
      continue;
    }
    chain.set(t);
    let l = 0;
    for (let q = 0; q + 1 < quarters && l > -Infinity; q++) {
      const rows = chain.rows(q), n = obs.counts[q]!, next = obs.counts[q + 1]!;
      mix.fill(0);
      for (let s = 0; s < S; s++) if (n[s]! > 0) for (let d = 0; d < S; d++) mix[d]! += (n[s]! * chance(rows, s, d)) / N;
      for (let d = 0; d < S; d++) if (next[d]! > 0) l += next[d]! * Math.log(mix[d]!);
    }
    out[t] = l;
  }
  return out;
}

function lastDelivery(obs: CheckedObservations, quarters: number): boolean | null {
  let d: boolean | null = null;
  for (let q = 0; q < quarters; q++) {
    const v = obs.raw.quarters[q]!.delivered;
    if (v !== undefined) d = v;
  }
  return d;
}

/**
 * A copy of the table whose treated cost and care days of the observed cohort are the observed
 * quarters' plus the rest of the window simulated from the last observed counts.
 */
export function pinObservedPast(model: Model, table: OutcomeTable, obs: CheckedObservations, quarters = obs.counts.length): OutcomeTable {
  const treated = Float64Array.from(table.treated);
  const m = obs.outcome, S = m.states.length, ci = obs.cohort;
  const start = model.cohortStarts[ci]!, windowEnd = start + model.followUp;
  const days = model.daysPerPeriod;
  const nominal = priceFactors(model.priceBasis, model, model.simulatedPeriods).nominal;
  const [mc, md] = m.measureIndex;
  const chain = new TrialChain(model, table, m);
  const key = seedKey(table.seed);
  const stream = new Stream();
  const last = quarters - 1; // the cohort's period of the last observed quarter
  const C = table.cohorts, M = table.measureCount;
  for (let t = 0; t < table.trials; t++) {
    chain.set(t);
    const price = (s: number) => chain.values[m.costSlot[s]!]!;
    let cost = 0, careDays = 0;
    for (let q = 0; q < quarters && start + q < windowEnd; q++) {
      const n = obs.counts[q]!;
      let c = 0;
      for (let s = 0; s < S; s++) {
        if (m.isPlacement[s]) careDays += n[s]! * days;
        c += n[s]! * days * price(s) * nominal[start + q]!;
      }
      cost += obs.costs[q] ?? c;
    }
    if (start + last + 1 < windowEnd) {
      const next = stream.reset(key, t, FOLLOW_UP_PURPOSE, ci).next;
      const n = obs.counts[last]!;
      for (let s0 = 0; s0 < S; s0++) {
        for (let i = 0; i < n[s0]!; i++) {
          let s = s0;
          for (let k = last; start + k + 1 < windowEnd; k++) {
            s = chain.rows(k).step(s, next()); // the move at the end of period k
            if (m.isPlacement[s]) careDays += days;
            cost += days * price(s) * nominal[start + k + 1]!;
          }
        }
      }
    }
    const base = (t * C + ci) * M;
    treated[base + mc] = cost;
    treated[base + md] = careDays;
  }
  return { ...table, treated };
}

/** A distribution's summary: mean and sd, and the 5th, 50th and 95th percentiles (weighted). */
export interface Dist {
  readonly mean: number;
  readonly sd: number;
  readonly p5: number;
  readonly median: number;
  readonly p95: number;
}

function dist(x: Float64Array, w: Float64Array): Dist {
  const { mean, sd } = meanSd(x, w);
  return { mean, sd, p5: weightedQuantile(x, w, 0.05), median: weightedQuantile(x, w, 0.5), p95: weightedQuantile(x, w, 0.95) };
}

/** The money of the contract under weights: expected NPVs (means), the IRR of the expected cash flows, chances. */
export interface Money {
  /** Financier's NPV at the scenario's financier rate: the mean, and its distribution. */
  readonly financierNpv: Dist;
  readonly financierRate: number;
  /** IRR per year of the financier's expected (weighted mean) cash flows; null where none exists. */
  readonly irrOfExpectedFlows: number | null;
  /** Chance the financier gets back less than it lent. */
  readonly lossChance: number;
  /** What the financier still receives after the last observed quarter (outcome payments and any guarantee), nominal. */
  readonly toCome: Dist;
  /** Payer's payments in all, nominal (mean). */
  readonly payments: number;
  /** Payer's avoided costs minus its payments, discounted (mean), and nominal (mean). */
  readonly payerNetPV: Dist;
  readonly payerNet: number;
}

function moneyOf(r: ContractResults, w: Float64Array, after: number): Money {
  const T = r.trials, P = r.periods;
  const flows = r.flows!, draws = r.waterfall!.draws;
  const mean = new Float64Array(P);
  const toCome = new Float64Array(T);
  let loss = 0, payments = 0, payerNet = 0;
  for (let t = 0; t < T; t++) {
    const wt = w[t]!;
    let rest = 0;
    for (let p = 0; p < P; p++) {
      const f = flows[t * P + p]!;
      mean[p]! += wt * f;
      if (p > after) rest += f + draws[t * P + p]!;
    }
    toCome[t] = rest;
    loss += wt * r.loss[t]!;
    payments += wt * r.payments[t]!;
    payerNet += wt * r.payerNet[t]!;
  }
  const rate = annualize(irr(mean), r.periodsPerYear);
  return {
    financierNpv: dist(r.financierNpv, w),
    financierRate: r.financierRate,
    irrOfExpectedFlows: Number.isFinite(rate) ? rate : null,
    lossChance: loss,
    toCome: dist(toCome, w),
    payments,
    payerNetPV: dist(r.payerNetPV, w),
    payerNet,
  };
}

export interface InputUpdate {
  readonly path: string;
  readonly prior: Dist;
  readonly posterior: Dist;
}

/** What the parties see after `quarters` observed quarters (0: the prior, before any data). */
export interface FollowUpStep {
  readonly quarters: number;
  readonly ess: number;
  /** The placement effects' rate ratios (intervention.effects[i].rateRatio), posterior. */
  readonly effects: readonly { readonly path: string; readonly label: string; readonly dist: Dist }[];
  readonly money: Money;
  /** Children in placement in the last observed quarter (null for the prior). */
  readonly placed: number | null;
}

export interface ClauseValue {
  readonly index: number;
  readonly label: string;
  readonly kind: "extend" | "stop";
  /** The quarter whose observations decide the clause. */
  readonly decisionQuarter: number;
  /** Whether the stated condition holds in that quarter's data: null until it is observed. */
  readonly conditionMet: boolean | null;
  /** Expected money with the option exercised, minus without (means; NPV at the financier's rate, payer's net discounted). */
  readonly financierNpv: number;
  readonly payerNetPV: number;
  readonly payerNet: number;
  readonly with: Money;
  /** The same differences given only the first q quarters (q = 1 … all): when the option would have looked worth using. */
  readonly byQuarter: readonly { readonly quarters: number; readonly financierNpv: number; readonly payerNetPV: number }[];
}

export interface FollowUpResult {
  readonly trials: number;
  readonly seed: string | number;
  readonly ess: number;
  readonly essFloor: number;
  readonly essMet: boolean;
  readonly cohortSize: number;
  readonly states: readonly string[];
  /** Step 0 is the prior; step q the forecast after quarters 1..q. */
  readonly steps: readonly FollowUpStep[];
  /** Every uncertain input's prior and posterior given all the quarters. */
  readonly inputs: readonly InputUpdate[];
  readonly clauses: readonly ClauseValue[];
}

export interface FollowUpOptions {
  readonly trials?: number;
  readonly seed?: string | number;
  readonly essFloor?: number;
  readonly maxTrials?: number;
}

function effectPaths(model: Model, outcome: PlacementModel): { path: string; label: string }[] {
  const id = model.scenario.outcomes[outcome.outcomeIndex]!.id;
  return model.scenario.intervention.effects.flatMap((e, i) => {
    if (e.outcome !== id || e.rateRatio === undefined) return [];
    const path = `intervention.effects[${i}].rateRatio`;
    const from = ([] as string[]).concat(e.from ?? []).join("/"), to = ([] as string[]).concat(e.to ?? []).join("/");
    return [{ path, label: `rate ratio ${from} → ${to}` }];
  });
}

function columnOf(model: Model, table: OutcomeTable, path: string): Float64Array {
  const column = table.params.get(path);
  if (column) return column;
  const slot = model.params.find((p) => p.path === path);
  return new Float64Array(table.trials).fill(slot ? centralValue(slot.spec) : NaN);
}

/** Weights of the first `quarters` quarters (uniform for 0); throws if no trial can produce them. */
function weightsFor(model: Model, table: OutcomeTable, obs: CheckedObservations, quarters: number): { weights: Float64Array; ess: number } {
  if (quarters === 0) return { weights: new Float64Array(table.trials).fill(1 / table.trials), ess: table.trials };
  const r = importanceWeights(followUpLogLik(model, table, obs, quarters));
  if (r.ess === 0) throw new FollowUpError("quarters", quarters, "no trial of the prior can produce these observations (a move the scenario gives no chance, or a delivery report no trial shares)");
  return r;
}

function placedIn(obs: CheckedObservations, quarter: number): number {
  const n = obs.counts[quarter - 1]!;
  let placed = 0;
  for (let s = 0; s < n.length; s++) if (obs.outcome.isPlacement[s]) placed += n[s]!;
  return placed;
}

/** The follow-up: the prior, then the forecast after each observed quarter, and the contract's clauses valued on all of them. */
export function followUp(given: Scenario, raw: FollowUpObservations, options: FollowUpOptions = {}): FollowUpResult {
  const scenario: Scenario = raw.clauses?.length ? { ...given, contract: { ...given.contract, clauses: [...(given.contract.clauses ?? []), ...raw.clauses] } } : given;
  const model = compile(scenario);
  const obs = checkObservations(model, raw);
  const seed = options.seed ?? scenario.simulation.seed;
  const essFloor = options.essFloor ?? 1000;
  const Q = obs.counts.length;
  const ens = weighEnsemble(model, { trials: options.trials ?? scenario.simulation.trials, seed, essFloor, maxTrials: options.maxTrials ?? 160_000 }, (table) => followUpLogLik(model, table, obs));
  const { table } = ens;
  const effects = effectPaths(model, obs.outcome).map((e) => ({ ...e, column: columnOf(model, table, e.path) }));
  const steps: FollowUpStep[] = [];
  for (let q = 0; q <= Q; q++) {
    const { weights, ess } = q === Q ? ens : weightsFor(model, table, obs, q);
    const results = evaluateContract(model, q === 0 ? table : pinObservedPast(model, table, obs, q), scenario.contract, { keepFlows: true });
    steps.push({
      quarters: q,
      ess,
      effects: effects.map((e) => ({ path: e.path, label: e.label, dist: dist(e.column, weights) })),
      money: moneyOf(results, weights, q === 0 ? -1 : model.cohortStarts[obs.cohort]! + q - 1),
      placed: q === 0 ? null : placedIn(obs, q),
    });
  }
  const uniform = new Float64Array(table.trials).fill(1 / table.trials);
  const inputs = [...table.params.entries()].map(([path, x]) => ({ path, prior: dist(x, uniform), posterior: dist(x, ens.weights) }));
  const base = steps[Q]!.money;
  const clauses = (scenario.contract.clauses ?? []).map((c, index): ClauseValue => {
    const start = model.cohortStarts[obs.cohort]!;
    const decisionQuarter = c.kind === "stop" ? c.afterQuarter : start + model.followUp;
    const cond = c.condition;
    const conditionMet = decisionQuarter - start > Q ? null : !cond ? true : (cond.placedAtLeast === undefined || placedIn(obs, decisionQuarter - start) >= cond.placedAtLeast) && (cond.placedAtMost === undefined || placedIn(obs, decisionQuarter - start) <= cond.placedAtMost);
    const modified = exercised(scenario, index);
    const m2 = compile(modified);
    const table2 = m2 === model ? table : simulateLike(m2, table);
    const obs2 = checkObservations(m2, raw);
    const moneyAfter = (q: number) => moneyOf(evaluateContract(m2, pinObservedPast(m2, table2, obs2, q), modified.contract, { keepFlows: true }), weightsFor(m2, table2, obs2, q).weights, start + q - 1);
    const byQuarter = Array.from({ length: Q }, (_, i) => {
      const q = i + 1, w = q === Q ? null : moneyAfter(q), b = steps[q]!.money;
      return w ? { quarters: q, financierNpv: w.financierNpv.mean - b.financierNpv.mean, payerNetPV: w.payerNetPV.mean - b.payerNetPV.mean } : null;
    });
    const w = moneyAfter(Q);
    byQuarter[Q - 1] = { quarters: Q, financierNpv: w.financierNpv.mean - base.financierNpv.mean, payerNetPV: w.payerNetPV.mean - base.payerNetPV.mean };
    return {
      index,
      label: c.label ?? (c.kind === "extend" ? `extend the follow-up by ${c.periods} periods` : `stop after quarter ${c.afterQuarter}`),
      kind: c.kind,
      decisionQuarter,
      conditionMet,
      financierNpv: w.financierNpv.mean - base.financierNpv.mean,
      payerNetPV: w.payerNetPV.mean - base.payerNetPV.mean,
      payerNet: w.payerNet - base.payerNet,
      with: w,
      byQuarter: byQuarter.map((x) => x!),
    };
  });
  return { trials: ens.trials, seed, ess: ens.ess, essFloor, essMet: ens.essMet, cohortSize: obs.size, states: obs.outcome.states, steps, inputs, clauses };
}


/** The same trials and seed for a modified model: every parameter draw is the same (streams by path). */
function simulateLike(model: Model, table: OutcomeTable): OutcomeTable {
  return simulateOutcomes(model, { trials: table.trials, seed: table.seed });
}

/**
 * The scenario with clause `index` exercised: an extension lengthens the measurement's follow-up
 * (and the valuation horizon if it must); a stop ends the contract after the quarter, by the
 * contract's termination (chance 1 from the next period, the clause's settlement).
 */
export function exercised(scenario: Scenario, index: number): Scenario {
  const c = scenario.contract.clauses![index]!;
  const copy = structuredClone(scenario);
  if (c.kind === "extend") {
    copy.measurement.followUpPeriods += c.periods;
  } else {
    copy.contract.termination = { chancePerPeriod: { value: 1, source: "derived: the stop clause is exercised" }, fromPeriod: c.afterQuarter, settlement: c.settlement ?? 0 };
  }
  delete copy.contract.clauses;
  return copy;
}
