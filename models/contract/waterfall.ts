/**
 * The cash waterfall: where one trial's outcome payments go. A pure function of the payments as
 * they arrive and the contract's capital structure; it gives, per period, the capital the
 * financier puts in and what it, the provider and the intermediary receive.
 *
 * Two forms:
 * - the simple form (no `delivery`, `fees`, `providerShareOfSurplus`, `guaranteeCovers` or
 *   `termination`): capital is drawn on the `drawdown` schedule and every payment goes to the
 *   financier, in exactly the arithmetic the kit has always used;
 * - the structured form: capital is drawn as delivery needs it, up to the commitment
 *   (`contract.capital`); with `recycling`, payments received pay for delivery before more
 *   capital is drawn. In each period:
 *     1. the intermediary takes `fees.shareOfReceipts` of the period's outcome payments;
 *     2. the period's delivery costs (× the trial's volume) and fixed fees are paid, fees
 *        first, from cash held (recycling) and then from new draws; what the commitment
 *        cannot cover goes unfunded;
 *     3. cash beyond what the remaining delivery needs is distributed (without recycling, all
 *        of it): first as return of the capital drawn so far, then as surplus, of which the
 *        provider takes `providerShareOfSurplus`;
 *     4. after the last payment was due and the last capital drawn, a guarantor pays
 *        "receipts": up to G − received, or "losses": up to min(G, drawn − received).
 *   Without `delivery`, capital is drawn on the schedule and goes to the provider less any
 *   fixed fee; the rest of the steps are the same.
 */
import { resolveMoney } from "./payments.js";
import { MONEY_EPSILON } from "../constants.js";
import type { Scenario } from "../scenario/schema.js";

export type GuaranteeCovers = "receipts" | "losses";

export interface WaterfallTerms {
  /** Periods of the cash-flow columns. */
  readonly periods: number;
  /** The financier's commitment: the most it can be asked to draw. */
  readonly commitment: number;
  /** Capital drawn per period on a fixed schedule; null when delivery costs drive the draws. */
  readonly schedule: Float64Array | null;
  /** Planned delivery costs per period, before the trial's volume; null without `delivery`. */
  readonly costs: Float64Array | null;
  /** The intermediary's fixed fee per period; null when none. */
  readonly fixedFees: Float64Array | null;
  readonly recycling: boolean;
  /** Share of each outcome payment received that goes to the intermediary. */
  readonly feeShare: number;
  /** Share of the surplus beyond drawn capital that goes to the provider. */
  readonly providerShare: number;
  readonly guarantee: number;
  readonly guaranteeCovers: GuaranteeCovers;
  /** The last period in which a payment was due; the guarantor settles no earlier. */
  readonly lastDue: number;
  /** The simple form: today's arithmetic, byte for byte. */
  readonly simple: boolean;
}

export interface WaterfallTotals {
  /** Capital the financier put in. */
  drawn: number;
  /** Outcome payments received from the payer. */
  payments: number;
  /** Everything the financier received, the guarantee included. */
  received: number;
  guarantee: number;
  /** Intermediary: share of receipts and fixed fees paid. */
  fees: number;
  /** Provider: delivery costs paid (or, on a schedule, the capital passed on). */
  providerCosts: number;
  /** Provider: its share of the surplus. */
  providerSurplus: number;
  /** Delivery costs and fees neither cash nor the commitment could pay. */
  unfunded: number;
}

/** One trial's waterfall, per period. The arrays are reused from trial to trial. */
export interface WaterfallFlows {
  readonly draws: Float64Array;
  /** Financier's receipts: distributions and the guarantee. */
  readonly toFinancier: Float64Array;
  readonly toProvider: Float64Array;
  readonly toIntermediary: Float64Array;
  readonly guarantee: Float64Array;
  /** Delivery costs and fixed fees paid (on a schedule: the capital drawn), the work's real cost. */
  readonly spent: Float64Array;
  /** Financier's net cash flow: receipts − draws. */
  readonly net: Float64Array;
  /** Scratch: each period's delivery costs and fixed fees due. */
  readonly need: Float64Array;
  readonly totals: WaterfallTotals;
}

