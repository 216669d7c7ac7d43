/**
 * The scenario format: one JSON file describing population, outcomes, intervention,
 * measurement design, contract, valuation and simulation settings. The zod schema is the single
 * source of the input types; `data/scenario.schema.json` is generated from it.
 */
import { z } from "zod";
import { BOUNDS, count, fraction, LIMITS, param, source } from "./param.js";
import type {} from "./fieldMeta.js"; // types the reader metadata in .meta({ title, unit, … })
import { DEFAULT_FINANCIER_RATE, DEFAULT_SEED, DEFAULT_TRIALS, MAX_TRIALS } from "../constants.js";
// Cross-field checks live in references.ts (issue 14 item 4); re-exported for sweeps.
import { checkReferences } from "./references.js";
export { checkReferences };

const id = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: "must start with a letter and use only letters, digits, _ or -" });

const probability = () => param({ min: 0, max: 1 });
/** Money per day, per event, per participant or per success: at most 1e9 (LIMITS.perUnit). */
const perUnitMoney = () => param(BOUNDS.perUnitMoney);
/** A rate ratio or odds ratio: from 0 to 1000 (LIMITS.ratio). */
const ratio = () => param(BOUNDS.ratio);
/** An absolute amount of money (capital, a cap, a fee per period): from 0 to 1e13 (LIMITS.amount). */
const amount = (what = "an amount") =>
  z
    .number()
    .min(0, { message: `must be ${what} from 0 to ${LIMITS.amount}` })
    .max(LIMITS.amount, { message: `must be ${what} from 0 to ${LIMITS.amount} (larger than any real contract)` });
/** A price per unit or per outcome: from 0 to 1e9 (LIMITS.perUnit). */
const price = () =>
  z
    .number()
    .min(0, { message: `must be an amount from 0 to ${LIMITS.perUnit}` })
    .max(LIMITS.perUnit, { message: `must be an amount from 0 to ${LIMITS.perUnit} per unit (larger than any real contract)` });

// --- Population ---------------------------------------------------------------------------

const cohort = z.strictObject({
  name: z.string().optional(),
  size: count(1, 100_000).meta({ title: "participants", unit: "count", description: "Participants in the cohort" }),
  startPeriod: count(0, 400).default(0).meta({ title: "starts in period", unit: "periods", description: "Period in which the cohort starts" }),
});

const population = z.strictObject({
  description: z.string().optional(),
  cohorts: z.array(cohort).min(1, { message: "needs at least one cohort" }).max(100, { message: "at most 100 cohorts" }),
  source: source.optional(),
  note: z.string().optional(),
});

// --- Outcomes ------------------------------------------------------------------------------

const placementState = z.strictObject({
  id,
  label: z.string().optional(),
  placement: z.boolean().meta({ description: "Whether this state is out-of-home care" }),
  costPerDay: perUnitMoney().meta({ title: "cost per day (payer)", titleSv: "kostnad per dygn", unit: "money", per: "day", description: "Payer's (social services') cost per day in this state (at most 1e9)" }),
  fullCostPerDay: perUnitMoney()
    .optional()
    .meta({ title: "full cost per day (society)", unit: "money", per: "day", description: "Society's full cost per day, when it differs from the payer's fee (at most 1e9)" }),
});

const transition = z.strictObject({
  from: id,
  to: id,
  perPeriod: probability().meta({ title: "chance each {period}", titleSv: "chans per {period}", unit: "share", per: "period", description: "Chance per period of moving from `from` to `to`" }),
});

const placementOutcome = z.strictObject({
  id,
  kind: z.literal("placement"),
  label: z.string().optional(),
  states: z.array(placementState).min(2, { message: "needs at least two states" }).max(16, { message: "at most 16 states" }),
  initial: z.record(z.string(), fraction).meta({ title: "share in each state at intake", unit: "share", description: "Share of each cohort in each state at intake" }),
  transitions: z.array(transition).max(240, { message: "at most 240 transitions (16 states, each to every other)" }),
  note: z.string().optional(),
});

