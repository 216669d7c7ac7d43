/**
 * Doing it ourselves: the payer funds the same delivery itself, with a loan at its lending rate
 * (or from its social investment fund, whose money has the same opportunity cost), and keeps
 * every cost it avoids. On the same simulated trials as the contract this gives the price of the
 * risk transfer, the premium (the payer's expected cost under the contract minus under
 * self-funding), and what it buys: the payer's worst 5 % under each.
 *
 * The loan: each period's delivery cost is borrowed when it is spent and repaid with interest,
 * compounded per period at the lending rate, in one sum at `repayPeriod` (by default when the
 * contract's last payment falls due, so the two alternatives' money leaves the payer at the same
 * time). Both alternatives are discounted at the payer's rate, as its net present value is.
 */
import { lendingRateSpec, paymentEvents, type Model } from "../compile.js";
export { DEFAULT_LENDING_RATE_SEK } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import { capitalBasis, lastSpendPeriod, waterfallTerms } from "../contract/waterfall.js";
import { priceFactors } from "../prices.js";
import type { ParamSpec } from "../scenario/param.js";
import type { Scenario } from "../scenario/schema.js";
import { paramOf, type OutcomeTable } from "../simulate.js";
import { dist, distOfSorted, sortedFinite, type Dist } from "../summary/dist.js";

type Contract = Scenario["contract"];

/**
 * What the delivery costs by period: what the financier's capital pays for, which the payer
 * would fund itself. Today the capital drawdown schedule; a cash waterfall with explicit
 * delivery costs points this at its own figure.
 */
export function deliveryCostByPeriod(model: Model, contract: Contract = model.scenario.contract): Float64Array {
  const periods = Math.max(model.simulatedPeriods, ...contract.drawdown.map((d) => d.period + 1), lastSpendPeriod(contract, model.cohortStarts) + 1);
  // With delivery costs stated (the cash waterfall), the work costs what they say, at the planned volume.
  if (contract.delivery) {
    const terms = waterfallTerms(contract, model.cohortSizes, model.cohortStarts, periods, 0, capitalBasis(contract, model.cohortSizes, model.cohortStarts));
    if (terms.costs) return Float64Array.from(terms.costs);
  }
  const cost = new Float64Array(periods);
  for (const d of contract.drawdown) cost[d.period]! += d.share * contract.capital;
  return cost;
}


export interface SelfFundingTerms {
  readonly lendingRate: ParamSpec;
  readonly repayPeriod: number;
  /** True when the scenario gives no lending rate and the default for its currency is used. */
  readonly defaultRate: boolean;
}

/** The scenario's terms, or the Swedish default; null when neither applies (no rate for that currency). */
export function selfFundingTerms(model: Model, contract: Contract = model.scenario.contract): SelfFundingTerms | null {
  const rate = lendingRateSpec(model.scenario);
  if (!rate) return null;
  const given = model.scenario.valuation.selfFunding;
  const events = paymentEvents(contract.rules, model.cohortStarts, model.followUp);
  const lastDraw = Math.max(...contract.drawdown.map((d) => d.period));
  const repayPeriod = given?.repayPeriod ?? Math.max(lastDraw, events.length ? events[events.length - 1]!.period : 0);
  return { lendingRate: rate.spec, repayPeriod, defaultRate: rate.defaultRate };
}

/**
 * The present value, at the payer's rate r, of funding `delivery` with a loan at rate i repaid
 * at period R: Σ_p d_p (1+i)^((R−p)/ppy) (1+r)^(−R/ppy). A cost spent after R is paid in cash.
 */
export function selfFundedCostPV(delivery: ArrayLike<number>, lendingRate: number, discountRate: number, repayPeriod: number, periodsPerYear: number): number {
  const at = discountedAt(delivery, discountRate, repayPeriod, periodsPerYear);
  return owedAtRepayment(delivery, lendingRate, repayPeriod, periodsPerYear) * at.repayment + at.cash;
}

/**
 * What selfFundedCostPV takes from the discount rate alone, so a column of trials that share it
 * (the rate is usually the same in every trial) computes it once: the discount factor at the
 * repayment, shrink^R, and the costs after R, paid in cash when they fall, discounted.
 */
function discountedAt(delivery: ArrayLike<number>, discountRate: number, repayPeriod: number, periodsPerYear: number): { repayment: number; cash: number } {
  const shrink = Math.pow(1 + discountRate, -1 / periodsPerYear);
  const R = Math.max(0, repayPeriod);
  let cash = 0;
  for (let p = R + 1; p < delivery.length; p++) if (delivery[p] !== 0) cash += delivery[p]! * shrink ** p;
  return { repayment: shrink ** R, cash };
}

/** The loan owed at R: Horner's rule for Σ_{p ≤ R} d_p grow^(R−p). */
function owedAtRepayment(delivery: ArrayLike<number>, lendingRate: number, repayPeriod: number, periodsPerYear: number): number {
  const grow = Math.pow(1 + lendingRate, 1 / periodsPerYear);
  let owed = 0;
  const R = Math.max(0, repayPeriod);
  for (let p = 0; p <= R; p++) owed = owed * grow + (p < delivery.length ? delivery[p]! : 0);
  return owed;
}

/** The mean of the lowest ⌈share × n⌉ finite values: the mean of the worst 5 % for share 0.05. */
export function meanOfWorst(column: ArrayLike<number>, share = 0.05): number | null {
  return meanOfWorstSorted(sortedFinite(column), share);
}

function meanOfWorstSorted(sorted: Float64Array, share: number): number | null {
  if (sorted.length === 0) return null;
  const k = Math.max(1, Math.ceil(share * sorted.length - 1e-9));
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i]!;
  return s / k;
}

