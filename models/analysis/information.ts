/**
 * Expected value of information for the payer's decision to sign: what it would be worth to
 * know the intervention's true effect before deciding (a pilot, an evaluation first).
 *
 * The decision: sign, and receive the contract's net present value to the payer (avoided costs
 * minus outcome payments, discounted), or do not sign, and receive nothing. Under current
 * information the payer takes the better expectation, max(E[net], 0). Knowing the inputs θ
 * first, it would sign only when E[net | θ] > 0, worth E_θ[max(E[net | θ], 0)]. The difference
 * is the expected value of (partial) perfect information, EVPPI, and it is never negative
 * (Jensen's inequality for max(·, 0)), and zero when θ is not uncertain.
 *
 * Two estimators:
 * - `regression` (the default): one run of `trials` trials; E[net | θ] is fitted to the trials'
 *   net PV by a nonparametric regression on θ (Strong, Oakley & Brennan 2014; see
 *   evppiRegression.ts), with the standard error of the whole estimate. Measured on
 *   Norrköping it was far more precise per second than the two-level estimator (README).
 * - `twoLevel`: `outer` draws of θ from its distribution, each with `inner` trials of everything
 *   else. Every inner run uses the same seed (common random numbers), so the conditional means
 *   differ by θ, not by simulation noise. The remaining inner noise biases EVPPI slightly
 *   upwards; `innerStandardError` says how large that noise is, and `standardError` is the
 *   delta-method error of the outer mean (it leaves the shared inner noise out).
 */
import { compile, type Model } from "../compile.js";
import { DEFAULT_TRIALS } from "../constants.js";
import { evaluateContract } from "../contract/evaluate.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes } from "../simulate.js";
import { evppiByRegression } from "./evppiRegression.js";

export type InformationMethod = "regression" | "twoLevel";

