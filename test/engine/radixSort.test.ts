/**
 * The summary's radix sort (models/summary/dist.ts sortFinite) against the witness it replaces:
 * Float64Array.prototype.sort, which orders numbers ascending with −0 before +0. Equal arrays,
 * element by element with Object.is (so −0 and +0 are told apart), on columns of the shapes the
 * summary sorts: signed money with many ties at zero, values spanning every exponent, a
 * constant column, short columns (the built-in path) and lengths just over the switch.
 */
import { describe, expect, it } from "vitest";
import { sortFinite, sortedFinite } from "../../models/summary/dist.js";
import { Stream } from "../../models/random/stream.js";

function column(n: number, kind: number, seed: number): Float64Array {
  const s = new Stream().reset(seed, kind, 1);
  const u = s.next;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = u();
    if (kind === 0) out[i] = x < 0.3 ? 0 : x < 0.35 ? -0 : (u() - 0.4) * 1e7; // money, ties at ±0
    else if (kind === 1) out[i] = (u() < 0.5 ? -1 : 1) * Math.pow(2, (x - 0.5) * 2000); // every exponent, subnormals too
    else if (kind === 2) out[i] = 12345.678; // constant: every pass skipped
    else out[i] = Math.floor(x * 7) - 3; // small integers
  }
  return out;
}

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe("sortFinite (radix) orders as Float64Array.prototype.sort", () => {
  for (const n of [0, 1, 5, 511, 512, 513, 4096, 100_003]) {
    for (let kind = 0; kind < 4; kind++) {
      it(`length ${n}, column kind ${kind}`, () => {
        const a = column(n, kind, n + 17);
        const expected = a.slice().sort();
        expect(same(sortFinite(a.slice()), expected)).toBe(true);
      });
    }
  }

  it("sorts a subarray in place, leaving the rest of its buffer alone", () => {
    const whole = column(3000, 0, 5);
    const before = whole.slice();
    const part = whole.subarray(1000, 2600);
    const expected = part.slice().sort();
    sortFinite(part);
    expect(same(part, expected)).toBe(true);
    expect(same(whole.subarray(0, 1000), before.subarray(0, 1000))).toBe(true);
    expect(same(whole.subarray(2600), before.subarray(2600))).toBe(true);
  });

  it("sortedFinite drops NaN and ±Infinity, then sorts", () => {
    const a = column(2000, 0, 9);
    a[3] = NaN;
    a[700] = Infinity;
    a[1999] = -Infinity;
    const expected = Float64Array.from(Array.from(a).filter(Number.isFinite)).sort();
    expect(same(sortedFinite(a), expected)).toBe(true);
  });
});