export function allocateFlows(periods: number): WaterfallFlows {
  const a = () => new Float64Array(periods);
  return {
    draws: a(), toFinancier: a(), toProvider: a(), toIntermediary: a(), guarantee: a(), spent: a(), net: a(), need: a(),
    totals: { drawn: 0, payments: 0, received: 0, guarantee: 0, fees: 0, providerCosts: 0, providerSurplus: 0, unfunded: 0 },
  };
}

/**
 * Runs the waterfall for one trial. `periodOf[i]`, `amountOf[i]` (i < n) are the outcome payments
 * in the order they are made (period, then rule); `volume` multiplies the delivery costs;
 * from period `stopAt` on (early termination) nothing is drawn or spent.
 */
export function waterfall(
  terms: WaterfallTerms,
  periodOf: ArrayLike<number>,
  amountOf: ArrayLike<number>,
  n: number,
  volume: number,
  stopAt: number,
  out: WaterfallFlows,
): WaterfallFlows {
  const P = terms.periods;
  const { draws, toFinancier, toProvider, toIntermediary, guarantee, spent, net, totals } = out;
  totals.drawn = totals.payments = totals.received = totals.guarantee = 0;
  totals.fees = totals.providerCosts = totals.providerSurplus = totals.unfunded = 0;
  let lastPaid = 0, lastDraw = 0;

  if (terms.simple) {
    toFinancier.fill(0);
    toIntermediary.fill(0);
    guarantee.fill(0);
    // Today's form, in today's order of additions (so results are byte-identical).
    const schedule = terms.schedule!;
    let total = 0;
    for (let p = 0; p < P; p++) {
      net[p] = -schedule[p]!;
      draws[p] = schedule[p]!;
      toProvider[p] = schedule[p]!;
      spent[p] = schedule[p]!;
      if (schedule[p]! > 0) lastDraw = p;
    }
    for (let i = 0; i < n; i++) {
      const p = periodOf[i]!, pay = amountOf[i]!;
      net[p]! += pay;
      toFinancier[p]! += pay;
      total += pay;
      lastPaid = p;
    }
    const g = guaranteePayment(terms, total, terms.commitment);
    if (g > MONEY_EPSILON) {
      const s = Math.max(lastPaid, terms.lastDue, lastDraw);
      net[s]! += g;
      toFinancier[s]! += g;
      guarantee[s] = g;
    }
    totals.guarantee = g;
    totals.drawn = terms.commitment;
    totals.payments = total;
    totals.providerCosts = terms.commitment;
    totals.received = total + g;
    return out;
  }

  // Structured form. Needs per period: delivery costs (× volume) and fixed fees, until stopAt.
  // Every column is written once per period from locals that add up in the order the steps
  // below describe (each starts at 0, as a cleared column would), so the numbers are those of
  // adding into the columns themselves.
  const costs = terms.costs, fixedFees = terms.fixedFees, schedule = terms.schedule, recycling = terms.recycling;
  const needs = out.need;
  let future = 0; // needs after the current period, for the recycling reserve
  for (let p = 0; p < P; p++) {
    const n = p >= stopAt ? 0 : (costs ? costs[p]! * volume : 0) + (fixedFees ? fixedFees[p]! : 0);
    needs[p] = n;
    future += n;
  }
  let cash = 0, drawn = 0, returned = 0, i = 0, received = 0;
  let payments = 0, fees = 0, providerCosts = 0, providerSurplus = 0, unfunded = 0;

  for (let p = 0; p < P; p++) {
    // 1. Outcome payments in, less the intermediary's share.
    let inflow = 0;
    while (i < n && periodOf[i] === p) inflow += amountOf[i++]!;
    if (inflow > 0) lastPaid = p;
    payments += inflow;
    const fee = terms.feeShare * inflow;
    let intermediary = 0, provider = 0, financier = 0;
    intermediary += fee;
    let available = inflow - fee;

    // 2. Delivery and fixed fees: on a schedule the draw is fixed; otherwise cash first, then draws.
    const fixedFee = p < stopAt && fixedFees ? fixedFees[p]! : 0;
    let draw: number;
    if (schedule) {
      draw = p < stopAt ? schedule[p]! : 0;
      const feePaid = Math.min(fixedFee, draw);
      spent[p] = draw;
      intermediary += feePaid;
      provider += draw - feePaid;
      providerCosts += draw - feePaid;
      unfunded += fixedFee - feePaid;
      drawn += draw;
    } else {
      const due = needs[p]!;
      future -= due;
      let fromCash = 0;
      if (recycling) {
        cash += available;
        available = 0;
        fromCash = Math.min(cash, due);
        cash -= fromCash;
      }
      draw = Math.min(due - fromCash, Math.max(0, terms.commitment - drawn));
      drawn += draw;
      const paid = fromCash + draw;
      spent[p] = paid;
      const feePaid = Math.min(fixedFee, paid);
      intermediary += feePaid;
      provider += paid - feePaid;
      providerCosts += paid - feePaid;
      unfunded += due - paid;
      if (recycling) {
        // 3. Keep what the rest of delivery needs; the rest is distributed.
        const reserve = p === P - 1 ? 0 : future;
        available = Math.max(0, cash - reserve);
        cash -= available;
      }
    }
    draws[p] = draw;
    if (draw > 0) lastDraw = p;

    // 3. Distribution: return of capital drawn so far, then surplus shared with the provider.
    if (available > 0) {
      const capitalBack = Math.min(available, Math.max(0, drawn - returned));
      returned += capitalBack;
      const surplus = available - capitalBack;
      const toProv = terms.providerShare * surplus;
      provider += toProv;
      providerSurplus += toProv;
      financier += available - toProv;
    }
    toIntermediary[p] = intermediary;
    toProvider[p] = provider;
    toFinancier[p] = financier;
    guarantee[p] = 0;
    net[p] = financier - draw;
    fees += intermediary;
    received += financier;
  }

  // 4. The guarantor settles after the last payment was due and all capital was drawn.
  const g = guaranteePayment(terms, received, drawn);
  if (g > MONEY_EPSILON) {
    const s = Math.max(lastPaid, terms.lastDue, lastDraw);
    toFinancier[s]! += g;
    guarantee[s] = g;
    net[s] = toFinancier[s]! - draws[s]!;
    totals.guarantee = g;
    received += g;
  }
  totals.payments = payments;
  totals.fees = fees;
  totals.providerCosts = providerCosts;
  totals.providerSurplus = providerSurplus;
  totals.unfunded = unfunded;
  totals.drawn = drawn;
  totals.received = received;
  return out;
}

