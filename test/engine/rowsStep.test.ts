/**
 * Rows.step (models/cohort/rows.ts) counts the cumulative chances at or below u instead of
 * scanning for the first above it. The destination must be the scan's own at every u, or the
 * simulation's numbers would move: checked here against the scan over the rows' own cum, dest
 * and len, at random u and at every threshold and its neighbours, for rows that are ordered and
 * rows that are not (a NaN chance, which makes `step` scan).
 */
import { describe, expect, test } from "vitest";
import type { PlacementModel } from "../../models/compile.js";
import { Rows } from "../../models/cohort/rows.js";
import { Stream } from "../../models/random/stream.js";

/** The first destination whose cumulative chance exceeds u, else the state itself. */
function scan(rows: Rows, s: number, u: number): number {
  const base = s * rows.S;
  for (let j = 0; j < rows.len[s]!; j++) if (u < rows.cum[base + j]!) return rows.dest[base + j]!;
  return s;
}

/** A model of S states with the given transitions; chance of transition i in values[i]. */
function model(transitions: readonly (readonly [number, number])[]): PlacementModel {
  return {
    from: Uint8Array.from(transitions, (t) => t[0]),
    to: Uint8Array.from(transitions, (t) => t[1]),
    slot: Int32Array.from(transitions, (_, i) => i),
  } as unknown as PlacementModel;
}

describe("Rows.step", () => {
  const S = 4;
  const transitions = [[0, 3], [0, 2], [0, 1], [1, 3], [1, 0], [2, 3], [2, 0], [3, 0], [3, 1], [3, 2]] as const;
  const m = model(transitions);
  const rng = new Stream().reset(5, 0, 1).next;

  test("gives the scan's destination for ordered rows, at random u and at every threshold", () => {
    const rows = new Rows(S);
    let n = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Chances from 0 (a transition that never happens) to large (rows scaled to 1), and ratios.
      const values = Float64Array.from(transitions, () => (trial % 7 === 0 ? 0 : rng() < 0.1 ? 0 : rng() * (trial % 3 === 0 ? 0.9 : 0.3)));
      const ratios = Float64Array.from(transitions, () => (rng() < 0.5 ? 1 : 0.5 + rng()));
      rows.fillRatios(m, values, ratios);
      for (let s = 0; s < S; s++) {
        const us = [NaN, -0, 0, 1, Infinity, -Infinity];
        for (let i = 0; i < 50; i++) us.push(rng() * rows.leave[s]!, rng());
        for (let j = 0; j < rows.len[s]!; j++) {
          const c = rows.cum[s * S + j]!;
          us.push(c, c * (1 - 2 ** -52), c * (1 + 2 ** -52), c + 2 ** -1074);
        }
        for (const u of us) {
          n++;
          expect(rows.step(s, u), `state ${s}, u ${u}`).toBe(scan(rows, s, u));
        }
      }
    }
    expect(n).toBeGreaterThan(50_000);
  });

  test("and for rows that are not ordered, and after copy", () => {
    const rows = new Rows(S), copy = new Rows(S);
    const values = Float64Array.from(transitions, (_, i) => (i === 1 ? NaN : 0.1));
    rows.fillRatios(m, values, new Float64Array(transitions.length).fill(1));
    copy.copy(rows);
    for (let s = 0; s < S; s++) {
      for (const u of [NaN, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 1]) {
        expect(rows.step(s, u)).toBe(scan(rows, s, u));
        expect(copy.step(s, u)).toBe(scan(rows, s, u));
      }
    }
  });
});
