/**
 * Turns a scenario number (fixed or a distribution) into a zero-argument sampler bound to a
 * generator, as d3-random's factories do: parameters are checked once, not per draw.
 */
import { Z90 } from "../constants.js";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { betaDraw } from "./gammaFamily.js";
import { betaQuantile } from "./copula.js";
import type { Bounds, ParamSpec } from "../scenario/param.js";
import type { Rng } from "./rng.js";


/** True when the number is uncertain (a distribution rather than a fixed value). */
export function isUncertain(p: ParamSpec): boolean {
  return typeof p === "object" && !("value" in p);
}

/** Inverse CDF of the triangular distribution on [a, b] with mode c. */
function triangularQuantile(u: number, a: number, c: number, b: number): number {
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/** A standard normal from two uniforms (Box & Muller 1958); no value is kept between calls. */
export function standardNormal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * A draw from `p` using only `rng`: the caller hands in a stream positioned at the start of this
 * parameter's stream for the trial (random/stream.ts), so how many uniforms a draw takes never
 * moves another parameter's draw. The beta is d3-random's, drawn as a fresh d3 sampler would
 * (random/gammaFamily.ts): its samplers keep a spare normal between calls, which would carry one
 * trial's numbers into the next.
 */
function unclipped(p: ParamSpec): (rng: Rng) => number {
  if (typeof p === "number") return () => p;
  if ("value" in p) return () => p.value;
  if (!("dist" in p) || p.dist === undefined || p.dist === "range") {
    const { p5, p95 } = p as { p5: number; p95: number };
    if (p5 > 0) {
      const lo = Math.log(p5), hi = Math.log(p95);
      const mu = (lo + hi) / 2, sigma = (hi - lo) / (2 * Z90);
      return (rng) => Math.exp(mu + sigma * standardNormal(rng));
    }
    const mu = (p5 + p95) / 2, sigma = (p95 - p5) / (2 * Z90);
    return (rng) => mu + sigma * standardNormal(rng);
  }
  switch (p.dist) {
    case "normal": {
      const { mean, sd } = p;
      return (rng) => mean + sd * standardNormal(rng);
    }
    case "lognormal": {
      const { mu, sigma } = p;
      return (rng) => Math.exp(mu + sigma * standardNormal(rng));
    }
    case "beta": {
      const { alpha, beta } = p;
      return (rng) => betaDraw(rng, alpha, beta);
    }
    case "uniform": {
      const { min, max } = p;
      return (rng) => min + (max - min) * rng();
    }
    case "triangular": {
      const { min, mode, max } = p;
      return (rng) => triangularQuantile(rng(), min, mode, max);
    }
    case "pert": {
      // PERT as a beta scaled to [min, max] with shape weight 4 (Vose, Risk Analysis, 2008).
      const { min, mode, max } = p;
      const w = max - min;
      const a = 1 + (4 * (mode - min)) / w, b = 1 + (4 * (max - mode)) / w;
      return (rng) => min + w * betaDraw(rng, a, b);
    }
  }
}

/** A sampler for `p`, clipped to the field's bounds; it draws from the generator it is given. */
export function sampler(p: ParamSpec, bounds: Bounds): (rng: Rng) => number {
  const draw = unclipped(p);
  const lo = bounds.min ?? -Infinity, hi = bounds.max ?? Infinity;
  if (!isUncertain(p) || (lo === -Infinity && hi === Infinity)) return draw;
  return (rng) => Math.min(hi, Math.max(lo, draw(rng)));
}

/** Φ, the standard normal CDF (@stdlib's, through erfc: accurate in the tails, where 1 − Φ is small). */
function phi(z: number): number {
  return normalCdf(z, 0, 1);
}

/**
 * The value of `p` at standard normal z, clipped to the field's bounds: its inverse CDF at Φ(z),
 * for the Gaussian copula of correlated inputs (models/random/copula.ts). Normal, lognormal and
 * range forms are mean + sd·z (or its exp) directly, the same expression sampler() uses on a
 * Box–Muller normal; uniform and triangular invert in closed form; beta and PERT use betaQuantile
 * (models/random/copula.ts), a safeguarded Newton inverse of @stdlib's incomplete beta.
 */
export function quantileAtNormal(p: ParamSpec, bounds: Bounds): (z: number) => number {
  const q = unclippedQuantile(p);
  const lo = bounds.min ?? -Infinity, hi = bounds.max ?? Infinity;
  if (!isUncertain(p) || (lo === -Infinity && hi === Infinity)) return q;
  return (z) => Math.min(hi, Math.max(lo, q(z)));
}

function unclippedQuantile(p: ParamSpec): (z: number) => number {
  if (typeof p === "number") return () => p;
  if ("value" in p) return () => p.value;
  if (!("dist" in p) || p.dist === undefined || p.dist === "range") {
    const { p5, p95 } = p as { p5: number; p95: number };
    if (p5 > 0) {
      const lo = Math.log(p5), hi = Math.log(p95);
      const mu = (lo + hi) / 2, sigma = (hi - lo) / (2 * Z90);
      return (z) => Math.exp(mu + sigma * z);
    }
    const mu = (p5 + p95) / 2, sigma = (p95 - p5) / (2 * Z90);
    return (z) => mu + sigma * z;
  }
  switch (p.dist) {
    case "normal": {
      const { mean, sd } = p;
      return (z) => mean + sd * z;
    }
    case "lognormal": {
      const { mu, sigma } = p;
      return (z) => Math.exp(mu + sigma * z);
    }
    case "beta": {
      const { alpha, beta } = p;
      return (z) => betaQuantile(phi(z), alpha, beta);
    }
    case "uniform": {
      const { min, max } = p;
      return (z) => min + (max - min) * phi(z);
    }
    case "triangular": {
      const { min, mode, max } = p;
      return (z) => triangularQuantile(phi(z), min, mode, max);
    }
    case "pert": {
      const { min, mode, max } = p;
      const w = max - min;
      const a = 1 + (4 * (mode - min)) / w, b = 1 + (4 * (max - mode)) / w;
      return (z) => min + w * betaQuantile(phi(z), a, b);
    }
  }
}
