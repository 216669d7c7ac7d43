/**
 * Outcomes counted over a whole cohort (a success per participant, or events per participant),
 * sampled in aggregate for both arms with the coupling that per-participant common random
 * numbers would give: the arms differ only by the participants the effect changes, and the
 * untreated arm is drawn from its own stream, so it does not depend on the effect.
 */
import { binomialDraw, poissonDraw } from "../random/gammaFamily.js";
import type { Rng } from "../random/rng.js";

export interface Pair {
  treated: number;
  counterfactual: number;
}

/**
 * One binomial draw from `rng`: d3-random's algorithm as a fresh d3 sampler draws it, with no
 * spare normal kept from one draw to the next (random/gammaFamily.ts), so no trial's numbers
 * carry into the next.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  return n > 0 && p > 0 ? binomialDraw(rng, n, p) : 0;
}

/** One Poisson draw with the given mean from `rng` (d3-random's algorithm, as above). */
export function poisson(rng: Rng, mean: number): number {
  return mean > 0 ? poissonDraw(rng, mean) : 0;
}

/**
 * Successes among n participants with chance p0 without and p1 with the intervention, as
 * shared uniforms u_i would give them (success when u_i < p). The untreated count comes from
 * `untreated` alone, Bin(n, p0); the treated count given it from `treated`: with p1 < p0 a
 * success survives with chance p1 / p0 (u_i is uniform below p0), Bin(untreated, p1/p0); with
 * p1 > p0 a failure turns into a success with chance (p1 − p0) / (1 − p0).
 */
export function coupledBinomial(untreated: Rng, treated: Rng, n: number, p0: number, p1: number, out: Pair): void {
  const base = binomial(untreated, n, p0);
  out.counterfactual = base;
  if (p1 === p0) out.treated = base;
  else if (p1 < p0) out.treated = binomial(treated, base, p1 / p0);
  else out.treated = base + binomial(treated, n - base, (p1 - p0) / (1 - p0));
}

/**
 * Events among n participants at rates λ0 (without) and λ1 (with) per participant. The
 * untreated count is Poisson(nλ0) from `untreated` alone; fewer events are a binomial thinning
 * of it, more are it plus Poisson(n(λ1 − λ0)) independent events (superposition).
 */
export function coupledPoisson(untreated: Rng, treated: Rng, n: number, lambda0: number, lambda1: number, out: Pair): void {
  const base = poisson(untreated, n * lambda0);
  out.counterfactual = base;
  if (lambda1 === lambda0) out.treated = base;
  else if (lambda1 < lambda0) out.treated = binomial(treated, base, lambda1 / lambda0);
  else out.treated = base + poisson(treated, n * (lambda1 - lambda0));
}

/** Odds-ratio shift of a chance: odds(p1) = odds(p0) · exp(logOdds). */
export function shiftLogOdds(p: number, logOdds: number): number {
  if (p <= 0 || p >= 1 || logOdds === 0) return p;
  const odds = (p / (1 - p)) * Math.exp(logOdds);
  return odds / (1 + odds);
}

/** Hedges' g to log odds ratio: ln(OR) = g · π/√3 (Chinn 2000, Stat Med 19:3127). */
export const SMD_TO_LOG_ODDS = Math.PI / Math.sqrt(3);