const binaryOutcome = z.strictObject({
  id,
  kind: z.literal("binary"),
  label: z.string().optional(),
  higherIsBetter: z.boolean().default(true),
  baseline: probability().meta({ title: "chance without the intervention", unit: "share", description: "Chance per participant without the intervention" }),
  note: z.string().optional(),
});

const countOutcome = z.strictObject({
  id,
  kind: z.literal("count"),
  label: z.string().optional(),
  higherIsBetter: z.boolean().default(false),
  baselineRate: param(BOUNDS.eventRate).meta({ title: "events per participant without the intervention", unit: "number", description: "Events per participant over the follow-up, without the intervention (at most 1000)" }),
  costPerEvent: perUnitMoney().optional().meta({ title: "cost per event", unit: "money", per: "event", description: "Payer's cost per event (avoided events are savings; at most 1e9)" }),
  note: z.string().optional(),
});

const outcome = z.discriminatedUnion("kind", [placementOutcome, binaryOutcome, countOutcome]);

// --- Intervention --------------------------------------------------------------------------

const effect = z.strictObject({
  outcome: id,
  from: z.union([id, z.array(id).min(1)]).optional().meta({ description: "Placement outcomes: the states the effect acts from" }),
  to: z.union([id, z.array(id).min(1)]).optional().meta({ description: "Placement outcomes: the states the effect acts towards" }),
  rateRatio: ratio()
    .optional()
    .meta({ title: "effect (rate ratio)", unit: "ratio", hint: "1 = no effect", description: "Multiplies the hazard of the transitions (placement) or the event rate (count); 1 = no effect; from 0 to 1000" }),
  oddsRatio: ratio().optional().meta({ title: "effect (odds ratio)", unit: "ratio", hint: "1 = no effect", description: "Binary outcomes: odds ratio; 1 = no effect; from 0 to 1000" }),
  standardizedMeanDifference: param(BOUNDS.standardizedMeanDifference)
    .optional()
    .meta({ title: "effect size (Hedges' g)", unit: "number", hint: "0 = no effect", description: "Binary outcomes: Hedges' g, converted to a log odds ratio by π/√3 (Chinn 2000); 0 = no effect; from -10 to 10" }),
  source: source.optional(),
  note: z.string().optional(),
});

const intervention = z.strictObject({
  description: z.string().optional(),
  delivered: probability()
    .default(1)
    .meta({ title: "chance it is delivered as planned", unit: "share", description: "Chance the intervention is delivered as planned; if not, it has no effect" }),
  effects: z.array(effect).max(100, { message: "at most 100 effects" }),
});

// --- Measurement ---------------------------------------------------------------------------

/**
 * A historical baseline as it really works: a past group of children, followed over the same
 * window before the contract, simulated without the intervention under the trial's own prices
 * and chances (and its own cohort chance). What makes such a baseline go wrong is stated, each
 * an optional uncertain input: drift between the two periods, care prices that grew more than
 * the contract's indexation, and the regression to the mean of children chosen at a high point.
 */
