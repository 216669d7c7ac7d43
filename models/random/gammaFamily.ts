/**
 * The beta, binomial and Poisson samplers of d3-random 3.0.2 (Copyright 2010-2021 Mike Bostock,
 * ISC licence), rewritten to draw the same numbers from the same uniforms without building
 * closures for every draw.
 *
 * d3-random builds samplers from factories (`randomBinomial.source(rng)(n, p)()`), and its
 * gamma keeps a spare normal (Marsaglia's polar method makes two at a time) in the factory's
 * closure. The engine built a fresh sampler for every draw so that no spare crosses from one
 * trial into the next (docs/random-streams.md), which allocated a dozen closures a draw. Here
 * each draw starts with an empty spare, exactly as a fresh d3 sampler does, and the spare is
 * shared where d3 shares it: between the two gammas of one beta, among the betas of one
 * binomial, and (separately) among the gammas of one Poisson draw, whose binomial has a spare
 * of its own. test/witness/gammaFamily.test.ts checks every value and the number of uniforms
 * used against d3-random itself.
 */
import type { Rng } from "./rng.js";

/** The polar method's spare normal: d3's closure variables x (null when none) and r. */
interface Spare {
  has: boolean;
  x: number;
  r: number;
}

const gammaSpare: Spare = { has: false, x: 0, r: 0 };
const binomialSpare: Spare = { has: false, x: 0, r: 0 };

function empty(s: Spare): Spare {
  s.has = false;
  return s;
}

/** d3's randomNormal(0, 1)(): Marsaglia's polar method, the second normal kept for the next call. */
function normal(rng: Rng, s: Spare): number {
  let y: number;
  if (s.has) {
    y = s.x;
    s.has = false;
  } else {
    let x: number, r: number;
    do {
      x = rng() * 2 - 1;
      y = rng() * 2 - 1;
      r = x * x + y * y;
    } while (!r || r > 1);
    s.x = x;
    s.r = r;
    s.has = true;
  }
  return 0 + 1 * y * Math.sqrt((-2 * Math.log(s.r)) / s.r);
}

/** d3's randomGamma(k)(): Marsaglia & Tsang (2000), with the normals from `s`. */
function gamma(rng: Rng, s: Spare, k: number): number {
  if (k < 0) throw new RangeError("invalid k");
  if (k === 0) return 0;
  if (k === 1) return -Math.log1p(-rng());
  const d = (k < 1 ? k + 1 : k) - 1 / 3,
    c = 1 / (3 * Math.sqrt(d));
  let x: number, v: number, u: number;
  do {
    do {
      x = normal(rng, s);
      v = 1 + c * x;
    } while (v <= 0);
    v *= v * v;
    u = 1 - rng();
  } while (u >= 1 - 0.0331 * x * x * x * x && Math.log(u) >= 0.5 * x * x + d * (1 - v + Math.log(v)));
  return d * v * (k < 1 ? Math.pow(rng(), 1 / k) : 1);
}

/** d3's randomBeta(a, b)(): a gamma over the sum of two, both from one spare. */
function betaWith(rng: Rng, s: Spare, a: number, b: number): number {
  if (b < 0) throw new RangeError("invalid k"); // d3 builds both gammas before drawing
  const x = gamma(rng, s, a);
  return x === 0 ? 0 : x / (x + gamma(rng, s, b));
}

/** One beta(a, b) draw, as a fresh `randomBeta.source(rng)(a, b)()`. */
export function betaDraw(rng: Rng, a: number, b: number): number {
  return betaWith(rng, empty(gammaSpare), a, b);
}

/** d3's randomBinomial(n, p)(): beta splitting while both tails are large (Devroye 1986), then geometric waiting times. */
function binomialWith(rng: Rng, s: Spare, n: number, p: number): number {
  if (p >= 1) return n;
  if (p <= 0) return 0;
  let acc = 0, nn = n, pp = p;
  while (nn * pp > 16 && nn * (1 - pp) > 16) {
    const i = Math.floor((nn + 1) * pp),
      y = betaWith(rng, s, i, nn - i + 1);
    if (y <= pp) {
      acc += i;
      nn -= i;
      pp = (pp - y) / (1 - y);
    } else {
      nn = i - 1;
      pp /= y;
    }
  }
  const sign = pp < 0.5,
    pFinal = sign ? pp : 1 - pp;
  // d3's randomGeometric(pFinal): trials up to and including the first success.
  if (pFinal < 0 || pFinal > 1) throw new RangeError("invalid p");
  let k = 0;
  if (pFinal === 1) {
    for (let t = 1; t <= nn; ++k) t += 1;
  } else if (pFinal !== 0) {
    // (pFinal 0: the first wait is infinite, k stays 0, and d3 draws nothing either)
    const lp = Math.log1p(-pFinal);
    for (let t = 1 + Math.floor(Math.log1p(-rng()) / lp); t <= nn; ++k) t += 1 + Math.floor(Math.log1p(-rng()) / lp);
  }
  return acc + (sign ? k : nn - k);
}

/** One binomial(n, p) draw, as a fresh `randomBinomial.source(rng)(n, p)()`. */
export function binomialDraw(rng: Rng, n: number, p: number): number {
  return binomialWith(rng, empty(binomialSpare), n, p);
}

/** One Poisson draw with mean `lambda`, as a fresh `randomPoisson.source(rng)(lambda)()` (Ahrens & Dieter's gamma splitting, then exponential gaps). */
export function poissonDraw(rng: Rng, lambda: number): number {
  const s = empty(gammaSpare);
  let acc = 0, l = lambda;
  while (l > 16) {
    const n = Math.floor(0.875 * l),
      t = gamma(rng, s, n);
    if (t > l) return acc + binomialWith(rng, empty(binomialSpare), n - 1, l / t);
    acc += n;
    l -= t;
  }
  let k = 0;
  for (let t = -Math.log1p(-rng()); t <= l; ++k) t -= Math.log1p(-rng());
  return acc + k;
}
