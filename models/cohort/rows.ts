/**
 * The placement model's transition table for one arm and regime (`Rows`: cumulative chances by
 * destination and the chance of leaving, filled from a trial's parameter values) and the capped
 * geometric stays it decides by a table of powers (`CappedStays`). Used by the per-child runner
 * (placement.ts) and the aggregate sampler (aggregate.ts).
 */
import type { PlacementModel } from "../compile.js";

/**
 * Relative margin of the capped-stay thresholds (see `CappedStays`): a draw within this margin
 * of a threshold takes the logarithm, so rounding can never decide a stay.
 */
const CAP_MARGIN = 2 ** -20;

/** How many powers beyond a cap `reaches` builds, so that `stay` can count thresholds in fours. */
const LOOKAHEAD = 4;

/**
 * Whether a geometric stay reaches a cap, without a logarithm. A stay is
 * floor(log(y) / log(q)) periods (y = 1 − u uniform, q the chance of staying a period), and
 * the engine only needs it exactly when it is shorter than the periods left (the cap c): it is
 * at least c when y ≤ q^c. Math.log costs about as much as four draws, and many stays reach
 * their cap (a child still at home at the end, a treated child who moves with the untreated
 * one), so `reaches(key, c, y)` answers y < q^c (1 − CAP_MARGIN) from a table of q^c built by
 * multiplication, lazily per key and trial. The answer is the formula's own: q^c by c
 * multiplications is within c·2⁻⁵³ of the true power relative, Math.log within an ulp, so when
 * y lies below the margin, floor(Math.log(y) / Math.log(q)) ≥ c holds for every c up to well
 * over 10,000 periods (the margin 2⁻²⁰ ≫ c·|log q|·2⁻⁵⁰ for q ≥ 2⁻⁵³, the smallest q below 1;
 * q^c below 2⁻³² is never compared true, y being at least 2⁻³²). Draws inside the margin or
 * short of the cap take the formula (or `stay` finds the shorter stay in the same table, by the
 * same bound), so the numbers are the same as without the table (test/engine/cappedStays.test.ts).
 */
export class CappedStays {
  private lo = new Float64Array(0);
  private readonly power: Float64Array;
  private readonly q: Float64Array;
  private readonly built: Int32Array;
  private readonly stamp: Int32Array;
  private width = 1;
  /** A key's row in `lo`: its caps, and LOOKAHEAD powers more for `stay`'s counting in fours. */
  private stride = 1 + LOOKAHEAD;
  private now = 1;

  constructor(private readonly keys: number) {
    this.power = new Float64Array(keys);
    this.q = new Float64Array(keys);
    this.built = new Int32Array(keys);
    this.stamp = new Int32Array(keys);
  }

  /** Forgets every key's chance (a new trial). */
  clear(): void {
    this.now++;
  }

  /** Room for caps up to `periods` (keys keep their chances). */
  reserve(periods: number): void {
    if (periods + 1 <= this.width) return;
    this.width = periods + 1;
    this.stride = this.width + LOOKAHEAD;
    this.lo = new Float64Array(this.keys * this.stride);
    this.built.fill(0);
    this.power.fill(1);
  }

  /** Whether `key` has a chance of staying set in this trial. */
  has(key: number): boolean {
    return this.stamp[key] === this.now;
  }

  /** Sets `key`'s chance of staying a period, q: the same q whose Math.log the stay divides by. */
  set(key: number, q: number): void {
    this.stamp[key] = this.now;
    this.q[key] = q;
    this.power[key] = 1;
    this.built[key] = 0;
  }

  /**
   * True when y < q^cap (1 − CAP_MARGIN): then floor(Math.log(y) / Math.log(q)) ≥ cap. `has(key)` must hold.
   * Builds the table up to cap + LOOKAHEAD − 1, for `stay`.
   */
  reaches(key: number, cap: number, y: number): boolean {
    const need = cap + (LOOKAHEAD - 1);
    if (this.built[key]! < need) this.build(key, need);
    return y < this.lo[key * this.stride + cap]!;
  }