const baselineCohort = z.strictObject({
  size: count(1, 100_000).meta({ title: "children in the past group", unit: "count", description: "Children in the past group whose outcomes give the baseline (the whole group, not per cohort)" }),
  drift: param({ min: 0, max: 10 })
    .default(1)
    .meta({ title: "drift: hazard ratio of entering care, contract period ÷ baseline period", unit: "ratio", description: "Hazard ratio of entering care from home in the contract period against the baseline period (1 = no change; 1.1 = 10 % more placements now)" }),
  years: z.number().min(0).max(50).default(0).meta({ title: "years from the baseline period to the contract", unit: "years", description: "Years from the baseline period to the contract period, for price growth" }),
  careCostGrowth: param({ min: -0.5, max: 1 })
    .default(0)
    .meta({ title: "care price growth a year between the periods", unit: "share", per: "year", description: "Growth of care prices per year between the baseline period and the contract period" }),
  indexation: param({ min: -0.5, max: 1 })
    .default(0)
    .meta({ title: "indexation of the baseline a year (0 = none)", unit: "share", per: "year", description: "Growth per year of the index by which the contract lifts the baseline's costs (KPI, or 0 if not indexed)" }),
  regressionToMean: z
    .strictObject({
      exitRateRatio: param({ min: 0, max: 100 }).meta({
        title: "extra exits home early on (hazard ratio)",
        unit: "ratio",
        description: "Hazard ratio of leaving care for home in the contract cohort's first periods, in both arms, that the baseline group did not share (1 = none)",
      }),
      periods: count(1, 400).meta({ title: "periods the excess lasts", unit: "periods", description: "Periods from a cohort's start over which the excess lasts" }),
      source: source.optional(),
      note: z.string().optional(),
    })
    .optional(),
  source: source.optional(),
  note: z.string().optional(),
});

const historical = z.strictObject({
  kind: z.literal("historical"),
  cohort: baselineCohort.optional().meta({ title: "past group", description: "A simulated past group (the usual case)" }),
  baseline: z
    .record(z.string(), z.number().min(0).max(LIMITS.amount, { message: `must be at most ${LIMITS.amount} per participant` }))
    .optional()
    .meta({ title: "contract baseline per participant over the follow-up", description: "A baseline published as fixed figures per participant over the follow-up, by measure; it does not follow a change of follow-up" }),
  source: source.optional(),
  note: z.string().optional(),
});

const comparisonGroup = z.strictObject({
  kind: z.literal("comparisonGroup"),
  size: count(1, 1_000_000).meta({ title: "comparison group size (all cohorts)", unit: "count", description: "Participants in the concurrent comparison group, all cohorts together (split between cohorts by their size) unless perCohort" }),
  perCohort: z.boolean().default(false).meta({ description: "true: `size` is the comparison group of each cohort" }),
  bias: param({ min: -0.9, max: 10 })
    .default(0)
    .meta({ title: "comparison group's bias", unit: "share", hint: "0 = comparable", description: "Relative bias of the comparison group's outcomes (0 = comparable)" }),
  source: source.optional(),
  note: z.string().optional(),
});

const measurement = z.strictObject({
  followUpPeriods: count(1, 400).meta({ title: "follow-up", unit: "periods", description: "Periods from a cohort's start to its measurement" }),
  comparator: z.discriminatedUnion("kind", [historical, comparisonGroup]),
  source: source.optional(),
  note: z.string().optional(),
});

// --- Contract ------------------------------------------------------------------------------

/**
 * An amount of money, absolute or as a fraction of the contract's capital. On a rule applied per
 * cohort, `{ofCapital: x}` is x of the whole contract's capital, split between the cohorts by
 * their size (`per: "contract"`, the default); `per: "cohort"` makes it x of the capital for each
 * cohort. An absolute amount on a per-cohort rule applies to each cohort.
 */
const money = z.union([
  amount(),
  z.strictObject({
    ofCapital: z
      .number()
      .min(0, { message: "must be a fraction of capital from 0 to 1000" })
      .max(1000, { message: "must be a fraction of capital from 0 to 1000" })
      .meta({ title: "share of capital", unit: "share" }),
    per: z
      .enum(["contract", "cohort"])
      .optional()
      .meta({ description: "On a per-cohort rule: a share of the whole capital split by cohort size (contract, the default) or of the capital for each cohort" }),
  }),
]);

/**
 * Where a share of savings starts: an amount, or "repaid": beyond the measured saving at which
 * the rules listed before this one have paid back the capital (for a per-cohort rule, the
 * cohort's share of it by size); nothing is paid if they never do.
 */
const savingsFloor = z.union([money, z.literal("repaid")]);

