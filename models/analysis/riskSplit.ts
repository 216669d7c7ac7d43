/**
 * Chance or ignorance: how much of a party's risk is the cohort's chance, which no study can
 * remove, and how much is what we do not know about the effect, costs and rates, which a pilot
 * or better data can. By the law of total variance,
 *
 *   Var(Y) = E[Var(Y | θ)] + Var(E[Y | θ])
 *            chance          ignorance
 *
 * where θ is every uncertain parameter, drawn jointly with the scenario's correlations (a
 * group's trials share one parameter trial, and simulateBlock draws a parameter trial's
 * correlated inputs through the copula, models/random/copula.ts). Estimated from K groups of J trials: the trials of a
 * group share one parameter draw (simulateOutcomes' `parameterTrial`) and each has its own
 * chance (delivery, the cohort's children, the comparator). With group means ȳ_k, the mean
 * within-group variance W and the variance of the group means B, one-way ANOVA's unbiased
 * estimators are E[Var(Y | θ)] ≈ W and Var(E[Y | θ]) ≈ B − W/J (Searle, Casella & McCulloch,
 * Variance Components, 1992, §3.5). The Monte Carlo error of the shares is a bootstrap over
 * groups (the groups are independent; the trials within one are not).
 */
import { compile, type Model } from "../compile.js";
import { contractShape, evaluateContract } from "../contract/evaluate.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { Stream } from "../random/stream.js";
import { checkFinite, checkMemory, estimateRunBytes, MEMORY_LIMIT_BYTES, RunTooLarge } from "../summary/limits.js";

export interface VarianceSplit {
  /** Share of the variance that is the cohort's chance, E[Var(Y | θ)] / Var(Y), in [0, 1]. */
  readonly chance: number;
  /** Share that is ignorance of the parameters, Var(E[Y | θ]) / Var(Y) = 1 − chance. */
  readonly ignorance: number;
  /** Monte Carlo standard error of either share (bootstrap over groups). */
  readonly se: number;
  /** The two components in the output's units squared (ignorance unclipped: it may be slightly negative by chance). */
  readonly chanceVariance: number;
  readonly ignoranceVariance: number;
}

export interface RiskSplit {
  readonly groups: number;
  readonly perGroup: number;
  readonly seed: string | number;
  /** The financier's NPV at its hurdle rate. */
  readonly financierNpv: VarianceSplit | null;
  /** The payer's net present value (avoided costs minus payments). */
  readonly payerNetPV: VarianceSplit | null;
  /** The indicator of paying for nothing (an outcome payment although the true effect is not positive). */
  readonly payForNothing: VarianceSplit | null;
}

export interface RiskSplitOptions {
  /** Outer parameter draws K; default 500. */
  readonly groups?: number;
  /** Inner cohort realisations J per draw; default 20. */
  readonly perGroup?: number;
  readonly seed: string | number;
  /** Bootstrap replicates for the standard error; default 200. */
  readonly bootstrap?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** The K × J trials simulated already, with parameterTrial t ↦ ⌊t / J⌋ (e.g. over worker threads, cli/threads.ts). */
  readonly outcomes?: OutcomeTable;
  /** Bytes the run may take (default MEMORY_LIMIT_BYTES, 4 GiB); a larger run throws RunTooLarge before it starts. */
  readonly memoryLimit?: number;
}

/** The two variance components from each group's mean and within-group sum of squares. */
function components(mean: Float64Array, within: Float64Array, J: number, pick: (i: number) => number, K: number) {
  // W = Σ_k Σ_j (y − ȳ_k)² / (K(J − 1)); B = Σ_k (ȳ_k − ȳ)² / (K − 1), two passes for accuracy.
  let w = 0, m = 0;
  for (let i = 0; i < K; i++) (w += within[pick(i)]!), (m += mean[pick(i)]!);
  const grand = m / K;
  let b = 0;
  for (let i = 0; i < K; i++) b += (mean[pick(i)]! - grand) ** 2;
  const W = w / (K * (J - 1));
  return { chance: W, ignorance: b / (K - 1) - W / J };
}

/** The chance share; the ignorance estimate is clipped at 0 (an unbiased estimator can dip below it). */
function share(c: { chance: number; ignorance: number }): number {
  const total = c.chance + Math.max(0, c.ignorance);
  return total > 0 ? c.chance / total : NaN;
}

/**
 * Splits the variance of `values` (K × J trials, group k = trials kJ … kJ + J − 1) into chance
 * and ignorance. Null when the output does not vary at all.
 */
