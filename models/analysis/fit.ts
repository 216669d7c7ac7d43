/**
 * Fitting a scenario to data: the prior ensemble of a run (each trial's draw of the uncertain
 * inputs) weighted by the likelihood of observed data under each trial's inputs (importance
 * sampling, the prior as the proposal). The posterior is the weighted ensemble; its effective
 * sample size (Kish: (Σw)² / Σw²) says how many prior draws the data left standing. When that
 * falls below a stated floor, the ensemble is enlarged (twice the trials, the same seed, so the
 * first trials are the same) up to a limit, and the fit says so if the floor is still not met.
 *
 * Observations, each with exact likelihood:
 * - `binary`: of `n` participants without the intervention, `successes` had the outcome:
 *   binomial in the outcome's baseline chance;
 * - `count`: `events` events among `exposure` participant-periods' worth of exposure (the
 *   outcome's baseline rate is per participant over the follow-up): Poisson in exposure × rate.
 * - `placement`: of `n` children starting at home (or `from`), without the intervention, `replaced`
 *   entered a placement within `periods` periods: binomial in the chain's chance of that, the
 *   absorbed mass after `periods` steps with the placement states absorbing (replacementTerm).
 *
 * The fitted scenario carries the posterior as an empirical joint distribution of every
 * uncertain input (`fitted`: the paths, one row of values per kept draw, and each row's weight),
 * which `simulateOutcomes` draws rows from (models/simulate.ts), so `run`, `sweep` and the pages
 * accept it as any scenario.
 */
import { z } from "zod";
import { compile, type Model, type PlacementModel } from "../compile.js";
import { Rows } from "../cohort/rows.js";
import { centralValue } from "../scenario/param.js";
import { Stream } from "../random/stream.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";

export const observationSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("binary"),
      outcome: z.string().describe("the id of a binary outcome"),
      n: z.number().int().min(1).max(10_000_000).describe("participants observed without the intervention"),
      successes: z.number().int().min(0).describe("how many of them had the outcome"),
      source: z.string().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("count"),
      outcome: z.string().describe("the id of a count outcome"),
      exposure: z.number().positive().max(1e9).describe("participants observed over a follow-up as long as the scenario's (the rate's unit)"),
      events: z.number().int().min(0).describe("events counted"),
      source: z.string().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("placement"),
      outcome: z.string().describe("the id of a placement outcome"),
      n: z.number().int().min(1).max(10_000_000).describe("children observed without the intervention, each starting in `from`"),
      from: z.string().optional().describe("the state they start in (default: the first state that is not a placement)"),
      periods: z.number().int().min(1).max(400).describe("periods each child was followed"),
      replaced: z.number().int().min(0).describe("how many of them entered a placement state within those periods"),
      past: z.boolean().optional().describe("the historical baseline's past group: entry hazards divided by the comparator's drift"),
      source: z.string().optional(),
    })
    .strict(),
]);

export const fitDataSchema = z
  .object({
    observations: z.array(observationSchema).min(1).max(1000),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    d.observations.forEach((o, i) => {
      if (o.kind === "binary" && o.successes > o.n) ctx.addIssue({ code: "custom", path: ["observations", i, "successes"], message: `must not exceed n (${o.n})` });
      if (o.kind === "placement" && o.replaced > o.n) ctx.addIssue({ code: "custom", path: ["observations", i, "replaced"], message: `must not exceed n (${o.n})` });
    });
  });

export type FitData = z.infer<typeof fitDataSchema>;

export interface FitOptions {
  readonly trials?: number;
  readonly seed?: string | number;
  /** The least effective sample size to accept (default 1,000). */
  readonly essFloor?: number;
  /** The most trials the ensemble may grow to (default 160,000). */
  readonly maxTrials?: number;
  /** Rows kept in the fitted scenario (default 2,000, about 1 MB for Norrköping's 25 inputs): drawn from the weighted ensemble by systematic resampling. */
  readonly rows?: number;
}

export interface InputFit {
  readonly path: string;
  readonly prior: { readonly mean: number; readonly sd: number };
  readonly posterior: { readonly mean: number; readonly sd: number };
}

export interface FitResult {
  readonly trials: number;
  readonly seed: string | number;
  readonly ess: number;
  readonly essFloor: number;
  /** Whether the floor was met within maxTrials. */
  readonly essMet: boolean;
  readonly inputs: readonly InputFit[];
  /** The posterior as rows (equal weight after resampling), by path. */
  readonly fitted: { readonly paths: readonly string[]; readonly rows: readonly (readonly number[])[]; readonly ess: number; readonly trials: number };
}

/** Thrown for data that names an outcome the scenario lacks, or of the wrong kind. */
export class FitError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** log of the binomial and Poisson likelihoods, up to a constant in the parameter. */
const logBinomial = (p: number, n: number, k: number) => (k === 0 ? 0 : k * Math.log(p)) + (n - k === 0 ? 0 : (n - k) * Math.log1p(-p));
const logPoisson = (lambda: number, k: number) => (k === 0 ? 0 : k * Math.log(lambda)) - lambda;