export interface SelfFundingColumns {
  readonly terms: SelfFundingTerms;
  /** The lending rate drawn for each trial (its own random stream, so no other draw changes). */
  readonly lendingRate: Float64Array;
  /** The payer's payments to the financier, discounted at its rate. */
  readonly contractCostPV: Float64Array;
  readonly contractNetPV: Float64Array;
  /** The loan's repayment, discounted at the payer's rate. */
  readonly selfFundedCostPV: Float64Array;
  /** Avoided costs (the payer's, discounted) minus the loan's cost. */
  readonly selfFundedNetPV: Float64Array;
  readonly delivery: Float64Array;
}

export function selfFundingColumns(model: Model, table: OutcomeTable, results: ContractResults, contract: Contract = model.scenario.contract): SelfFundingColumns | null {
  const terms = selfFundingTerms(model, contract);
  if (!terms) return null;
  const T = table.trials, ppy = model.periodsPerYear;
  const delivery = deliveryCostByPeriod(model, contract);
  // The lending rate is one of the model's parameters, drawn with the others (compile.ts).
  const rateOf = paramOf(model, table, model.lendingRateSlot, NaN);
  // The repayment is nominal: in start-year kronor, as the contract's payments are (prices.ts).
  const toStart = priceFactors(model.priceBasis, model, terms.repayPeriod + 1).toStart[terms.repayPeriod]!;
  const lendingRate = new Float64Array(T), contractCostPV = new Float64Array(T), selfCost = new Float64Array(T), selfNet = new Float64Array(T);
  for (let t = 0; t < T; t++) lendingRate[t] = rateOf(t);
  // selfFundedCostPV per trial, its discount-rate part computed once for each run of trials at the same rate.
  let rate = NaN, at = { repayment: NaN, cash: NaN };
  for (let t = 0; t < T; t++) {
    const r = table.discountRate[t]!;
    if (!(r === rate)) (rate = r), (at = discountedAt(delivery, r, terms.repayPeriod, ppy));
    contractCostPV[t] = table.avoidedPV[t]! - results.payerNetPV[t]!;
    selfCost[t] = (owedAtRepayment(delivery, lendingRate[t]!, terms.repayPeriod, ppy) * at.repayment + at.cash) * toStart;
    selfNet[t] = table.avoidedPV[t]! - selfCost[t]!;
  }
  return { terms, lendingRate, contractCostPV, contractNetPV: results.payerNetPV, selfFundedCostPV: selfCost, selfFundedNetPV: selfNet, delivery };
}

export interface SelfFundingAlternative {
  /** The payer's cost, discounted at its rate: payments to the financier, or the loan's repayment. */
  costPV: Dist | null;
  /** Avoided costs minus that cost, discounted. */
  netPV: Dist | null;
  /** The mean of the worst 5 % of netPV (its 5th percentile is netPV.p5). */
  netPVWorst5Mean: number | null;
}

export interface SelfFundingSummary {
  lendingRate: Dist | null;
  /** Whether the scenario gave no rate and the Swedish default (Kommuninvest) was used. */
  defaultLendingRate: boolean;
  repayPeriod: number;
  /** The delivery cost the loan funds, undiscounted. */
  deliveryCost: number;
  contract: SelfFundingAlternative;
  selfFunded: SelfFundingAlternative;
  /** contract.costPV.mean − selfFunded.costPV.mean: what the payer pays for transferring the risk (negative: the contract is cheaper). */
  premium: number | null;
  /** The premium with the lending rate at its 5th and 95th percentiles. */
  premiumAtLendingRate: { atRateP5: number | null; atRateP95: number | null };
}

/**
 * `contractNetSorted`: the finite values of `columns.contractNetPV` sorted by `sortedFinite`, when
 * the caller has them (the run summary sorts the payer's net present value, the same column, for
 * its own figures); else they are sorted here.
 */
export function summarizeSelfFunding(model: Model, table: OutcomeTable, columns: SelfFundingColumns | null, contractNetSorted?: Float64Array): SelfFundingSummary | null {
  if (!columns) return null;
  const alt = (cost: Float64Array, net: Float64Array, sorted = sortedFinite(net)): SelfFundingAlternative => {
    return { costPV: dist(cost), netPV: distOfSorted(sorted), netPVWorst5Mean: meanOfWorstSorted(sorted, 0.05) };
  };
  const contract = alt(columns.contractCostPV, columns.contractNetPV, contractNetSorted);
  const selfFunded = alt(columns.selfFundedCostPV, columns.selfFundedNetPV);
  const rate = dist(columns.lendingRate);
  const premiumAt = (i: number | undefined) => {
    if (i === undefined || contract.costPV === null) return null;
    // The discount rate is usually the same in every trial: one cost per distinct rate.
    const byRate = new Map<number, number>();
    let s = 0, lastRate = NaN, last = NaN;
    for (let t = 0; t < table.trials; t++) {
      const r = table.discountRate[t]!;
      if (!(r === lastRate)) {
        let c = byRate.get(r);
        if (c === undefined) byRate.set(r, (c = selfFundedCostPV(columns.delivery, i, r, columns.terms.repayPeriod, model.periodsPerYear)));
        (lastRate = r), (last = c);
      }
      s += last;
    }
    return contract.costPV.mean - s / table.trials;
  };
  return {
    lendingRate: rate,
    defaultLendingRate: columns.terms.defaultRate,
    repayPeriod: columns.terms.repayPeriod,
    deliveryCost: columns.delivery.reduce((a, b) => a + b, 0),
    contract,
    selfFunded,
    premium: contract.costPV && selfFunded.costPV ? contract.costPV.mean - selfFunded.costPV.mean : null,
    premiumAtLendingRate: { atRateP5: premiumAt(rate?.p5), atRateP95: premiumAt(rate?.p95) },
  };
}
