/** The run summary: the JSON object `utfall run --json` prints (docs/design.md, README). */
import type { Model } from "../compile.js";
import { budgetYearLabels } from "../calendar.js";
import { MONEY_EPSILON } from "../constants.js";
import type { ContractResults } from "../contract/evaluate.js";
import { sampleCorrelation } from "simple-statistics";
import { annualize, irr } from "../finance/irr.js";
import { cohortValue, relativeEffects, type OutcomeTable } from "../simulate.js";
import { dist, distOfSorted, expectedShortfallOfSorted, meanOfSorted, shareAbove, shareBelow, shareFlagged, shareNotNaN, sortedFinite, type Dist } from "./dist.js";
import { perspectiveSummary, type PerspectiveSummary } from "../society/summary.js";
import { selfFundingColumns, summarizeSelfFunding, type SelfFundingSummary } from "../analysis/selfFunding.js";

export interface Summary {
  scenario: string;
  trials: number;
  seed: string | number;
  currency: string;
  /** The money basis in words: which prices the amounts are in and what present values are in (prices.ts). */
  moneyBasis: string;
  investor: {
    /** Per-trial IRRs over the trials that have one (`irrDefined`); its p50 is the median IRR. */
    irr: Dist | null;
    multiple: Dist | null;
    profit: Dist | null;
    probLoss: number;
    probTotalLoss: number;
    /** Share of trials whose cash flows have an IRR (all do, unless flows change sign twice). */
    irrDefined: number;
    /** Loss not exceeded with 95 % chance (5th percentile of profit, as a positive loss). */
    valueAtRisk95: number | null;
    /** NPV at the hurdle rate, per trial. */
    npv: Dist | null;
    /** The financier's discount rate per year (valuation.financierDiscountRate): the rate of every NPV and of the MIRR. */
    hurdleRate: number;
    /** Mean NPV at the hurdle rate: the decision figure (≥ 0: the financier expects to clear its hurdle). */
    expectedNpv: number;
    /** IRR per year of the mean cash flows by period; null if they have none (or several). */
    irrOfExpectedFlows: number | null;
    /** Modified IRR per year (Excel's MIRR, finance and reinvestment at the hurdle rate): every trial has one. */
    mirr: Dist | null;
    /** Number of trials whose cash flows have no IRR (left out of `irr`, kept in `mirr` and `npv`). */
    trialsWithoutIrr: number;
    /** Chance that the NPV at the hurdle rate is below zero (beside `probLoss`: less back than lent). */
    probNpvBelowZero: number;
    /** Mean loss in the worst 5 % of trials by profit, as a positive loss (beside `valueAtRisk95`). */
    expectedShortfall95: number | null;
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
    /** Names of the budget years of `paymentsByYear`: calendar years ("2016") with a contract start date, else "year 1", …. */
    budgetYears: string[];
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
  /**
   * True and measured relative improvement per measure, pooled over cohorts, and the
   * correlation over trials of the measured improvement with the true one (in the measure's
   * own units): how well the contract's measurement tracks what really happened.
   */
  effects: { measure: string; trueEffect: Dist | null; measuredEffect: Dist | null; measuredTrueCorrelation: number | null }[];
}

/**
 * The summary's figures that the scenario explorer shows (src/components/explorer-view.ts), each
 * computed exactly as `summarize` computes it (summarize takes them from here): after a contract
 * edit the explorer's worker computes only these, not the thirty-odd sorted columns of the whole
 * summary.
 */
export interface KeyFigures {
  investor: Pick<Summary["investor"], "irr" | "probLoss" | "probTotalLoss" | "irrDefined" | "irrOfExpectedFlows">;
  payer: Pick<Summary["payer"], "payments" | "net" | "probNetCost" | "maxPayments" | "budgetYears">;
  society: Pick<Summary["society"], "npv" | "chanceBenefitsExceedCosts">;
  contract: Pick<Summary["contract"], "probPayForNothing" | "probMissedSuccess">;
}

/** `irrSorted`: the finite IRRs already sorted by `sortedFinite` (the explorer bins them too), else they are sorted here. */
export function keyFigures(model: Model, table: OutcomeTable, r: ContractResults, irrSorted?: Float64Array): KeyFigures {
  const T = table.trials;
  return {
    investor: {
      irr: irrSorted ? distOfSorted(irrSorted) : dist(r.irr),
      probLoss: shareFlagged(r.loss, T),
      probTotalLoss: shareFlagged(r.totalLoss, T),
      irrDefined: shareNotNaN(r.irr, T),
      irrOfExpectedFlows: finiteOrNull(annualize(irr(r.meanFlows), r.periodsPerYear)),
    },
    payer: {
      payments: dist(r.payments),
      net: dist(r.payerNet),
      probNetCost: shareFlagged(r.payerNetCost, T),
      maxPayments: r.payments.reduce((a, b) => Math.max(a, b), 0),
      budgetYears: budgetYearLabels(model, Math.max(r.years, model.years)),
    },
    society: {
      npv: dist(r.societyNpv),
      chanceBenefitsExceedCosts: shareAbove(r.societyNpv, 0, T),
    },
    contract: {
      probPayForNothing: shareFlagged(r.payForNothing, T),
      probMissedSuccess: shareFlagged(r.missedSuccess, T),
    },
  };
}

export function summarize(model: Model, table: OutcomeTable, r: ContractResults): Summary {
  const T = table.trials, Y = model.years;
  // --- memory (issue 11 goal 6): one reused column for the derived columns, each summarised (copied by dist) at once ---
  const scratch = new Float64Array(T);
  const pair: Float64Array[] = []; // measuredTrueCorrelation's two columns, made once
  // Plain loops (a closure per element, called from one loop for every column, ran megamorphic).
  const strided = (col: Float64Array, width: number, k: number) => {
    for (let i = 0; i < T; i++) scratch[i] = col[i * width + k]!;
    return scratch;
  };
  // --- end memory ---
  const rules = model.scenario.contract.rules;
  const R = rules.length;
  const byYear = (col: Float64Array, years: number) => Array.from({ length: years }, (_, y) => dist(strided(col, years, y)));
  // Columns summarized twice are sorted once (the same sorted values, so the same figures).
  const profitSorted = sortedFinite(r.profit), npvSorted = sortedFinite(r.financierNpv);
  const profit = distOfSorted(profitSorted);
  const key = keyFigures(model, table, r);

  const summary: Summary = {
    scenario: model.scenario.name,
    trials: T,
    seed: table.seed,
    currency: model.scenario.currency,
    moneyBasis: model.priceBasis
      ? `nominal ${model.scenario.currency} of each year (cost figures at ${model.priceBasis.priceYear} prices, by KPI); present values in ${model.priceBasis.startYear} ${model.scenario.currency}`
      : `${model.scenario.currency} as the figures state them (no price year given, so no price adjustment)`,
    investor: {
      irr: key.investor.irr,
      multiple: dist(r.multiple),
      profit,
      probLoss: key.investor.probLoss,
      probTotalLoss: key.investor.probTotalLoss,
      irrDefined: key.investor.irrDefined,
      valueAtRisk95: profit ? Math.max(0, -profit.p5) : null,
      npv: distOfSorted(npvSorted),
      hurdleRate: r.financierRate,
      expectedNpv: meanOfSorted(npvSorted) ?? 0,
      irrOfExpectedFlows: key.investor.irrOfExpectedFlows,
      mirr: dist(r.mirr),
      trialsWithoutIrr: r.irr.reduce((n, x) => n + (Number.isNaN(x) ? 1 : 0), 0),
      probNpvBelowZero: shareBelow(r.financierNpv, -MONEY_EPSILON, T),
      expectedShortfall95: expectedShortfallOfSorted(profitSorted, 0.05),
    },
    payer: {
      payments: key.payer.payments,
      avoidedCosts: dist(avoidedCosts(r, scratch)),
      net: key.payer.net,
      netPV: null, // below, its sorted values shared with the self-funding figures
      probNetCost: key.payer.probNetCost,
      maxPayments: key.payer.maxPayments,
      paymentsByYear: byYear(r.paymentsByYear, r.years),
      avoidedCostsByYear: byYear(table.avoidedByYear, Y),
      budgetYears: key.payer.budgetYears,
      selfFunding: null,
    },
    society: {
      npv: key.society.npv,
      chanceBenefitsExceedCosts: key.society.chanceBenefitsExceedCosts,
      byPerspective: [],
    },
    contract: {
      probAnyPayment: shareFlagged(r.anyPayment, T),
      probPayForNothing: key.contract.probPayForNothing,
      probMissedSuccess: key.contract.probMissedSuccess,
      probDelivered: shareFlagged(table.delivered, T),
      paymentsByRule: rules.map((rule, k) => ({
        rule: rule.id ?? rule.label ?? `rules[${k}]`,
        kind: rule.kind,
        payments: dist(strided(r.paymentsByRule, R, k)),
        probPaid: shareAbove(r.paymentsByRule, MONEY_EPSILON, T, R, k),
      })),
    },
    effects: model.measures.map((m, mi) => ({
      measure: m.id,
      trueEffect: dist(relativeEffects(model, table, mi, table.counterfactual, -1, scratch)),
      measuredEffect: dist(relativeEffects(model, table, mi, table.comparator, -1, scratch)),
      measuredTrueCorrelation: measuredTrueCorrelation(model, table, mi, pair),
    })),
  };

  pair.length = 0; // memory (issue 11 goal 6): the correlation's columns are done with
  // --- Society by perspective and the payer's self-funding alternative (issue 17 §3.10, issue 10 §4) ---
  summary.society.byPerspective = perspectiveSummary(model, table, r);
  const selfFunding = selfFundingColumns(model, table, r);
  // The payer's net present value is also the contract's net in the self-funding comparison
  // (selfFundingColumns' contractNetPV): sorted once for both, the same values either way.
  const netPVSorted = selfFunding ? sortedFinite(r.payerNetPV) : null;
  summary.payer.netPV = netPVSorted ? distOfSorted(netPVSorted) : dist(r.payerNetPV);
  summary.payer.selfFunding = summarizeSelfFunding(model, table, selfFunding, netPVSorted ?? undefined);
  // --- end ---
  return summary;
}

/**
 * Pearson correlation of the measured improvement (comparator − treated) with the true one
 * (counterfactual − treated), pooled over cohorts; null when either does not vary.
 */
function measuredTrueCorrelation(model: Model, table: OutcomeTable, measure: number, pair: Float64Array[] = []): number | null {
  const T = table.trials;
  if (T < 3) return null;
  // Typed columns (memory, issue 11 goal 6): off the JS heap, and the caller's pair reused across measures.
  if (pair.length < 2) pair.push(new Float64Array(T), new Float64Array(T));
  const [measured, truth] = pair as [Float64Array, Float64Array];
  for (let t = 0; t < T; t++) {
    const treated = cohortValue(table.treated, table, t, -1, measure);
    measured[t] = cohortValue(table.comparator, table, t, -1, measure) - treated;
    truth[t] = cohortValue(table.counterfactual, table, t, -1, measure) - treated;
  }
  const r = sampleCorrelation(measured as unknown as number[], truth as unknown as number[]);
  return Number.isFinite(r) ? r : null;
}

/** The payer's avoided costs per trial: its net plus its payments. */
function avoidedCosts(r: ContractResults, out: Float64Array): Float64Array {
  for (let i = 0; i < r.trials; i++) out[i] = r.payerNet[i]! + r.payments[i]!;
  return out;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
