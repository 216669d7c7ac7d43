/** Society's figures by perspective for the run summary (`society.byPerspective`). */
import type { Model } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import { PERSPECTIVES } from "../scenario/schema.js";
import type { OutcomeTable } from "../simulate.js";
import { dist, meanOfFinite, type Dist } from "../summary/dist.js";
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
    benefits: meanOfFinite(c.benefits[p]),
    costs: meanOfFinite(c.costs[p]),
    transfers: meanOfFinite(c.transfers[p]),
  }));
}
