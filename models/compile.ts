/**
 * Compiles a validated scenario into index-based tables the hot loops can use: every scenario
 * number becomes a numbered parameter slot, drawn once per trial.
 */
import { BOUNDS, type Bounds, type ParamSpec } from "./scenario/param.js";
import { measuresOf, type Scenario } from "./scenario/schema.js";
import { isUncertain } from "./random/sampler.js";
import { resolveFigureRef } from "./figures/resolve.js";
import { budgetYearCount, startMonthOf } from "./calendar.js";
import type { PriceBasis } from "./prices.js";
import { compileLongRun, type LongRunModel } from "./society/longRun.js";
import { correlationGroups, type CorrelationGroup } from "./random/copula.js";
import { paymentEvents, type PaymentEvent } from "./contract/payments.js";

export interface ParamSlot {
  /** JSON path of the figure in the scenario, e.g. `outcomes[0].states[1].costPerDay`. */
  readonly path: string;
  readonly spec: ParamSpec;
  readonly bounds: Bounds;
  readonly uncertain: boolean;
}

export interface Measure {
  readonly id: string;
  readonly label: string;
  readonly higherIsBetter: boolean;
  readonly money: boolean;
}

export interface PlacementModel {
  readonly kind: "placement";
  readonly outcomeIndex: number;
  readonly states: readonly string[];
  readonly isPlacement: Uint8Array;
  readonly costSlot: Int32Array;
  /** Society's cost per day: its own slot, or −1 where the state has none (the payer's draw is used). */
  readonly fullCostSlot: Int32Array;
  readonly initialShares: Float64Array;
  /** Transition i goes from `from[i]` to `to[i]` with chance from slot `slot[i]`. */
  readonly from: Uint8Array;
  readonly to: Uint8Array;
  readonly slot: Int32Array;
  /** Rate-ratio slot acting on transition i, or −1. */
  readonly effectSlot: Int32Array;
  /** Measure indices: cost, care days, re-placements. */
  readonly measureIndex: readonly [number, number, number];
}

export interface BinaryModel {
  readonly kind: "binary";
  readonly outcomeIndex: number;
  readonly baselineSlot: number;
  /** Log-odds shift: an odds ratio's slot, or a standardized mean difference's slot. */
  readonly effect: { readonly slot: number; readonly type: "oddsRatio" | "smd" } | null;
  readonly measureIndex: number;
}

export interface CountModel {
  readonly kind: "count";
  readonly outcomeIndex: number;
  readonly rateSlot: number;
  readonly effectSlot: number;
  readonly costPerEventSlot: number;
  readonly measureIndex: number;
}

export type OutcomeModel = PlacementModel | BinaryModel | CountModel;

// A rule's applications and amounts of money are the contract's (models/contract/payments.ts);
// re-exported for the modules that import them from here.
export { paymentEvents, resolveMoney, type PaymentEvent } from "./contract/payments.js";

/** The historical baseline's past group and what can make it differ from the contract period. */
export interface BaselineCohort {
  readonly size: number;
  /** Hazard ratio of entering care from home, contract period over baseline period. */
  readonly driftSlot: number;
  readonly years: number;
  readonly careCostGrowthSlot: number;
  readonly indexationSlot: number;
  /** Excess exits from care in the contract cohort's first periods, which the past group lacked. */
  readonly regressionToMean: { readonly exitRateRatioSlot: number; readonly periods: number } | null;
}