/** What a guarantee of G pays: tops receipts up to G, or covers the loss (drawn − received) up to G. */
export function guaranteePayment(terms: Pick<WaterfallTerms, "guarantee" | "guaranteeCovers">, received: number, drawn: number): number {
  const G = terms.guarantee;
  if (!(G > 0)) return 0;
  return terms.guaranteeCovers === "losses" ? Math.min(G, Math.max(0, drawn - received)) : Math.max(0, G - received);
}

/**
 * The period from which the payer has ended the contract, or Infinity if it runs to its end:
 * with chance h in each period from `from`, the first such period is from + ⌊ln u ÷ ln(1 − h)⌋
 * for a uniform u (a geometric number of periods). Past the last payment due there is nothing
 * left to end.
 */
export function terminationPeriod(u: number, h: number, from: number, lastDue: number): number {
  if (!(h > 0)) return Infinity;
  const k = h >= 1 ? from : u > 0 ? from + Math.floor(Math.log(u) / Math.log(1 - h)) : Infinity;
  return k > lastDue ? Infinity : k;
}

type Contract = Scenario["contract"];

/** Whether a contract uses any part of the capital structure (else the simple form applies). */
export function isStructured(c: Contract): boolean {
  return c.delivery !== undefined || c.fees !== undefined || c.ofCapitalMeans === "plannedDraw" || c.providerShareOfSurplus !== undefined || c.termination !== undefined || c.guaranteeCovers === "losses";
}

