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
 * Estimated by two-level Monte Carlo: `outer` draws of θ from its distribution, each with
 * `inner` trials of everything else. Every inner run uses the same seed (common random numbers),
 * so the conditional means differ by θ, not by simulation noise. The remaining inner noise
 * biases EVPPI slightly upwards; `innerStandardError` says how large that noise is.
 */
import { compile, type Model } from "../compile.js";
import { evaluateContract } from "../contract/evaluate.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes } from "../simulate.js";

export interface InformationOptions {
  /** Which uncertain inputs become known; default: the intervention's effects. */
  readonly inputs?: (path: string) => boolean;
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
  /** EVPPI of the inputs, in money today; ≥ 0. */
  readonly evppi: number;
  /** Share of the outer draws in which knowing the inputs would reverse the decision. */
  readonly probDecisionChanges: number;
  /** Mean standard error of the inner means (money): EVPPI below about this is noise. */
  readonly innerStandardError: number;
  /** Each outer draw: the inputs' values and the payer's expected net PV given them. */
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
    return { inputs: [], expectedNet: mean, sign: mean > 0, evppi: 0, probDecisionChanges: 0, innerStandardError: se, draws: [] };
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
  const { evppi, expected, probDecisionChanges } = evppiFromConditionalMeans(draws.map((d) => d.expectedNet));
  return {
    inputs: known.map(({ p }) => p.path),
    expectedNet: expected,
    sign: expected > 0,
    evppi,
    probDecisionChanges,
    innerStandardError: seSum / outer,
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
