/** Numbers that fix the engine's behaviour, in one place (as Squiggle's magicNumbers.ts). */

/**
 * Trials per independently seeded block. Part of the reproducibility contract: changing it
 * changes every result for a given seed.
 */
export const BLOCK_SIZE = 1000;

/** Default trial count and seed when neither the scenario nor the caller gives one (the schema's `simulation` defaults, the pages' and the CLI's). */
export const DEFAULT_TRIALS = 10_000;
export const DEFAULT_SEED = 1;

/** The most trials a run may ask for: the schema's bound on `simulation.trials`, `--trials` and a link's trials. */
export const MAX_TRIALS = 10_000_000;

/** The financier's hurdle rate per year when the scenario gives none (`valuation.financierDiscountRate`). */
export const DEFAULT_FINANCIER_RATE = 0.05;

/** Amounts smaller than this (in the scenario's currency) count as zero: "no payment", "no loss". */
export const MONEY_EPSILON = 1e-6;

/**
 * Tolerance when a relative improvement is compared with a threshold (a proportional rule's
 * `threshold`, a stepped band's `from`, a condition's `minImprovement`): the comparison counts a
 * difference smaller than RELATIVE_TIE_TOLERANCE × max(1, |threshold|) as a tie. A comparator
 * computed as C·n/m makes an exact 1/6 fall 0.16666666666666663 in floating point (rounding
 * ~1e-16); a real difference between counts is at least 1/(count) ≫ 1e-9.
 */
export const RELATIVE_TIE_TOLERANCE = 1e-9;

/** z with Φ(z) = 0.95: a 90 % interval spans ±Z90 standard deviations (the {p5, p95} range form). */
export const Z90 = 1.6448536269514722;
