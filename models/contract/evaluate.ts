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
import { cohortValue, type OutcomeTable } from "../simulate.js";
import { compileRule, improvement, repaidSaving, ruleAmount } from "./rules.js";

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
}

export interface EvaluateOptions {
  /** Keep every trial's cash flows by period (for fan charts); T × periods numbers. */
  readonly keepFlows?: boolean;
}

export function evaluateContract(
  model: Model,
  table: OutcomeTable,
  contract: Contract = model.scenario.contract,
  options: EvaluateOptions = {},
): ContractResults {
  const T = table.trials, C = table.cohorts, ppy = model.periodsPerYear;
  const capital = contract.capital;
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
  const lastDraw = Math.max(...contract.drawdown.map((d) => d.period));
  const lastEvent = events.length ? events[events.length - 1]!.period : 0;
  const P = Math.max(model.simulatedPeriods, lastDraw + 1, lastEvent + 1);
  const Y = budgetYearCount(model, P);
  const totalCap = contract.totalCap === undefined ? Infinity : resolveMoney(contract.totalCap, capital);
  const guaranteed = contract.guarantee === undefined ? 0 : resolveMoney(contract.guarantee, capital);
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
  };

  // The drawdown schedule is the same in every trial.
  const invested = new Float64Array(P);
  for (const d of contract.drawdown) invested[d.period]! += d.share * capital;
  const flows = new Float64Array(P);
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
    for (let p = 0; p < P; p++) flows[p] = -invested[p]!;
    if (r !== discountFor) {
      investedPV = 0;
      for (let p = 0; p < P; p++) {
        // Nominal money in kronor of the start year, at the real rate (prices.ts).
        payerDiscount[p] = Math.pow(1 + r, -p / ppy) * toStart[p]!;
        investedPV += invested[p]! * payerDiscount[p]!;
      }
      discountFor = r;
    }
    let total = 0, totalTrue = 0, paidPV = 0, forNothing = 0, missed = 0, lastPaid = 0;

    for (const ev of events) {
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
        flows[ev.period]! += pay;
        out.paymentsByYear[t * Y + budgetYear(model, ev.period)]! += pay;
        paidPV += pay * payerDiscount[ev.period]!;
        lastPaid = ev.period;
      }
    }

    const topUp = Math.max(0, guaranteed - total);
    // The guarantor settles after the last payment was due and all capital was drawn.
    if (topUp > MONEY_EPSILON) flows[Math.max(lastPaid, lastEvent, lastDraw)]! += topUp;
    const received = total + topUp;
    out.flows?.set(flows, t * P);
    for (let k = 0; k < R; k++) out.paymentsByRule[t * R + k] = paidMeasured[k]!;

    out.payments[t] = total;
    out.guarantee[t] = topUp;
    out.anyPayment[t] = total > MONEY_EPSILON ? 1 : 0;
    out.payForNothing[t] = forNothing;
    out.missedSuccess[t] = missed;
    out.profit[t] = received - capital;
    out.loss[t] = received - capital < -MONEY_EPSILON ? 1 : 0;
    out.totalLoss[t] = capital > 0 && received <= MONEY_EPSILON ? 1 : 0;
    out.multiple[t] = capital > 0 ? received / capital : NaN;
    out.irr[t] = received <= MONEY_EPSILON ? (capital > 0 ? -1 : NaN) : annualize(irr(flows, P), ppy);
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
