/**
 * Holding the model against a contract that really ran: a published result (a measured fall,
 * a return) is placed in the run's distribution of the same quantity. A result far in a tail
 * says that the scenario's assumptions, or the contract's measurement, did not match reality.
 */
import { bisectLeft, bisectRight } from "d3-array";
import type { Run } from "../run.js";
import { cohortValue, relativeEffects } from "../simulate.js";
import { sortedFinite } from "../summary/dist.js";

/** A per-trial quantity a published result can be compared with. */
export type CaseMetric =
  /** Measured relative improvement of a measure against the contract's comparator (0.09 = 9 %), pooled or for one cohort. */
  | { kind: "measuredEffect"; measure: string; cohort?: number }
  /** Share of a cohort with a binary outcome (with the intervention). */
  | { kind: "treatedShare"; measure: string; cohort: number }
  /** The financier's IRR per year, its profit, or the payer's total payments. */
  | { kind: "irr" }
  | { kind: "profit" }
  | { kind: "payments" };

/** The metric's value in every trial of a run (NaN where it has none, e.g. an IRR that does not exist). */
export function caseMetric(run: Run, metric: CaseMetric): Float64Array {
  const { model, outcomes: table, results } = run;
  if (metric.kind === "irr") return results.irr;
  if (metric.kind === "profit") return results.profit;
  if (metric.kind === "payments") return results.payments;
  const m = model.measures.findIndex((x) => x.id === metric.measure);
  if (m < 0) throw new Error(`unknown measure ${JSON.stringify(metric.measure)}; measures are ${model.measures.map((x) => x.id).join(", ")}`);
  if (metric.kind === "treatedShare") {
    const size = model.cohortSizes[metric.cohort]!;
    return Float64Array.from({ length: table.trials }, (_, t) => cohortValue(table.treated, table, t, metric.cohort, m) / size);
  }
  return relativeEffects(model, table, m, table.comparator, metric.cohort ?? -1);
}

/** Where a value falls among a column's finite values: shares of trials below it and at or below it. */
export function rankOf(column: ArrayLike<number>, value: number): { below: number; atOrBelow: number; n: number } {
  const sorted = sortedFinite(column);
  const n = sorted.length;
  if (n === 0) return { below: NaN, atOrBelow: NaN, n };
  return { below: bisectLeft(sorted, value) / n, atOrBelow: bisectRight(sorted, value) / n, n };
}
