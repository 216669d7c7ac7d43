/**
 * Contract evaluation: applies a contract's payment rules to a simulated outcome table and
 * derives every party's money. Re-running it with other terms re-uses the same outcomes
 * (common random numbers), so differences between terms are not drowned in noise.
 */
import { paymentEvents, resolveMoney, type Model } from "../compile.js";
import { budgetYear, budgetYearCount } from "../calendar.js";
import { priceFactors } from "../prices.js";
import { MONEY_EPSILON } from "../constants.js";
import { annualize, irr } from "../finance/irr.js";
import type { Scenario } from "../scenario/schema.js";
import { cohortValue, paramOf, type OutcomeTable } from "../simulate.js";
import { compileRule, improvement, repaidSaving, ruleAmount } from "./rules.js";
import { allocateFlows, capitalBasis, lastSpendPeriod, terminationPeriod, waterfall, waterfallTerms } from "./waterfall.js";

type Contract = Scenario["contract"];

export interface ContractResults {
  readonly trials: number;
  /** Periods of the cash-flow columns (simulation and every payment fit in). */
  readonly periods: number;
  readonly years: number;
  readonly capital: number;
  /** Payer → financier, all rules, nominal. */
  readonly payments: Float64Array;
  /** Payer's payments by budget year [trial][year]. */
  readonly paymentsByYear: Float64Array;
  /** Payments by rule [trial][rule]. */
  readonly paymentsByRule: Float64Array;
  /** Paid by a third-party guarantor to the financier. */
  readonly guarantee: Float64Array;
  /** Financier's IRR per year; NaN where the cash flows have no (unique) IRR. */
  readonly irr: Float64Array;
  readonly multiple: Float64Array;
  readonly profit: Float64Array;
  /** Financier's NPV at the scenario's financier discount rate. */
  readonly financierNpv: Float64Array;
  /**
   * Financier's modified IRR per year (Excel's MIRR over the P periods, finance and reinvestment
   * rate both the financier's discount rate): exists in every trial that lends, ranks as the NPV.
   */
  readonly mirr: Float64Array;
  /** The financier's discount rate per year (the hurdle of `financierNpv` and `mirr`). */
  readonly financierRate: number;
  readonly periodsPerYear: number;
  /** Financier's net cash flow by period, the mean over trials (the expected cash flows). */
  readonly meanFlows: Float64Array;
  /** Payer's avoided costs over the horizon minus its payments, nominal. */
  readonly payerNet: Float64Array;
  readonly payerNetPV: Float64Array;
  readonly societyNpv: Float64Array;
  readonly anyPayment: Uint8Array;
  /** The financier got back less than it lent (payments and any guarantee). */
  readonly loss: Uint8Array;
  /** The financier lent something and got nothing back. */
  readonly totalLoss: Uint8Array;
  /** The payer paid more than it avoided over the horizon. */
  readonly payerNetCost: Uint8Array;
  readonly payForNothing: Uint8Array;
  readonly missedSuccess: Uint8Array;
  /** Financier's net cash flow by period [trial][period], when asked for (`keepFlows`). */
  readonly flows: Float64Array | null;
  /** Capital the financier drew (the commitment, in the simple form). */
  readonly drawn: Float64Array;
  /** Intermediary's fees; provider's share of the surplus; costs no one could fund. */
  readonly intermediaryFees: Float64Array;
  readonly providerSurplus: Float64Array;
  readonly unfunded: Float64Array;
  /** 1 where the payer ended the contract early. */
  readonly terminated: Uint8Array;
  /** The waterfall by period [trial][period], with `keepFlows`: see models/contract/waterfall.ts. */
  readonly waterfall: {
    readonly draws: Float64Array;
    readonly toProvider: Float64Array;
    readonly toIntermediary: Float64Array;
    readonly guarantee: Float64Array;
  } | null;
}

export interface EvaluateOptions {
  /** Keep every trial's cash flows by period (for fan charts); T × periods numbers. */
  readonly keepFlows?: boolean;
}

/**
 * The sizes of the cash-flow columns evaluateContract allocates: periods P (the simulation and
 * every payment and spend fit in), budget years Y, and rules R. models/summary/limits.ts
 * estimates a run's memory from them before it starts.
 */
export function contractShape(model: Model, contract: Contract = model.scenario.contract): { periods: number; years: number; rules: number } {
  const events = paymentEvents(contract.rules, model.cohortStarts, model.followUp);
  const lastSpend = lastSpendPeriod(contract, model.cohortStarts);
  const lastEvent = events.length ? events[events.length - 1]!.period : 0;
  const periods = Math.max(model.simulatedPeriods, lastSpend + 1, lastEvent + 1);
  return { periods, years: budgetYearCount(model, periods), rules: contract.rules.length };
}

