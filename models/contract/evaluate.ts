/**
 * Contract evaluation: applies a contract's payment rules to a simulated outcome table and
 * derives every party's money. Re-running it with other terms re-uses the same outcomes
 * (common random numbers), so differences between terms are not drowned in noise.
 */
import type { Model } from "../compile.js";
import { paymentEvents, resolveMoney } from "./payments.js";
import { budgetYear, budgetYearCount } from "../calendar.js";
import { priceFactors } from "../prices.js";
import { MONEY_EPSILON } from "../constants.js";
import { annualize, irr } from "../finance/irr.js";
import { medianIrr, monotoneSign } from "../finance/medianIrr.js";
import type { Scenario } from "../scenario/schema.js";
import { paramOf, type OutcomeTable } from "../simulate.js";
import { compileRule, improvement, repaidSaving, ruleAmount, type CompiledRule } from "./rules.js";
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
  /** Financier's IRR per year; NaN where the cash flows have no (unique) IRR (and, with figuresOnly, where it was not solved). */
  readonly irr: Float64Array;
  /**
   * With figuresOnly: the median of the per-trial IRRs (null when no trial has one), found
   * without solving every trial's (models/finance/medianIrr.ts), the same number as the median
   * of them all. Undefined otherwise.
   */
  readonly medianIrr?: number | null;
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
  /**
   * With figuresOnly: the sums over trials that a sweep cell's figures are made of, instead of
   * the per-trial columns they are sums of. Undefined otherwise.
   */
  readonly sums?: FigureSums;
  /** The waterfall by period [trial][period], with `keepFlows`: see models/contract/waterfall.ts. */
  readonly waterfall: {
    readonly draws: Float64Array;
    readonly toProvider: Float64Array;
    readonly toIntermediary: Float64Array;
    readonly guarantee: Float64Array;
  } | null;
}

/**
 * The sums of a sweep cell's figures (models/analysis/sweep.ts figuresOf), each added up over the
 * trials in their order from the numbers the full evaluation's columns hold, so each is what
 * summing that column gives, bit for bit.
 */
export interface FigureSums {
  /** The trials' IRRs that are not NaN, in the order of trials, in irrs[0..irrN) (a scratch column: the next call overwrites it). */
  readonly irrs: Float64Array;
  irrN: number;
  /** Σ financierNpv, and the trials with financierNpv < −MONEY_EPSILON. */
  npv: number;
  npvBelow: number;
  /** Σ multiple over the trials where it is finite, and their number. */
  multiple: number;
  multipleN: number;
  /** Σ of the loss and totalLoss flags; Σ profit, payments, payerNet. */
  loss: number;
  totalLoss: number;
  profit: number;
  payments: number;
  payerNet: number;
  /** Σ of the payerNetCost, payForNothing, anyPayment and missedSuccess flags. */
  payerNetCost: number;
  payForNothing: number;
  anyPayment: number;
  missedSuccess: number;
  /** Σ societyNpv, and the trials with societyNpv > 0. */
  societyNpv: number;
  societyGain: number;
}

export interface EvaluateOptions {
  /** Keep every trial's cash flows by period (for fan charts); T × periods numbers. */
  readonly keepFlows?: boolean;
  /**
   * Results of an earlier call to overwrite instead of allocating new columns (a sweep evaluates
   * hundreds of contracts on one table): used when its trials and column sizes fit, and then
   * returned, so the earlier results are gone.
   */
  readonly reuse?: ContractResults;
  /**
   * What contracts evaluated on the same table share (a sweep's cells): each payment event's
   * amounts under the same rule terms, the `above: "repaid"` floors under the same earlier rules,
   * and the payer's avoided costs. Must be made for this table (`new EvaluationCache(table)`).
   */
  readonly cache?: EvaluationCache;
  /**
   * Only what a sweep cell's figures read (models/analysis/sweep.ts cellFigures): meanFlows and
   * the sums of the other columns the figures read (`sums`); every per-trial column is left as
   * it was (zeros, or `reuse`'s). Those figures are the full evaluation's bit for bit. Ignored
   * with keepFlows.
   */
  readonly figuresOnly?: boolean;
  /**
   * With figuresOnly: leave the IRR of a distinct flow that changes sign once unsolved and find
   * the median by the NPV's sign (models/finance/medianIrr.ts), in `medianIrr`. The same number;
   * off by default, since it measured no faster than solving each distinct flow: 21 × 21
   * Norrköping cells at 4,000 trials, four interleaved pairs on one thread at load 9–18, took
   * 3.4–5.2 s of CPU with it and 3.6–4.6 s without; measured again after the waterfall and
   * irr() got faster (21 × 21 cells on 10,000 trials, three interleaved pairs in one process,
   * load about 10), it took 1.22 × the CPU time of solving (activity × savings share) and
   * 1.24 × (savings share × return cap).
   */
  readonly medianBySign?: boolean;
}

/** A column of a payment event's amounts before offsets and the total cap, as ruleAmount gives them. */
interface EventAmounts {
  readonly pay: Float64Array;
  readonly payTrue: Float64Array;
  /** 1 where the true effect on the rule's measure is no improvement (what "paying for nothing" asks). */
  readonly noGain: Uint8Array;
}

