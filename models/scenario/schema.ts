/**
 * The scenario format: one JSON file describing population, outcomes, intervention,
 * measurement design, contract, valuation and simulation settings. The zod schema is the single
 * source of the input types; `data/scenario.schema.json` is generated from it.
 */
import { z } from "zod";
import { BOUNDS, centralValue, count, fraction, LIMITS, param, source } from "./param.js";
import { DEFAULT_FINANCIER_RATE, DEFAULT_SEED, DEFAULT_TRIALS, MAX_TRIALS } from "../constants.js";

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
  size: count(1, 100_000).meta({ description: "Participants in the cohort" }),
  startPeriod: count(0, 400).default(0).meta({ description: "Period in which the cohort starts" }),
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
  costPerDay: perUnitMoney().meta({ description: "Payer's (social services') cost per day in this state (at most 1e9)" }),
  fullCostPerDay: perUnitMoney()
    .optional()
    .meta({ description: "Society's full cost per day, when it differs from the payer's fee (at most 1e9)" }),
});

const transition = z.strictObject({
  from: id,
  to: id,
  perPeriod: probability().meta({ description: "Chance per period of moving from `from` to `to`" }),
});

const placementOutcome = z.strictObject({
  id,
  kind: z.literal("placement"),
  label: z.string().optional(),
  states: z.array(placementState).min(2, { message: "needs at least two states" }).max(16, { message: "at most 16 states" }),
  initial: z.record(z.string(), fraction).meta({ description: "Share of each cohort in each state at intake" }),
  transitions: z.array(transition).max(240, { message: "at most 240 transitions (16 states, each to every other)" }),
  note: z.string().optional(),
});

const binaryOutcome = z.strictObject({
  id,
  kind: z.literal("binary"),
  label: z.string().optional(),
  higherIsBetter: z.boolean().default(true),
  baseline: probability().meta({ description: "Chance per participant without the intervention" }),
  note: z.string().optional(),
});

const countOutcome = z.strictObject({
  id,
  kind: z.literal("count"),
  label: z.string().optional(),
  higherIsBetter: z.boolean().default(false),
  baselineRate: param(BOUNDS.eventRate).meta({ description: "Events per participant over the follow-up, without the intervention (at most 1000)" }),
  costPerEvent: perUnitMoney().optional().meta({ description: "Payer's cost per event (avoided events are savings; at most 1e9)" }),
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
    .meta({ description: "Multiplies the hazard of the transitions (placement) or the event rate (count); 1 = no effect; from 0 to 1000" }),
  oddsRatio: ratio().optional().meta({ description: "Binary outcomes: odds ratio; 1 = no effect; from 0 to 1000" }),
  standardizedMeanDifference: param(BOUNDS.standardizedMeanDifference)
    .optional()
    .meta({ description: "Binary outcomes: Hedges' g, converted to a log odds ratio by π/√3 (Chinn 2000); 0 = no effect; from -10 to 10" }),
  source: source.optional(),
  note: z.string().optional(),
});

const intervention = z.strictObject({
  description: z.string().optional(),
  delivered: probability()
    .default(1)
    .meta({ description: "Chance the intervention is delivered as planned; if not, it has no effect" }),
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
  size: count(1, 100_000).meta({ description: "Children in the past group whose outcomes give the baseline (the whole group, not per cohort)" }),
  drift: param({ min: 0, max: 10 })
    .default(1)
    .meta({ description: "Hazard ratio of entering care from home in the contract period against the baseline period (1 = no change; 1.1 = 10 % more placements now)" }),
  years: z.number().min(0).max(50).default(0).meta({ description: "Years from the baseline period to the contract period, for price growth" }),
  careCostGrowth: param({ min: -0.5, max: 1 })
    .default(0)
    .meta({ description: "Growth of care prices per year between the baseline period and the contract period" }),
  indexation: param({ min: -0.5, max: 1 })
    .default(0)
    .meta({ description: "Growth per year of the index by which the contract lifts the baseline's costs (KPI, or 0 if not indexed)" }),
  regressionToMean: z
    .strictObject({
      exitRateRatio: param({ min: 0, max: 100 }).meta({
        description: "Hazard ratio of leaving care for home in the contract cohort's first periods, in both arms, that the baseline group did not share (1 = none)",
      }),
      periods: count(1, 400).meta({ description: "Periods from a cohort's start over which the excess lasts" }),
      source: source.optional(),
      note: z.string().optional(),
    })
    .optional(),
  source: source.optional(),
  note: z.string().optional(),
});

