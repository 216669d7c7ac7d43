// The median IRR of a sweep cell found by the NPV's sign (models/finance/medianIrr.ts) instead of
// solving every trial's IRR. Witness: d3-array's quantileSorted(sorted, 0.5) (R-7, what dist()
// uses) of every trial's IRR solved by irr() and annualised, the number the shortcut must equal.
import { describe, expect, test } from "vitest";
import { quantileSorted } from "d3-array";
import { annualize, irr } from "../../models/finance/irr.js";
import { medianIrr, monotoneSign } from "../../models/finance/medianIrr.js";

let seed = 11;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

/** Flows of P periods: capital out over the first `out` periods, payments in afterwards (one sign change). */
function flows(P: number, out: number, scale: number): Float64Array {
  const f = new Float64Array(P);
  for (let p = 0; p < out; p++) f[p] = -1_000_000 * (0.5 + next());
  for (let p = out; p < P; p++) if (next() < 0.4) f[p] = scale * 1_000_000 * next();
  if (f.slice(out).every((x) => x === 0)) f[P - 1] = scale * 1_000_000;
  return f;
}

describe("medianIrr", () => {
  test("monotoneSign: one sign change with the root in range gives the first flow's sign; otherwise 0", () => {
    expect(monotoneSign([-100, 50, 60], 3)).toBe(-1); // IRR ≈ 6.2 %: NPV falls through zero once
    expect(monotoneSign([100, -50, -60], 3)).toBe(1); // a loan: the same root, the NPV rising
    expect(monotoneSign([-100, 230, -132], 3)).toBe(0); // two sign changes (roots 10 % and 20 %)
    expect(monotoneSign([-100, 0, 0], 3)).toBe(0); // no change: total loss, solved as −100 %
    expect(monotoneSign([-1, 1e-30], 2)).toBe(0); // root near −100 %: below LOWEST, solved as it comes
  });

  test("equals the median of every solved IRR, with weights, ties and the known values mixed in", () => {
    for (const [P, ppy] of [[20, 4], [8, 1], [40, 12]] as const) {
      for (const trial of [0, 1, 2, 3, 4, 5]) {
        const m = 5 + Math.floor(next() * (trial < 3 ? 60 : 400));
        const all: number[] = [];
        const fl = new Float64Array(m * P), weight = new Int32Array(m), sign = new Int8Array(m);
        let count = 0;
        for (let e = 0; e < m; e++) {
          const f = flows(P, 1 + Math.floor(next() * (P / 2)), 0.2 + 2 * next());
          const s = monotoneSign(f, P);
          if (s === 0) continue;
          fl.set(f, count * P);
          sign[count] = s;
          weight[count] = 1 + Math.floor(next() * (trial % 2 ? 1 : 30));
          for (let k = 0; k < weight[count]!; k++) all.push(annualize(irr(f, P), ppy));
          count++;
        }
        // Known values: total losses (−1) and a few solved IRRs, some equal to a deferred one.
        const known: number[] = [];
        for (let k = 0; k < Math.floor(next() * 50); k++) known.push(next() < 0.5 ? -1 : all[Math.floor(next() * all.length)]!);
        all.push(...known);
        const want = all.length ? quantileSorted(all.slice().sort((a, b) => a - b), 0.5)! : null;
        const got = medianIrr(Float64Array.from(known), known.length, { flows: fl, weight, sign, count, periods: P }, ppy);
        expect(Object.is(got, want), `P ${P}, case ${trial}: ${got} vs ${want}`).toBe(true);
      }
    }
  });

  test("no trial with an IRR gives null; one gives it", () => {
    const none = { flows: new Float64Array(0), weight: new Int32Array(0), sign: new Int8Array(0), count: 0, periods: 3 };
    expect(medianIrr(new Float64Array(0), 0, none, 4)).toBeNull();
    expect(medianIrr(Float64Array.of(-1), 1, none, 4)).toBe(-1);
    const one = { flows: Float64Array.of(-100, 50, 60), weight: Int32Array.of(1), sign: Int8Array.of(-1), count: 1, periods: 3 };
    expect(medianIrr(new Float64Array(0), 0, one, 1)).toBe(annualize(irr([-100, 50, 60]), 1));
  });
});