/**
 * Columns that contracts evaluated on one outcome table share (see EvaluateOptions.cache): keyed
 * by everything they depend on (the compiled rule and group; for a repaid floor, the rules before
 * it), so a hit gives the numbers computing them again would. At most CACHE_BYTES are kept, the
 * oldest dropped first.
 */
export class EvaluationCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private bytes = 0;
  private avoided: Float64Array | null = null;

  constructor(readonly table: OutcomeTable) {}

  get<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  /** Keys asked for once and not kept (`worthKeeping`). */
  private readonly askedOnce = new Set<string>();

  /**
   * After a miss: whether to fill and keep the columns for `key`, that is whether a contract
   * asked for it before. A key asked for only once (in a sweep, a rule term that changes from
   * cell to cell) then costs no column and no memory; one asked for again is kept from its
   * second contract on. Only what is kept changes, never a number.
   */
  worthKeeping(key: string): boolean {
    if (this.askedOnce.has(key)) return true;
    if (this.askedOnce.size >= ASKED_KEYS) this.askedOnce.clear();
    this.askedOnce.add(key);
    return false;
  }

  set(key: string, value: unknown, bytes: number): void {
    if (bytes > CACHE_BYTES) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= CACHE_BYTES) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  private flowMemo: FlowMemo | null = null;

  /** An empty FlowMemo of these sizes, the last one's memory reused. */
  memo(maxRecords: number, P: number, keepFlows: boolean, trials: number, rawFlows: boolean): FlowMemo {
    const m = this.flowMemo;
    if (m && m.K === 4 + 2 * maxRecords && m.P === P && m.keepFlows === keepFlows && m.trials === trials && m.rawFlows === rawFlows) {
      m.reset();
      return m;
    }
    return (this.flowMemo = new FlowMemo(maxRecords, P, keepFlows, trials, rawFlows));
  }

  /** The payer's avoided costs over the horizon per trial, summed by year as evaluateContract sums them. */
  avoidedOf(years: number): Float64Array {
    if (this.avoided) return this.avoided;
    const T = this.table.trials, by = this.table.avoidedByYear, out = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let avoided = 0;
      for (let y = 0; y < years; y++) avoided += by[t * years + y]!;
      out[t] = avoided;
    }
    return (this.avoided = out);
  }
}

const finiteMoney = new WeakSet<ContractResults>();

/**
 * True when evaluateContract found every money column of these results that checkFinite checks
 * (models/summary/limits.ts) finite, so checkFinite would find nothing in them; false means
 * "look" (a sum of them overflowed, or something is not finite).
 */
export function moneyIsFinite(r: ContractResults): boolean {
  return finiteMoney.has(r);
}

/** The most an EvaluationCache keeps (64 MB). */
const CACHE_BYTES = 64 * 2 ** 20;
/** The most keys an EvaluationCache remembers having been asked for once (then it forgets them all). */
const ASKED_KEYS = 100_000;