/**
 * A placement observation's log-likelihood given a trial's parameter values: of n children
 * starting in `from`, without the intervention, `replaced` entered a placement state within T
 * periods. With the placement states absorbing, the chance of that is the absorbed mass after T
 * steps of the chain from `from` (exact, by the chain's T-step distribution), and the count is
 * binomial in it. Rows as models/cohort/placement.ts's untreated arm builds them (the past group's
 * with entry hazards divided by the drift, as in its setTrial).
 */
function replacementTerm(model: Model, oi: number, o: { n: number; from?: string; periods: number; replaced: number; past?: boolean }, i: number): (values: Float64Array) => number {
  const m = model.outcomes[oi] as PlacementModel;
  const S = m.states.length;
  const from = o.from === undefined ? m.states.findIndex((_, s) => m.isPlacement[s] === 0) : m.states.indexOf(o.from);
  if (from < 0 || m.isPlacement[from]) throw new FitError(`observations[${i}].from`, o.from === undefined ? "the outcome has no state outside placement to start from" : `must be a state that is not a placement (${m.states.filter((_, s) => !m.isPlacement[s]).join(", ") || "none"})`);
  const drift = o.past ? (model.baselineCohort?.driftSlot ?? -1) : -1;
  const entersCare = Uint8Array.from(m.from, (f, t) => (m.isPlacement[f] === 0 && m.isPlacement[m.to[t]!] === 1 ? 1 : 0));
  const rows = new Rows(S);
  const ratios = new Float64Array(m.from.length);
  let x = new Float64Array(S), y = new Float64Array(S);
  return (values) => {
    for (let t = 0; t < ratios.length; t++) ratios[t] = drift >= 0 && entersCare[t] ? 1 / values[drift]! : 1;
    rows.fillRatios(m, values, ratios);
    x.fill(0);
    x[from] = 1;
    let absorbed = 0;
    for (let k = 0; k < o.periods; k++) {
      y.fill(0);
      for (let s = 0; s < S; s++) {
        const mass = x[s]!;
        if (mass === 0) continue;
        y[s]! += mass * (1 - rows.leave[s]!);
        let prev = 0;
        for (let j = 0; j < rows.len[s]!; j++) {
          const c = rows.cum[s * S + j]!, d = rows.dest[s * S + j]!;
          if (m.isPlacement[d]) absorbed += mass * (c - prev);
          else y[d]! += mass * (c - prev);
          prev = c;
        }
      }
      [x, y] = [y, x];
    }
    return logBinomial(Math.min(1, Math.max(0, absorbed)), o.n, o.replaced);
  };
}

/** Each trial's parameter values (drawn columns, or the fixed values), written into one reused array. */
function trialValues(model: Model, table: OutcomeTable): (t: number) => Float64Array {
  const columns = model.params.map((p) => table.params.get(p.path) ?? null);
  const fixed = Float64Array.from(model.params, (p) => (p.uncertain ? NaN : centralValue(p.spec)));
  const values = new Float64Array(model.params.length);
  return (t) => {
    for (let i = 0; i < values.length; i++) values[i] = columns[i] ? columns[i]![t]! : fixed[i]!;
    return values;
  };
}

/** Normalised importance weights from log-likelihoods, and Kish's effective sample size. */
export function importanceWeights(logLik: Float64Array): { weights: Float64Array; ess: number } {
  let max = -Infinity;
  for (const l of logLik) if (l > max) max = l;
  const w = new Float64Array(logLik.length);
  if (max === -Infinity) return { weights: w, ess: 0 };
  let sum = 0;
  for (let t = 0; t < w.length; t++) sum += w[t] = Math.exp(logLik[t]! - max);
  let sq = 0;
  for (let t = 0; t < w.length; t++) sq += (w[t]! /= sum) ** 2;
  return { weights: w, ess: 1 / sq };
}

/** Systematic resampling (Kitagawa 1996): `count` indices, each trial kept about weight × count times. */
export function systematicResample(weights: Float64Array, count: number, u0: number): Int32Array {
  const out = new Int32Array(count);
  let cum = weights[0] ?? 0, i = 0;
  for (let k = 0; k < count; k++) {
    const u = (u0 + k) / count;
    while (u > cum && i < weights.length - 1) cum += weights[++i]!;
    out[k] = i;
  }
  return out;
}

/** Mean and sd of a column, weighted by `w` (normalised or not) or unweighted. */
export function meanSd(x: Float64Array, w: Float64Array | null): { mean: number; sd: number } {
  let m = 0, n = 0;
  for (let t = 0; t < x.length; t++) {
    const wt = w ? w[t]! : 1;
    m += wt * x[t]!;
    n += wt;
  }
  m /= n;
  let v = 0;
  for (let t = 0; t < x.length; t++) v += (w ? w[t]! : 1) * (x[t]! - m) ** 2;
  return { mean: m, sd: Math.sqrt(v / n) };
}