const historical = z.strictObject({
  kind: z.literal("historical"),
  cohort: baselineCohort.optional().meta({ description: "A simulated past group (the usual case)" }),
  baseline: z
    .record(z.string(), z.number().min(0).max(LIMITS.amount, { message: `must be at most ${LIMITS.amount} per participant` }))
    .optional()
    .meta({ description: "A baseline published as fixed figures per participant over the follow-up, by measure; it does not follow a change of follow-up" }),
  source: source.optional(),
  note: z.string().optional(),
});

const comparisonGroup = z.strictObject({
  kind: z.literal("comparisonGroup"),
  size: count(1, 1_000_000).meta({ description: "Participants in the concurrent comparison group, all cohorts together (split between cohorts by their size) unless perCohort" }),
  perCohort: z.boolean().default(false).meta({ description: "true: `size` is the comparison group of each cohort" }),
  bias: param({ min: -0.9, max: 10 })
    .default(0)
    .meta({ description: "Relative bias of the comparison group's outcomes (0 = comparable)" }),
  source: source.optional(),
  note: z.string().optional(),
});

const measurement = z.strictObject({
  followUpPeriods: count(1, 400).meta({ description: "Periods from a cohort's start to its measurement" }),
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
      .max(1000, { message: "must be a fraction of capital from 0 to 1000" }),
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
    .meta({ description: "Measured relative improvement that must be exceeded (0 = any improvement)" }),
});

const ruleBase = {
  id: id.optional(),
  label: z.string().optional(),
  scope: z.enum(["perCohort", "pooled"]).default("perCohort"),
  cap: money.optional(),
  condition: condition.optional(),
  lagPeriods: count(0, 400).default(0),
  offsetBy: z
    .array(id)
    .optional()
    .meta({ description: "Rules whose payments are subtracted from this one's (e.g. a pooled catch-up)" }),
  note: z.string().optional(),
};

const activityRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("activity"),
  amount: money,
  period: count(0, 400).meta({ description: "Period, from the cohort's start, in which it is paid if delivered" }),
});

const savingsShareRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("savingsShare"),
  measure: z.string(),
  share: fraction,
  above: savingsFloor
    .default(0)
    .meta({ description: "Savings below this amount are not shared; \"repaid\": savings until the rules before this one have repaid the capital" }),
});

const proportionalRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("proportional"),
  measure: z.string(),
  threshold: fraction.meta({ description: "Relative improvement that must be reached before anything is paid" }),
  pricePerUnit: price().meta({ description: "Paid per unit of improvement, at most 1e9" }),
  basis: z.enum(["all", "aboveThreshold"]).default("all"),
});

const rateCardRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("rateCard"),
  measure: z.string(),
  pricePerOutcome: price().meta({ description: "Paid per outcome, at most 1e9" }),
  basis: z.enum(["all", "aboveComparator"]).default("all"),
});

const steppedRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("stepped"),
  measure: z.string(),
  bands: z
    .array(z.strictObject({ from: z.number(), amount: money }))
    .min(1)
    .max(50, { message: "at most 50 bands" })
    .meta({ description: "Relative improvement from which each amount is paid; the highest band reached pays" }),
});

