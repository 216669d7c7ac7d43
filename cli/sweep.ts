/**
 * `utfall sweep`: the grid's cells split over threads, and its output (a readable grid, or CSV
 * with one row per cell).
 *
 * A cell's figures depend only on the scenario, the seed and the cell, never on which other
 * cells are evaluated with it (models/analysis/sweep.ts), so the cells can be shared out: this
 * thread simulates the outcomes once (over the threads, as `run` does: cli/threads.ts), hands
 * the table to N − 1 worker threads on shared memory, and every thread claims the next row of
 * cells from a shared counter until none is left. The output is byte-identical for any N.
 */
import { toCsv, type CsvDialect } from "../models/export/csv.js";
import { formatMoney, formatNumber, formatPercent, localeOf } from "../models/format.js";
import { checkCells, compile, evaluateCells, prepareSweep, sweep, type Cell, type OutcomeTable, type SweepResult, type Vary } from "../models/index.js";
import { align } from "./table.js";
import { simulateThreaded, startWorkers } from "./threads.js";

/**
 * Sweeps of less work than this (cells × trials) start no worker: starting one costs about
 * 0.33 s of CPU (cli/threads.ts), what about 300,000 trial-cells of Norrköping's evaluation take.
 */
export const MIN_WORK_FOR_WORKERS = 2_000_000;

/** What a sweep worker is given (serveSweep). */
export interface SweepJob {
  readonly utfallSweepWorker: true;
  readonly input: unknown;
  readonly vary: readonly Vary[];
  readonly trials: number;
  readonly seed: string | number;
  /** The outcomes of a sweep of contract terms (on shared memory), or null: each cell simulates. */
  readonly table: OutcomeTable | null;
  /** [next chunk to claim, 1 once the sweep is abandoned]. */
  readonly control: Int32Array;
  readonly chunk: number;
  readonly cells: number;
}

type SweepMessage = { type: "cell"; index: number; cell: Cell } | { type: "done" } | { type: "error"; message: string };

/** The cell indices of chunk c. */
function chunkCells(c: number, chunk: number, cells: number): number[] {
  const out: number[] = [];
  for (let i = c * chunk; i < Math.min(cells, (c + 1) * chunk); i++) out.push(i);
  return out;
}

/**
 * sweep(input, vary, options) over `threads` threads: the same result, byte for byte. Every cell
 * is checked before anything is simulated (SweepError, PathError, RunTooLarge as sweep throws them).
 */
export async function sweepThreaded(
  input: unknown,
  vary: readonly Vary[],
  options: {
    trials?: number;
    seed?: string | number;
    threads: number;
    onProgress?: (done: number, total: number) => void;
    /** Sweeps of less work (cells × trials) run on this thread alone; default MIN_WORK_FOR_WORKERS (tests set 0). */
    minWork?: number;
  },
): Promise<SweepResult> {
  const prep = prepareSweep(input, vary, options);
  const cells = prep.grid.length;
  const chunks = Math.ceil(cells / Math.max(1, Math.min(prep.shape[prep.shape.length - 1] ?? 1, Math.ceil(cells / (4 * options.threads)))));
  if (options.threads <= 1 || cells < 2 || cells * prep.trials < (options.minWork ?? MIN_WORK_FOR_WORKERS)) return sweep(input, vary, options);
  checkCells(prep);
  const { base, trials, seed, commonOutcomes } = prep;
  const table = commonOutcomes ? await simulateThreaded(base, compile(base), { trials, seed }, { threads: options.threads }) : null;
  const chunk = Math.ceil(cells / chunks);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const job: SweepJob = { utfallSweepWorker: true, input, vary, trials, seed, table, control, chunk, cells };
  const out: (Cell | undefined)[] = new Array(cells);
  let done = 0;
  let failure: Error | null = null;
  const got = (index: number, cell: Cell) => {
    out[index] = cell;
    options.onProgress?.(++done, cells);
  };
  const fail = (e: Error) => {
    failure ??= e;
    Atomics.store(control, 1, 1);
  };
  const { workers, finished } = startWorkers<SweepMessage>(Math.min(options.threads - 1, chunks - 1), job, "cells", fail, (m) => {
    if (m.type === "cell") got(m.index, m.cell);
  });
  try {
    // This thread takes chunks too, yielding between them so that the workers' messages are heard.
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (failure) break;
      const c = Atomics.add(control, 0, 1);
      if (c >= chunks) break;
      evaluateCells(prep, chunkCells(c, chunk, cells), got, table ?? undefined);
    }
  } catch (e) {
    fail(e as Error);
  }
  if (failure) for (const w of workers) void w.terminate();
  await Promise.all(finished);
  if (failure) throw failure;
  return { scenario: base.name, currency: base.currency, trials, seed, vary, commonOutcomes, cells: out as Cell[] };
}

