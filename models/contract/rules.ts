/**
 * The payment-rule families, each a pure function of what was measured. A rule sees the treated
 * cohort's value and a reference value: the comparator (what the contract measures) or the
 * counterfactual (the truth, used to tell whether a payment rewarded a real effect).
 */
import { MONEY_EPSILON, RELATIVE_TIE_TOLERANCE } from "../constants.js";
import { moneyFieldsOf, type Money, type PaymentRule, type Scenario } from "../scenario/schema.js";
import { improvement, relativeImprovement } from "../outcomes/improvement.js";

/**
 * An amount for one application of a rule. `weight` is the group's share of the contract's
 * participants (a cohort's size ÷ all cohorts' size; 1 for a pooled rule): a share of capital is of
 * the whole contract, split by that weight, unless it says `per: "cohort"`.
 */
export function resolveAmount(m: Money, capital: number, weight = 1): number {
  if (typeof m === "number") return m;
  return m.ofCapital * capital * (m.per === "cohort" ? 1 : weight);
}

// improvement and relativeImprovement live in models/outcomes/improvement.ts (shared with the simulation).
export { improvement, relativeImprovement };

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
  /** Savings below this are not shared; NaN for `above: "repaid"` (found per trial, `repaidSaving`). */
  readonly above: number;
  /** The capital this application must repay (`above: "repaid"`): the capital × the group's weight. */
  readonly capitalShare: number;
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
  weight = 1,
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
    cap: rule.cap === undefined ? Infinity : resolveAmount(rule.cap, capital, weight),
    above: !("above" in rule) ? 0 : rule.above === "repaid" ? NaN : resolveAmount(rule.above, capital, weight),
    capitalShare: capital * weight,
    amount: rule.kind === "activity" ? resolveAmount(rule.amount, capital, weight) : 0,
    bands: rule.kind === "stepped" ? rule.bands.map((b) => ({ from: b.from, amount: resolveAmount(b.amount, capital, weight) })) : [],
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
  above = r.above,
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
        pay = rule.share * Math.max(imp - above, 0);
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

/**
 * The measured saving S* beyond which a rule with `above: "repaid"` pays: the least saving on
 * its measure at which the rules listed before it (`earlier`, compiled for the same group), paid
 * together, reach the capital this group must repay. Every other measure keeps its value; each
 * earlier rule pays as `ruleAmount` does (its own cap and condition), less its `offsetBy` rules
 * among the earlier ones; the contract's total cap is not applied. Earlier rules are assumed to pay
 * no less for a larger saving (true of every family with increasing bands), so S* is the root of
 * a nondecreasing function on [0, S]: in closed form for savings shares (`linearRepaid`), else by
 * bisection. Infinity when they do not repay at the actual saving S (then nothing is due).
 * `treated` and `reference` hold the group's value of every measure; `scratch` one number per
 * earlier rule.
 */