const conditionalReturnRule = z.strictObject({
  ...ruleBase,
  kind: z.literal("conditionalReturn"),
  measure: z.string(),
  share: fraction,
  above: savingsFloor
    .default(0)
    .meta({ description: "Savings below this amount give no return; \"repaid\": savings until the rules before this one have repaid the capital" }),
  cap: money,
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
  from: count(0, 400),
  to: count(0, 400),
  amount: amount().meta({ description: "Money in each period of the span, at most 1e13" }),
  note: z.string().optional(),
});

const delivery = z.strictObject({
  perPeriod: z
    .array(perPeriodSpan)
    .max(401, { message: "at most 401 spans" })
    .default([])
    .meta({ description: "Planned delivery costs: an amount in each period of a span" }),
  perParticipant: z
    .strictObject({
      amount: z
        .number()
        .min(0, { message: `must be an amount from 0 to ${LIMITS.perUnit} per participant` })
        .max(LIMITS.perUnit, { message: `must be an amount from 0 to ${LIMITS.perUnit} per participant` }),
      overPeriods: count(1, 400).default(1).meta({ description: "Periods from a cohort's start over which the amount is spent, evenly" }),
    })
    .optional()
    .meta({ description: "Planned cost per participant served, spent from the participant's cohort start" }),
  volume: param(BOUNDS.volume)
    .optional()
    .meta({ description: "Participants actually served ÷ planned (volume risk); multiplies the delivery costs (not the outcome payments); from 0 to 100" }),
  recycling: z
    .boolean()
    .default(false)
    .meta({ description: "Outcome payments received pay for delivery before more capital is drawn; cash beyond what the rest of delivery needs goes to the financier" }),
  source: source.optional(),
  note: z.string().optional(),
});

const fees = z.strictObject({
  shareOfReceipts: fraction.default(0).meta({ description: "Share of every outcome payment received that goes to the intermediary" }),
  perPeriod: z.array(perPeriodSpan).max(401, { message: "at most 401 spans" }).default([]).meta({ description: "Fixed management fee per period, paid like a delivery cost" }),
  source: source.optional(),
  note: z.string().optional(),
});

const termination = z.strictObject({
  chancePerPeriod: probability().meta({ description: "Chance in each period from `fromPeriod` that the payer ends the contract" }),
  fromPeriod: count(0, 400).default(1),
  settlement: money.default(0).meta({ description: "What the payer pays when it ends the contract (ofCapital: of the commitment)" }),
  source: source.optional(),
  note: z.string().optional(),
});

const contract = z.strictObject({
  description: z.string().optional(),
  startDate: z
    .string()
    .regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, { message: 'must be a date "YYYY-MM" or "YYYY-MM-DD", e.g. "2016-08"' })
    .optional()
    .meta({ description: "When period 0 starts; the payer's money is then booked in calendar budget years" }),
  capital: amount().meta({ description: "The financier's commitment, at most 1e13" }),
  drawdown: z
    .array(z.strictObject({ period: count(0, 400), share: fraction }))
    .min(1)
    .meta({ description: "When the capital is drawn; shares sum to 1" }),
  rules: z.array(paymentRule).max(50, { message: "at most 50 rules" }),
  totalCap: money.optional(),
  guarantee: money.optional().meta({ description: "Principal guaranteed by a third party (e.g. a philanthropy)" }),
  // --- Capital structure and cash waterfall (models/contract/waterfall.ts); all optional ---
  ofCapitalMeans: z
    .enum(["commitment", "plannedDraw"])
    .optional()
    .meta({ description: '`ofCapital` amounts are fractions of "commitment" (default: `capital`) or of "plannedDraw": the planned delivery costs and fees, at most the commitment (what the financier expects to lend)' }),
  guaranteeCovers: z
    .enum(["receipts", "losses"])
    .optional()
    .meta({ description: '"receipts" (default): the guarantor tops what the financier received up to the guarantee; "losses": it covers the financier\'s loss (drawn − received) up to the guarantee (a first-loss guarantee)' }),
  delivery: delivery.optional().meta({ description: "What delivery costs; drawn capital pays for it, so capital is drawn as delivery needs it (up to `capital`, the commitment) and `drawdown` is ignored" }),
  fees: fees.optional().meta({ description: "The intermediary's or fund manager's cut: a share of every outcome payment received and a fixed fee per period" }),
  providerShareOfSurplus: fraction
    .optional()
    .meta({ description: "Share of what the financier would receive beyond its drawn capital that goes to the provider instead" }),
  termination: termination.optional().meta({ description: "The payer may end the contract early: a chance per period and a settlement" }),
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
  value: perUnitMoney().optional().meta({ description: "Value per success, in the scenario's currency (at most 1e9)" }),
  share: probability().optional().meta({ description: "A transfer's size as a share of the component named by `of`" }),
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
    .meta({ description: "Lifetime value of one more success, in the scenario's currency: one resource gain reported under `others` (give `components` to split it)" }),
  components: z
    .array(longRunComponent)
    .min(1)
    .optional()
    .meta({ description: "The value per success split by perspective into resource gains and transfers (instead of valuePerSuccess)" }),
  countedShare: fraction.meta({ description: "Share of that value counted (gross figures are an upper bound)" }),
  delayYears: z.number().min(0).max(100).default(0),
  source: source.optional(),
  note: z.string().optional(),
});

