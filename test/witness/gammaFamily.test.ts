/**
 * models/random/gammaFamily.ts rewrites d3-random's beta, binomial and Poisson samplers without
 * per-draw closures. The witness is d3-random 3.0.2 itself (a fresh sampler per draw, as the
 * engine used it): every value and the number of uniforms each draw uses must be the same.
 */
import { randomBeta, randomBinomial, randomPoisson } from "d3-random";
import { describe, expect, test } from "vitest";
import { betaDraw, binomialDraw, poissonDraw } from "../../models/random/gammaFamily.js";
import { Stream } from "../../models/random/stream.js";

/** Runs `draw` on stream (1, trial, 7) and returns its value and the next uniform after it. */
function after(trial: number, draw: (rng: () => number) => number): [number, number] {
  const s = new Stream().reset(1, trial, 7);
  const v = draw(s.next);
  return [v, s.next()];
}

describe("beta, binomial and Poisson as d3-random draws them", () => {
  const u = new Stream().reset(2, 0, 1).next;

  test("beta: the same values from the same uniforms, for shapes below, at and above 1", () => {
    const shapes = [0.3, 0.5, 1, 2, 4.2, 18, 120];
    let trial = 0;
    for (const a of shapes) for (const b of shapes) for (let i = 0; i < 40; i++, trial++) {
      expect(after(trial, (rng) => betaDraw(rng, a, b)), `beta(${a}, ${b})`).toEqual(after(trial, (rng) => randomBeta.source(rng)(a, b)()));
    }
  });

  test("binomial: the same counts for small and large n, p near 0, ½ and 1 (beta splitting and geometric waits)", () => {
    let trial = 0;
    for (const n of [0, 1, 7, 33, 60, 61, 374, 748, 5000, 100_000]) {
      for (let i = 0; i < 60; i++, trial++) {
        const p = i < 5 ? [0, 1, 0.5, 1e-9, 1 - 1e-9][i]! : u();
        expect(after(trial, (rng) => binomialDraw(rng, n, p)), `Bin(${n}, ${p})`).toEqual(after(trial, (rng) => randomBinomial.source(rng)(n, p)()));
      }
    }
  });

  test("Poisson: the same counts for means below and above 16 (gamma splitting, then exponential gaps)", () => {
    let trial = 0;
    for (const scale of [0, 0.5, 5, 16, 17, 60, 900, 14_000, 550_000]) {
      for (let i = 0; i < 60; i++, trial++) {
        const mean = scale * (0.5 + u());
        expect(after(trial, (rng) => poissonDraw(rng, mean)), `Poisson(${mean})`).toEqual(after(trial, (rng) => randomPoisson.source(rng)(mean)()));
      }
    }
  });

  test("bad shapes throw as d3-random does", () => {
    expect(() => betaDraw(u, -1, 2)).toThrow(RangeError);
    expect(() => betaDraw(u, 2, -1)).toThrow(RangeError);
  });
});
