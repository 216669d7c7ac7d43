/**
 * Outcomes counted over a whole cohort (a success per participant, or events per participant),
 * sampled in aggregate for both arms with the coupling that per-participant common random
 * numbers would give: the arms differ only by the participants the effect changes.
 */
import { randomBinomial, randomPoisson } from "d3-random";
import type { Rng } from "../random/rng.js";

export interface Pair {
  treated: number;
  counterfactual: number;
}

export interface CoupledSamplers {
  readonly binomial: (n: number, p: number) => () => number;
  readonly poisson: (lambda: number) => () => number;
}

export function coupledSamplers(rng: Rng): CoupledSamplers {
  return { binomial: randomBinomial.source(rng), poisson: randomPoisson.source(rng) };
}

/**
 * Successes among n participants with chance p0 without and p1 with the intervention. Shared
 * uniforms u_i give success when u_i < p: both arms succeed below min(p0, p1), one arm between.
 * So: common ~ Bin(n, min); extra ~ Bin(n − common, |p1 − p0| / (1 − min)).
 */
export function coupledBinomial(s: CoupledSamplers, n: number, p0: number, p1: number, out: Pair): void {
  const lo = Math.min(p0, p1), hi = Math.max(p0, p1);
  const common = s.binomial(n, lo)();
  const extra = hi > lo ? s.binomial(n - common, (hi - lo) / (1 - lo))() : 0;
  out.counterfactual = common + (p0 > p1 ? extra : 0);
  out.treated = common + (p1 > p0 ? extra : 0);
}

/**
 * Events among n participants at rates λ0 (without) and λ1 (with) per participant. Poisson
 * thinning couples them: fewer events are a binomial thinning of the more numerous arm's events.
 */
export function coupledPoisson(s: CoupledSamplers, n: number, lambda0: number, lambda1: number, out: Pair): void {
  const lo = Math.min(lambda0, lambda1), hi = Math.max(lambda0, lambda1);
  const more = hi > 0 ? s.poisson(n * hi)() : 0;
  const fewer = hi > lo ? s.binomial(more, lo / hi)() : more;
  out.counterfactual = lambda0 >= lambda1 ? more : fewer;
  out.treated = lambda0 >= lambda1 ? fewer : more;
}

/** Odds-ratio shift of a chance: odds(p1) = odds(p0) · exp(logOdds). */
export function shiftLogOdds(p: number, logOdds: number): number {
  if (p <= 0 || p >= 1 || logOdds === 0) return p;
  const odds = (p / (1 - p)) * Math.exp(logOdds);
  return odds / (1 + odds);
}

/** Hedges' g to log odds ratio: ln(OR) = g · π/√3 (Chinn 2000, Stat Med 19:3127). */
export const SMD_TO_LOG_ODDS = Math.PI / Math.sqrt(3);
