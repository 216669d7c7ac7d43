/** The run summary: the JSON object `utfall run --json` prints (see DESIGN.md). */
import type { Model } from "../compile.js";
import { MONEY_EPSILON } from "../constants.js";
import type { ContractResults } from "../contract/evaluate.js";
import { relativeEffects, type OutcomeTable } from "../simulate.js";
import { dist, share, type Dist } from "./dist.js";
import { perspectiveSummary, type PerspectiveSummary } from "../society/summary.js";
import { selfFundingColumns, summarizeSelfFunding, type SelfFundingSummary } from "../analysis/selfFunding.js";

export interface Summary {
  scenario: string;
  trials: number;
  seed: string | number;
  currency: string;
  investor: {
    irr: Dist | null;
    multiple: Dist | null;
    profit: Dist | null;
    probLoss: number;
    probTotalLoss: number;
    /** Share of trials whose cash flows have an IRR (all do, unless flows change sign twice). */
    irrDefined: number;
    /** Loss not exceeded with 95 % chance (5th percentile of profit, as a positive loss). */
    valueAtRisk95: number | null;
    npv: Dist | null;
  };
  payer: {
    payments: Dist | null;
    avoidedCosts: Dist | null;
    net: Dist | null;
    netPV: Dist | null;
    probNetCost: number;
    maxPayments: number;
    paymentsByYear: (Dist | null)[];
    avoidedCostsByYear: (Dist | null)[];
    /** Funding the same delivery itself (issue 10 §4); null when no lending rate applies. */
    selfFunding: SelfFundingSummary | null;
  };
  society: {
    npv: Dist | null;
    chanceBenefitsExceedCosts: number;
    /** WSIPP's split (issue 17 §3.10), discounted at society's rate; the npvs add up to society's. */
    byPerspective: PerspectiveSummary[];
  };
  contract: {
    probAnyPayment: number;
    probPayForNothing: number;
    probMissedSuccess: number;
    probDelivered: number;
    paymentsByRule: { rule: string; kind: string; payments: Dist | null; probPaid: number }[];
  };
  /** True and measured relative improvement per measure, pooled over cohorts. */
  effects: { measure: string; trueEffect: Dist | null; measuredEffect: Dist | null }[];
}

export function summarize(model: Model, table: OutcomeTable, r: ContractResults): Summary {
  const T = table.trials, Y = model.years;
  const column = (f: (i: number) => number) => Float64Array.from({ length: T }, (_, i) => f(i));
  const rules = model.scenario.contract.rules;
  const R = rules.length;
  const byYear = (col: Float64Array, years: number) =>
    Array.from({ length: years }, (_, y) => dist(column((i) => col[i * years + y]!)));
  const profit = dist(r.profit);

  const summary: Summary = {
    scenario: model.scenario.name,
    trials: T,
    seed: table.seed,
    currency: model.scenario.currency,
    investor: {
      irr: dist(r.irr),
      multiple: dist(r.multiple),
      profit,
      probLoss: share(T, (i) => r.loss[i] === 1),
      probTotalLoss: share(T, (i) => r.totalLoss[i] === 1),
      irrDefined: share(T, (i) => !Number.isNaN(r.irr[i]!)),
      valueAtRisk95: profit ? Math.max(0, -profit.p5) : null,
      npv: dist(r.financierNpv),
    },
    payer: {
      payments: dist(r.payments),
      avoidedCosts: dist(column((i) => r.payerNet[i]! + r.payments[i]!)),
      net: dist(r.payerNet),
      netPV: dist(r.payerNetPV),
      probNetCost: share(T, (i) => r.payerNetCost[i] === 1),
      maxPayments: r.payments.reduce((a, b) => Math.max(a, b), 0),
      paymentsByYear: byYear(r.paymentsByYear, r.years),
      avoidedCostsByYear: byYear(table.avoidedByYear, Y),
      selfFunding: null,
    },
    society: {
      npv: dist(r.societyNpv),
      chanceBenefitsExceedCosts: share(T, (i) => r.societyNpv[i]! > 0),
      byPerspective: [],
    },
    contract: {
      probAnyPayment: share(T, (i) => r.anyPayment[i] === 1),
      probPayForNothing: share(T, (i) => r.payForNothing[i] === 1),
      probMissedSuccess: share(T, (i) => r.missedSuccess[i] === 1),
      probDelivered: share(T, (i) => table.delivered[i] === 1),
      paymentsByRule: rules.map((rule, k) => ({
        rule: rule.id ?? rule.label ?? `rules[${k}]`,
        kind: rule.kind,
        payments: dist(column((i) => r.paymentsByRule[i * R + k]!)),
        probPaid: share(T, (i) => r.paymentsByRule[i * R + k]! > MONEY_EPSILON),
      })),
    },
    effects: model.measures.map((m, mi) => ({
      measure: m.id,
      trueEffect: dist(relativeEffects(model, table, mi, table.counterfactual)),
      measuredEffect: dist(relativeEffects(model, table, mi, table.comparator)),
    })),
  };

  // --- Society by perspective and the payer's self-funding alternative (issue 17 §3.10, issue 10 §4) ---
  summary.society.byPerspective = perspectiveSummary(model, table, r);
  summary.payer.selfFunding = summarizeSelfFunding(model, table, selfFundingColumns(model, table, r));
  // --- end ---
  return summary;
}
