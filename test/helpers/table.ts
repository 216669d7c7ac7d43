/** Outcome tables written by hand, so contract evaluation can be checked against arithmetic. */
import { allocateTable, compile, evaluateContract, type Model, type OutcomeTable, type Scenario } from "../../models/index.js";

export interface HandTrial {
  delivered?: boolean;
  /** Values by measure id, per cohort (one entry per cohort). */
  treated: Record<string, number[]>;
  comparator: Record<string, number[]>;
  counterfactual?: Record<string, number[]>;
}

export function handTable(model: Model, trials: HandTrial[]): OutcomeTable {
  const table = allocateTable(model, trials.length, "hand");
  const C = table.cohorts, M = table.measureCount;
  trials.forEach((t, i) => {
    table.delivered[i] = t.delivered === false ? 0 : 1;
    model.measures.forEach((m, mi) => {
      for (let c = 0; c < C; c++) {
        const at = (i * C + c) * M + mi;
        table.treated[at] = t.treated[m.id]?.[c] ?? 0;
        table.comparator[at] = t.comparator[m.id]?.[c] ?? 0;
        // By default the truth equals what is measured.
        table.counterfactual[at] = (t.counterfactual ?? t.comparator)[m.id]?.[c] ?? 0;
      }
    });
  });
  return table;
}

export function evaluateHand(s: Scenario, trials: HandTrial[]) {
  const model = compile(s);
  return evaluateContract(model, handTable(model, trials));
}