/** A compiled rule as a cache key: every field (non-finite numbers spelled out, as JSON would drop them). */
function ruleKey(r: CompiledRule): string {
  return JSON.stringify(r, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
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

/** Fresh result columns, or `reuse`'s when they have the sizes asked for (cleared where sums accumulate). */
function resultColumns(T: number, P: number, Y: number, R: number, capital: number, financierRate: number, ppy: number, keepFlows: boolean, reuse: ContractResults | undefined): ContractResults {
  if (reuse && reuse.trials === T && reuse.periods === P && reuse.years === Y && reuse.paymentsByRule.length === T * R && (reuse.flows !== null) === keepFlows) {
    reuse.paymentsByYear.fill(0);
    reuse.meanFlows.fill(0);
    return { ...reuse, capital, financierRate, periodsPerYear: ppy, medianIrr: undefined, sums: undefined };
  }
  return {
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
    flows: keepFlows ? new Float64Array(T * P) : null,
    drawn: new Float64Array(T),
    intermediaryFees: new Float64Array(T),
    providerSurplus: new Float64Array(T),
    unfunded: new Float64Array(T),
    terminated: new Uint8Array(T),
    waterfall: keepFlows
      ? { draws: new Float64Array(T * P), toProvider: new Float64Array(T * P), toIntermediary: new Float64Array(T * P), guarantee: new Float64Array(T * P) }
      : null,
  };
}

// What the waterfall makes of one trial's payments, kept per distinct input (FlowMemo).
/** The most memory a FlowMemo takes (16 MB): 8,000 entries of 20 periods with keepFlows. */
export const MEMO_BYTES = 16 * 2 ** 20;
const V_IRR = 0, V_NPV = 1, V_MIRR = 2, V_RECEIVED = 3, V_DRAWN = 4, V_GUARANTEE = 5, V_FEES = 6, V_SURPLUS = 7, V_UNFUNDED = 8, V_INVESTED_PV = 9, V_NONZERO = 10;
/** s₀ of monotoneSign (models/finance/medianIrr.ts) when the entry's IRR is left unsolved (figuresOnly), else 0. */
const V_DEFERRED = 11, V_FLOWS = 12;

/**
 * Many trials pay the same (no outcome payment, or only the activity payment): their cash flows,
 * and so their IRR and NPV, are the same. The waterfall is a pure function of a trial's
 * payments, its volume, its termination period and (for the real cost of the work) the payer's
 * discount rate, so what it gives is kept per distinct input in an open-addressing table and
 * looked up by those numbers, bit for bit: the results are those of computing every trial. The
 * table gives up (stops looking) when too few trials repeat.
 */
class FlowMemo {
  /** Key: [n, volume, stopAt, rate, period₀, amount₀, …]; K numbers an entry. */
  readonly K: number;
  /**
   * Values an entry: V_*, then P numbers whose first V_NONZERO are the flows ÷ T of the periods
   * with a flow (those periods, in order, are the entry's P numbers of `periods`), and, with
   * keepFlows or rawFlows, the flows; with keepFlows the waterfall's four columns.
   */
  readonly V: number;
  readonly key: Float64Array;
  private readonly bits: Int32Array;
  private keys: Float64Array;
  private vals: Float64Array;
  /** Entry e's periods with a flow at [e·P, e·P + V_NONZERO) (integers, for indexing). */
  private nz: Int32Array;
  private slots: Int32Array;
  private size = 0;
  private lookups = 0;
  private hits = 0;
  active = true;

  private readonly limit: number;

  constructor(maxRecords: number, readonly P: number, readonly keepFlows: boolean, readonly trials: number, readonly rawFlows = keepFlows) {
    this.K = 4 + 2 * maxRecords;
    this.V = V_FLOWS + P * (keepFlows ? 6 : rawFlows ? 2 : 1);
    // At most MEMO_BYTES of entries; trials beyond are computed as they come.
    this.limit = Math.max(1, Math.min(trials, Math.floor(MEMO_BYTES / (8 * (this.K + this.V)))));
    this.key = new Float64Array(this.K);
    this.bits = new Int32Array(this.key.buffer);
    const cap = 1024;
    this.slots = new Int32Array(2 * cap);
    this.keys = new Float64Array(cap * this.K);
    this.vals = new Float64Array(cap * this.V);
    this.nz = new Int32Array(cap * P);
  }

  /** The entry whose key equals `key` (its first 4 + 2n numbers), or −1 (then `slot` is where it goes). */
  private slot = 0;
  find(): number {
    const key = this.key, K = this.K, len = 4 + 2 * key[0]!;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < 2 * len; i++) h = Math.imul(h ^ this.bits[i]!, 0x01000193);
    h ^= h >>> 15;
    const mask = this.slots.length - 1;
    this.lookups++;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) {
        this.slot = s;
        return -1;
      }
      let same = true;
      for (let i = 0, at = e * K; i < len; i++) {
        const a = this.keys[at + i]!, b = key[i]!;
        // Bit for bit: −0 and 0 differ, NaN equals NaN.
        if (!(a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b)) {
          same = false;
          break;
        }
      }
      if (same) {
        this.hits++;
        return e;
      }
    }
  }

  /** Empties the table for another contract (keeping its memory). */
  reset(): void {
    this.slots.fill(0);
    this.size = this.lookups = this.hits = 0;
    this.active = true;
  }

  /** The most entries it keeps. */
  capacity(): number {
    return this.limit;
  }

  /** After a miss: whether to keep looking (enough trials repeat) and room for one more entry. */
  worthIt(): boolean {
    if (this.lookups >= 2048 && this.hits * 4 < this.lookups) this.active = false;
    return this.active && this.size < this.limit;
  }

  /** Adds the entry for `key` at the slot the last find() left; returns its index (fill vals from valueAt(e)). */
  add(): number {
    let e = this.size++;
    if (this.size * 2 > this.slots.length) {
      this.grow();
      this.find(); // the slot in the larger table
      this.lookups--;
      e = this.size - 1;
    }
    this.keys.set(this.key.subarray(0, this.K), e * this.K);
    this.slots[this.slot] = e + 1;
    return e;
  }

  valueAt(e: number): number {
    return e * this.V;
  }

  values(): Float64Array {
    return this.vals;
  }

  /** The entries' periods with a flow; entry e's start at e × P. */
  periods(): Int32Array {
    return this.nz;
  }

  private grow(): void {
    const cap = this.slots.length; // entries double with the slots
    const keys = new Float64Array(cap * this.K);
    keys.set(this.keys);
    this.keys = keys;
    const vals = new Float64Array(cap * this.V);
    vals.set(this.vals);
    this.vals = vals;
    const nz = new Int32Array(cap * this.P);
    nz.set(this.nz);
    this.nz = nz;
    this.slots = new Int32Array(2 * cap);
    const saved = this.key.slice();
    for (let e = 0; e < this.size - 1; e++) {
      this.key.set(this.keys.subarray(e * this.K, (e + 1) * this.K));
      this.find();
      this.slots[this.slot] = e + 1;
    }
    this.lookups -= this.size - 1;
    this.key.set(saved);
  }
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
  const keepFlows = options.keepFlows ?? false;
  // Only what a sweep cell's figures read (EvaluateOptions.figuresOnly).
  const full = !options.figuresOnly || keepFlows;
  const out = resultColumns(T, P, Y, R, capital, financierRate, ppy, keepFlows, options.reuse);
  const { payments, paymentsByYear, paymentsByRule, guarantee, irr: irrs, multiple, profit, financierNpv, mirr, meanFlows, payerNet, payerNetPV, societyNpv } = out;
  const { anyPayment, loss, totalLoss, payerNetCost, payForNothing, missedSuccess, drawn, intermediaryFees, providerSurplus, unfunded, terminated } = out;

  // Each payment event, with what the hot loop needs of it at hand.
  const E = events.length;
  const evRule = events.map((ev) => compiled[ev.rule]![ev.cohort + 1]!);
  const evIndex = Int32Array.from(events, (ev) => ev.rule), evCohort = Int32Array.from(events, (ev) => ev.cohort), evPeriod = Int32Array.from(events, (ev) => ev.period);
  const evYear = Int32Array.from(events, (ev) => budgetYear(model, ev.period));
  const anyOffsets = compiled.some((g) => g[0]!.offsetBy.length > 0);
  // A group's value of a measure is at [trial][cohort][measure], or the sum over cohorts (pooledValue).
  const treatedCol = table.treated, truthCol = table.counterfactual, measuredCol = table.comparator;
  // Shared with other contracts on this table (a sweep): each event's amounts under its rule's
  // terms, filled by the first contract that has them (`fill`) and read by the rest (`ready`).
  // Not with termination, whose period cuts the events a trial reaches.
  const cache = options.cache && options.cache.table === table && !contract.termination ? options.cache : null;
  const ready: (EventAmounts | null)[] = new Array(E).fill(null), fill: (EventAmounts | null)[] = new Array(E).fill(null);
  const aboveReady: (Float64Array | null)[] = new Array(E).fill(null), aboveFill: (Float64Array | null)[] = new Array(E).fill(null);
  const toStore: [string, unknown, number][] = [];
  if (cache) {
    for (let e = 0; e < E; e++) {
      const rule = evRule[e]!, c = evCohort[e]!;
      const earlier = Number.isNaN(rule.above) ? earlierOf[evIndex[e]!]![c + 1]!.map(ruleKey) : [];
      const key = `amounts|${c}|${ruleKey(rule)}|${earlier.join("|")}`;
      const hit = cache.get<EventAmounts>(key);
      if (hit) ready[e] = hit;
      else if (cache.worthKeeping(key)) {
        fill[e] = { pay: new Float64Array(T), payTrue: new Float64Array(T), noGain: new Uint8Array(T) };
        toStore.push([key, fill[e], 17 * T]);
      }
      if (!hit && Number.isNaN(rule.above)) {
        // The floor depends on the rules before this one and on what this one measures, not on its share or cap.
        const { measure, higherIsBetter, capitalShare, conditionMeasure, conditionHigherIsBetter, conditionMin } = rule;
        const floorKey = `repaid|${c}|${JSON.stringify([measure, higherIsBetter, capitalShare, conditionMeasure, conditionHigherIsBetter, conditionMin])}|${earlier.join("|")}`;
        const floors = cache.get<Float64Array>(floorKey);
        if (floors) aboveReady[e] = floors;
        else if (cache.worthKeeping(floorKey)) {
          aboveFill[e] = new Float64Array(2 * T);
          toStore.push([floorKey, aboveFill[e], 16 * T]);
        }
      }
    }
  }
  const avoidedSums = cache ? cache.avoidedOf(model.years) : null;

  // The financier's flows come out of the waterfall (models/contract/waterfall.ts).
  const terms = waterfallTerms(contract, model.cohortSizes, model.cohortStarts, P, lastEvent, capital);
  const wf = allocateFlows(P);
  const recPeriod = new Int32Array(E + 1), recAmount = new Float64Array(E + 1);
  const volumeOf = paramOf(model, table, model.volumeSlot, 1);
  const hazardOf = paramOf(model, table, model.terminationSlot, 0);
  const drawOf = paramOf(model, table, model.terminationDrawSlot, 1);
  const termination = contract.termination;
  const settlement = termination ? resolveMoney(termination.settlement, capital) : 0;
  // What a trial has paid so far on the measured effect (what the payer pays).
  const measured = new Ledger(R, C, anyOffsets);
  const payerDiscount = new Float64Array(P);
  const financierDiscount = Float64Array.from({ length: P }, (_, p) => Math.pow(1 + financierRate, -p / ppy));
  const toStart = priceFactors(model.priceBasis, model, P).toStart;
  let discountFor = NaN; // the rate payerDiscount was last filled for: usually fixed across trials
  // The present value of what the waterfall spent, for the volume, stopAt and rate it was last summed for.
  const spentFor = { volume: NaN, stopAt: NaN, rate: NaN, pv: 0 };
  let investedPV = 0;
  // figuresOnly: the IRR of a distinct flow that changes sign once is left unsolved, and the
  // median found by the NPV's sign (models/finance/medianIrr.ts); the memo keeps its flows.
  const deferIrr = !full && options.medianBySign === true;
  const memo = cache ? cache.memo(E + 1, P, keepFlows, T, keepFlows || deferIrr) : new FlowMemo(E + 1, P, keepFlows, T, keepFlows || deferIrr);
  const deferredWeight = deferIrr ? new Int32Array(Math.min(T, memo.capacity())) : null;
  // Whether every money figure checkFinite checks is finite: the sum of them all, per trial and
  // per waterfall result (a sum that overflows only says "look").
  let moneySum = 0;
  // figuresOnly: the sums of the cell's figures instead of their columns.
  const sums: Omit<FigureSums, "irrs"> | null = full ? null : {
    irrN: 0, npv: 0, npvBelow: 0, multiple: 0, multipleN: 0, loss: 0, totalLoss: 0, profit: 0,
    payments: 0, payerNet: 0, payerNetCost: 0, payForNothing: 0, anyPayment: 0, missedSuccess: 0, societyNpv: 0, societyGain: 0,
  };
  const knownIrrs = sums ? irrScratch(T) : irrs;
  const memoKey = memo.key;
  const avoidedByYear = table.avoidedByYear, years = model.years;

  for (let t = 0; t < T; t++) {
    const delivered = table.delivered[t] === 1;
    const r = table.discountRate[t]!;
    measured.reset();
    if (r !== discountFor) {
      investedPV = 0;
      for (let p = 0; p < P; p++) {
        // Nominal money in kronor of the start year, at the real rate (prices.ts).
        payerDiscount[p] = Math.pow(1 + r, -p / ppy) * toStart[p]!;
        if (terms.schedule) investedPV += terms.schedule[p]! * payerDiscount[p]!;
      }
      discountFor = r;
    }
    let paidPV = 0, forNothing = 0, missed = 0, nRec = 0;
    // Early termination: from period stopAt no payment is due; the payer pays the settlement then.
    const stopAt = termination ? terminationPeriod(drawOf(t), hazardOf(t), termination.fromPeriod, lastEvent) : Infinity;

    for (let e = 0; e < E; e++) {
      const period = evPeriod[e]!;
      if (period >= stopAt) break; // events are in order of period
      const rule = evRule[e]!, index = evIndex[e]!, c = evCohort[e]!;
      let pay: number, payTrue: number, noGain: boolean;
      const shared = ready[e];
      if (shared) {
        pay = shared.pay[t]!;
        payTrue = shared.payTrue[t]!;
        noGain = shared.noGain[t] === 1;
      } else {
        const m = rule.measure, cm = rule.conditionMeasure;
        // The group's row of measures (a cohort's), or −1 for the sum over cohorts (pooled).
        const row = c >= 0 ? (t * C + c) * M : -1;
        const treated = m < 0 ? 0 : row >= 0 ? treatedCol[row + m]! : pooledValue(treatedCol, t, C, M, m);
        const truth = m < 0 ? 0 : row >= 0 ? truthCol[row + m]! : pooledValue(truthCol, t, C, M, m);
        const measured = m < 0 ? 0 : row >= 0 ? measuredCol[row + m]! : pooledValue(measuredCol, t, C, M, m);
        const condTreated = cm < 0 ? 0 : row >= 0 ? treatedCol[row + cm]! : pooledValue(treatedCol, t, C, M, cm);
        const condTruth = cm < 0 ? 0 : row >= 0 ? truthCol[row + cm]! : pooledValue(truthCol, t, C, M, cm);
        const condMeasured = cm < 0 ? 0 : row >= 0 ? measuredCol[row + cm]! : pooledValue(measuredCol, t, C, M, cm);
        // `above: "repaid"`: the saving at which the rules before this one have repaid the capital.
        let above = rule.above, aboveTrue = rule.above;
        if (Number.isNaN(rule.above)) {
          const floors = aboveReady[e];
          if (floors) {
            above = floors[2 * t]!;
            aboveTrue = floors[2 * t + 1]!;
          } else {
            const earlier = earlierOf[index]![c + 1]!;
            // Only a positive saving can pay: skip the search otherwise (most trials).
            above = aboveTrue = Infinity;
            const saves = improvement(treated, measured, rule.higherIsBetter) > 0, savesTrue = improvement(treated, truth, rule.higherIsBetter) > 0;
            if (saves || savesTrue) for (let k = 0; k < M; k++) groupTreated[k] = row >= 0 ? treatedCol[row + k]! : pooledValue(treatedCol, t, C, M, k);
            if (saves) {
              for (let k = 0; k < M; k++) groupReference[k] = row >= 0 ? measuredCol[row + k]! : pooledValue(measuredCol, t, C, M, k);
              above = repaidSaving(rule, earlier, delivered, groupTreated, groupReference, repaidScratch);
            }
            if (savesTrue) {
              for (let k = 0; k < M; k++) groupReference[k] = row >= 0 ? truthCol[row + k]! : pooledValue(truthCol, t, C, M, k);
              aboveTrue = repaidSaving(rule, earlier, delivered, groupTreated, groupReference, repaidScratch);
            }
            const into = aboveFill[e];
            if (into) (into[2 * t] = above), (into[2 * t + 1] = aboveTrue);
          }
        }
        pay = ruleAmount(rule, delivered, treated, measured, condTreated, condMeasured, above);
        payTrue = ruleAmount(rule, delivered, treated, truth, condTreated, condTruth, aboveTrue);
        noGain = improvement(treated, truth, rule.higherIsBetter) <= 0;
        const into = fill[e];
        if (into) (into.pay[t] = pay), (into.payTrue[t] = payTrue), (into.noGain[t] = noGain ? 1 : 0);
      }
      // A rule that would pay on the true effect but not on the measured one, judged on the
      // rule's own trigger (before offsets and the total cap, which are not measurement errors).
      if (rule.outcomeBased && payTrue > MONEY_EPSILON && !(pay > MONEY_EPSILON)) missed = 1;
      pay = measured.pay(rule.offsetBy, index, c, pay, totalCap);
      if (rule.outcomeBased) {
        if (pay > MONEY_EPSILON && noGain) forNothing = 1;
      }
      if (pay > 0) {
        recPeriod[nRec] = period;
        recAmount[nRec++] = pay;
        if (full) paymentsByYear[t * Y + evYear[e]!]! += pay;
        paidPV += pay * payerDiscount[period]!;
      }
    }
    if (stopAt < Infinity && settlement > 0) {
      recPeriod[nRec] = stopAt;
      recAmount[nRec++] = settlement;
      measured.total += settlement;
      paymentsByYear[t * Y + budgetYear(model, stopAt)]! += settlement;
      paidPV += settlement * payerDiscount[stopAt]!;
    }

    // The waterfall and what follows from the flows alone, once per distinct input.
    const volume = volumeOf(t);
    let entry = -1, fresh = false;
    if (memo.active) {
      memoKey[0] = nRec;
      memoKey[1] = volume;
      memoKey[2] = stopAt;
      memoKey[3] = r;
      for (let i = 0; i < nRec; i++) (memoKey[4 + 2 * i] = recPeriod[i]!), (memoKey[5 + 2 * i] = recAmount[i]!);
      entry = memo.find();
      if (entry < 0 && memo.worthIt()) (entry = memo.add()), (fresh = true);
    }
    let vals: Float64Array, at: number, nz: Int32Array, nzAt: number;
    if (entry >= 0 && !fresh) {
      vals = memo.values();
      at = memo.valueAt(entry);
      nz = memo.periods();
      nzAt = entry * P;
    } else {
      const { net: flows, totals } = waterfall(terms, recPeriod, recAmount, nRec, volume, stopAt, wf);
      const received = totals.received, invested = terms.simple ? capital : totals.drawn;
      let flowInvestedPV = 0;
      if (!terms.simple) {
        // The work's real cost to society: what was spent on delivery and fees, when it was spent.
        // Without recycling what is spent does not depend on the payments, only on the volume
        // and stopAt (models/contract/waterfall.ts): the last trial's sum serves while those and
        // the payer's rate are the same.
        if (!terms.recycling && volume === spentFor.volume && stopAt === spentFor.stopAt && discountFor === spentFor.rate) flowInvestedPV = spentFor.pv;
        else {
          for (let p = 0; p < P; p++) flowInvestedPV += wf.spent[p]! * payerDiscount[p]!;
          (spentFor.volume = volume), (spentFor.stopAt = stopAt), (spentFor.rate = discountFor), (spentFor.pv = flowInvestedPV);
        }
      }
      let deferred = 0;
      const trialIrr =
        received <= MONEY_EPSILON ? (invested > 0 ? -1 : NaN)
        : deferIrr && entry >= 0 && (deferred = monotoneSign(flows, P)) !== 0 ? NaN
        : annualize(irr(flows, P), ppy);
      if (entry >= 0) {
        vals = memo.values();
        at = memo.valueAt(entry);
        nz = memo.periods();
        nzAt = entry * P;
      } else {
        vals = scratchValues(memo.V);
        at = 0;
        nz = scratchPeriods(P);
        nzAt = 0;
      }
      const f0 = at + V_FLOWS;
      // NPV and MIRR from one pass over the flows, which also lists the periods with a flow and
      // their flow ÷ T: the mean flows add only those (adding a zero leaves a sum as it is, and
      // the sum starts at +0 and so is never −0), so the mean is the same bit for bit.
      let pvOut = 0, pvBack = 0, nonzero = 0;
      for (let p = 0; p < P; p++) {
        const f = flows[p]!;
        if (f < 0) pvOut -= f * financierDiscount[p]!;
        else pvBack += f * financierDiscount[p]!;
        moneySum += f;
        if (f !== 0) {
          nz[nzAt + nonzero] = p;
          vals[f0 + nonzero++] = f / T;
        }
      }
      // MIRR = (FV(back) / PV(out))^(1/(P − 1)) − 1 per period, FV(back) = PV(back) / v^(P−1): per year,
      // (PV(back) / PV(out) / v^(P−1))^(ppy/(P − 1)) − 1.
      const trialMirr = full && pvOut > 0 && P > 1 ? Math.pow(pvBack / pvOut / financierDiscount[P - 1]!, ppy / (P - 1)) - 1 : NaN;
      vals[at + V_IRR] = trialIrr;
      vals[at + V_NPV] = pvBack - pvOut;
      vals[at + V_MIRR] = trialMirr;
      vals[at + V_RECEIVED] = received;
      vals[at + V_DRAWN] = invested;
      vals[at + V_GUARANTEE] = totals.guarantee;
      vals[at + V_FEES] = totals.fees;
      vals[at + V_SURPLUS] = totals.providerSurplus;
      vals[at + V_UNFUNDED] = totals.unfunded;
      vals[at + V_INVESTED_PV] = flowInvestedPV;
      moneySum += received + invested + totals.guarantee + totals.fees + totals.providerSurplus + totals.unfunded + flowInvestedPV + (pvBack - pvOut);
      vals[at + V_NONZERO] = nonzero;
      vals[at + V_DEFERRED] = deferred;
      if (memo.rawFlows) for (let p = 0; p < P; p++) vals[f0 + P + p] = flows[p]!;
      if (keepFlows) {
        vals.set(wf.draws, f0 + 2 * P);
        vals.set(wf.toProvider, f0 + 3 * P);
        vals.set(wf.toIntermediary, f0 + 4 * P);
        vals.set(wf.guarantee, f0 + 5 * P);
      }
    }
    const f0 = at + V_FLOWS;
    if (keepFlows) {
      out.flows!.set(vals.subarray(f0 + P, f0 + 2 * P), t * P);
      const w = out.waterfall!;
      w.draws.set(vals.subarray(f0 + 2 * P, f0 + 3 * P), t * P);
      w.toProvider.set(vals.subarray(f0 + 3 * P, f0 + 4 * P), t * P);
      w.toIntermediary.set(vals.subarray(f0 + 4 * P, f0 + 5 * P), t * P);
      w.guarantee.set(vals.subarray(f0 + 5 * P, f0 + 6 * P), t * P);
    }
    for (let k = 0, n = vals[at + V_NONZERO]!; k < n; k++) meanFlows[nz[nzAt + k]!]! += vals[f0 + k]!;
    const received = vals[at + V_RECEIVED]!, invested = vals[at + V_DRAWN]!;
    if (full) {
      for (let k = 0; k < R; k++) paymentsByRule[t * R + k] = measured.byRule[k]!;
      drawn[t] = invested;
      intermediaryFees[t] = vals[at + V_FEES]!;
      providerSurplus[t] = vals[at + V_SURPLUS]!;
      unfunded[t] = vals[at + V_UNFUNDED]!;
      terminated[t] = stopAt < Infinity ? 1 : 0;
      }
    if (!terms.simple) investedPV = vals[at + V_INVESTED_PV]!;

    const total = measured.total;
    const irrT = vals[at + V_IRR]!, npvT = vals[at + V_NPV]!, profitT = received - invested;
    if (deferredWeight && vals[at + V_DEFERRED] !== 0) deferredWeight[entry]!++;
    let avoided = 0;
    if (avoidedSums) avoided = avoidedSums[t]!;
    else for (let y = 0; y < years; y++) avoided += avoidedByYear[t * years + y]!;
    const netT = avoided - total, netPVT = table.avoidedPV[t]! - paidPV, societyT = table.societyBenefitPV[t]! - investedPV;
    if (sums) {
      // The cell's sums, in the order of trials as figuresOf would add the columns up.
      if (!Number.isNaN(irrT)) knownIrrs[sums.irrN++] = irrT;
      sums.npv += npvT;
      if (npvT < -MONEY_EPSILON) sums.npvBelow++;
      if (invested > 0) {
        const m = received / invested;
        if (Number.isFinite(m)) (sums.multiple += m), sums.multipleN++;
      }
      if (profitT < -MONEY_EPSILON) sums.loss++;
      if (invested > 0 && received <= MONEY_EPSILON) sums.totalLoss++;
      sums.profit += profitT;
      sums.payments += total;
      sums.payerNet += netT;
      if (netT < -MONEY_EPSILON) sums.payerNetCost++;
      sums.payForNothing += forNothing;
      if (total > MONEY_EPSILON) sums.anyPayment++;
      sums.missedSuccess += missed;
      sums.societyNpv += societyT;
      if (societyT > 0) sums.societyGain++;
    } else {
      payments[t] = total;
      guarantee[t] = vals[at + V_GUARANTEE]!;
      anyPayment[t] = total > MONEY_EPSILON ? 1 : 0;
      payForNothing[t] = forNothing;
      missedSuccess[t] = missed;
      profit[t] = profitT;
      loss[t] = profitT < -MONEY_EPSILON ? 1 : 0;
      totalLoss[t] = invested > 0 && received <= MONEY_EPSILON ? 1 : 0;
      multiple[t] = invested > 0 ? received / invested : NaN;
      irrs[t] = irrT;
      financierNpv[t] = npvT;
      mirr[t] = vals[at + V_MIRR]!;
      payerNet[t] = netT;
      payerNetCost[t] = netT < -MONEY_EPSILON ? 1 : 0;
      payerNetPV[t] = netPVT;
      societyNpv[t] = societyT;
    }
    // Payments by year and by rule are sums of some of the same payments (none negative), so
    // they are finite when the total is.
    moneySum += total + netT + netPVT + societyT + profitT;
  }
  const withSums: ContractResults = sums ? { ...out, sums: { ...sums, irrs: knownIrrs } } : out;
  const result: ContractResults = deferredWeight ? { ...withSums, medianIrr: medianOfDeferred(knownIrrs, sums!.irrN, deferredWeight, memo, P, ppy) } : withSums;
  if (Number.isFinite(moneySum)) finiteMoney.add(result);
  else finiteMoney.delete(result);
  // Every trial has filled its events' columns: other contracts may read them now.
  for (const [key, value, bytes] of toStore) cache!.set(key, value, bytes);
  return result;
}