/** The payer's alternative: funding the same delivery itself with a loan (issue 10 §4). */
const selfFunding = z.strictObject({
  lendingRate: param({ min: -0.5, max: 1 }).meta({ description: "The payer's borrowing rate per year (e.g. Kommuninvest's), for funding the delivery itself" }),
  repayPeriod: count(0, 400)
    .optional()
    .meta({ description: "Period in which the loan is repaid with interest (default: when the contract's last payment falls due)" }),
  source: source.optional(),
  note: z.string().optional(),
});

const valuation = z.strictObject({
  horizonPeriods: count(1, 400).meta({ description: "Periods over which avoided costs are counted" }),
  priceYear: z
    .number()
    .int()
    .min(1980)
    .max(2100)
    .optional()
    .meta({ description: "The year whose prices the cost figures are in; with contract.startDate, avoided costs become nominal money of each year by KPI" }),
  inflation: z.number().min(-0.1).max(0.5).default(0.02).meta({ description: "Inflation a year past the KPI table's last year" }),
  discountRate: param({ min: -0.5, max: 1 }).meta({ description: "Society's and the payer's real discount rate per year" }),
  financierDiscountRate: z.number().min(-0.5).max(1).default(DEFAULT_FINANCIER_RATE),
  longRun: z.array(longRunValue).max(20, { message: "at most 20 long-run values" }).default([]),
  selfFunding: selfFunding.optional(),
  source: source.optional(),
  note: z.string().optional(),
});