export interface Model {
  readonly scenario: Scenario;
  readonly periodsPerYear: number;
  readonly daysPerPeriod: number;
  readonly horizon: number;
  /** Periods simulated: the horizon, or longer if a cohort's follow-up ends after it. */
  readonly simulatedPeriods: number;
  /** Budget years the horizon touches (calendar years with a start date; see calendar.ts). */
  readonly years: number;
  /** Months since year 0 at which period 0 starts, or null (budget years are contract years). */
  readonly startMonth: number | null;
  /** The money basis: figures at one year's prices turned nominal by KPI (prices.ts), or null. */
  readonly priceBasis: PriceBasis | null;
  readonly followUp: number;
  readonly cohortSizes: Int32Array;
  readonly cohortStarts: Int32Array;
  readonly params: readonly ParamSlot[];
  readonly measures: readonly Measure[];
  readonly outcomes: readonly OutcomeModel[];
  readonly deliveredSlot: number;
  readonly discountSlot: number;
  readonly biasSlot: number;
  /** Comparison-group children measured against each cohort (all 0 for a historical baseline). */
  readonly comparisonSizes: Int32Array;
  /** A baseline published as fixed figures per participant, by measure (NaN where none). */
  readonly historicalBaseline: Float64Array;
  /** A simulated past group, when the historical baseline is one. */
  readonly baselineCohort: BaselineCohort | null;
  readonly longRun: readonly LongRunModel[];
  readonly events: readonly PaymentEvent[];
  // Contract-structure slots (models/contract/waterfall.ts), appended after every other slot so
  // that scenarios without them draw exactly as before; −1 where the scenario has none.
  /** The payer's lending rate for funding the work itself, or −1 (analysis/selfFunding.ts). */
  readonly lendingRateSlot: number;
  readonly volumeSlot: number;
  readonly terminationSlot: number;
  /** A uniform draw per trial that, with the chance per period, decides when the payer ends the contract. */
  readonly terminationDrawSlot: number;
  /**
   * A fitted scenario's posterior rows (models/analysis/fit.ts): each trial takes one row, by its
   * own stream, for these slots in place of their prior draws; null without `fitted`.
   */
  readonly fitted: { readonly slots: Int32Array; readonly rows: Float64Array; readonly count: number } | null;
  /** Groups of correlated uncertain inputs, by slot, with their copula's Cholesky factor (models/random/copula.ts); empty without `correlations`. */
  readonly correlation: readonly CorrelationGroup[];
}

/** The paths of `fitted` that are not uncertain inputs of the scenario (models/scenario/parse.ts refuses them). */
export function unknownFittedPaths(model: Model, paths: readonly string[]): number[] {
  const uncertain = new Set(model.params.filter((p) => p.uncertain).map((p) => p.path));
  return paths.flatMap((p, i) => (uncertain.has(p) ? [] : [i]));
}

const DAYS_PER_YEAR = 365.25;
/** The uniform number behind a trial's termination period (see terminationPeriod in contract/waterfall.ts). */
const TERMINATION_DRAW: ParamSpec = { dist: "uniform", min: 0, max: 1, source: "derived: the chance draw of when the payer ends the contract" };