/** The median of the per-trial IRRs when figuresOnly left the memo's deferred entries unsolved. */
function medianOfDeferred(known: Float64Array, nKnown: number, weight: Int32Array, memo: FlowMemo, P: number, ppy: number): number | null {
  const entries: number[] = [];
  for (let e = 0; e < weight.length; e++) if (weight[e]! > 0) entries.push(e);
  const flows = new Float64Array(entries.length * P), w = new Int32Array(entries.length), sign = new Int8Array(entries.length);
  const vals = memo.values();
  entries.forEach((e, j) => {
    const at = memo.valueAt(e);
    flows.set(vals.subarray(at + V_FLOWS + P, at + V_FLOWS + 2 * P), j * P);
    w[j] = weight[e]!;
    sign[j] = vals[at + V_DEFERRED]!;
  });
  return medianIrr(known, nKnown, { flows, weight: w, sign, count: entries.length, periods: P }, ppy);
}

/**
 * What one trial has paid so far on the measured effect (what the payer pays): evaluateContract
 * puts every payment event through it. What the true effect would pay needs no ledger: the only
 * figure read from it, `missedSuccess`, is judged on a rule's own trigger, before offsets and
 * the total cap.
 */
class Ledger {
  /** Paid so far by rule, all cohorts together. */
  readonly byRule: Float64Array;
  /** Paid so far by rule and cohort [rule][cohort], kept only when a rule has offsets. */
  readonly byCohort: Float64Array;
  /** Paid so far, all rules (the total cap's measure; the settlement is added to the measured one). */
  total = 0;