/** The last period in which the contract spends (a draw, a delivery cost or a fixed fee). */
export function lastSpendPeriod(c: Contract, cohortStarts: ArrayLike<number>): number {
  let last = c.delivery ? 0 : Math.max(...c.drawdown.map((d) => d.period));
  for (const sp of [...(c.delivery?.perPeriod ?? []), ...(c.fees?.perPeriod ?? [])]) last = Math.max(last, sp.to);
  const pp = c.delivery?.perParticipant;
  if (pp) for (let k = 0; k < cohortStarts.length; k++) last = Math.max(last, cohortStarts[k]! + pp.overPeriods - 1);
  return last;
}

function spread(spans: readonly { from: number; to: number; amount: number }[], P: number): Float64Array {
  const a = new Float64Array(P);
  for (const sp of spans) for (let p = sp.from; p <= sp.to && p < P; p++) a[p]! += sp.amount;
  return a;
}

/** The contract's structure as the waterfall's terms, for cash-flow columns of `periods` periods. */
export function waterfallTerms(
  c: Contract,
  cohortSizes: ArrayLike<number>,
  cohortStarts: ArrayLike<number>,
  periods: number,
  lastDue: number,
  /** What `ofCapital` amounts are fractions of (see capitalBasis); the commitment by default. */
  basis?: number,
): WaterfallTerms {
  const capital = c.capital;
  let schedule: Float64Array | null = null, costs: Float64Array | null = null;
  if (c.delivery) {
    costs = spread(c.delivery.perPeriod, periods);
    const pp = c.delivery.perParticipant;
    if (pp) {
      for (let k = 0; k < cohortStarts.length; k++) {
        const each = (cohortSizes[k]! * pp.amount) / pp.overPeriods;
        for (let q = 0; q < pp.overPeriods && cohortStarts[k]! + q < periods; q++) costs[cohortStarts[k]! + q]! += each;
      }
    }
  } else {
    schedule = new Float64Array(periods);
    for (const d of c.drawdown) schedule[d.period]! += d.share * capital;
  }
  return {
    periods,
    commitment: capital,
    schedule,
    costs,
    fixedFees: c.fees && c.fees.perPeriod.length ? spread(c.fees.perPeriod, periods) : null,
    recycling: c.delivery?.recycling ?? false,
    feeShare: c.fees?.shareOfReceipts ?? 0,
    providerShare: c.providerShareOfSurplus ?? 0,
    guarantee: c.guarantee === undefined ? 0 : resolveMoney(c.guarantee, basis ?? capital),
    guaranteeCovers: c.guaranteeCovers ?? "receipts",
    lastDue,
    simple: !isStructured(c),
  };
}

/**
 * The amount `ofCapital` fractions refer to: the commitment, or with `ofCapitalMeans:
 * "plannedDraw"` the planned delivery costs and fixed fees (volume 1), at most the commitment.
 */
export function capitalBasis(c: Contract, cohortSizes: ArrayLike<number>, cohortStarts: ArrayLike<number>): number {
  if (c.ofCapitalMeans !== "plannedDraw" || !c.delivery) return c.capital;
  const P = lastSpendPeriod(c, cohortStarts) + 1;
  const t = waterfallTerms({ ...c, guarantee: undefined }, cohortSizes, cohortStarts, P, 0);
  let planned = 0;
  for (let p = 0; p < P; p++) planned += t.costs![p]! + (t.fixedFees ? t.fixedFees[p]! : 0);
  return Math.min(c.capital, planned);
}
