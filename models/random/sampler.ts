/**
 * Turns a scenario number (fixed or a distribution) into a zero-argument sampler bound to a
 * generator, as d3-random's factories do: parameters are checked once, not per draw.
 */
import { randomBeta, randomLogNormal, randomNormal, randomUniform } from "d3-random";
import type { Bounds, ParamSpec } from "../scenario/param.js";
import type { Rng } from "./rng.js";

/** z such that Φ(z) = 0.95; the {p5, p95} range form spans ±Z95 standard deviations. */
export const Z95 = 1.6448536269514722;

/** True when the number is uncertain (a distribution rather than a fixed value). */
export function isUncertain(p: ParamSpec): boolean {
  return typeof p === "object" && !("value" in p);
}

/** Inverse CDF of the triangular distribution on [a, b] with mode c. */
function triangularQuantile(u: number, a: number, c: number, b: number): number {
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

function unclipped(p: ParamSpec, rng: Rng): () => number {
  if (typeof p === "number") return () => p;
  if ("value" in p) return () => p.value;
  if (!("dist" in p) || p.dist === undefined || p.dist === "range") {
    const { p5, p95 } = p as { p5: number; p95: number };
    if (p5 > 0) {
      const lo = Math.log(p5), hi = Math.log(p95);
      return randomLogNormal.source(rng)((lo + hi) / 2, (hi - lo) / (2 * Z95));
    }
    return randomNormal.source(rng)((p5 + p95) / 2, (p95 - p5) / (2 * Z95));
  }
  switch (p.dist) {
    case "normal":
      return randomNormal.source(rng)(p.mean, p.sd);
    case "lognormal":
      return randomLogNormal.source(rng)(p.mu, p.sigma);
    case "beta":
      return randomBeta.source(rng)(p.alpha, p.beta);
    case "uniform":
      return randomUniform.source(rng)(p.min, p.max);
    case "triangular": {
      const { min, mode, max } = p;
      return () => triangularQuantile(rng(), min, mode, max);
    }
    case "pert": {
      // PERT as a beta scaled to [min, max] with shape weight 4 (Vose, Risk Analysis, 2008).
      const { min, mode, max } = p;
      const w = max - min;
      const beta = randomBeta.source(rng)(1 + (4 * (mode - min)) / w, 1 + (4 * (max - mode)) / w);
      return () => min + w * beta();
    }
  }
}

/** A sampler for `p`, clipped to the field's bounds. */
export function sampler(p: ParamSpec, bounds: Bounds, rng: Rng): () => number {
  const draw = unclipped(p, rng);
  const lo = bounds.min ?? -Infinity, hi = bounds.max ?? Infinity;
  if (!isUncertain(p) || (lo === -Infinity && hi === Infinity)) return draw;
  return () => Math.min(hi, Math.max(lo, draw()));
}