export function compile(scenario: Scenario): Model {
  const params: ParamSlot[] = [];
  const slot = (path: string, spec: ParamSpec, bounds: Bounds = {}): number => {
    params.push({ path, spec, bounds, uncertain: isUncertain(spec) });
    return params.length - 1;
  };
  const probability: Bounds = { min: 0, max: 1 };

  const measures: Measure[] = [];
  const measureIndex = new Map<string, number>();
  for (const o of scenario.outcomes) {
    for (const m of measuresOf(o)) {
      measureIndex.set(m.id, measures.length);
      const suffix = m.id.slice(o.id.length);
      measures.push({ ...m, label: (o.label ?? o.id) + suffix });
    }
  }

  const outcomes: OutcomeModel[] = scenario.outcomes.map((o, oi): OutcomeModel => {
    const base = `outcomes[${oi}]`;
    const effects = scenario.intervention.effects
      .map((e, ei) => ({ e, ei }))
      .filter(({ e }) => e.outcome === o.id);
    if (o.kind === "placement") {
      const states = o.states.map((s) => s.id);
      const at = new Map(states.map((s, i) => [s, i]));
      const n = o.transitions.length;
      const effectSlot = new Int32Array(n).fill(-1);
      const from = Uint8Array.from(o.transitions, (t) => at.get(t.from)!);
      const to = Uint8Array.from(o.transitions, (t) => at.get(t.to)!);
      const tslot = Int32Array.from(o.transitions, (t, i) => slot(`${base}.transitions[${i}].perPeriod`, t.perPeriod, probability));
      for (const { e, ei } of effects) {
        const s = slot(`intervention.effects[${ei}].rateRatio`, e.rateRatio!, BOUNDS.ratio);
        const fromSet = new Set(([] as string[]).concat(e.from!));
        const toSet = new Set(([] as string[]).concat(e.to!));
        o.transitions.forEach((t, i) => {
          if (fromSet.has(t.from) && toSet.has(t.to)) effectSlot[i] = s;
        });
      }
      return {
        kind: "placement",
        outcomeIndex: oi,
        states,
        isPlacement: Uint8Array.from(o.states, (s) => (s.placement ? 1 : 0)),
        costSlot: Int32Array.from(o.states, (s, i) => slot(`${base}.states[${i}].costPerDay`, s.costPerDay, BOUNDS.perUnitMoney)),
        // Society's price of a day is the payer's own draw unless the state gives a full cost.
        fullCostSlot: Int32Array.from(o.states, (s, i) =>
          s.fullCostPerDay === undefined ? -1 : slot(`${base}.states[${i}].fullCostPerDay`, s.fullCostPerDay, BOUNDS.perUnitMoney),
        ),
        initialShares: Float64Array.from(states, (s) => o.initial[s] ?? 0),
        from,
        to,
        slot: tslot,
        effectSlot,
        measureIndex: [measureIndex.get(`${o.id}.cost`)!, measureIndex.get(`${o.id}.careDays`)!, measureIndex.get(`${o.id}.replacements`)!],
      };
    }
    if (o.kind === "binary") {
      const e = effects[0];
      let effect: BinaryModel["effect"] = null;
      if (e?.e.oddsRatio !== undefined) effect = { slot: slot(`intervention.effects[${e.ei}].oddsRatio`, e.e.oddsRatio, BOUNDS.ratio), type: "oddsRatio" };
      else if (e?.e.standardizedMeanDifference !== undefined)
        effect = { slot: slot(`intervention.effects[${e.ei}].standardizedMeanDifference`, e.e.standardizedMeanDifference, BOUNDS.standardizedMeanDifference), type: "smd" };
      return { kind: "binary", outcomeIndex: oi, baselineSlot: slot(`${base}.baseline`, o.baseline, probability), effect, measureIndex: measureIndex.get(o.id)! };
    }
    const e = effects[0];
    return {
      kind: "count",
      outcomeIndex: oi,
      rateSlot: slot(`${base}.baselineRate`, o.baselineRate, BOUNDS.eventRate),
      effectSlot: e ? slot(`intervention.effects[${e.ei}].rateRatio`, e.e.rateRatio!, BOUNDS.ratio) : -1,
      costPerEventSlot: o.costPerEvent === undefined ? -1 : slot(`${base}.costPerEvent`, o.costPerEvent, BOUNDS.perUnitMoney),
      measureIndex: measureIndex.get(o.id)!,
    };
  });

  const comparator = scenario.measurement.comparator;
  const historicalBaseline = new Float64Array(measures.length).fill(NaN);
  if (comparator.kind === "historical" && comparator.baseline) {
    for (const [k, v] of Object.entries(comparator.baseline)) historicalBaseline[measureIndex.get(k)!] = v;
  }
  const past = comparator.kind === "historical" ? comparator.cohort : undefined;
  const cp = "measurement.comparator.cohort";
  const baselineCohort: BaselineCohort | null = past
    ? {
        size: past.size,
        driftSlot: slot(`${cp}.drift`, past.drift, { min: 0, max: 10 }),
        years: past.years,
        careCostGrowthSlot: slot(`${cp}.careCostGrowth`, past.careCostGrowth, { min: -0.5, max: 1 }),
        indexationSlot: slot(`${cp}.indexation`, past.indexation, { min: -0.5, max: 1 }),
        regressionToMean: past.regressionToMean
          ? { exitRateRatioSlot: slot(`${cp}.regressionToMean.exitRateRatio`, past.regressionToMean.exitRateRatio, { min: 0, max: 100 }), periods: past.regressionToMean.periods }
          : null,
      }
    : null;

  const ppy = scenario.periodsPerYear;
  const followUp = scenario.measurement.followUpPeriods;
  const cohortStarts = Int32Array.from(scenario.population.cohorts, (c) => c.startPeriod);
  const horizon = scenario.valuation.horizonPeriods;
  const simulatedPeriods = Math.max(horizon, ...Array.from(cohortStarts, (s) => s + followUp));

  return {
    scenario,
    periodsPerYear: ppy,
    daysPerPeriod: DAYS_PER_YEAR / ppy,
    horizon,
    simulatedPeriods,
    years: budgetYearCount({ periodsPerYear: ppy, startMonth: startMonthOf(scenario.contract.startDate) }, horizon),
    startMonth: startMonthOf(scenario.contract.startDate),
    priceBasis:
      scenario.valuation.priceYear !== undefined && scenario.contract.startDate !== undefined
        ? { priceYear: scenario.valuation.priceYear, startYear: Math.floor(startMonthOf(scenario.contract.startDate)! / 12), inflation: scenario.valuation.inflation }
        : null,
    followUp,
    cohortSizes: Int32Array.from(scenario.population.cohorts, (c) => c.size),
    cohortStarts,
    params,
    measures,
    outcomes,
    deliveredSlot: slot("intervention.delivered", scenario.intervention.delivered, probability),
    discountSlot: slot("valuation.discountRate", scenario.valuation.discountRate, { min: -0.5, max: 1 }),
    biasSlot: comparator.kind === "comparisonGroup" ? slot("measurement.comparator.bias", comparator.bias, { min: -0.9, max: 10 }) : -1,
    comparisonSizes: comparisonSizes(comparator, scenario.population.cohorts.map((c) => c.size)),
    historicalBaseline,
    baselineCohort,
    longRun: compileLongRun(scenario.valuation, slot, measureIndex, ppy), // by perspective: models/society/longRun.ts
    events: paymentEvents(scenario.contract.rules, cohortStarts, followUp),
    lendingRateSlot: (() => {
      const rate = lendingRateSpec(scenario);
      return rate ? slot("valuation.selfFunding.lendingRate", rate.spec, { min: -0.5, max: 1 }) : -1;
    })(),
    // Keep these last: see Model.volumeSlot.
    volumeSlot: scenario.contract.delivery?.volume !== undefined ? slot("contract.delivery.volume", scenario.contract.delivery.volume, BOUNDS.volume) : -1,
    terminationSlot: scenario.contract.termination ? slot("contract.termination.chancePerPeriod", scenario.contract.termination.chancePerPeriod, probability) : -1,
    terminationDrawSlot: scenario.contract.termination ? slot("contract.termination.draw", TERMINATION_DRAW, probability) : -1,
    fitted: compileFitted(scenario, params),
    correlation: compileCorrelations(scenario, params),
  };
}

