/**
 * CappedStays (models/cohort/rows.ts) decides "the geometric stay floor(log(y) / log(q))
 * reaches the cap c", and finds a shorter stay, mostly without a logarithm. Its answer must be the formula's own, or the
 * simulation's numbers would move: checked here against the formula itself, at random draws
 * and at the draws nearest each threshold q^c, where rounding could decide.
 */
import { describe, expect, test } from "vitest";
import { CappedStays } from "../../models/cohort/rows.js";
import { Stream } from "../../models/random/stream.js";

const formula = (y: number, q: number) => {
  const ls = Math.log(q);
  return ls === 0 ? Infinity : Math.floor(Math.log(y) / ls);
};

describe("capped geometric stays", () => {
  const leaves = [1e-12, 1e-6, 0.004, 0.03, 0.2, 0.5, 0.9, 0.999999, 1 - 2 ** -52, 1];
  const D = 60;

  test("a stay the table says reaches its cap does so by the formula, at random draws and at the 32-bit draws around every threshold", () => {
    const stays = new CappedStays(leaves.length);
    stays.reserve(D);
    leaves.forEach((leave, key) => stays.set(key, 1 - leave));
    const rng = new Stream().reset(7, 0, 1).next;
    let reached = 0, checked = 0;
    const check = (key: number, cap: number, y: number) => {
      const q = 1 - leaves[key]!;
      if (!(y > 0 && y <= 1)) return;
      checked++;
      if (stays.reaches(key, cap, y)) {
        reached++;
        expect(formula(y, q), `leave ${leaves[key]}, cap ${cap}, y ${y}`).toBeGreaterThanOrEqual(cap);
      }
    };
    for (let key = 0; key < leaves.length; key++) {
      const q = 1 - leaves[key]!;
      for (let cap = 1; cap <= D; cap++) {
        for (let i = 0; i < 200; i++) check(key, cap, 1 - rng());
        // The uniforms the engine can draw are t / 2^32: y = 1 − t / 2^32; the ones nearest q^cap.
        const t = Math.round((1 - q ** cap) * 2 ** 32);
        for (let dt = -3; dt <= 3; dt++) check(key, cap, 1 - (t + dt) / 2 ** 32);
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    // The table does take most stays that reach their cap (else it would save nothing): a
    // uniform y reaches cap c with chance q^c, summed over the draws above.
    expect(reached).toBeGreaterThan(checked / 10);
  });

  test("where the formula says a stay reaches its cap, the table says so too except within its margin", () => {
    const stays = new CappedStays(leaves.length);
    stays.reserve(D);
    leaves.forEach((leave, key) => stays.set(key, 1 - leave));
    const rng = new Stream().reset(8, 0, 1).next;
    for (let key = 0; key < leaves.length; key++) {
      const q = 1 - leaves[key]!;
      for (let cap = 1; cap <= D; cap++) {
        for (let i = 0; i < 100; i++) {
          const y = 1 - rng();
          const far = Math.abs(y / q ** cap - 1) > 1e-5; // the margin is 2^-20 ≈ 9.5e-7, the powers' rounding far below
          if (far && formula(y, q) >= cap && q ** cap > 2 ** -30) expect(stays.reaches(key, cap, y)).toBe(true);
        }
      }
    }
  });

  test("stay() is the formula's stay, capped: at random draws and at the 32-bit draws around every power of q", () => {
    const stays = new CappedStays(leaves.length);
    stays.reserve(D);
    leaves.forEach((leave, key) => stays.set(key, 1 - leave));
    const rng = new Stream().reset(9, 0, 1).next;
    let n = 0;
    for (let key = 0; key < leaves.length; key++) {
      const q = 1 - leaves[key]!;
      const check = (cap: number, y: number) => {
        if (!(y > 0 && y <= 1)) return;
        n++;
        expect(Math.min(stays.stay(key, cap, y), cap), `leave ${leaves[key]}, cap ${cap}, y ${y}`).toBe(Math.min(formula(y, q), cap));
      };
      for (let cap = 1; cap <= D; cap++) {
        for (let i = 0; i < 100; i++) check(cap, 1 - rng());
        for (let d = 1; d <= cap; d++) {
          const t = Math.round((1 - q ** d) * 2 ** 32);
          for (let dt = -2; dt <= 2; dt++) check(cap, 1 - (t + dt) / 2 ** 32);
        }
      }
    }
    expect(n).toBeGreaterThan(100_000);
  });

  test("a new trial's chances replace the old ones; reserving more room keeps them", () => {
    const stays = new CappedStays(1);
    stays.reserve(5);
    stays.set(0, 0.5);
    expect(stays.reaches(0, 2, 0.2)).toBe(true); // 0.2 < 0.25: floor(log 0.2 / log 0.5) = 2
    expect(stays.reaches(0, 3, 0.2)).toBe(false); // 0.2 > 0.125
    stays.reserve(50);
    expect(stays.has(0)).toBe(true);
    expect(stays.reaches(0, 40, 2 ** -41)).toBe(true);
    stays.clear();
    expect(stays.has(0)).toBe(false);
    stays.set(0, 0.9);
    expect(stays.reaches(0, 3, 0.2)).toBe(true); // 0.2 < 0.729
  });
});