const condition = z.strictObject({
  measure: z.string(),
  minImprovement: z
    .number()
    .default(0)
    .meta({ title: "condition: improvement above", unit: "share", description: "Measured relative improvement that must be exceeded (0 = any improvement)" }),
});

const ruleBase = {
  id: id.optional(),
  label: z.string().optional(),
  scope: z.enum(["perCohort", "pooled"]).default("perCohort"),
  cap: money.optional().meta({ title: "cap", unit: "money" }),
  condition: condition.optional(),
  lagPeriods: count(0, 400).default(0).meta({ title: "payment lag", unit: "periods", hint: "after the measurement" }),
  offsetBy: z
    .array(id)
    .optional()
    .meta({ description: "Rules whose payments are subtracted from this one's (e.g. a pooled catch-up)" }),
  note: z.string().optional(),
};

const activityRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("activity"),
  amount: money.meta({ title: "amount", unit: "money" }),
  period: count(0, 400).meta({ title: "paid in period", unit: "periods", description: "Period, from the cohort's start, in which it is paid if delivered" }),
});

const savingsShareRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("savingsShare"),
  measure: z.string(),
  share: fraction.meta({ title: "share of measured savings", unit: "share" }),
  above: savingsFloor
    .default(0)
    .meta({ title: "shared above", unit: "money", hint: "savings below are not shared", description: "Savings below this amount are not shared; \"repaid\": savings until the rules before this one have repaid the capital" }),
});

const proportionalRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("proportional"),
  measure: z.string(),
  threshold: fraction.meta({ title: "threshold", unit: "share", hint: "improvement needed before anything is paid", description: "Relative improvement that must be reached before anything is paid" }),
  pricePerUnit: price().meta({ title: "price per unit", unit: "money", per: "unit", description: "Paid per unit of improvement, at most 1e9" }),
  basis: z.enum(["all", "aboveThreshold"]).default("all"),
});

const rateCardRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("rateCard"),
  measure: z.string(),
  pricePerOutcome: price().meta({ title: "price per outcome", unit: "money", per: "outcome", description: "Paid per outcome, at most 1e9" }),
  basis: z.enum(["all", "aboveComparator"]).default("all"),
});

const steppedRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("stepped"),
  measure: z.string(),
  bands: z
    .array(z.strictObject({ from: z.number().meta({ title: "from improvement", unit: "share" }), amount: money.meta({ title: "amount", unit: "money" }) }))
    .min(1)
    .max(50, { message: "at most 50 bands" })
    .meta({ description: "Relative improvement from which each amount is paid; the highest band reached pays" }),
});

const conditionalReturnRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("conditionalReturn"),
  measure: z.string(),
  share: fraction.meta({ title: "share of measured savings", unit: "share" }),
  above: savingsFloor
    .default(0)
    .meta({ title: "returns above", unit: "money", description: "Savings below this amount give no return; \"repaid\": savings until the rules before this one have repaid the capital" }),
  cap: money.meta({ title: "cap", unit: "money" }),
  condition,
});

export const paymentRule = z.discriminatedUnion("kind", [
  activityRule,
  savingsShareRule,
  proportionalRule,
  rateCardRule,
  steppedRule,
  conditionalReturnRule,
]);

/** Money per period over a span of periods: `amount` in each period from `from` to `to` (inclusive). */
const perPeriodSpan = z.strictObject({
  from: count(0, 400).meta({ title: "from period", unit: "periods" }),
  to: count(0, 400).meta({ title: "to period", unit: "periods" }),
  amount: amount().meta({ title: "amount each period", unit: "money", description: "Money in each period of the span, at most 1e13" }),
  note: z.string().optional(),
});