  /**
   * Builds key's thresholds q^b (1 − margin) up to b = need, by multiplication. Kept out of
   * `reaches` and `stay` (as `formula` is), so that the hot loops that inline them stay small
   * enough for the compiler to inline every call of them (placement.ts).
   */
  private build(key: number, need: number): void {
    const at = key * this.stride, q = this.q[key]!, lo = this.lo;
    let b = this.built[key]!, power = this.power[key]!;
    while (b < need) {
      power *= q;
      lo[at + ++b] = power * (1 - CAP_MARGIN);
    }
    this.power[key] = power;
    this.built[key] = b;
  }

  /** The formula floor(Math.log(y) / Math.log(q)) (Math.log(q) = 0 → Infinity), for a draw within a margin. */
  private formula(key: number, y: number): number {
    const logq = Math.log(this.q[key]!);
    return logq === 0 ? Infinity : Math.floor(Math.log(y) / logq);
  }

  /**
   * The stay floor(Math.log(y) / Math.log(q)) itself (Math.log(q) = 0 → Infinity), or `cap`
   * when it reaches the cap, mostly without a logarithm: after `reaches` has said no, the stay is
   * the d below the cap with y under q^d (1 − margin) and over q^(d+1) (1 + margin), by the same
   * bound on rounding; a draw within a margin takes the formula, and only then is Math.log(q)
   * taken (so a trial's rows need no logarithm at all unless a draw falls in a margin).
   *
   * That d is the number of thresholds lo[1], lo[2], … above y: they never increase (each power
   * is the one before times q ≤ 1, rounded), and y ≥ lo[cap] ≥ every later one, so they are
   * counted four at a time without a branch per threshold (a chunk of four counting fewer than
   * four ends the count; a NaN q counts none, as the scan it replaces stopped at once).
   */
  stay(key: number, cap: number, y: number): number {
    if (this.reaches(key, cap, y)) return cap;
    const lo = this.lo, at = this.stride * key;
    let d = 0, n: number;
    do {
      const i = at + d;
      n = +(y < lo[i + 1]!) + +(y < lo[i + 2]!) + +(y < lo[i + 3]!) + +(y < lo[i + 4]!);
      d += n;
    } while (n === 4); // below the cap while a whole chunk counts: y ≥ lo[cap] (so d + 4 ≤ cap + 3 is built)
    return y <= lo[at + d + 1]! * WIDEN ? this.formula(key, y) : d;
  }
}

/** From q^d (1 − margin) to q^d (1 + margin). */
const WIDEN = (1 + CAP_MARGIN) / (1 - CAP_MARGIN);

/**
 * The last 1 − (1 − p)^k computed for each transition: the rows of a trial's arms and regimes
 * often raise the same chance to the same ratio (a ratio that acts in one regime only, an effect
 * on a transition the other regime leaves alone), and Math.pow with a fractional power costs tens
 * of nanoseconds. Keyed by the exact (p, k); NaN never matches, so it is recomputed.
 */
export class PowMemo {
  private readonly p: Float64Array;
  private readonly k: Float64Array;
  private readonly out: Float64Array;

  constructor(transitions: number) {
    this.p = new Float64Array(transitions).fill(NaN);
    this.k = new Float64Array(transitions).fill(NaN);
    this.out = new Float64Array(transitions);
  }

  /** 1 − (1 − p)^k for transition i. */
  raised(i: number, p: number, k: number): number {
    if (p === this.p[i] && k === this.k[i]) return this.out[i]!;
    const out = 1 - Math.pow(1 - p, k);
    this.p[i] = p;
    this.k[i] = k;
    this.out[i] = out;
    return out;
  }
}

/** One arm's transition rows: cumulative chances by destination, and the chance of leaving. */
export class Rows {
  readonly cum: Float64Array;
  readonly dest: Uint8Array;
  readonly len: Uint8Array;
  readonly leave: Float64Array;
  /** Whether a stay reaches a cap, by state (set with the rows). */
  readonly capped: CappedStays;
  /**
   * Whether every state has fewer than S destinations and its cumulative chances are numbers
   * that never decrease: then `step` counts the chances at or below u instead of scanning.
   */
  private ordered = false;

