/**
 * Society's net present value split by perspective, as WSIPP reports programmes: participants,
 * taxpayers and others. Every figure is discounted at society's rate (the trial's
 * `valuation.discountRate`), so the perspectives add up to society's NPV exactly: transfers (the
 * payer's payments to the financier, taxes on earnings) are a gain to one perspective and a loss
 * to another, and cancel in the total.
 *
 * Computed from columns the outcome table and the contract results already hold:
 * - taxpayers: the care costs avoided at their full cost (care is publicly funded: the payer's
 *   fee and the state's share), minus the payments to the financier, plus taxes gained;
 * - others: the financier (and any guarantor, whose top-up to the financier cancels within
 *   others): payments received minus the capital spent on delivery;
 * - participants: their share of the long-run value (earnings net of taxes).
 */
import { realToStartYear } from "../prices.js";
import type { Model } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import { PERSPECTIVES } from "../scenario/schema.js";
import { isUncertain } from "../random/sampler.js";
import type { OutcomeTable } from "../simulate.js";
import type { Perspective } from "./longRun.js";

export interface PerspectiveColumns {
  /** Per trial, discounted at society's rate: resource gains, resource costs, net transfers in (+) or out (−). */
  readonly benefits: Record<Perspective, Float64Array>;
  readonly costs: Record<Perspective, Float64Array>;
  readonly transfers: Record<Perspective, Float64Array>;
  /** benefits − costs + transfers. */
  readonly npv: Record<Perspective, Float64Array>;
  /** The outcome payer's part of the taxpayers' figures: its avoided costs and its payments, discounted. */
  readonly payerAvoidedPV: Float64Array;
  readonly payerPaymentsPV: Float64Array;
}

/** A parameter slot's value in each trial: the drawn column, or the fixed value. */
export function slotValues(model: Model, table: OutcomeTable, slot: number): (trial: number) => number {
  const column = drawnColumn(model, table, slot);
  if (column) return (t) => column[t]!;
  const v = fixedValue(model, slot);
  return () => v;
}

/** A parameter slot's drawn column, or null when its value is fixed (`fixedValue`). */
function drawnColumn(model: Model, table: OutcomeTable, slot: number): Float64Array | null {
  const p = model.params[slot]!;
  if (!isUncertain(p.spec)) return null;
  const column = table.params.get(p.path);
  if (!column) throw new Error(`${p.path}: the outcome table does not hold this input's drawn values`);
  return column;
}

/** A fixed parameter slot's value (NaN for an uncertain one: see `drawnColumn`). */
function fixedValue(model: Model, slot: number): number {
  const spec = model.params[slot]!.spec;
  return isUncertain(spec) ? NaN : typeof spec === "number" ? spec : (spec as { value: number }).value;
}

/**
 * Per trial and long-run entry, the discounted number of extra successes times the counted
 * share: what one krona of value per success is worth, as the simulation counts it.
 */
function successWeight(model: Model, table: OutcomeTable, trial: number, lr: Model["longRun"][number], discount: Float64Array): number {
  const C = table.cohorts, M = table.measureCount;
  const higher = model.measures[lr.measureIndex]!.higherIsBetter;
  let w = 0;
  for (let c = 0; c < C; c++) {
    const at = (trial * C + c) * M + lr.measureIndex;
    const gained = table.treated[at]! - table.counterfactual[at]!;
    w += (higher ? gained : -gained) * lr.share * discount[c]!;
  }
  return w;
}

/** Each cohort's discount factor for a long-run entry at rate r, as the simulation applies it. */
function cohortDiscounts(model: Model, lr: Model["longRun"][number], r: number): Float64Array {
  // Long-run values are at the price year's prices, taken in start-year kronor (models/prices.ts).
  const toStart = realToStartYear(model.priceBasis);
  return Float64Array.from(model.cohortStarts, (start) => toStart * Math.pow(1 + r, -(start + model.followUp + lr.delayPeriods) / model.periodsPerYear));
}