const delivery = z.strictObject({
  perPeriod: z
    .array(perPeriodSpan)
    .max(401, { message: "at most 401 spans" })
    .default([])
    .meta({ title: "planned delivery costs by period", description: "Planned delivery costs: an amount in each period of a span" }),
  perParticipant: z
    .strictObject({
      amount: z
        .number()
        .min(0, { message: `must be an amount from 0 to ${LIMITS.perUnit} per participant` })
        .max(LIMITS.perUnit, { message: `must be an amount from 0 to ${LIMITS.perUnit} per participant` })
        .meta({ title: "amount per participant", unit: "money", per: "participant" }),
      overPeriods: count(1, 400).default(1).meta({ title: "spent over", unit: "periods", description: "Periods from a cohort's start over which the amount is spent, evenly" }),
    })
    .optional()
    .meta({ title: "planned cost per participant", description: "Planned cost per participant served, spent from the participant's cohort start" }),
  volume: param(BOUNDS.volume)
    .optional()
    .meta({ title: "participants served ÷ planned", unit: "ratio", description: "Participants actually served ÷ planned (volume risk); multiplies the delivery costs (not the outcome payments); from 0 to 100" }),
  recycling: z
    .boolean()
    .default(false)
    .meta({ description: "Outcome payments received pay for delivery before more capital is drawn; cash beyond what the rest of delivery needs goes to the financier" }),
  source: source.optional(),
  note: z.string().optional(),
});

const fees = z.strictObject({
  shareOfReceipts: fraction.default(0).meta({ title: "intermediary's share of outcome payments", unit: "share", description: "Share of every outcome payment received that goes to the intermediary" }),
  perPeriod: z.array(perPeriodSpan).max(401, { message: "at most 401 spans" }).default([]).meta({ title: "management fee by period", description: "Fixed management fee per period, paid like a delivery cost" }),
  source: source.optional(),
  note: z.string().optional(),
});

const termination = z.strictObject({
  chancePerPeriod: probability().meta({ title: "chance each {period} that the payer ends the contract", unit: "share", per: "period", description: "Chance in each period from `fromPeriod` that the payer ends the contract" }),
  fromPeriod: count(0, 400).default(1).meta({ title: "from period", unit: "periods" }),
  settlement: money.default(0).meta({ title: "settlement", unit: "money", description: "What the payer pays when it ends the contract (ofCapital: of the commitment)" }),
  source: source.optional(),
  note: z.string().optional(),
});

// --- Follow-up clauses (issue 15 §3; valued by models/analysis/followUp.ts) ---
const clauseCondition = z
  .strictObject({
    placedAtLeast: count(0, 1_000_000).optional().meta({ description: "Exercised only if at least this many of the cohort's children are in placement in the deciding quarter" }),
    placedAtMost: count(0, 1_000_000).optional().meta({ description: "Exercised only if at most this many of the cohort's children are in placement in the deciding quarter" }),
  })
  .meta({ description: "A condition on the observed placements in the quarter that decides the clause" });
export const followUpClause = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("extend"),
    label: z.string().optional(),
    periods: count(1, 40).meta({ description: "Periods the follow-up is extended by, decided in its last quarter" }),
    condition: clauseCondition.optional(),
    source: source.optional(),
    note: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal("stop"),
    label: z.string().optional(),
    afterQuarter: count(1, 400).meta({ description: "The contract ends after this quarter (1 = the first): nothing drawn, spent or paid from the next, but the settlement" }),
    settlement: money.default(0).meta({ description: "What the payer pays when it stops the contract (ofCapital: of the commitment)" }),
    condition: clauseCondition.optional(),
    source: source.optional(),
    note: z.string().optional(),
  }),
]);
// --- end follow-up clauses ---