export function splitVariance(values: ArrayLike<number>, perGroup: number, options: { bootstrap?: number; seed?: number } = {}): VarianceSplit | null {
  const J = perGroup, K = Math.floor(values.length / J);
  if (J < 2 || K < 2) throw new Error(`splitVariance needs at least 2 groups of at least 2 trials, got ${K} of ${J}`);
  const mean = new Float64Array(K), within = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += values[k * J + j]!;
    const m = (mean[k] = s / J);
    let s2 = 0;
    for (let j = 0; j < J; j++) s2 += (values[k * J + j]! - m) ** 2;
    within[k] = s2;
  }
  const point = components(mean, within, J, (k) => k, K);
  const chance = share(point);
  if (!Number.isFinite(chance)) return null;
  const R = options.bootstrap ?? 200;
  const rng = new Stream().reset(options.seed ?? 1, 0, 99);
  const picks = new Int32Array(K);
  let s = 0, s2 = 0, n = 0;
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < K; i++) picks[i] = Math.floor(rng.next() * K);
    const b = share(components(mean, within, J, (i) => picks[i]!, K));
    if (!Number.isFinite(b)) continue;
    (s += b), (s2 += b * b), n++;
  }
  const se = n > 1 ? Math.sqrt(Math.max(0, (s2 - (s * s) / n) / (n - 1))) : 0;
  return { chance, ignorance: 1 - chance, se, chanceVariance: point.chance, ignoranceVariance: point.ignorance };
}

/** Parameter draws K for a risk split beside a run of `trials`, J cohorts each (as `utfall run --risk-split` and the parties' pages take them). */
export function riskSplitGroups(trials: number, perGroup: number): number {
  return Math.max(2, Math.round(trials / perGroup));
}

/** Bytes the risk split's run of K × J trials needs: the columns of an ordinary run without kept flows (models/summary/limits.ts). */
function riskSplitBytes(model: Model, scenario: Scenario, trials: number): number {
  return estimateRunBytes(model, contractShape(model, scenario.contract), trials, false);
}

/**
 * For `utfall run --risk-split`, before either run starts: refuses (RunTooLarge, with the
 * estimate and the limit) when the ordinary run of `trials` and the risk split's second run of
 * riskSplitGroups(trials, perGroup) × perGroup trials would not fit in `limit` together (the
 * first run's columns are still held while the second runs).
 */
export function checkRiskSplitMemory(scenario: Scenario, trials: number, perGroup: number, limit = MEMORY_LIMIT_BYTES): void {
  const model = compile(scenario);
  const splitTrials = riskSplitGroups(trials, perGroup) * perGroup;
  // The first run keeps only the parameter columns it reads, as the CLI's run does.
  const bytes = estimateRunBytes(model, contractShape(model, scenario.contract), trials, false, "used") + riskSplitBytes(model, scenario, splitTrials);
  if (bytes > limit) throw new RunTooLarge(trials, bytes, limit, `with --risk-split's second run of ${splitTrials} trials`);
}

/**
 * The chance/ignorance split of the financier's NPV, the payer's net PV and paying for nothing.
 * Like runScenario, throws RunTooLarge before simulating when its K × J trials would not fit in
 * `memoryLimit`, and NonFiniteTrial when a trial's money figures are not finite
 * (models/summary/limits.ts), rather than splitting the variance of the other trials.
 */
export function riskSplit(scenario: Scenario, options: RiskSplitOptions): RiskSplit {
  const K = options.groups ?? 500, J = options.perGroup ?? 20;
  const model = compile(scenario);
  checkMemory(model, contractShape(model, scenario.contract), K * J, false, options.memoryLimit ?? MEMORY_LIMIT_BYTES);
  const table = options.outcomes ?? simulateOutcomes(model, {
    trials: K * J,
    seed: options.seed,
    parameterTrial: (t) => Math.floor(t / J),
    onProgress: options.onProgress,
  });
  const r = evaluateContract(model, table, scenario.contract);
  checkFinite(model, table, r, `of the risk split's run (${K} parameter draws × ${J} cohorts; trial k × ${J} + j is draw k's cohort j)`);
  const split = (v: ArrayLike<number>) => splitVariance(v, J, { bootstrap: options.bootstrap });
  return {
    groups: K,
    perGroup: J,
    seed: options.seed,
    financierNpv: split(r.financierNpv),
    payerNetPV: split(r.payerNetPV),
    payForNothing: split(r.payForNothing),
  };
}

/** The figures `utfall run --risk-split --json` prints: each output's two shares and their error. */
export function riskSplitFigures(r: RiskSplit) {
  const f = (v: VarianceSplit | null) => (v ? { chance: v.chance, ignorance: v.ignorance, se: v.se } : null);
  return { groups: r.groups, perGroup: r.perGroup, financierNpv: f(r.financierNpv), payerNetPV: f(r.payerNetPV), payForNothing: f(r.payForNothing) };
}
