/**
 * The explorer's engine calls, without any worker plumbing (src/components/explorer-worker.ts
 * does the messaging), so Node tests can check them against the CLI's `runScenario`:
 *
 * - `simulateRange` simulates a range of blocks into a table of its own, and `mergeRows` copies
 *   such a part into the whole table: a trial's numbers depend only on (seed, trial)
 *   (docs/random-streams.md), so blocks simulated by several workers and merged are the table
 *   `simulateOutcomes` makes, byte for byte.
 * - `explorerFigures` evaluates the contract on a table and computes what the explorer shows: the
 *   summary's key figures (models/summary/summarize.ts keyFigures, the whole summary's numbers
 *   for those fields), the IRR histogram and the payer's net by budget year. Run on a stored
 *   table after a contract edit, it gives the numbers of a fresh run of the edited scenario,
 *   because the table depends only on `simulationKey` (explorer-key.ts).
 */
import { bisectRight, quantileSorted, range } from "d3-array";
import type { Model } from "../models/compile.js";
import { BLOCK_SIZE } from "../models/constants.js";
import { contractShape, evaluateContract, type EvaluationCache } from "../models/contract/evaluate.js";
import { payerNetByYear } from "../models/contract/moneyFlows.js";
import type { Scenario } from "../models/scenario/schema.js";
import { allocateTable, simulateBlock, type OutcomeTable } from "../models/simulate.js";
import { fan, sortedFinite, type FanPoint } from "../models/summary/dist.js";
import { checkFinite, checkMemory, MEMORY_LIMIT_BYTES } from "../models/summary/limits.js";
import { keyFigures, type KeyFigures } from "../models/summary/summarize.js";

export { BLOCK_SIZE };

/** What the explorer page draws from one run. */
export interface ExplorerFigures {
  /** The summary's figures the page shows (as `utfall run --json` gives them); the rest of the summary is not computed. */
  summary: KeyFigures;
  /** Financier's IRR per trial (NaN where none). */
  columns: { irr: Float64Array };
  /** The payer's net (avoided costs − payments) by budget year, as fan-chart points. */
  fans: { netByYear: FanPoint[] };
  irrHistogram: IrrHistogram;
  meta: { currency: string; periodsPerYear: number; horizon: number; followUp: number; capital: number };
}

/**
 * The financier's IRR per trial as the explorer's histogram draws it: bins of 2.5 points from
 * −100% to `hi` (the 99.5th percentile rounded up to 5 points, from 20% to 200%), the trials
 * above `hi` counted in the last bin; `share` is of all trials (those without an IRR included).
 */
export interface IrrHistogram {
  hi: number;
  /** Trials at or above `hi`, drawn in the last bin. */
  above: number;
  /** Trials that have an IRR. */
  defined: number;
  /** Non-empty bins [x1, x2). */
  bins: { x1: number; x2: number; share: number }[];
}

export const IRR_BIN = 0.025;

/** `sorted`: the finite IRRs in ascending order, as `sortedFinite` gives them (the summary's IRR figures use the same). */
export function irrHistogram(irr: Float64Array, sorted: Float64Array = sortedFinite(irr)): IrrHistogram {
  const values = sorted;
  const hi = Math.min(2, Math.max(0.2, Math.ceil((values.length ? quantileSorted(values as unknown as number[], 0.995)! : 0.2) * 20) / 20));
  const edges = range(-1, hi + 1e-9, IRR_BIN);
  const counts = new Float64Array(edges.length);
  let above = 0;
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!;
    if (x >= hi) above++;
    const i = bisectRight(edges, Math.min(x, hi - 1e-9)) - 1;
    counts[Math.max(0, Math.min(edges.length - 1, i))]!++;
  }
  const bins: IrrHistogram["bins"] = [];
  counts.forEach((n, i) => n > 0 && bins.push({ x1: edges[i]!, x2: i + 1 < edges.length ? edges[i + 1]! : hi, share: n / irr.length }));
  return { hi, above, defined: values.length, bins };
}

/** Blocks of BLOCK_SIZE trials in a run of `trials`. */
export function blockCount(trials: number): number {
  return Math.ceil(trials / BLOCK_SIZE);
}

/** Trials in blocks [from, to) of a run of `trials`. */
export function trialsIn(trials: number, from: number, to: number): number {
  return Math.max(0, Math.min(trials, to * BLOCK_SIZE) - from * BLOCK_SIZE);
}