export interface InformationOptions {
  /** Which uncertain inputs become known; default: the intervention's effects. */
  readonly inputs?: (path: string) => boolean;
  /** Default `regression`. */
  readonly method?: InformationMethod;
  /** Trials of the regression's one run; default 10,000. */
  readonly trials?: number;
  /** Two-level: outer draws of the inputs and inner trials per draw. */
  readonly outer?: number;
  readonly inner?: number;
  readonly seed: string | number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ValueOfInformation {
  /** The inputs that become known (parameter paths); empty when none of them is uncertain. */
  readonly inputs: readonly string[];
  /** E[net PV to the payer] if it signs, under current information. */
  readonly expectedNet: number;
  /** The decision under current information. */
  readonly sign: boolean;
  readonly method: InformationMethod;
  /** EVPPI of the inputs, in money today; ≥ 0. */
  readonly evppi: number;
  /** Monte Carlo standard error of the whole EVPPI estimate (money). */
  readonly standardError: number;
  /** Share of the draws of the inputs in which knowing them would reverse the decision. */
  readonly probDecisionChanges: number;
  /** Two-level: mean standard error of the inner means (money); null for the regression. */
  readonly innerStandardError: number | null;
  /** Trials simulated in all. */
  readonly trials: number;
  /**
   * Draws of the inputs with the payer's expected net PV given them: each outer draw
   * (two-level), or up to 200 of the run's trials with their fitted conditional means (regression).
   */
  readonly draws: readonly { values: Record<string, number>; expectedNet: number }[];
}

const isEffect = (path: string) => path.startsWith("intervention.effects");

/** EVPPI from the conditional expectations E[net | θ_k] of equally likely draws θ_k. */
export function evppiFromConditionalMeans(means: ArrayLike<number>): { evppi: number; expected: number; probDecisionChanges: number } {
  const K = means.length;
  if (K === 0) return { evppi: 0, expected: 0, probDecisionChanges: 0 };
  let sum = 0, best = 0;
  for (let k = 0; k < K; k++) (sum += means[k]!), (best += Math.max(means[k]!, 0));
  const expected = sum / K;
  const sign = expected > 0;
  let changes = 0;
  for (let k = 0; k < K; k++) if (means[k]! > 0 !== sign) changes++;
  // Jensen: best/K ≥ max(expected, 0) exactly; clamp only the last bits of rounding.
  return { evppi: Math.max(0, best / K - Math.max(expected, 0)), expected, probDecisionChanges: changes / K };
}

/** The payer's expected value of perfect information about `inputs` (by default the effects). */
export function valueOfInformation(scenario: Scenario, options: InformationOptions): ValueOfInformation {
  return (options.method ?? "regression") === "regression" ? byRegression(scenario, options) : twoLevel(scenario, options);
}

/** Single loop: one run, E[net | θ] by regression on the trials. */
function byRegression(scenario: Scenario, options: InformationOptions): ValueOfInformation {
  const trials = options.trials ?? DEFAULT_TRIALS;
  const wanted = options.inputs ?? isEffect;
  const model = compile(scenario);
  const table = simulateOutcomes(model, { trials, seed: options.seed, onProgress: options.onProgress });
  const net = evaluateContract(model, table, scenario.contract).payerNetPV;
  const known = model.params.filter((p) => p.uncertain && wanted(p.path)).map((p) => p.path);
  let mean = 0;
  for (let t = 0; t < trials; t++) mean += net[t]! / trials;
  if (known.length === 0) {
    return { inputs: [], method: "regression", expectedNet: mean, sign: mean > 0, evppi: 0, standardError: 0, probDecisionChanges: 0, innerStandardError: null, trials, draws: [] };
  }
  const columns = known.map((p) => table.params.get(p)!);
  const r = evppiByRegression(net, columns);
  const step = Math.max(1, Math.floor(trials / 200));
  const draws: { values: Record<string, number>; expectedNet: number }[] = [];
  for (let t = 0; t < trials && draws.length < 200; t += step) {
    draws.push({ values: Object.fromEntries(known.map((p, i) => [p, columns[i]![t]!])), expectedNet: r.fitted[t]! });
  }
  return {
    inputs: known,
    method: "regression",
    expectedNet: r.expected,
    sign: r.expected > 0,
    evppi: r.evppi,
    standardError: r.standardError,
    probDecisionChanges: r.probDecisionChanges,
    innerStandardError: null,
    trials,
    draws,
  };
}

/** Two-level Monte Carlo: outer draws of θ, each with its own inner run on the same seed. */
function twoLevel(scenario: Scenario, options: InformationOptions): ValueOfInformation {
  const outer = options.outer ?? 100, inner = options.inner ?? 1000;
  const wanted = options.inputs ?? isEffect;
  const model = compile(scenario);
  const known = model.params.map((p, i) => ({ p, i })).filter(({ p }) => p.uncertain && wanted(p.path));

  const conditional = (m: Model) => {
    const r = evaluateContract(m, simulateOutcomes(m, { trials: inner, seed: options.seed }));
    let s = 0, s2 = 0;
    for (let t = 0; t < inner; t++) (s += r.payerNetPV[t]!), (s2 += r.payerNetPV[t]! ** 2);
    const mean = s / inner;
    return { mean, se: Math.sqrt(Math.max(0, s2 / inner - mean * mean) / inner) };
  };

  if (known.length === 0) {
    const { mean, se } = conditional(model);
    options.onProgress?.(1, 1);
    return { inputs: [], method: "twoLevel", expectedNet: mean, sign: mean > 0, evppi: 0, standardError: 0, probDecisionChanges: 0, innerStandardError: se, trials: inner, draws: [] };
  }

  // Outer draws of θ from the scenario's own distributions (their joint draws in a short run).
  const thetas = simulateOutcomes(model, { trials: outer, seed: `${options.seed}/outer` }).params;
  const draws: { values: Record<string, number>; expectedNet: number }[] = [];
  let seSum = 0;
  for (let k = 0; k < outer; k++) {
    const values: Record<string, number> = {};
    const params = model.params.slice();
    for (const { p, i } of known) {
      const v = thetas.get(p.path)![k]!;
      values[p.path] = v;
      params[i] = { ...p, spec: v, uncertain: false };
    }
    const { mean, se } = conditional({ ...model, params });
    seSum += se;
    draws.push({ values, expectedNet: mean });
    options.onProgress?.(k + 1, outer);
  }
  const means = draws.map((d) => d.expectedNet);
  const { evppi, expected, probDecisionChanges } = evppiFromConditionalMeans(means);
  // Delta method: EVPPI = mean(max(m, 0)) − max(mean(m), 0) has the error of the outer mean of
  // max(m, 0) − 1{E > 0}·m.
  const terms = means.map((m) => Math.max(m, 0) - (expected > 0 ? m : 0));
  const tm = terms.reduce((a, b) => a + b, 0) / outer;
  const standardError = outer > 1 ? Math.sqrt(terms.reduce((a, b) => a + (b - tm) ** 2, 0) / (outer - 1) / outer) : NaN;
  return {
    inputs: known.map(({ p }) => p.path),
    method: "twoLevel",
    expectedNet: expected,
    sign: expected > 0,
    evppi,
    standardError,
    probDecisionChanges,
    innerStandardError: seSum / outer,
    trials: outer * inner,
    draws,
  };
}

/**
 * Value of perfect information about everything, chance included: E[max(net, 0)] − max(E[net], 0)
 * over single trials. An upper bound on what any study could be worth.
 */
export function evpiAll(netPV: ArrayLike<number>): number {
  return evppiFromConditionalMeans(netPV).evppi;
}