/** The scenario's correlations as groups of slots (models/scenario/references.ts has refused unknown or fixed paths and impossible matrices). */
function compileCorrelations(scenario: Scenario, params: readonly ParamSlot[]): CorrelationGroup[] {
  const list = scenario.correlations ?? [];
  const slotOf = (path: string): number => {
    const i = params.findIndex((p) => p.path === path && p.uncertain);
    if (i < 0) throw new Error(`correlations: ${JSON.stringify(path)} is not an uncertain input of this scenario`);
    return i;
  };
  return correlationGroups(list.map((c) => ({ a: slotOf(c.between[0]), b: slotOf(c.between[1]), rank: c.rank })));
}

function compileFitted(scenario: Scenario, params: readonly ParamSlot[]): Model["fitted"] {
  const f = scenario.fitted;
  if (!f) return null;
  const slots = Int32Array.from(f.paths, (path) => params.findIndex((p) => p.path === path && p.uncertain));
  const rows = new Float64Array(f.rows.length * f.paths.length);
  f.rows.forEach((r, i) => rows.set(r, i * f.paths.length));
  return { slots, rows, count: f.rows.length };
}

/**
 * Comparison-group children per cohort: a group given for all cohorts together is split between
 * them by cohort size (largest remainder), so that the parts add up to the whole group.
 */
function comparisonSizes(comparator: Scenario["measurement"]["comparator"], sizes: readonly number[]): Int32Array {
  const out = new Int32Array(sizes.length);
  if (comparator.kind !== "comparisonGroup") return out;
  if (comparator.perCohort) return out.fill(comparator.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((n) => (comparator.size * n) / total);
  let given = 0;
  exact.forEach((x, i) => (given += out[i] = Math.floor(x)));
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; given < comparator.size; k++, given++) out[order[k % order.length]!.i]!++;
  return out;
}

/** Kommuninvest's figures, the default lending rate for a Swedish payer (data/figures/lending-rate.json). */
export const DEFAULT_LENDING_RATE_SEK = ["lending-rate/kommuninvest-average-2019q4", "lending-rate/kommuninvest-new-2024q2"] as const;

/** The payer's lending rate: the scenario's, or the Swedish default; null when neither applies. */
export function lendingRateSpec(scenario: Scenario): { spec: ParamSpec; defaultRate: boolean } | null {
  const given = scenario.valuation.selfFunding;
  if (given) return { spec: given.lendingRate, defaultRate: false };
  if (scenario.currency !== "SEK") return null;
  const r = resolveFigureRef({ ref: [...DEFAULT_LENDING_RATE_SEK] });
  if (!r.ok) throw new Error(r.message);
  return { spec: r.spec, defaultRate: true };
}
