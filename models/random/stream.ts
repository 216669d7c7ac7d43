/**
 * Random streams by purpose. Every trial draws each purpose (each parameter, delivery, each
 * cohort's children in each arm, the comparator) from its own stream, keyed by
 * (seed, trial, purpose, index). So a change to one input changes only the draws that depend on
 * it: two runs that differ in one rate ratio draw the same prices, the same delivery and the
 * same untreated children in every trial (common random numbers that really are common), and a
 * trial's numbers do not depend on which block, worker or order it is simulated in.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand;
 * it passes PractRand and TestU01's BigCrush), seeded from the key through MurmurHash3's 32-bit
 * finaliser. seedrandom's generators were not used here: seeding xor4096 costs microseconds,
 * and the engine opens tens of streams per trial (see docs/random-streams.md).
 */
import type { Rng } from "./rng.js";

/** The purposes a trial draws for; each has its own streams. */
export const Purpose = {
  /** One stream per uncertain parameter, indexed by the hash of its JSON path. */
  parameter: 1,
  /** Whether the intervention is delivered as planned. */
  delivery: 2,
  /** A cohort's children without the intervention, indexed by cohort × outcome. */
  untreated: 3,
  /** What the intervention changes for the same children, indexed by cohort × outcome. */
  treated: 4,
  /** The contract's comparator: a baseline cohort or a comparison group, indexed by cohort × outcome. */
  comparator: 5,
} as const;

/** MurmurHash3's 32-bit finaliser (Appleby): a bijection on 32-bit words with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then the finaliser), for seeds and parameter paths. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** The 32-bit key of a run's seed (a number and its decimal string are the same seed). */
export function seedKey(seed: string | number): number {
  return hashString(`utfall:${seed}`);
}

/** Uniforms drawn from all streams, counted when a stream is re-keyed (see `drawCount`). */
let drawn = 0;

/**
 * How many uniforms the engine's streams have handed out since `resetDrawCount`: the bench's
 * generator bound is this count times the generator's time per draw. Counted at each `reset`
 * from sfc32's own counter word, so it costs nothing per draw; the draws of a stream after its
 * last reset are counted only when it is re-keyed (at most one trial's worth per block).
 */
export function drawCount(): number {
  return drawn;
}

export function resetDrawCount(): void {
  drawn = 0;
}

/** The Stream each `next` belongs to. */
const owners = new WeakMap<Rng, Stream>();

/**
 * The Stream whose `next` this is, for code that inlines the generator; throws for any other
 * source, so that code cannot silently draw different numbers.
 */
export function streamOf(rng: Rng): Stream {
  const s = owners.get(rng);
  if (!s) throw new TypeError("expected a Stream's next (the generator is inlined here)");
  return s;
}

/**
 * A re-keyable sfc32 stream. `reset` positions it at the start of the stream for a key; `next`
 * is a bound function, so samplers can hold it as their source and be reused across trials.
 */
export class Stream {
  /**
   * sfc32's state words. Public for the hot loops that inline the generator (the placement
   * model's cohorts): they read the words into local variables, draw exactly as `next` does,
   * and write them back, so the stream goes on where they left it. d counts the draws.
   */
  a = 0;
  b = 0;
  c = 0;
  d = 1;
  private keyed = false;
  /** A uniform number in [0, 1) with 32 random bits; may be exactly 0. */
  readonly next: Rng;

  constructor() {
    const next = () => {
      const { a, b, c, d } = this;
      const t = (((a + b) | 0) + d) | 0;
      this.d = (d + 1) | 0;
      this.a = b ^ (b >>> 9);
      this.b = (c + (c << 3)) | 0;
      const r = (c << 21) | (c >>> 11);
      this.c = (r + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    owners.set(next, this);
    this.next = next;
  }

  /** Starts the stream for (seed key, trial, purpose, index). */
  reset(seed: number, trial: number, purpose: number, index = 0): this {
    // d counts calls: 1 at the key, 9 after the warm-up rounds below.
    if (this.keyed) drawn += (this.d - 9) >>> 0;
    this.keyed = true;
    // Each word is a bijection of the one before and one part of the key, so for a given seed
    // no two (trial, purpose, index) keys share a state.
    let b = fmix32(fmix32(seed ^ 0x9e3779b9) ^ trial);
    let c = fmix32(b ^ Math.imul(purpose, 0x27d4eb2f));
    let a = fmix32(c ^ index);
    let d = 1;
    // The key words are already mixed; a few rounds more spread them over the whole state
    // (the rounds of `next`, in local variables).
    for (let i = 0; i < 8; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      const r = (c << 21) | (c >>> 11);
      b = (c + (c << 3)) | 0;
      c = (r + t) | 0;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return this;
  }
}