export function evaluateContract(
  model: Model,
  table: OutcomeTable,
  contract: Contract = model.scenario.contract,
  options: EvaluateOptions = {},
): ContractResults {
  const T = table.trials, C = table.cohorts, ppy = model.periodsPerYear;
  // `ofCapital` amounts are fractions of this: the commitment, or the planned draw (waterfall.ts).
  const capital = capitalBasis(contract, model.cohortSizes, model.cohortStarts);
  // Each rule compiled for each group it is applied to: [rule][cohort + 1], cohort −1 = pooled.
  // A share of capital on a per-cohort rule is split by cohort size (see resolveAmount).
  const sizes = model.cohortSizes, N = sizes.reduce((a, b) => a + b, 0);
  const compiled = contract.rules.map((r, i) => [
    compileRule(r, i, contract.rules, capital, model.measures),
    ...Array.from(sizes, (n) => compileRule(r, i, contract.rules, capital, model.measures, N > 0 ? n / N : 1)),
  ]);
  const R = compiled.length;
  // For `above: "repaid"`: the rules before each rule, for the same group; the group's values.
  const earlierOf = compiled.map((_, i) => Array.from({ length: model.cohortSizes.length + 1 }, (_, g) => compiled.slice(0, i).map((x) => x[g]!)));
  const M = model.measures.length;
  const groupTreated = new Float64Array(M), groupReference = new Float64Array(M), repaidScratch = new Float64Array(2 * R + 1);
  const events = paymentEvents(contract.rules, model.cohortStarts, model.followUp);
  const lastSpend = lastSpendPeriod(contract, model.cohortStarts);
  const lastEvent = events.length ? events[events.length - 1]!.period : 0;
  const P = Math.max(model.simulatedPeriods, lastSpend + 1, lastEvent + 1);
  const Y = budgetYearCount(model, P);
  const totalCap = contract.totalCap === undefined ? Infinity : resolveMoney(contract.totalCap, capital);
  const financierRate = model.scenario.valuation.financierDiscountRate;

  const out: ContractResults = {
    trials: T,
    periods: P,
    years: Y,
    capital,
    payments: new Float64Array(T),
    paymentsByYear: new Float64Array(T * Y),
    paymentsByRule: new Float64Array(T * R),
    guarantee: new Float64Array(T),
    irr: new Float64Array(T),
    multiple: new Float64Array(T),
    profit: new Float64Array(T),
    financierNpv: new Float64Array(T),
    mirr: new Float64Array(T),
    financierRate,
    periodsPerYear: ppy,
    meanFlows: new Float64Array(P),
    payerNet: new Float64Array(T),
    payerNetPV: new Float64Array(T),
    societyNpv: new Float64Array(T),
    anyPayment: new Uint8Array(T),
    loss: new Uint8Array(T),
    totalLoss: new Uint8Array(T),
    payerNetCost: new Uint8Array(T),
    payForNothing: new Uint8Array(T),
    missedSuccess: new Uint8Array(T),
    flows: options.keepFlows ? new Float64Array(T * P) : null,
    drawn: new Float64Array(T),
    intermediaryFees: new Float64Array(T),
    providerSurplus: new Float64Array(T),
    unfunded: new Float64Array(T),
    terminated: new Uint8Array(T),
    waterfall: options.keepFlows
      ? { draws: new Float64Array(T * P), toProvider: new Float64Array(T * P), toIntermediary: new Float64Array(T * P), guarantee: new Float64Array(T * P) }
      : null,
  };

  // The financier's flows come out of the waterfall (models/contract/waterfall.ts).
  const terms = waterfallTerms(contract, model.cohortSizes, model.cohortStarts, P, lastEvent, capital);
  const wf = allocateFlows(P);
  const recPeriod = new Int32Array(events.length + 1), recAmount = new Float64Array(events.length + 1);
  const volumeOf = paramOf(model, table, model.volumeSlot, 1);
  const hazardOf = paramOf(model, table, model.terminationSlot, 0);
  const drawOf = paramOf(model, table, model.terminationDrawSlot, 1);
  const termination = contract.termination;
  const settlement = termination ? resolveMoney(termination.settlement, capital) : 0;
  // Paid so far by rule (all cohorts), and by rule and cohort, for `offsetBy`.
  const paidMeasured = new Float64Array(R), paidTrue = new Float64Array(R);
  const cohortPaid = new Float64Array(R * C), cohortPaidTrue = new Float64Array(R * C);
  const payerDiscount = new Float64Array(P);
  const financierDiscount = Float64Array.from({ length: P }, (_, p) => Math.pow(1 + financierRate, -p / ppy));
  const toStart = priceFactors(model.priceBasis, model, P).toStart;
  let discountFor = NaN; // the rate payerDiscount was last filled for: usually fixed across trials
  let investedPV = 0;

  for (let t = 0; t < T; t++) {
    const delivered = table.delivered[t] === 1;
    const r = table.discountRate[t]!;
    paidMeasured.fill(0);
    paidTrue.fill(0);
    cohortPaid.fill(0);
    cohortPaidTrue.fill(0);
    if (r !== discountFor) {
      investedPV = 0;
      for (let p = 0; p < P; p++) {
        // Nominal money in kronor of the start year, at the real rate (prices.ts).
        payerDiscount[p] = Math.pow(1 + r, -p / ppy) * toStart[p]!;
        if (terms.schedule) investedPV += terms.schedule[p]! * payerDiscount[p]!;
      }
      discountFor = r;
    }
    let total = 0, totalTrue = 0, paidPV = 0, forNothing = 0, missed = 0, nRec = 0;
    // Early termination: from period stopAt no payment is due; the payer pays the settlement then.
    const stopAt = termination ? terminationPeriod(drawOf(t), hazardOf(t), termination.fromPeriod, lastEvent) : Infinity;

    for (const ev of events) {
      if (ev.period >= stopAt) break; // events are in order of period
      const rule = compiled[ev.rule]![ev.cohort + 1]!;
      const m = rule.measure, cm = rule.conditionMeasure, c = ev.cohort;
      const treated = m >= 0 ? cohortValue(table.treated, table, t, c, m) : 0;
      const truth = m >= 0 ? cohortValue(table.counterfactual, table, t, c, m) : 0;
      const measured = m >= 0 ? cohortValue(table.comparator, table, t, c, m) : 0;
      const condTreated = cm >= 0 ? cohortValue(table.treated, table, t, c, cm) : 0;
      const condTruth = cm >= 0 ? cohortValue(table.counterfactual, table, t, c, cm) : 0;
      const condMeasured = cm >= 0 ? cohortValue(table.comparator, table, t, c, cm) : 0;
      // `above: "repaid"`: the saving at which the rules before this one have repaid the capital.
      let above = rule.above, aboveTrue = rule.above;
      if (Number.isNaN(rule.above)) {
        const earlier = earlierOf[ev.rule]![c + 1]!;
        // Only a positive saving can pay: skip the search otherwise (most trials).
        above = aboveTrue = Infinity;
        const saves = improvement(treated, measured, rule.higherIsBetter) > 0, savesTrue = improvement(treated, truth, rule.higherIsBetter) > 0;
        if (saves || savesTrue) for (let k = 0; k < M; k++) groupTreated[k] = cohortValue(table.treated, table, t, c, k);
        if (saves) {
          for (let k = 0; k < M; k++) groupReference[k] = cohortValue(table.comparator, table, t, c, k);
          above = repaidSaving(rule, earlier, delivered, groupTreated, groupReference, repaidScratch);
        }
        if (savesTrue) {
          for (let k = 0; k < M; k++) groupReference[k] = cohortValue(table.counterfactual, table, t, c, k);
          aboveTrue = repaidSaving(rule, earlier, delivered, groupTreated, groupReference, repaidScratch);
        }
      }
      let pay = ruleAmount(rule, delivered, treated, measured, condTreated, condMeasured, above);
      let payTrue = ruleAmount(rule, delivered, treated, truth, condTreated, condTruth, aboveTrue);
      // A rule that would pay on the true effect but not on the measured one, judged on the
      // rule's own trigger (before offsets and the total cap, which are not measurement errors).
      if (rule.outcomeBased && payTrue > MONEY_EPSILON && !(pay > MONEY_EPSILON)) missed = 1;
      // A pooled rule is offset by everything the named rules paid; a per-cohort rule by what
      // they paid for the same cohort.
      for (const o of rule.offsetBy) {
        pay -= c >= 0 ? cohortPaid[o * C + c]! : paidMeasured[o]!;
        payTrue -= c >= 0 ? cohortPaidTrue[o * C + c]! : paidTrue[o]!;
      }
      // Offsets can leave rounding crumbs (1e-9): below MONEY_EPSILON nothing is paid.
      pay = Math.min(pay, totalCap - total);
      payTrue = Math.min(payTrue, totalCap - totalTrue);
      if (!(pay > MONEY_EPSILON)) pay = 0;
      if (!(payTrue > MONEY_EPSILON)) payTrue = 0;
      paidMeasured[ev.rule]! += pay;
      paidTrue[ev.rule]! += payTrue;
      if (c >= 0) {
        cohortPaid[ev.rule * C + c]! += pay;
        cohortPaidTrue[ev.rule * C + c]! += payTrue;
      }
      total += pay;
      totalTrue += payTrue;
      if (rule.outcomeBased) {
        if (pay > MONEY_EPSILON && improvement(treated, truth, rule.higherIsBetter) <= 0) forNothing = 1;
      }
      if (pay > 0) {
        recPeriod[nRec] = ev.period;
        recAmount[nRec++] = pay;
        out.paymentsByYear[t * Y + budgetYear(model, ev.period)]! += pay;
        paidPV += pay * payerDiscount[ev.period]!;
      }
    }
    if (stopAt < Infinity && settlement > 0) {
      recPeriod[nRec] = stopAt;
      recAmount[nRec++] = settlement;
      total += settlement;
      out.paymentsByYear[t * Y + budgetYear(model, stopAt)]! += settlement;
      paidPV += settlement * payerDiscount[stopAt]!;
    }

    const { net: flows, totals } = waterfall(terms, recPeriod, recAmount, nRec, volumeOf(t), stopAt, wf);
    const received = totals.received, invested = terms.simple ? capital : totals.drawn;
    out.flows?.set(flows, t * P);
    if (out.waterfall) {
      out.waterfall.draws.set(wf.draws, t * P);
      out.waterfall.toProvider.set(wf.toProvider, t * P);
      out.waterfall.toIntermediary.set(wf.toIntermediary, t * P);
      out.waterfall.guarantee.set(wf.guarantee, t * P);
    }
    for (let k = 0; k < R; k++) out.paymentsByRule[t * R + k] = paidMeasured[k]!;
    out.drawn[t] = invested;
    out.intermediaryFees[t] = totals.fees;
    out.providerSurplus[t] = totals.providerSurplus;
    out.unfunded[t] = totals.unfunded;
    out.terminated[t] = stopAt < Infinity ? 1 : 0;
    if (!terms.simple) {
      // The work's real cost to society: what was spent on delivery and fees, when it was spent.
      investedPV = 0;
      for (let p = 0; p < P; p++) investedPV += wf.spent[p]! * payerDiscount[p]!;
    }

    out.payments[t] = total;
    out.guarantee[t] = totals.guarantee;
    out.anyPayment[t] = total > MONEY_EPSILON ? 1 : 0;
    out.payForNothing[t] = forNothing;
    out.missedSuccess[t] = missed;
    out.profit[t] = received - invested;
    out.loss[t] = received - invested < -MONEY_EPSILON ? 1 : 0;
    out.totalLoss[t] = invested > 0 && received <= MONEY_EPSILON ? 1 : 0;
    out.multiple[t] = invested > 0 ? received / invested : NaN;
    out.irr[t] = received <= MONEY_EPSILON ? (invested > 0 ? -1 : NaN) : annualize(irr(flows, P), ppy);
    // NPV, MIRR and the expected flows, from one pass over the flows.
    let pvOut = 0, pvBack = 0;
    for (let p = 0; p < P; p++) {
      const f = flows[p]!;
      if (f < 0) pvOut -= f * financierDiscount[p]!;
      else pvBack += f * financierDiscount[p]!;
      out.meanFlows[p]! += f / T;
    }
    out.financierNpv[t] = pvBack - pvOut;
    // MIRR = (FV(back) / PV(out))^(1/(P − 1)) − 1 per period, FV(back) = PV(back) / v^(P−1): per year,
    // (PV(back) / PV(out) / v^(P−1))^(ppy/(P − 1)) − 1.
    out.mirr[t] = pvOut > 0 && P > 1 ? Math.pow(pvBack / pvOut / financierDiscount[P - 1]!, ppy / (P - 1)) - 1 : NaN;
    let avoided = 0;
    for (let y = 0; y < model.years; y++) avoided += table.avoidedByYear[t * model.years + y]!;
    out.payerNet[t] = avoided - total;
    out.payerNetCost[t] = avoided - total < -MONEY_EPSILON ? 1 : 0;
    out.payerNetPV[t] = table.avoidedPV[t]! - paidPV;
    out.societyNpv[t] = table.societyBenefitPV[t]! - investedPV;
  }
  return out;
}
