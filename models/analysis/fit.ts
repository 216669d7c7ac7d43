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
 *
 * The fitted scenario carries the posterior as an empirical joint distribution of every
 * uncertain input (`fitted`: the paths, one row of values per kept draw, and each row's weight),
 * which `simulateOutcomes` draws rows from (models/simulate.ts), so `run`, `sweep` and the pages
 * accept it as any scenario.
 */
import { z } from "zod";
import { compile, type Model } from "../compile.js";
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
    return { o, path: o.kind === "binary" ? `outcomes[${oi}].baseline` : `outcomes[${oi}].baselineRate` };
  });
  const { table, weights, ess, trials, essMet } = weighEnsemble(model, { trials: options.trials ?? scenario.simulation.trials, seed, essFloor, maxTrials }, (table) => {
    const logLik = new Float64Array(table.trials);
    for (const { o, path } of terms) {
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