/** A sweep worker (cli/worker.ts starts it): claims chunks of cells and posts each cell's figures. */
export function serveSweep(job: SweepJob, post: (m: SweepMessage) => void): void {
  try {
    const prep = prepareSweep(job.input, job.vary, { trials: job.trials, seed: job.seed });
    const chunks = Math.ceil(job.cells / job.chunk);
    while (Atomics.load(job.control, 1) === 0) {
      const c = Atomics.add(job.control, 0, 1);
      if (c >= chunks) break;
      evaluateCells(prep, chunkCells(c, job.chunk, job.cells), (index, cell) => post({ type: "cell", index, cell }), job.table ?? undefined);
    }
    post({ type: "done" });
  } catch (e) {
    post({ type: "error", message: (e as Error).stack ?? String(e) });
  }
}

/** Flat columns: the varied paths, then each party's figures. */
function flat(cell: Cell): Record<string, number | null> {
  const row: Record<string, number | null> = { ...cell.at };
  for (const [party, figures] of Object.entries({ financier: cell.financier, payer: cell.payer, contract: cell.contract, society: cell.society })) {
    for (const [k, v] of Object.entries(figures)) row[`${party}.${k}`] = v;
  }
  return row;
}

/**
 * CSV with a header row, in the project's dialect (models/export/csv.ts: the locale's delimiter
 * and decimal mark, 15 significant digits, a byte-order mark, CRLF); missing values empty.
 */
export function sweepCsv(r: SweepResult, dialect: CsvDialect): string {
  const rows = r.cells.map(flat);
  const header = Object.keys(rows[0] ?? {});
  return toCsv(header, rows.map((row) => header.map((k) => row[k])), dialect);
}

export function renderSweep(r: SweepResult): string {
  const currency = r.currency;
  const locale = localeOf(currency);
  const pct = (x: number | null) => formatPercent(x, locale);
  const header = [
    ...r.vary.map((v) => v.path),
    "IRR of E[flows]/yr",
    "median IRR/yr",
    "E[NPV] financier",
    "P(loss)",
    "payer pays (mean)",
    "payer net (mean)",
    "P(pay for nothing)",
    "P(missed success)",
  ];
  const rows = r.cells.map((c) => [
    ...r.vary.map((v) => formatNumber(c.at[v.path], locale, 3)),
    pct(c.financier.irrOfExpectedFlows),
    pct(c.financier.medianIrr),
    formatMoney(c.financier.expectedNpv, currency, locale),
    pct(c.financier.probLoss),
    formatMoney(c.payer.meanPayments, currency, locale),
    formatMoney(c.payer.meanNet, currency, locale),
    pct(c.payer.probPayForNothing),
    pct(c.contract.probMissedSuccess),
  ]);
  const how = r.commonOutcomes ? "every cell evaluated on the same simulated outcomes" : "each cell simulated from the same seed";
  return [`${r.scenario}: sweep of ${r.cells.length} cells, ${formatNumber(r.trials, locale)} trials, seed ${r.seed}; amounts in ${currency}; ${how}`, "", align([header, ...rows], 0, "  ")].join("\n");
}
