/**
 * The special functions the engine takes from @stdlib, bundled into one module (special.js) by
 * bin/build.js at `npm install`: see there for why. The signatures are @stdlib's.
 */

/** @stdlib/math-base-special-betainc: the incomplete beta function, regularised by default (a port of Boost's ibeta). */
export declare function betainc(x: number, a: number, b: number, regularized?: boolean, upper?: boolean): number;
/** @stdlib/math-base-special-betaln: ln B(a, b). */
export declare function betaln(a: number, b: number): number;
/** @stdlib/stats-base-dists-normal-cdf: the normal CDF at x, mean mu, standard deviation sigma (through erfc). */
export declare function normalCdf(x: number, mu: number, sigma: number): number;
