/**
 * A contract's payment events and amounts of money, as the contract states them: when each rule
 * pays (for each cohort, or pooled), and an amount given absolutely or as a fraction of capital.
 * The compiled model (models/compile.ts) lists the events; evaluation (evaluate.ts), the
 * waterfall (waterfall.ts) and the annex read them.
 */
import type { Money, PaymentRule } from "../scenario/schema.js";

/** One application of a payment rule: to one cohort, or pooled over all cohorts (cohort −1). */
export interface PaymentEvent {
  readonly rule: number;
  readonly cohort: number;
  readonly period: number;
}

/** Every application of every rule, in the order payments are made (period, then rule order). */
export function paymentEvents(rules: readonly PaymentRule[], starts: Int32Array, followUp: number): PaymentEvent[] {
  const lastStart = Math.max(...starts);
  const events: PaymentEvent[] = [];
  rules.forEach((r, i) => {
    const offset = r.kind === "activity" ? r.period : followUp;
    if (r.scope === "pooled") events.push({ rule: i, cohort: -1, period: lastStart + offset + r.lagPeriods });
    else starts.forEach((s, c) => events.push({ rule: i, cohort: c, period: s + offset + r.lagPeriods }));
  });
  return events.sort((a, b) => a.period - b.period || a.rule - b.rule || a.cohort - b.cohort);
}

/** Resolves an amount given absolutely or as a fraction of capital. */
export function resolveMoney(m: Money, capital: number): number {
  return typeof m === "number" ? m : m.ofCapital * capital;
}
