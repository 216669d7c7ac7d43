/**
 * Seeded generators. Every block of trials gets its own stream from (seed, block index), so the
 * numbers do not depend on how blocks are shared among workers.
 */
// The lib file, not seedrandom's index: the index reaches for Node's crypto, which a browser lacks.
import xor4096 from "seedrandom/lib/xor4096.js";

/** A source of uniform numbers in [0, 1); may return exactly 0. */
export type Rng = () => number;

/** xor4096: about 8× faster than seedrandom's default ARC4 (docs/random-streams.md), 32 bits per draw; the bench's yardstick. */
export function blockRng(seed: string | number, block: number): Rng {
  return xor4096(`utfall:${seed}:${block}`);
}