const simulation = z.strictObject({
  trials: count(1, MAX_TRIALS).default(DEFAULT_TRIALS),
  seed: z.union([z.string(), z.number()]).default(DEFAULT_SEED),
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

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    currency: currency.default("SEK"),
    periodsPerYear: count(1, 52).default(4),
    population,
    outcomes: z.array(outcome).min(1, { message: "needs at least one outcome" }).max(20, { message: "at most 20 outcomes (60 measures)" }),
    intervention,
    measurement,
    contract,
    valuation,
    simulation: simulation.default({ trials: DEFAULT_TRIALS, seed: DEFAULT_SEED }),
    fitted: fitted.optional(),
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

type Ctx = z.core.$RefinementCtx<z.output<z.ZodObject>>;

/** Cross-field checks: every id a field refers to must exist (exported for sweeps, which check each cell's contract against the parsed rest). */
export function checkReferences(s: Record<string, unknown>, ctx: Ctx): void {
  const sc = s as unknown as Scenario;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  const outcomeIds = new Set<string>();
  sc.outcomes.forEach((o, i) => {
    if (outcomeIds.has(o.id)) issue(["outcomes", i, "id"], `duplicate outcome id ${JSON.stringify(o.id)}`);
    outcomeIds.add(o.id);
  });
  const measures = new Map(sc.outcomes.flatMap((o) => measuresOf(o)).map((m) => [m.id, m]));
  const measureList = [...measures.keys()].join(", ");

  sc.outcomes.forEach((o, i) => {
    if (o.kind !== "placement") return;
    const states = new Set(o.states.map((st) => st.id));
    let total = 0;
    for (const [k, v] of Object.entries(o.initial)) {
      if (!states.has(k)) issue(["outcomes", i, "initial", k], `unknown state ${JSON.stringify(k)}; states are ${[...states].join(", ")}`);
      total += v;
    }
    if (Math.abs(total - 1) > 1e-9) issue(["outcomes", i, "initial"], `shares must sum to 1, got ${+total.toFixed(6)}`);
    o.transitions.forEach((t, j) => {
      for (const end of ["from", "to"] as const) {
        if (!states.has(t[end])) issue(["outcomes", i, "transitions", j, end], `unknown state ${JSON.stringify(t[end])}; states are ${[...states].join(", ")}`);
      }
      if (t.from === t.to) issue(["outcomes", i, "transitions", j, "to"], "must differ from `from` (staying is the remainder)");
    });
    // The chances of leaving a state must leave room to stay: a draw above 1 in total is
    // rescaled (models/cohort/placement.ts), but a row whose central values already exceed 1
    // is a mistake in the file, not uncertainty.
    const leaving = new Map<string, number>();
    for (const t of o.transitions) leaving.set(t.from, (leaving.get(t.from) ?? 0) + centralValue(t.perPeriod));
    for (const [from, total] of leaving) {
      if (total > 1 + 1e-9) {
        issue(["outcomes", i, "transitions"], `the chances per period of leaving state ${JSON.stringify(from)} sum to ${+total.toPrecision(6)} at their central values; they must sum to at most 1 (staying is the remainder)`);
      }
    }
  });

  sc.intervention.effects.forEach((e, i) => {
    const o = sc.outcomes.find((x) => x.id === e.outcome);
    const path = ["intervention", "effects", i];
    if (!o) return issue([...path, "outcome"], `unknown outcome ${JSON.stringify(e.outcome)}; outcomes are ${[...outcomeIds].join(", ")}`);
    const given = (["rateRatio", "oddsRatio", "standardizedMeanDifference"] as const).filter((k) => e[k] !== undefined);
    const allowed = o.kind === "binary" ? ["oddsRatio", "standardizedMeanDifference"] : ["rateRatio"];
    if (given.length !== 1 || !allowed.includes(given[0]!)) {
      issue(path, `a ${o.kind} outcome's effect needs exactly one of ${allowed.join(" or ")}`);
    }
    if (o.kind === "placement") {
      const states = new Set(o.states.map((st) => st.id));
      for (const end of ["from", "to"] as const) {
        const list = e[end] === undefined ? [] : ([] as string[]).concat(e[end]!);
        if (list.length === 0) issue([...path, end], "is required for a placement outcome");
        for (const st of list) if (!states.has(st)) issue([...path, end], `unknown state ${JSON.stringify(st)}`);
      }
    }
  });

  const comparator = sc.measurement.comparator;
  if (comparator.kind === "historical") {
    if ((comparator.cohort === undefined) === (comparator.baseline === undefined)) {
      issue(["measurement", "comparator"], "needs exactly one of `cohort` (a simulated past group) or `baseline` (published fixed figures)");
    }
    for (const [k, v] of Object.entries(comparator.baseline ?? {})) {
      const m = measures.get(k);
      if (!m) issue(["measurement", "comparator", "baseline", k], `unknown measure ${JSON.stringify(k)}; measures are ${measureList}`);
      else if (m.share && v > 1) issue(["measurement", "comparator", "baseline", k], `is a chance per participant: must be from 0 to 1, got ${v}`);
    }
  }
  if (comparator.kind === "comparisonGroup" && !comparator.perCohort && comparator.size < sc.population.cohorts.length) {
    issue(["measurement", "comparator", "size"], `is the whole comparison group, split between the ${sc.population.cohorts.length} cohorts: must be at least ${sc.population.cohorts.length} (or set perCohort: true)`);
  }
  // A measure the contract reads must have a fixed baseline when the baseline is published as figures.
  const hasBaseline = (measure: string) => comparator.kind !== "historical" || comparator.baseline === undefined || measure in comparator.baseline;

  for (const key of ["delivery", "fees"] as const) {
    const spans = (sc.contract[key]?.perPeriod ?? []) as { from: number; to: number }[];
    spans.forEach((sp, j) => {
      if (sp.to < sp.from) issue(["contract", key, "perPeriod", j, "to"], "must be ≥ `from`");
    });
  }

  const drawn = sc.contract.drawdown.reduce((a, d) => a + d.share, 0);
  if (Math.abs(drawn - 1) > 1e-9) issue(["contract", "drawdown"], `shares must sum to 1, got ${+drawn.toFixed(6)}`);

  const ruleIds = new Set<string>();
  sc.contract.rules.forEach((r, i) => {
    const path = ["contract", "rules", i];
    if (r.id) {
      if (ruleIds.has(r.id)) issue([...path, "id"], `duplicate rule id ${JSON.stringify(r.id)}`);
      ruleIds.add(r.id);
    }
    if ("measure" in r) {
      const m = measures.get(r.measure);
      if (!m) issue([...path, "measure"], `unknown measure ${JSON.stringify(r.measure)}; measures are ${measureList}`);
      else if ((r.kind === "savingsShare" || r.kind === "conditionalReturn") && !m.money) {
        issue([...path, "measure"], `a ${r.kind} rule needs a money measure (such as "<placement>.cost")`);
      }
      if (m && r.kind === "rateCard" && r.basis === "all" && !m.higherIsBetter) {
        issue([...path, "basis"], `"all" pays for every success and needs a measure where higher is better; ${JSON.stringify(r.measure)} is better lower: use "aboveComparator"`);
      }
      if (!hasBaseline(r.measure)) {
        if (!(r.kind === "rateCard" && r.basis === "all")) {
          issue([...path, "measure"], `measurement.comparator.baseline has no value for ${JSON.stringify(r.measure)}`);
        }
      }
    }
    if (r.condition && !measures.has(r.condition.measure)) {
      issue([...path, "condition", "measure"], `unknown measure ${JSON.stringify(r.condition.measure)}; measures are ${measureList}`);
    } else if (r.condition && !hasBaseline(r.condition.measure)) {
      issue([...path, "condition", "measure"], `measurement.comparator.baseline has no value for ${JSON.stringify(r.condition.measure)}`);
    }
    if (r.kind === "stepped") {
      for (let b = 1; b < r.bands.length; b++) {
        if (!(r.bands[b]!.from > r.bands[b - 1]!.from)) issue([...path, "bands", b, "from"], "bands must be in increasing order of `from`");
      }
    }
  });
  // A share of capital "per cohort" only means something on a rule applied per cohort.
  const perCohortHere = (m: unknown): boolean => typeof m === "object" && m !== null && (m as { per?: string }).per === "cohort";
  for (const key of ["totalCap", "guarantee"] as const) {
    if (perCohortHere(sc.contract[key])) issue(["contract", key, "per"], `"cohort" applies only to the amounts of a rule with scope "perCohort"; a contract's ${key} is of the whole capital`);
  }
  sc.contract.rules.forEach((r, i) => {
    if (r.scope !== "pooled") return;
    for (const [path, m] of moneyFieldsOf(r)) {
      if (perCohortHere(m)) issue(["contract", "rules", i, ...path, "per"], `"cohort" applies only to a rule with scope "perCohort"; this rule is pooled`);
    }
  });
  sc.contract.rules.forEach((r, i) => {
    (r.offsetBy ?? []).forEach((o, j) => {
      if (!ruleIds.has(o)) issue(["contract", "rules", i, "offsetBy", j], `unknown rule id ${JSON.stringify(o)}`);
      else if (o === r.id) issue(["contract", "rules", i, "offsetBy", j], `a rule cannot offset itself (${JSON.stringify(o)})`);
    });
  });
  checkOffsetCycles(sc.contract.rules, issue);

  sc.valuation.longRun.forEach((v, i) => {
    const o = sc.outcomes.find((x) => x.id === v.outcome);
    if (!o || o.kind !== "binary") issue(["valuation", "longRun", i, "outcome"], `must name a binary outcome`);
    checkLongRunComponents(v, ["valuation", "longRun", i], issue);
  });
}

/** `offsetBy` must not go round in a circle (a → b → a): each rule's payment would depend on itself. */
function checkOffsetCycles(rules: readonly PaymentRule[], issue: (path: (string | number)[], message: string) => void): void {
  const index = new Map(rules.flatMap((r, i) => (r.id ? [[r.id, i] as const] : [])));
  // 0 unvisited, 1 on the current path, 2 done.
  const state = rules.map(() => 0);
  const trail: string[] = [];
  const visit = (i: number): void => {
    state[i] = 1;
    trail.push(rules[i]!.id!);
    (rules[i]!.offsetBy ?? []).forEach((o, j) => {
      const k = index.get(o);
      if (k === undefined || k === i) return; // reported above
      if (state[k] === 1) {
        const cycle = [...trail.slice(trail.indexOf(o)), o];
        issue(["contract", "rules", i, "offsetBy", j], `forms a cycle of offsets: ${cycle.join(" → ")}`);
      } else if (state[k] === 0) visit(k);
    });
    trail.pop();
    state[i] = 2;
  };
  rules.forEach((r, i) => {
    if (r.id && state[i] === 0) visit(i);
  });
}

type LongRunValue = Scenario["valuation"]["longRun"][number];

/** valuePerSuccess or components, not both; a share names an earlier valued component; a transfer moves between two perspectives. */
function checkLongRunComponents(v: LongRunValue, path: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  const given = (v.valuePerSuccess !== undefined ? 1 : 0) + (v.components !== undefined ? 1 : 0);
  if (given !== 1) return issue(path, "needs exactly one of valuePerSuccess or components");
  const valued = new Set<string>();
  const seen = new Set<string>();
  (v.components ?? []).forEach((c, k) => {
    const at = [...path, "components", k];
    if (seen.has(c.id)) issue([...at, "id"], `duplicate component id ${JSON.stringify(c.id)}`);
    seen.add(c.id);
    const isShare = c.share !== undefined || c.of !== undefined;
    if (c.value !== undefined && isShare) return issue(at, "needs either value, or share and of, not both");
    if (c.value === undefined && !isShare) return issue(at, "needs a value, or a share of another component");
    if (c.transferFrom !== undefined && c.transferFrom === c.perspective) issue([...at, "transferFrom"], "must differ from perspective (a transfer moves money between two perspectives)");
    if (isShare) {
      if (c.share === undefined) issue([...at, "share"], "is required with of");
      if (c.of === undefined) issue([...at, "of"], "is required with share");
      else if (!valued.has(c.of)) issue([...at, "of"], `must name an earlier component with a value; valued components are ${[...valued].join(", ") || "none"}`);
      if (c.transferFrom === undefined) issue([...at, "transferFrom"], "a share of another component must be a transfer: say which perspective it comes from");
    } else valued.add(c.id);
  });
}
