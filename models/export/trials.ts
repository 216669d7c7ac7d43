/**
 * Per-trial results as named columns: what the worker sends the pages and what `utfall run
 * --out` writes, so a downloaded file and the CLI's file hold the same numbers.
 */
import type { Run } from "../run.js";
import type { Summary } from "../summary/summarize.js";
import { toCsv, type CsvDialect } from "./csv.js";
import type { Model } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import type { OutcomeTable } from "../simulate.js";
import { societyByPerspective } from "../society/perspectives.js";
import { selfFundingColumns } from "../analysis/selfFunding.js";

/** Column id → one value per trial. Flags are 0/1; money is nominal unless named PV/Npv. */
export type TrialColumns = Record<string, Float64Array>;

/** What a column's numbers are, for README and the JSON export. */
export function trialUnit(id: string): "money" | "fraction per year" | "multiple of capital" | "0/1" {
  if (id === "irr" || id === "mirr" || id === "lendingRate") return "fraction per year";
  if (id === "multiple") return "multiple of capital";
  if (FLAGS.includes(id as (typeof FLAGS)[number])) return "0/1";
  return "money";
}

const FLAGS = ["delivered", "loss", "totalLoss", "payerNetCost", "payForNothing", "missedSuccess"] as const;

/** The per-trial columns of a run, in export order; payments by budget year as paymentsYear1…N. */
export function trialColumns(run: Pick<Run, "outcomes" | "results"> & Partial<Pick<Run, "model">>): TrialColumns {
  const { outcomes, results: r } = run;
  const T = r.trials, Y = r.years;
  const column = (f: (t: number) => number) => Float64Array.from({ length: T }, (_, t) => f(t));
  const byYear: TrialColumns = {};
  for (let y = 0; y < Y; y++) byYear[`paymentsYear${y + 1}`] = column((t) => r.paymentsByYear[t * Y + y]!);
  // As the summary defines them: the payer's net plus what it paid.
  const avoided = column((t) => r.payerNet[t]! + r.payments[t]!);
  return {
    delivered: Float64Array.from(outcomes.delivered),
    payments: r.payments,
    ...byYear,
    guarantee: r.guarantee,
    avoidedCosts: avoided,
    payerNet: r.payerNet,
    payerNetPV: r.payerNetPV,
    irr: r.irr,
    mirr: r.mirr,
    multiple: r.multiple,
    profit: r.profit,
    financierNpv: r.financierNpv,
    societyBenefitPV: outcomes.societyBenefitPV,
    societyNpv: r.societyNpv,
    ...(run.model ? perspectiveAndSelfFundingColumns(run.model, outcomes, r) : {}),
    loss: Float64Array.from(r.loss),
    totalLoss: Float64Array.from(r.totalLoss),
    payerNetCost: Float64Array.from(r.payerNetCost),
    payForNothing: Float64Array.from(r.payForNothing),
    missedSuccess: Float64Array.from(r.missedSuccess),
  };
}

function trialCount(columns: TrialColumns): number {
  const first = Object.values(columns)[0];
  return first ? first.length : 0;
}

/** One row per trial, numbered from 1; a trial without an IRR has an empty cell. */
export function trialsCsv(columns: TrialColumns, dialect: CsvDialect): string {
  const ids = Object.keys(columns);
  const rows = Array.from({ length: trialCount(columns) }, (_, t) => [t + 1, ...ids.map((id) => columns[id]![t])]);
  return toCsv(["trial", ...ids], rows, dialect);
}

/** What the JSON file says the trials are: the run summary's name, trials, seed and currency. */
export type TrialsMeta = Pick<Summary, "scenario" | "trials" | "seed" | "currency">;

/** `{scenario, trials, seed, currency, units, rows: [{trial, …}]}`; a missing value is null, never NaN. */
export function trialsJson(columns: TrialColumns, summary: TrialsMeta): string {
  const meta = { scenario: summary.scenario, trials: summary.trials, seed: summary.seed, currency: summary.currency };
  const ids = Object.keys(columns);
  const units = Object.fromEntries(ids.map((id) => [id, trialUnit(id)]));
  const rows = Array.from({ length: trialCount(columns) }, (_, t) => {
    const row: Record<string, number | null> = { trial: t + 1 };
    for (const id of ids) {
      const v = columns[id]![t]!;
      row[id] = Number.isFinite(v) ? v : null;
    }
    return row;
  });
  return JSON.stringify({ ...meta, units, rows });
}

/**
 * Society's NPV by perspective (at society's rate) and the payer's self-funding alternative
 * (at the payer's rate; only when a lending rate applies): issue 17 §3.10 and issue 10 §4.
 */
function perspectiveAndSelfFundingColumns(model: Model, outcomes: OutcomeTable, r: ContractResults): TrialColumns {
  const p = societyByPerspective(model, outcomes, r);
  const sf = selfFundingColumns(model, outcomes, r);
  return {
    participantsNpv: p.npv.participants,
    taxpayersNpv: p.npv.taxpayers,
    othersNpv: p.npv.others,
    paymentsPV: p.payerPaymentsPV,
    ...(sf ? { lendingRate: sf.lendingRate, selfFundedCostPV: sf.selfFundedCostPV, selfFundedNetPV: sf.selfFundedNetPV } : {}),
  };
}
