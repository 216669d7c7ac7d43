/** Numbers that fix the engine's behaviour, in one place (as Squiggle's magicNumbers.ts). */

/**
 * Trials per independently seeded block. Part of the reproducibility contract: changing it
 * changes every result for a given seed.
 */
export const BLOCK_SIZE = 1000;

/** Default trial count and seed when neither the scenario nor the caller gives one. */
export const DEFAULT_TRIALS = 10_000;
export const DEFAULT_SEED = 1;

/** Amounts smaller than this (in the scenario's currency) count as zero: "no payment", "no loss". */
export const MONEY_EPSILON = 1e-6;
