/**
 * Who pays whom in one trial, by contract year: the financier's capital to the provider, the
 * payer's outcome payments and any guarantor's top-up to the financier, and the payer's avoided
 * costs beside them. For the picture of a contract's structure under a typical and a bad case.
 */
import type { Run } from "../run.js";

export interface MoneyFlowYear {
  /** Contract year, from 0 (the first twelve months). */
  readonly year: number;
  /** Financier → provider: the capital drawn down. */
  readonly capital: number;
  /** Payer → financier: outcome and activity payments. */
  readonly payments: number;
  /** Guarantor → financier: the top-up of a guarantee. */
  readonly guarantee: number;
  /** The payer's avoided costs (a saving, not a payment between the parties). */
  readonly avoided: number;
}

/** One trial's flows by year; needs a run made with `keepFlows` (the guarantee is read from them). */
export function moneyFlows(run: Pick<Run, "model" | "outcomes" | "results">, trial: number): MoneyFlowYear[] {
  const { model, outcomes, results: r } = run;
  if (!r.flows) throw new Error("moneyFlows needs a run with keepFlows: true");
  if (!(Number.isInteger(trial) && trial >= 0 && trial < r.trials)) throw new RangeError(`moneyFlows: no trial ${trial}`);
  const ppy = model.periodsPerYear, P = r.periods, Y = Math.max(r.years, model.years);
  const invested = new Float64Array(Y), inflow = new Float64Array(Y);
  for (const d of model.scenario.contract.drawdown) invested[Math.floor(d.period / ppy)]! += d.share * r.capital;
  // The financier's net flow is what came in minus what was drawn: inflow = net + drawn.
  for (let p = 0; p < P; p++) inflow[Math.floor(p / ppy)]! += r.flows[trial * P + p]!;
  return Array.from({ length: Y }, (_, y) => {
    const payments = y < r.years ? r.paymentsByYear[trial * r.years + y]! : 0;
    const guarantee = inflow[y]! + invested[y]! - payments;
    return {
      year: y,
      capital: invested[y]!,
      payments,
      // What is left after payments is the guarantee; below a cent it is rounding.
      guarantee: Math.abs(guarantee) < 0.01 ? 0 : guarantee,
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
