/**
 * Zone of agreement: where, over the cells of a sweep, every party's stated needs are met, and
 * which need limits the zone where. A cell fails the needs it does not meet; a cell inside the
 * zone is bounded by the needs that fail in a neighbouring cell (the constraint that binds
 * there). Both are read off the sweep's figures, so the zone costs nothing beyond the sweep.
 */
import { DEFAULT_FINANCIER_RATE } from "../constants.js";
import type { Cell, CellFigures } from "./sweep.js";

/** What each party needs before it signs. */
export interface Needs {
  readonly financier: {
    /**
     * The financier's hurdle rate per year (a fraction): the IRR of the expected cash flows must
     * reach it. For expected flows that lend and then get paid back (one sign change), that is
     * the same as an expected NPV ≥ 0 at the hurdle rate. Not the mean of per-trial IRRs, which
     * mixes rates of trials that lose and win different sums.
     */
    readonly minIrrOfExpectedFlows: number;
    /** Highest acceptable chance of getting back less than was lent. */
    readonly maxProbLoss: number;
  };
  readonly payer: {
    /** Lowest acceptable expected net saving over the horizon (avoided costs − payments). */
    readonly minMeanNet: number;
    /** Highest acceptable chance of paying for outcomes that did not truly improve. */
    readonly maxProbPayForNothing: number;
  };
}

export const NEED_IDS = ["financier.irr", "financier.loss", "payer.net", "payer.payForNothing"] as const;
export type NeedId = (typeof NEED_IDS)[number];

/** Default needs: a 5 % hurdle and a one-in-four loss limit; no expected net cost, a one-in-ten limit. */
export const DEFAULT_NEEDS: Needs = {
  financier: { minIrrOfExpectedFlows: DEFAULT_FINANCIER_RATE, maxProbLoss: 0.25 },
  payer: { minMeanNet: 0, maxProbPayForNothing: 0.1 },
};

/** How far a cell is inside (positive) or outside (negative) each need, in the need's own unit. */
export function slack(f: CellFigures, needs: Needs): Record<NeedId, number> {
  return {
    "financier.irr": f.financier.irrOfExpectedFlows === null ? -Infinity : f.financier.irrOfExpectedFlows - needs.financier.minIrrOfExpectedFlows,
    "financier.loss": needs.financier.maxProbLoss - f.financier.probLoss,
    "payer.net": f.payer.meanNet - needs.payer.minMeanNet,
    "payer.payForNothing": needs.payer.maxProbPayForNothing - f.payer.probPayForNothing,
  };
}

export interface Verdict {
  readonly at: Record<string, number>;
  /** Every need met. */
  readonly agreed: boolean;
  /** Needs this cell fails. */
  readonly failing: readonly NeedId[];
  /** For a cell in the zone: the needs failing in an adjacent cell, i.e. what bounds the zone here. */
  readonly binding: readonly NeedId[];
  readonly slack: Record<NeedId, number>;
}

export interface Zone {
  /** The varied paths, first slowest, as in the sweep. */
  readonly paths: readonly string[];
  readonly shape: readonly number[];
  /** One per cell, in the sweep's order; null for a cell not evaluated yet. */
  readonly verdicts: readonly (Verdict | null)[];
  /** Share of the evaluated cells in which both parties' needs are met. */
  readonly shareAgreed: number;
  /** How often each need is the reason a cell is outside the zone (cells failing it). */
  readonly failCounts: Record<NeedId, number>;
}

/**
 * Judges each cell of a one- or two-term sweep against the needs. `shape` is the number of
 * values of each varied path (first slowest), as `sweep` lays the cells out. A grid that is
 * still filling in may have holes (undefined cells): they get no verdict and bind nothing.
 */
export function zoneOfAgreement(cells: readonly (Cell | undefined)[], shape: readonly number[], needs: Needs): Zone {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length < 1 || shape.length > 2 || n !== cells.length) {
    throw new Error(`zoneOfAgreement: ${cells.length} cells do not fill a grid of shape ${shape.join(" × ")}`);
  }
  const [rows, cols] = shape.length === 2 ? [shape[0]!, shape[1]!] : [1, shape[0]!];
  const judged = Array.from(cells, (c) => {
    if (!c) return null;
    const s = slack(c, needs);
    return { at: c.at, slack: s, failing: NEED_IDS.filter((id) => !(s[id] >= 0)) };
  });
  const failCounts = Object.fromEntries(NEED_IDS.map((id) => [id, 0])) as Record<NeedId, number>;
  let evaluated = 0, agreed = 0;
  const verdicts = judged.map((j, i): Verdict | null => {
    if (!j) return null;
    evaluated++;
    for (const id of j.failing) failCounts[id]++;
    const inZone = j.failing.length === 0;
    if (inZone) agreed++;
    const binding = new Set<NeedId>();
    if (inZone) {
      const r = Math.floor(i / cols), c = i % cols;
      for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
        const rr = r + dr, cc = c + dc;
        if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
        for (const id of judged[rr * cols + cc]?.failing ?? []) binding.add(id);
      }
    }
    return { ...j, agreed: inZone, binding: NEED_IDS.filter((id) => binding.has(id)) };
  });
  const first = cells.find((c) => c);
  return { paths: Object.keys(first?.at ?? {}), shape, verdicts, shareAgreed: evaluated ? agreed / evaluated : 0, failCounts };
}

/** Plain-language names of the needs, for tables and legends. */
export const NEED_LABELS: Record<NeedId, string> = {
  "financier.irr": "financier's hurdle (IRR of expected cash flows)",
  "financier.loss": "financier's loss limit",
  "payer.net": "payer's expected net saving",
  "payer.payForNothing": "payer's pay-for-nothing limit",
};