  constructor(readonly S: number) {
    this.cum = new Float64Array(S * S);
    this.dest = new Uint8Array(S * S);
    this.len = new Uint8Array(S);
    this.leave = new Float64Array(S);
    this.capped = new CappedStays(S);
  }

  /** The stays' thresholds from `leave`: q = 1 − leave, the chance of staying a period. */
  private setCaps(): void {
    const { capped, leave } = this;
    capped.clear();
    for (let s = 0; s < this.S; s++) capped.set(s, 1 - leave[s]!);
  }

  /**
   * Fills the rows from a trial's chances. `ratio(i)` multiplies transition i's hazard:
   * p' = 1 − (1 − p)^ratio, which stays in [0, 1] for any ratio ≥ 0. If a state's exits then sum
   * above 1 they are scaled to 1.
   */
  fill(m: PlacementModel, values: Float64Array, ratio: (i: number) => number): void {
    this.fillRatios(m, values, Float64Array.from(m.from, (_, i) => ratio(i)));
  }

  /**
   * `fill` with transition i's hazard ratio in `ratios[i]`. With `memo`, a chance already raised
   * to the same ratio (by another arm's or regime's rows of the same trial) is taken from it
   * instead of calling Math.pow again: the same number.
   */
  fillRatios(m: PlacementModel, values: Float64Array, ratios: Float64Array, memo?: PowMemo): void {
    const { S, cum, dest, len } = this;
    const { from, to, slot } = m;
    for (let s = 0; s < S; s++) len[s] = 0;
    for (let i = 0; i < from.length; i++) {
      let p = values[slot[i]!]!;
      const k = ratios[i]!;
      if (k !== 1) p = memo ? memo.raised(i, p, k) : 1 - Math.pow(1 - p, k);
      const s = from[i]!;
      const j = len[s]!++;
      dest[s * S + j] = to[i]!;
      cum[s * S + j] = p;
    }
    let ordered = true;
    for (let s = 0; s < S; s++) {
      const base = s * S, k = len[s]!;
      let total = 0;
      for (let j = 0; j < k; j++) total += cum[base + j]!;
      const scale = total > 1 ? 1 / total : 1;
      let acc = 0;
      for (let j = 0; j < k; j++) {
        const x = cum[base + j]! * scale;
        if (!(x >= 0)) ordered = false; // a NaN or a negative chance: `step` scans
        cum[base + j] = acc += x;
      }
      // Past the state's own destinations (read by `step` only): +Infinity, and the state itself.
      for (let j = k; j < S; j++) (cum[base + j] = Infinity), (dest[base + j] = s);
      if (k >= S) ordered = false;
      const leave = k > 0 ? Math.min(1, acc) : 0;
      this.leave[s] = leave;
    }
    this.ordered = ordered;
    this.setCaps();
  }

  copy(from: Rows): void {
    this.cum.set(from.cum);
    this.dest.set(from.dest);
    this.len.set(from.len);
    this.leave.set(from.leave);
    this.ordered = from.ordered;
    this.setCaps();
  }

  /**
   * Where a child in state s goes given the period's u: the first destination whose cumulative
   * chance exceeds u (the state itself when none does). With ordered rows that is the
   * destination after as many chances as lie at or below u, counted without a branch per
   * destination: the row's entries past its destinations hold +Infinity and s, and a NaN u,
   * which counts all S, stays too, as the scan does.
   */
  step(s: number, u: number): number {
    const { S, cum, dest } = this;
    const base = s * S;
    if (this.ordered) {
      let j = 0;
      for (let i = 0; i < S; i++) j += +!(u < cum[base + i]!);
      return dest[base + Math.min(j, S - 1)]!;
    }
    const k = this.len[s]!;
    for (let j = 0; j < k; j++) if (u < cum[base + j]!) return dest[base + j]!;
    return s;
  }
}