export function repaidSaving(
  r: CompiledRule,
  earlier: readonly CompiledRule[],
  delivered: boolean,
  treated: Float64Array,
  reference: Float64Array,
  scratch: Float64Array,
): number {
  const m = r.measure;
  const actual = improvement(treated[m]!, reference[m]!, r.higherIsBetter);
  const need = r.capitalShare - MONEY_EPSILON;
  if (!(actual > 0)) return Infinity;
  // Nothing would be paid anyway when the rule's own condition fails.
  const cm = r.conditionMeasure;
  if (cm >= 0 && !exceeds(relativeImprovement(treated[cm]!, reference[cm]!, r.conditionHigherIsBetter), r.conditionMin)) return Infinity;
  const q: RepaidQuery = { r, earlier, delivered, treated, reference, scratch };
  if (paidByEarlier(q, actual) < need) return Infinity;
  if (paidByEarlier(q, 0) >= need) return 0;
  const exact = linearRepaid(q, actual, need);
  if (exact !== null) return exact;
  // Any other mix of rules: bisection, which steps and plateaus cannot mislead.
  let lo = 0, hi = actual;
  for (let i = 0; i < 80 && hi - lo > 1e-12 * actual; i++) {
    const mid = (lo + hi) / 2;
    if (paidByEarlier(q, mid) >= need) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** One `repaidSaving` question: the rule, the rules before it and the group's measures (`scratch`: one number per earlier rule). */
interface RepaidQuery {
  readonly r: CompiledRule;
  readonly earlier: readonly CompiledRule[];
  readonly delivered: boolean;
  readonly treated: Float64Array;
  readonly reference: Float64Array;
  readonly scratch: Float64Array;
}

/** What the earlier rules pay together when the saving on r's measure is `saving` (scratch: each one's pay). */
function paidByEarlier(q: RepaidQuery, saving: number): number {
  const { r, earlier, delivered, treated, reference, scratch } = q;
  const m = r.measure;
  const treatedAt = r.higherIsBetter ? reference[m]! + saving : reference[m]! - saving;
  let sum = 0;
  for (let j = 0; j < earlier.length; j++) {
    const e = earlier[j]!, em = e.measure, cm = e.conditionMeasure;
    let pay = ruleAmount(
      e,
      delivered,
      em < 0 ? 0 : em === m ? treatedAt : treated[em]!,
      em < 0 ? 0 : reference[em]!,
      cm < 0 ? 0 : cm === m ? treatedAt : treated[cm]!,
      cm < 0 ? 0 : reference[cm]!,
      Number.isNaN(e.above) ? Infinity : e.above, // an earlier "repaid" rule: conservatively nothing
    );
    for (const o of e.offsetBy) {
      for (let k = 0; k < j; k++) if (earlier[k]!.index === o) pay -= scratch[k]!;
    }
    scratch[j] = Math.max(pay, 0);
    sum += scratch[j]!;
  }
  return sum;
}

/**
 * S* in closed form when every earlier rule pays either an amount that does not depend on the
 * saving (another measure, an activity payment) or min(cap, share · max(S − above, 0)) on the
 * same saving (a savings share with a fixed floor), with no offsets: then the total is
 * continuous, nondecreasing and linear between the floors and the points where caps bind, and
 * S* is found on the first piece that reaches `need`. Null for any other mix. `knots` needs
 * room for two numbers per earlier rule (the query's `scratch`).
 */
function linearRepaid(q: RepaidQuery, actual: number, need: number): number | null {
  const { r, earlier, delivered, treated, reference, scratch: knots } = q;
  const m = r.measure;
  let fixed = 0, n = 0;
  for (const e of earlier) {
    if (e.offsetBy.length) return null;
    if (e.measure === m || e.conditionMeasure === m) {
      if (!sharesSaving(e) || e.conditionMeasure === m) return null;
      if (!conditionHolds(e, treated, reference)) continue;
      const share = (e.rule as { share: number }).share;
      if (n + 2 > knots.length) return null;
      if (e.above > 0 && e.above < actual) knots[n++] = e.above;
      const full = share > 0 ? e.above + e.cap / share : Infinity;
      if (full > 0 && full < actual) knots[n++] = full;
    } else {
      const em = e.measure, ecm = e.conditionMeasure;
      fixed += ruleAmount(e, delivered, em < 0 ? 0 : treated[em]!, em < 0 ? 0 : reference[em]!, ecm < 0 ? 0 : treated[ecm]!, ecm < 0 ? 0 : reference[ecm]!);
    }
  }
  if (n + 1 > knots.length) return null;
  knots[n++] = actual;
  // Insertion sort: a handful of knots.
  for (let i = 1; i < n; i++) {
    const k = knots[i]!;
    let j = i - 1;
    while (j >= 0 && knots[j]! > k) (knots[j + 1] = knots[j]!), j--;
    knots[j + 1] = k;
  }
  let lo = 0, glo = sharedTotal(m, earlier, treated, reference, fixed, 0);
  for (let i = 0; i < n; i++) {
    const k = knots[i]!;
    const g = sharedTotal(m, earlier, treated, reference, fixed, k);
    if (g >= need) return g === glo ? k : lo + ((need - glo) * (k - lo)) / (g - glo);
    (lo = k), (glo = g);
  }
  return null;
}

/** The earlier rules' total at a saving, for `linearRepaid`'s rules (fixed amounts already summed). */
function sharedTotal(m: number, earlier: readonly CompiledRule[], treated: Float64Array, reference: Float64Array, fixed: number, saving: number): number {
  let g = fixed;
  for (const e of earlier) {
    if (e.measure === m && sharesSaving(e) && conditionHolds(e, treated, reference)) {
      g += Math.min(e.cap, (e.rule as { share: number }).share * Math.max(saving - e.above, 0));
    }
  }
  return g;
}

/** A savings share with a fixed floor: pays min(cap, share · max(S − above, 0)) on its own measure. */
function sharesSaving(e: CompiledRule): boolean {
  return (e.rule.kind === "savingsShare" || e.rule.kind === "conditionalReturn") && Number.isFinite(e.above);
}

function conditionHolds(e: CompiledRule, treated: Float64Array, reference: Float64Array): boolean {
  const cm = e.conditionMeasure;
  return cm < 0 || exceeds(relativeImprovement(treated[cm]!, reference[cm]!, e.conditionHigherIsBetter), e.conditionMin);
}

/**
 * Amounts whose reading is ambiguous: `{ofCapital}` without `per` on a per-cohort rule of a
 * scenario with several cohorts. They are read as a share of the whole capital, split by cohort
 * size; `validate` warns so the author says which is meant.
 */
export function capitalShareWarnings(sc: Scenario): { path: string; message: string }[] {
  const cohorts = sc.population.cohorts.length;
  if (cohorts < 2) return [];
  const out: { path: string; message: string }[] = [];
  sc.contract.rules.forEach((r, i) => {
    if (r.scope === "pooled") return;
    for (const [path, m] of moneyFieldsOf(r)) {
      if (typeof m === "number" || m.per !== undefined) continue;
      const at = ["contract", `rules[${i}]`, ...path.map((p) => (typeof p === "number" ? `[${p}]` : p))].join(".").replace(/\.\[/g, "[");
      out.push({
        path: at,
        message: `{ofCapital: ${m.ofCapital}} on a rule applied to each of ${cohorts} cohorts is read as ${m.ofCapital} of the whole capital, split between the cohorts by size; write "per": "contract" to confirm, or "per": "cohort" for ${m.ofCapital} of the capital in each cohort`,
      });
    }
  });
  return out;
}