const contract = z.strictObject({
  description: z.string().optional(),
  startDate: z
    .string()
    .regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, { message: 'must be a date "YYYY-MM" or "YYYY-MM-DD", e.g. "2016-08"' })
    .optional()
    .meta({ description: "When period 0 starts; the payer's money is then booked in calendar budget years" }),
  capital: amount().meta({ title: "capital", titleSv: "kapital", unit: "money", description: "The financier's commitment, at most 1e13" }),
  drawdown: z
    .array(z.strictObject({ period: count(0, 400).meta({ title: "drawn in period", unit: "periods" }), share: fraction.meta({ title: "share of capital", unit: "share" }) }))
    .min(1)
    .meta({ description: "When the capital is drawn; shares sum to 1" }),
  rules: z.array(paymentRule).max(50, { message: "at most 50 rules" }),
  totalCap: money.optional().meta({ title: "total cap on payments", unit: "money" }),
  guarantee: money.optional().meta({ title: "guarantee", unit: "money", description: "Principal guaranteed by a third party (e.g. a philanthropy)" }),
  // --- Capital structure and cash waterfall (models/contract/waterfall.ts); all optional ---
  ofCapitalMeans: z
    .enum(["commitment", "plannedDraw"])
    .optional()
    .meta({ description: '`ofCapital` amounts are fractions of "commitment" (default: `capital`) or of "plannedDraw": the planned delivery costs and fees, at most the commitment (what the financier expects to lend)' }),
  guaranteeCovers: z
    .enum(["receipts", "losses"])
    .optional()
    .meta({ description: '"receipts" (default): the guarantor tops what the financier received up to the guarantee; "losses": it covers the financier\'s loss (drawn − received) up to the guarantee (a first-loss guarantee)' }),
  delivery: delivery.optional().meta({ title: "delivery costs", description: "What delivery costs; drawn capital pays for it, so capital is drawn as delivery needs it (up to `capital`, the commitment) and `drawdown` is ignored" }),
  fees: fees.optional().meta({ title: "fees", description: "The intermediary's or fund manager's cut: a share of every outcome payment received and a fixed fee per period" }),
  providerShareOfSurplus: fraction
    .optional()
    .meta({ title: "provider's share of the surplus", unit: "share", description: "Share of what the financier would receive beyond its drawn capital that goes to the provider instead" }),
  termination: termination.optional().meta({ title: "early termination", description: "The payer may end the contract early: a chance per period and a settlement" }),
  clauses: z.array(followUpClause).max(10, { message: "at most 10 clauses" }).optional().meta({ title: "clauses", description: "Options the parties may use during the contract (extend the follow-up, stop early), valued by `utfall followup`" }), // follow-up clauses (issue 15 §3)
  source: source.optional(),
  note: z.string().optional(),
});

// --- Valuation and simulation --------------------------------------------------------------

// --- Long-run value by perspective (issue 17 §3.10) ---------------------------------------
/** WSIPP's perspectives on a programme's benefits: who gains. */
export const PERSPECTIVES = ["participants", "taxpayers", "others"] as const;
const perspective = z.enum(PERSPECTIVES);

/**
 * One part of the long-run value of a success. A resource gain (`value`, no `transferFrom`)
 * adds to society's total; a transfer (`transferFrom`) moves money from one perspective to
 * another (taxes on earnings: from participants to taxpayers) and cancels in the total. A
 * transfer may be given as a `share` of another component's value.
 */
const longRunComponent = z.strictObject({
  id,
  label: z.string().optional(),
  perspective: perspective.meta({ description: "Who gains it: participants, taxpayers or others" }),
  value: perUnitMoney().optional().meta({ title: "value per success", unit: "money", per: "success", description: "Value per success, in the scenario's currency (at most 1e9)" }),
  share: probability().optional().meta({ title: "share of the other component", unit: "share", description: "A transfer's size as a share of the component named by `of`" }),
  of: id.optional().meta({ description: "The component (with a `value`) the `share` is taken of" }),
  transferFrom: perspective
    .optional()
    .meta({ description: "Makes the component a transfer: the perspective that loses what `perspective` gains; transfers cancel in society's total" }),
  source: source.optional(),
  note: z.string().optional(),
});
// --- end long-run value by perspective ------------------------------------------------------