  constructor(rules: number, private readonly cohorts: number, private readonly offsets: boolean) {
    this.byRule = new Float64Array(rules);
    this.byCohort = new Float64Array(offsets ? rules * cohorts : 0);
  }

  /** Empties the ledger for the next trial. */
  reset(): void {
    // Loops: fill() costs more than these few numbers.
    const byRule = this.byRule, byCohort = this.byCohort;
    for (let k = 0; k < byRule.length; k++) byRule[k] = 0;
    for (let k = 0; k < byCohort.length; k++) byCohort[k] = 0;
    this.total = 0;
  }

  /**
   * Pays `amount` (what rule `index` gives for cohort `c`, −1 pooled, before offsets and the
   * cap): less what the rules in `offsetBy` paid (a pooled rule: everything they paid; a
   * per-cohort rule: what they paid for the same cohort), at most what the total cap leaves,
   * nothing below MONEY_EPSILON (offsets can leave rounding crumbs of 1e-9). Records and
   * returns what is paid.
   */
  pay(offsetBy: readonly number[], index: number, c: number, amount: number, totalCap: number): number {
    const C = this.cohorts;
    if (this.offsets) for (const o of offsetBy) amount -= c >= 0 ? this.byCohort[o * C + c]! : this.byRule[o]!;
    amount = Math.min(amount, totalCap - this.total);
    if (!(amount > MONEY_EPSILON)) amount = 0;
    this.byRule[index]! += amount;
    if (this.offsets && c >= 0) this.byCohort[index * C + c]! += amount;
    this.total += amount;
    return amount;
  }
}

/** A measure summed over the cohorts of trial t (a pooled rule's group), as cohortValue (models/simulate.ts) sums it. */
function pooledValue(column: Float64Array, t: number, C: number, M: number, m: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += column[(t * C + c) * M + m]!;
  return s;
}

let knownScratch = new Float64Array(0);
/** Room for T IRRs (FigureSums.irrs), reused from call to call. */
function irrScratch(T: number): Float64Array {
  if (knownScratch.length < T) knownScratch = new Float64Array(T);
  return knownScratch;
}

let periodScratch = new Int32Array(0);
/** One entry's worth of periods for a trial the memo does not keep. */
function scratchPeriods(P: number): Int32Array {
  if (periodScratch.length < P) periodScratch = new Int32Array(P);
  return periodScratch;
}

let scratch = new Float64Array(0);
/** One entry's worth of values for a trial the memo does not keep. */
function scratchValues(V: number): Float64Array {
  if (scratch.length < V) scratch = new Float64Array(V);
  return scratch;
}
