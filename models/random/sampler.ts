/**
 * Turns a scenario number (fixed or a distribution) into a zero-argument sampler bound to a
 * generator, as d3-random's factories do: parameters are checked once, not per draw.
 */
import { Z90 } from "../constants.js";
import { normalCdf } from "./special.js";
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
  const normal = ofStandardNormal(p);
  if (normal) return (rng) => normal(standardNormal(rng));
  switch (p.dist) {
    case "beta": {
      const { alpha, beta } = p;
      return (rng) => betaDraw(rng, alpha, beta);
    }
    case "uniform":
    case "triangular": {
      const q = ofUniform(p);
      return (rng) => q(rng());
    }
    case "pert": {
      const { min, w, a, b } = pertShape(p);
      return (rng) => min + w * betaDraw(rng, a, b);
    }
  }
  // ofStandardNormal took the range, normal and lognormal; the schema admits no other family.
  throw new Error(`no sampler for the distribution ${JSON.stringify(p)}`);
}

/**
 * A {p5, p95} range, a normal or a lognormal as a function of a standard normal z (null for the
 * other families): the sampler feeds it Box–Muller's z, the copula a correlated one.
 */
function ofStandardNormal(p: Exclude<ParamSpec, number>): ((z: number) => number) | null {
  if ("value" in p) return null;
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
  if (p.dist === "normal") {
    const { mean, sd } = p;
    return (z) => mean + sd * z;
  }
  if (p.dist === "lognormal") {
    const { mu, sigma } = p;
    return (z) => Math.exp(mu + sigma * z);
  }
  return null;
}

/** A uniform or triangular input as its inverse CDF at u in [0, 1). */
function ofUniform(p: { dist: "uniform"; min: number; max: number } | { dist: "triangular"; min: number; mode: number; max: number }): (u: number) => number {
  if (p.dist === "uniform") {
    const { min, max } = p;
    return (u) => min + (max - min) * u;
  }
  const { min, mode, max } = p;
  return (u) => triangularQuantile(u, min, mode, max);
}

/** PERT as a beta scaled to [min, max] with shape weight 4 (Vose, Risk Analysis, 2008). */
function pertShape(p: { min: number; mode: number; max: number }): { min: number; w: number; a: number; b: number } {
  const { min, mode, max } = p;
  const w = max - min;
  return { min, w, a: 1 + (4 * (mode - min)) / w, b: 1 + (4 * (max - mode)) / w };
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
  const normal = ofStandardNormal(p);
  if (normal) return normal;
  switch (p.dist) {
    case "beta": {
      const { alpha, beta } = p;
      return (z) => betaQuantile(phi(z), alpha, beta);
    }
    case "uniform":
    case "triangular": {
      const q = ofUniform(p);
      return (z) => q(phi(z));
    }
    case "pert": {
      const { min, w, a, b } = pertShape(p);
      return (z) => min + w * betaQuantile(phi(z), a, b);
    }
  }
  throw new Error(`no quantile for the distribution ${JSON.stringify(p)}`);
}