const longRunValue = z.strictObject({
  outcome: id,
  valuePerSuccess: perUnitMoney()
    .optional()
    .meta({ title: "value per success", unit: "money", per: "success", description: "Lifetime value of one more success, in the scenario's currency: one resource gain reported under `others` (give `components` to split it)" }),
  components: z
    .array(longRunComponent)
    .min(1)
    .optional()
    .meta({ description: "The value per success split by perspective into resource gains and transfers (instead of valuePerSuccess)" }),
  countedShare: fraction.meta({ title: "share of that value counted", unit: "share", description: "Share of that value counted (gross figures are an upper bound)" }),
  delayYears: z.number().min(0).max(100).default(0).meta({ title: "delay after the follow-up", unit: "years" }),
  source: source.optional(),
  note: z.string().optional(),
});

/** The payer's alternative: funding the same delivery itself with a loan (issue 10 §4). */
const selfFunding = z.strictObject({
  lendingRate: param({ min: -0.5, max: 1 }).meta({ title: "payer's lending rate per year (self-funding)", unit: "share", per: "year", description: "The payer's borrowing rate per year (e.g. Kommuninvest's), for funding the delivery itself" }),
  repayPeriod: count(0, 400)
    .optional()
    .meta({ title: "self-funding loan repaid in period", unit: "periods", description: "Period in which the loan is repaid with interest (default: when the contract's last payment falls due)" }),
  source: source.optional(),
  note: z.string().optional(),
});

const valuation = z.strictObject({
  horizonPeriods: count(1, 400).meta({ title: "horizon", unit: "periods", description: "Periods over which avoided costs are counted" }),
  priceYear: z
    .number()
    .int()
    .min(1980)
    .max(2100)
    .optional()
    .meta({ title: "price year", unit: "number", description: "The year whose prices the cost figures are in; with contract.startDate, avoided costs become nominal money of each year by KPI" }),
  inflation: z.number().min(-0.1).max(0.5).default(0.02).meta({ title: "inflation a year", unit: "share", per: "year", description: "Inflation a year past the KPI table's last year" }),
  discountRate: param({ min: -0.5, max: 1 }).meta({ title: "discount rate per year", titleSv: "diskonteringsränta per år", unit: "share", per: "year", description: "Society's and the payer's real discount rate per year" }),
  financierDiscountRate: z.number().min(-0.5).max(1).default(DEFAULT_FINANCIER_RATE).meta({ title: "financier's discount rate per year", unit: "share", per: "year" }),
  longRun: z.array(longRunValue).max(20, { message: "at most 20 long-run values" }).default([]),
  selfFunding: selfFunding.optional(),
  source: source.optional(),
  note: z.string().optional(),
});

const simulation = z.strictObject({
  trials: count(1, MAX_TRIALS).default(DEFAULT_TRIALS).meta({ title: "trials", unit: "count" }),
  seed: z.union([z.string(), z.number()]).default(DEFAULT_SEED).meta({ title: "seed" }),
});

/** The codes `Intl.NumberFormat` formats; every amount the CLI and the pages print goes through it. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));
const currencyMessage = (issue: { input?: unknown }) => `must be an ISO 4217 currency code such as SEK, GBP, USD or EUR, got ${JSON.stringify(issue.input)}`;
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: currencyMessage, abort: true })
  .refine((c) => CURRENCIES.has(c), { error: currencyMessage })
  .meta({ description: "ISO 4217 code of the scenario's money, e.g. SEK, GBP, USD or EUR" });

/** The posterior of the uncertain inputs as rows of values (written by `utfall fit`, models/analysis/fit.ts). */
const fitted = z
  .strictObject({
    note: z.string().optional(),
    observations: z.array(z.unknown()).max(1000).optional().meta({ description: "the data the inputs were fitted to, as given to utfall fit" }),
    trials: z.number().int().min(1).optional().meta({ description: "prior trials weighted" }),
    ess: z.number().min(0).optional().meta({ description: "effective sample size of the weighted trials" }),
    paths: z.array(z.string().min(1)).min(1).max(1000).meta({ description: "the uncertain inputs' paths, one per column of rows" }),
    rows: z
      .array(z.array(z.number().refine(Number.isFinite, { message: "must be a finite number" })))
      .min(1)
      .max(100_000)
      .meta({ description: "posterior draws, equally weighted: each trial takes one row for these paths" }),
  })
  .superRefine((f, ctx) => {
    f.rows.forEach((r, i) => {
      if (r.length !== f.paths.length) ctx.addIssue({ code: "custom", path: ["rows", i], message: `has ${r.length} values; paths names ${f.paths.length}` });
    });
  })
  .meta({ description: "The posterior of the uncertain inputs as an empirical joint distribution (written by utfall fit): each trial draws one row for these paths in place of their priors" });