/**
 * Splits a run's blocks into at most `parts` contiguous ranges [from, to), as even as whole
 * blocks allow, the first range the longest. Ranges never come out empty.
 */
export function splitBlocks(trials: number, parts: number): [number, number][] {
  const blocks = blockCount(trials);
  const n = Math.max(1, Math.min(parts, blocks));
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = from + Math.ceil((blocks - from) / (n - i));
    out.push([from, to]);
    from = to;
  }
  return out;
}

/** The explorer keeps no per-trial cash flows (its page draws none), so none are kept for the memory check either. */
export function checkRun(model: Model, scenario: Scenario, trials: number): void {
  checkMemory(model, contractShape(model, scenario.contract), trials, false, MEMORY_LIMIT_BYTES);
}

/** Simulates blocks [from, to) of a run into a table of their trials only (row 0 is the first trial of block `from`). */
export function simulateRange(model: Model, trials: number, seed: string | number, from: number, to: number): OutcomeTable {
  const part = allocateTable(model, trialsIn(trials, from, to), seed);
  for (let b = from; b < to; b++) simulateRangeBlock(model, part, trials, from, b);
  return part;
}

/** Simulates block `block` of a run of `trials` into `part`, a table whose row 0 is the first trial of block `from`. */
export function simulateRangeBlock(model: Model, part: OutcomeTable, trials: number, from: number, block: number): void {
  simulateBlock(model, part, block, (block - from) * BLOCK_SIZE, trialsIn(trials, block, block + 1));
}

/** Every typed array of a table, with the table's field (or parameter) it is, for copying and transferring. */
function columnsOf(table: OutcomeTable): [string, ArrayBufferView & ArrayLike<number>][] {
  const out: [string, ArrayBufferView & ArrayLike<number>][] = [];
  for (const [name, value] of Object.entries(table)) {
    if (ArrayBuffer.isView(value)) out.push([name, value as ArrayBufferView & ArrayLike<number>]);
  }
  for (const [path, column] of table.params) out.push([`params:${path}`, column]);
  return out;
}

/** The buffers of a table's columns, for a postMessage transfer list. */
export function tableBuffers(table: OutcomeTable): ArrayBuffer[] {
  return [...new Set(columnsOf(table).map(([, c]) => c.buffer as ArrayBuffer))];
}

/**
 * Copies `part` (a table of consecutive trials) into rows [row, row + part.trials) of `whole`.
 * Every column of a table holds the same number of values per trial; a column that does not, or
 * that `part` lacks, is an error (the caller then simulates the whole run itself).
 */
export function mergeRows(whole: OutcomeTable, part: OutcomeTable, row: number): void {
  const from = new Map(columnsOf(part));
  for (const [name, target] of columnsOf(whole)) {
    const source = from.get(name);
    const width = target.length / whole.trials;
    if (!source || !Number.isInteger(width) || source.length !== width * part.trials || row + part.trials > whole.trials) {
      throw new Error(`explorer: cannot merge the outcome column ${name}`);
    }
    (target as unknown as Float64Array).set(source as unknown as Float64Array, row * width);
  }
}

/**
 * The contract evaluated on `table`, with the key figures, the IRR per trial and its histogram,
 * and the payer's net by year. `cache`: an EvaluationCache made for `table` and kept across the
 * contract edits evaluated on it (models/contract/evaluate.ts: the columns a sweep's cells
 * share, the same numbers as computing them again).
 */
export function explorerFigures(model: Model, table: OutcomeTable, scenario: Scenario, cache?: EvaluationCache): ExplorerFigures {
  const results = evaluateContract(model, table, scenario.contract, cache ? { cache } : {});
  checkFinite(model, table, results);
  // The finite IRRs sorted once, for the summary's IRR figures and for the histogram.
  const irrSorted = sortedFinite(results.irr);
  const summary = keyFigures(model, table, results, irrSorted);
  const { net, years } = payerNetByYear(model, table, results);
  return {
    summary,
    columns: { irr: results.irr },
    fans: { netByYear: fan(net, years) },
    irrHistogram: irrHistogram(results.irr, irrSorted),
    meta: { currency: scenario.currency, periodsPerYear: model.periodsPerYear, horizon: model.horizon, followUp: model.followUp, capital: results.capital },
  };
}