/** Fits the scenario's uncertain inputs to the data; the fitted scenario is `withFit(scenario, result)`. */
export function fitScenario(scenario: Scenario, data: FitData, options: FitOptions = {}): FitResult {
  const model = compile(scenario);
  const seed = options.seed ?? scenario.simulation.seed;
  const essFloor = options.essFloor ?? 1000;
  const maxTrials = options.maxTrials ?? 160_000;
  const rowsWanted = options.rows ?? 2000;
  // Each observation's column of the parameter it informs.
  const terms = data.observations.map((o, i) => {
    const oi = scenario.outcomes.findIndex((x) => x.id === o.outcome);
    const where = `observations[${i}].outcome`;
    if (oi < 0) throw new FitError(where, `no outcome ${JSON.stringify(o.outcome)} in the scenario (it has ${scenario.outcomes.map((x) => x.id).join(", ")})`);
    const kind = scenario.outcomes[oi]!.kind;
    if (kind !== o.kind) throw new FitError(where, `${JSON.stringify(o.outcome)} is a ${kind} outcome; this observation is ${o.kind}`);
    if (o.kind === "placement") return { o, path: "", replacement: replacementTerm(model, oi, o, i) };
    return { o, path: o.kind === "binary" ? `outcomes[${oi}].baseline` : `outcomes[${oi}].baselineRate`, replacement: null };
  });
  const { table, weights, ess, trials, essMet } = weighEnsemble(model, { trials: options.trials ?? scenario.simulation.trials, seed, essFloor, maxTrials }, (table) => {
    const logLik = new Float64Array(table.trials);
    for (const { o, path, replacement } of terms) {
      if (replacement) {
        const values = trialValues(model, table);
        for (let t = 0; t < table.trials; t++) logLik[t]! += replacement(values(t));
        continue;
      }
      const column = table.params.get(path);
      const slot = model.params.findIndex((p) => p.path === path);
      const fixed = slot >= 0 && !model.params[slot]!.uncertain ? (model.params[slot]!.spec as number | { value: number }) : null;
      const value = (t: number) => (column ? column[t]! : typeof fixed === "number" ? fixed : fixed!.value);
      for (let t = 0; t < table.trials; t++) logLik[t]! += o.kind === "binary" ? logBinomial(value(t), o.n, o.successes) : logPoisson(value(t) * o.exposure, o.events);
    }
    return logLik;
  });
  const paths = [...table.params.keys()];
  const inputs = paths.map((path) => {
    const x = table.params.get(path)!;
    return { path, prior: meanSd(x, null), posterior: meanSd(x, weights) };
  });
  const keep = systematicResample(weights, rowsWanted, new Stream().reset(0x5eed, 0, 96).next());
  const rows = Array.from(keep, (t) => paths.map((p) => table.params.get(p)![t]!));
  return { trials, seed, ess, essFloor, essMet, inputs, fitted: { paths, rows, ess, trials } };
}

/** A prior ensemble weighted by a likelihood (shared by fitScenario and models/analysis/followUp.ts). */
export interface WeightedEnsemble {
  readonly table: OutcomeTable;
  /** Normalised importance weights, one per trial. */
  readonly weights: Float64Array;
  readonly ess: number;
  readonly trials: number;
  /** Whether the effective sample size reached the floor within the most trials allowed. */
  readonly essMet: boolean;
}

/**
 * Simulates the prior ensemble and weights each trial by exp(logLik): importance sampling with
 * the prior as the proposal. While Kish's effective sample size is below `essFloor`, the trials
 * are doubled (the same seed, so the first trials are the same) up to `maxTrials`.
 */
export function weighEnsemble(
  model: Model,
  options: { readonly trials: number; readonly seed: string | number; readonly essFloor: number; readonly maxTrials: number },
  logLikOf: (table: OutcomeTable) => Float64Array,
): WeightedEnsemble {
  let trials = options.trials;
  for (;;) {
    const table = simulateOutcomes(model, { trials, seed: options.seed });
    const { weights, ess } = importanceWeights(logLikOf(table));
    if (ess >= options.essFloor || trials * 2 > options.maxTrials) return { table, weights, ess, trials, essMet: ess >= options.essFloor };
    trials *= 2;
  }
}

/**
 * The fitted scenario: the scenario's own JSON with the posterior rows as `fitted`. Every trial
 * of a run draws one row (its own random stream) for these paths, in place of their priors.
 */
export function withFit(raw: Record<string, unknown>, result: FitResult, data: FitData): Record<string, unknown> {
  return {
    ...raw,
    fitted: {
      note: `derived: posterior of the uncertain inputs given ${data.observations.length} observation${data.observations.length === 1 ? "" : "s"} (importance sampling of ${result.trials} prior trials, seed ${result.seed}; effective sample size ${Math.round(result.ess)})${data.note ? `; ${data.note}` : ""}`,
      observations: data.observations,
      trials: result.trials,
      ess: result.ess,
      paths: result.fitted.paths,
      rows: result.fitted.rows,
    },
  };
}

/** The q-quantile of `x` under normalised weights `w` (the smallest value whose cumulative weight reaches q). */
export function weightedQuantile(x: ArrayLike<number>, w: ArrayLike<number>, q: number): number {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  let total = 0;
  for (const i of order) total += w[i]!;
  let cum = 0;
  for (const i of order) if ((cum += w[i]!) >= q * total) return x[i]!;
  return x[order[order.length - 1]!]!;
}