/** Rank correlations between uncertain inputs (issue 15 §1), drawn by a Gaussian copula (models/random/copula.ts). */
const correlation = z.strictObject({
  between: z
    .tuple([z.string().min(1), z.string().min(1)], { message: "must name two uncertain inputs by their paths, e.g. [\"outcomes[0].states[0].costPerDay\", \"outcomes[0].states[1].costPerDay\"]" })
    .meta({ description: "the two uncertain inputs, by their paths as the tornado names them, e.g. outcomes[0].states[1].costPerDay" }),
  rank: z
    .number()
    .min(-1, { message: "must be a rank correlation from −1 to 1" })
    .max(1, { message: "must be a rank correlation from −1 to 1" })
    .meta({ description: "Spearman's rank correlation, from −1 to 1" }),
  source: source.optional(),
  note: z.string().optional(),
});
const correlations = z
  .array(correlation)
  .max(1000, { message: "at most 1000 correlations" })
  .meta({ description: "Rank correlations between uncertain inputs: each input keeps its own distribution; pairs not listed are independent" });

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    currency: currency.default("SEK"),
    periodsPerYear: count(1, 52).default(4).meta({ title: "periods per year (time step)", unit: "count" }),
    population,
    outcomes: z.array(outcome).min(1, { message: "needs at least one outcome" }).max(20, { message: "at most 20 outcomes (60 measures)" }),
    intervention,
    measurement,
    contract,
    valuation,
    simulation: simulation.default({ trials: DEFAULT_TRIALS, seed: DEFAULT_SEED }),
    fitted: fitted.optional(),
    correlations: correlations.optional(),
    sources: z.array(z.strictObject({ id, citation: z.string(), url: z.string().optional() })).optional(),
  })
  .superRefine(checkReferences);

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Outcome = Scenario["outcomes"][number];
export type PlacementOutcome = Extract<Outcome, { kind: "placement" }>;
export type PaymentRule = Scenario["contract"]["rules"][number];
export type Money = z.output<typeof money>;

/** Every money amount of a rule, with its path inside the rule (amount, cap, above, bands[k].amount). */
export function moneyFieldsOf(r: PaymentRule): [(string | number)[], Money][] {
  const out: [(string | number)[], Money][] = [];
  if (r.kind === "activity") out.push([["amount"], r.amount]);
  if ("above" in r && r.above !== "repaid") out.push([["above"], r.above]);
  if (r.kind === "stepped") r.bands.forEach((b, k) => out.push([["bands", k, "amount"], b.amount]));
  if (r.cap !== undefined) out.push([["cap"], r.cap]);
  return out;
}

/** The measures an outcome exposes to the contract, with the direction that counts as better. */
export function measuresOf(o: Outcome): { id: string; higherIsBetter: boolean; money: boolean; share: boolean }[] {
  if (o.kind === "placement") {
    return [
      { id: `${o.id}.cost`, higherIsBetter: false, money: true, share: false },
      { id: `${o.id}.careDays`, higherIsBetter: false, money: false, share: false },
      { id: `${o.id}.replacements`, higherIsBetter: false, money: false, share: false },
    ];
  }
  // A binary outcome's measure is a count of successes; its baseline per participant is a chance.
  return [{ id: o.id, higherIsBetter: o.higherIsBetter, money: false, share: o.kind === "binary" }];
}
