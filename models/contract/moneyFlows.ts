/**
 * Who pays whom in one trial, by contract year, as the cash waterfall (waterfall.ts) routed it:
 * the financier's capital in, the payer's outcome payments, what the financier, the provider
 * and the intermediary received, any guarantor's payment, and the payer's avoided costs beside
 * them. For the picture of a contract's structure under a typical and a bad case.
 */
import type { Run } from "../run.js";
import type { Model } from "../compile.js";
import type { OutcomeTable } from "../simulate.js";
import type { ContractResults } from "./evaluate.js";

/**
 * The payer's net (avoided costs − payments) by budget year, [trial][year], over the years of
 * either column, with the number of years: for the fan chart of the payer's net by year.
 */
export function payerNetByYear(model: Model, table: OutcomeTable, results: ContractResults): { net: Float64Array; years: number } {
  const trials = table.trials;
  const years = Math.max(model.years, results.years);
  const net = new Float64Array(trials * years);
  for (let t = 0; t < trials; t++) {
    for (let y = 0; y < years; y++) {
      const avoided = y < model.years ? table.avoidedByYear[t * model.years + y]! : 0;
      const paid = y < results.years ? results.paymentsByYear[t * results.years + y]! : 0;
      net[t * years + y] = avoided - paid;
    }
  }
  return { net, years };
}

export interface MoneyFlowYear {
  /** Contract year, from 0 (the first twelve months). */
  readonly year: number;
  /** Financier → the contract (provider or vehicle): the capital drawn. */
  readonly capital: number;
  /** Payer → the contract: outcome and activity payments (and any termination settlement). */
  readonly payments: number;
  /** The contract → financier: distributions out of the payments (the guarantee not included). */
  readonly toFinancier: number;
  /** The contract → provider: delivery costs paid and its share of any surplus. */
  readonly toProvider: number;
  /** The contract → intermediary: its fees. */
  readonly toIntermediary: number;
  /** Guarantor → financier. */
  readonly guarantee: number;
  /** The payer's avoided costs (a saving, not a payment between the parties). */
  readonly avoided: number;
}

/** One trial's flows by year; needs a run made with `keepFlows`. */
export function moneyFlows(run: Pick<Run, "model" | "outcomes" | "results">, trial: number): MoneyFlowYear[] {
  const { model, outcomes, results: r } = run;
  if (!r.flows || !r.waterfall) throw new Error("moneyFlows needs a run with keepFlows: true");
  if (!(Number.isInteger(trial) && trial >= 0 && trial < r.trials)) throw new RangeError(`moneyFlows: no trial ${trial}`);
  const ppy = model.periodsPerYear, P = r.periods, Y = Math.max(r.years, model.years), w = r.waterfall;
  const sum = (column: Float64Array, y: number, f: (v: number, p: number) => number = (v) => v) => {
    let a = 0;
    for (let p = y * ppy; p < Math.min(P, (y + 1) * ppy); p++) a += f(column[trial * P + p]!, p);
    return a;
  };
  // Below a cent a sum is rounding (offsets and recycling leave 1e-9 crumbs).
  const cents = (x: number) => (Math.abs(x) < 0.01 ? 0 : x);
  return Array.from({ length: Y }, (_, y) => {
    const guarantee = sum(w.guarantee, y);
    // The financier's net flow is receipts − draws, so receipts = net + draws.
    const received = sum(r.flows!, y, (v, p) => v + w.draws[trial * P + p]!);
    return {
      year: y,
      capital: sum(w.draws, y),
      payments: y < r.years ? r.paymentsByYear[trial * r.years + y]! : 0,
      toFinancier: cents(received - guarantee),
      toProvider: cents(sum(w.toProvider, y)),
      toIntermediary: cents(sum(w.toIntermediary, y)),
      guarantee: cents(guarantee),
      avoided: y < model.years ? outcomes.avoidedByYear[trial * model.years + y]! : 0,
    };
  });
}

/**
 * The trial at the p-th quantile of a per-trial column (finite values only; ties keep trial
 * order): p = 0.5 is a typical trial, p = 0.05 one that 1 in 20 trials are worse than.
 */
export function trialAtQuantile(values: ArrayLike<number>, p: number): number {
  return trialsAtQuantiles(values, [p])[0]!;
}

/** The trials at several quantiles, with one sort. */
export function trialsAtQuantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).filter((i) => Number.isFinite(values[i]!));
  if (order.length === 0) throw new RangeError("trialAtQuantile: no finite values");
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  return ps.map((p) => order[Math.round(p * (order.length - 1))]!);
}
