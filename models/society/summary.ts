/** Society's figures by perspective for the run summary (`society.byPerspective`). */
import type { Model } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import { PERSPECTIVES } from "../scenario/schema.js";
import type { OutcomeTable } from "../simulate.js";
import { dist, type Dist } from "../summary/dist.js";
import type { Perspective } from "./longRun.js";
import { societyByPerspective } from "./perspectives.js";

export interface PerspectiveSummary {
  perspective: Perspective;
  /** Net present value at society's rate: benefits − costs + transfers. */
  npv: Dist | null;
  /** Expected resource gains, resource costs and net transfers (in + / out −), discounted. */
  benefits: number | null;
  costs: number | null;
  transfers: number | null;
}

export function perspectiveSummary(model: Model, table: OutcomeTable, results: ContractResults): PerspectiveSummary[] {
  const c = societyByPerspective(model, table, results);
  return PERSPECTIVES.map((p) => ({
    perspective: p,
    npv: dist(c.npv[p]),
    benefits: mean(c.benefits[p]),
    costs: mean(c.costs[p]),
    transfers: mean(c.transfers[p]),
  }));
}

/** The mean of a column whose values are all finite (sums of finite money); null when empty. */
function mean(column: Float64Array): number | null {
  if (column.length === 0) return null;
  let s = 0;
  for (let i = 0; i < column.length; i++) s += column[i]!;
  return s / column.length;
}