export function societyByPerspective(model: Model, table: OutcomeTable, results: ContractResults): PerspectiveColumns {
  const T = table.trials;
  const columns = () => Object.fromEntries(PERSPECTIVES.map((p) => [p, new Float64Array(T)])) as Record<Perspective, Float64Array>;
  const benefits = columns(), costs = columns(), transfers = columns(), npv = columns();
  const payerAvoidedPV = new Float64Array(T), payerPaymentsPV = new Float64Array(T);
  // Per entry and component, the columns it adds to, looked up once (indexed loops, no closure
  // per trial: the same additions in the same order as a forEach over the components).
  // A component's value is its drawn column, or else its fixed value (slotValues' values, read
  // without a closure call per trial). Each entry's cohort discounts are kept per rate, the last one at hand.
  const entries = model.longRun.map((lr) => ({
    lr,
    drawn: lr.components.map((c) => drawnColumn(model, table, c.slot)),
    fixed: lr.components.map((c) => fixedValue(model, c.slot)),
    of: lr.components.map((c) => c.of),
    gain: lr.components.map((c) => (c.transferFrom === null ? benefits[c.perspective] : transfers[c.perspective])),
    loss: lr.components.map((c) => (c.transferFrom === null ? null : transfers[c.transferFrom])),
    discounts: new Map<number, Float64Array>(),
    lastRate: NaN,
    lastDiscount: new Float64Array(0) as Float64Array,
  }));
  const P = PERSPECTIVES.length;
  const npvs = PERSPECTIVES.map((p) => npv[p]), gains = PERSPECTIVES.map((p) => benefits[p]), lost = PERSPECTIVES.map((p) => costs[p]), moved = PERSPECTIVES.map((p) => transfers[p]);

  for (let t = 0; t < T; t++) {
    let longRunResource = 0;
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e]!;
      const { lr, drawn, fixed, of, gain, loss, discounts } = entry;
      const r = table.discountRate[t]!;
      // The rate is usually the same in every trial: the last one's discounts, else the map's.
      let discount = entry.lastDiscount;
      if (r !== entry.lastRate) {
        let d = discounts.get(r);
        if (!d) discounts.set(r, (d = cohortDiscounts(model, lr, r)));
        entry.lastRate = r;
        entry.lastDiscount = discount = d;
      }
      const w = successWeight(model, table, t, lr, discount);
      for (let k = 0; k < drawn.length; k++) {
        const o = of[k]!;
        const dk = drawn[k]!, vk = dk ? dk[t]! : fixed[k]!;
        let v = vk;
        if (o >= 0) {
          const d = drawn[o]!;
          v = vk * (d ? d[t]! : fixed[o]!);
        }
        const pv = w * v;
        const from = loss[k]!;
        gain[k]![t]! += pv; // a resource gain to its perspective, or a transfer in
        if (from === null) longRunResource += pv;
        else from[t]! -= pv; // the transfer out
      }
    }
    // What the simulation counted besides the long run: care (and event) costs avoided at full cost.
    const fullAvoided = table.societyBenefitPV[t]! - longRunResource;
    const invested = table.societyBenefitPV[t]! - results.societyNpv[t]!;
    const paid = table.avoidedPV[t]! - results.payerNetPV[t]!;
    payerAvoidedPV[t] = table.avoidedPV[t]!;
    payerPaymentsPV[t] = paid;
    benefits.taxpayers[t]! += fullAvoided;
    transfers.taxpayers[t]! -= paid;
    transfers.others[t]! += paid;
    costs.others[t]! += invested;
    for (let p = 0; p < P; p++) npvs[p]![t] = gains[p]![t]! - lost[p]![t]! + moved[p]![t]!;
  }
  return { benefits, costs, transfers, npv, payerAvoidedPV, payerPaymentsPV };
}
