/**
 * The payment-rule families, each a pure function of what was measured. A rule sees the treated
 * cohort's value and a reference value: the comparator (what the contract measures) or the
 * counterfactual (the truth, used to tell whether a payment rewarded a real effect).
 */
import { resolveMoney } from "../compile.js";
import { RELATIVE_TIE_TOLERANCE } from "../constants.js";
import type { PaymentRule } from "../scenario/schema.js";

/** Improvement of `treated` over `reference` in the measure's own units (positive = better). */
export function improvement(treated: number, reference: number, higherIsBetter: boolean): number {
  return higherIsBetter ? treated - reference : reference - treated;
}

/** Improvement as a fraction of the reference (a 10 % fall in reconvictions is 0.1). */
export function relativeImprovement(treated: number, reference: number, higherIsBetter: boolean): number {
  const imp = improvement(treated, reference, higherIsBetter);
  if (reference !== 0) return imp / Math.abs(reference);
  return imp > 0 ? Infinity : imp < 0 ? -Infinity : 0; // against nothing, any change is unbounded
}

/** `rel` reaches `threshold`, a tie within RELATIVE_TIE_TOLERANCE counting as reached. */
export function reaches(rel: number, threshold: number): boolean {
  return rel >= threshold - RELATIVE_TIE_TOLERANCE * Math.max(1, Math.abs(threshold));
}

/** `rel` exceeds `threshold` by more than a tie (RELATIVE_TIE_TOLERANCE). */
export function exceeds(rel: number, threshold: number): boolean {
  return rel > threshold + RELATIVE_TIE_TOLERANCE * Math.max(1, Math.abs(threshold));
}

/** A rule with its money amounts resolved against the capital, ready for the hot loop. */
export interface CompiledRule {
  readonly index: number;
  readonly rule: PaymentRule;
  readonly measure: number;
  readonly higherIsBetter: boolean;
  readonly conditionMeasure: number;
  readonly conditionHigherIsBetter: boolean;
  readonly conditionMin: number;
  readonly cap: number;
  readonly above: number;
  readonly amount: number;
  readonly bands: readonly { from: number; amount: number }[];
  readonly offsetBy: readonly number[];
  /** Outcome-based rules can pay for nothing; an activity payment rewards delivery, not outcomes. */
  readonly outcomeBased: boolean;
}

export function compileRule(
  rule: PaymentRule,
  index: number,
  rules: readonly PaymentRule[],
  capital: number,
  measures: readonly { id: string; higherIsBetter: boolean }[],
): CompiledRule {
  const measureAt = (id: string) => measures.findIndex((m) => m.id === id);
  const measure = "measure" in rule ? measureAt(rule.measure) : -1;
  const conditionMeasure = rule.condition ? measureAt(rule.condition.measure) : -1;
  return {
    index,
    rule,
    measure,
    higherIsBetter: measure >= 0 ? measures[measure]!.higherIsBetter : true,
    conditionMeasure,
    conditionHigherIsBetter: conditionMeasure >= 0 ? measures[conditionMeasure]!.higherIsBetter : true,
    conditionMin: rule.condition?.minImprovement ?? 0,
    cap: rule.cap === undefined ? Infinity : resolveMoney(rule.cap, capital),
    above: "above" in rule ? resolveMoney(rule.above, capital) : 0,
    amount: rule.kind === "activity" ? resolveMoney(rule.amount, capital) : 0,
    bands: rule.kind === "stepped" ? rule.bands.map((b) => ({ from: b.from, amount: resolveMoney(b.amount, capital) })) : [],
    offsetBy: (rule.offsetBy ?? []).map((id) => rules.findIndex((r) => r.id === id)),
    outcomeBased: rule.kind !== "activity",
  };
}

/**
 * What a rule pays, before offsets and the contract's total cap, given the treated value and a
 * reference for its measure, and for its condition's measure.
 */
export function ruleAmount(
  r: CompiledRule,
  delivered: boolean,
  treated: number,
  reference: number,
  conditionTreated: number,
  conditionReference: number,
): number {
  if (r.conditionMeasure >= 0) {
    const rel = relativeImprovement(conditionTreated, conditionReference, r.conditionHigherIsBetter);
    if (!exceeds(rel, r.conditionMin)) return 0;
  }
  const rule = r.rule;
  let pay = 0;
  if (rule.kind === "activity") {
    pay = delivered ? r.amount : 0;
  } else {
    const imp = improvement(treated, reference, r.higherIsBetter);
    switch (rule.kind) {
      case "savingsShare":
      case "conditionalReturn":
        pay = rule.share * Math.max(imp - r.above, 0);
        break;
      case "proportional": {
        const rel = relativeImprovement(treated, reference, r.higherIsBetter);
        if (reaches(rel, rule.threshold) && imp > 0) {
          const paid = rule.basis === "all" ? imp : imp - rule.threshold * Math.abs(reference);
          pay = rule.pricePerUnit * Math.max(paid, 0);
        }
        break;
      }
      case "rateCard":
        pay = rule.pricePerOutcome * (rule.basis === "all" && r.higherIsBetter ? treated : Math.max(imp, 0));
        break;
      case "stepped": {
        const rel = relativeImprovement(treated, reference, r.higherIsBetter);
        for (const band of r.bands) if (reaches(rel, band.from)) pay = band.amount;
        break;
      }
    }
  }
  return Math.min(pay, r.cap);
}
