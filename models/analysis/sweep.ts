/**
 * Sweeps over scenario terms: each cell sets one or two fields (by JSON path) and evaluates.
 * Contract terms are evaluated on the same simulated outcomes (common random numbers), so the
 * surface is smooth and a cell costs one contract evaluation; a field outside `contract`
 * changes what is simulated, so its cells are simulated again, each from the same seed.
 */
import { quantileSorted } from "d3-array";
import { annualize, irr } from "../finance/irr.js";
import { compile, type Model } from "../compile.js";
import { MONEY_EPSILON } from "../constants.js";
import { contractShape, evaluateContract, type ContractResults } from "../contract/evaluate.js";
import { checkFinite, checkMemory } from "../summary/limits.js";
import { resolveFigureRefs } from "../figures/resolve.js";
import { parseScenario, type Problem } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { PathError, setPath, parsePath, type PathKey } from "./path.js";

export interface Vary {
  /** JSON path of a scenario field, e.g. `contract.rules[1].share` or `contract.rules[savings].share`. */
  readonly path: string;
  readonly values: readonly number[];
}

/** Each party's figures for one cell: means and shares of trials, no percentiles (cheap). */
export interface CellFigures {
  readonly financier: {
    /** IRR per year of the mean cash flows by period (null if none): the zone of agreement's hurdle test. */
    irrOfExpectedFlows: number | null;
    /** Mean NPV at `hurdleRate` (valuation.financierDiscountRate). */
    expectedNpv: number;
    hurdleRate: number;
    /** Median of the per-trial IRRs (over the trials that have one). */
    medianIrr: number | null;
    meanMultiple: number | null;
    probLoss: number;
    probNpvBelowZero: number;
    probTotalLoss: number;
    meanProfit: number;
  };
  readonly payer: { meanPayments: number; meanNet: number; probNetCost: number; probPayForNothing: number };
  readonly contract: { probAnyPayment: number; probMissedSuccess: number };
  readonly society: { meanNpv: number; chanceBenefitsExceedCosts: number };
}

export interface Cell extends CellFigures {
  /** The value of each varied path in this cell. */
  readonly at: Record<string, number>;
}

export interface SweepResult {
  readonly scenario: string;
  readonly currency: string;
  readonly trials: number;
  readonly seed: string | number;
  readonly vary: readonly Vary[];
  /** Whether cells re-used one simulation (only contract terms varied). */
  readonly commonOutcomes: boolean;
  readonly cells: readonly Cell[];
}

/** A sweep that cannot run: a path or a value the scenario does not allow. */
export class SweepError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
}

/** Figures for one evaluated contract. */
export function cellFigures(r: ContractResults): CellFigures {
  const T = r.trials;
  let irrN = 0, fnpv = 0, npvBelow = 0, mult = 0, multN = 0, loss = 0, total = 0, profit = 0;
  let paid = 0, net = 0, netCost = 0, nothing = 0, any = 0, missed = 0, npv = 0, gain = 0;
  const irrs = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const i = r.irr[t]!;
    if (!Number.isNaN(i)) irrs[irrN++] = i;
    fnpv += r.financierNpv[t]!;
    if (r.financierNpv[t]! < -MONEY_EPSILON) npvBelow++;
    if (Number.isFinite(r.multiple[t]!)) (mult += r.multiple[t]!), multN++;
    loss += r.loss[t]!;
    total += r.totalLoss[t]!;
    profit += r.profit[t]!;
    paid += r.payments[t]!;
    net += r.payerNet[t]!;
    netCost += r.payerNetCost[t]!;
    nothing += r.payForNothing[t]!;
    any += r.anyPayment[t]!;
    missed += r.missedSuccess[t]!;
    npv += r.societyNpv[t]!;
    if (r.societyNpv[t]! > 0) gain++;
  }
  const sorted = irrs.subarray(0, irrN).sort();
  return {
    financier: {
      irrOfExpectedFlows: finiteOrNull(annualize(irr(r.meanFlows), r.periodsPerYear)),
      expectedNpv: T ? fnpv / T : 0,
      hurdleRate: r.financierRate,
      medianIrr: irrN ? quantileSorted(sorted as unknown as number[], 0.5)! : null, // as dist() does
      meanMultiple: multN ? mult / multN : null,
      probLoss: loss / T,
      probNpvBelowZero: npvBelow / T,
      probTotalLoss: total / T,
      meanProfit: profit / T,
    },
    payer: { meanPayments: paid / T, meanNet: net / T, probNetCost: netCost / T, probPayForNothing: nothing / T },
    contract: { probAnyPayment: any / T, probMissedSuccess: missed / T },
    society: { meanNpv: npv / T, chanceBenefitsExceedCosts: gain / T },
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Every combination of the varied values, first path slowest. */
function grid(vary: readonly Vary[]): Record<string, number>[] {
  return vary.reduce<Record<string, number>[]>(
    (cells, v) => cells.flatMap((c) => v.values.map((x) => ({ ...c, [v.path]: x }))),
    [{}],
  );
}

/** A sweep laid out and checked against the base scenario, ready to evaluate any of its cells. */
export interface PreparedSweep {
  readonly input: unknown;
  readonly base: Scenario;
  readonly vary: readonly Vary[];
  readonly keys: readonly PathKey[][];
  readonly trials: number;
  readonly seed: string | number;
  /** Every cell's values, first path slowest. */
  readonly grid: readonly Record<string, number>[];
  /** The number of values of each varied path. */
  readonly shape: readonly number[];
  readonly commonOutcomes: boolean;
}

export function prepareSweep(raw: unknown, vary: readonly Vary[], options: { trials?: number; seed?: string | number } = {}): PreparedSweep {
  // Figures taken from the tables ({ref}) become their values first, so a path can vary them
  // and no cell resolves them again.
  const input = resolveFigureRefs(raw);
  const base = parseScenario(input);
  if (!base.ok) throw new SweepError(base.problems);
  const keys = vary.map((v) => parsePath(v.path, input));
  // Two spellings of one field (contract.rules[1].share and contract.rules[savings].share), or a
  // {value} and its number: the second would silently win.
  const field = (k: readonly PathKey[]) => JSON.stringify(k[k.length - 1] === "value" ? k.slice(0, -1) : k);
  for (let a = 0; a < keys.length; a++) {
    for (let b = a + 1; b < keys.length; b++) {
      if (field(keys[a]!) === field(keys[b]!)) {
        throw new PathError({ path: `${vary[a]!.path} and ${vary[b]!.path}`, message: "name the same field; vary it once" });
      }
    }
  }
  return {
    input,
    base: base.scenario,
    vary,
    keys,
    trials: options.trials ?? base.scenario.simulation.trials,
    seed: options.seed ?? base.scenario.simulation.seed,
    grid: grid(vary),
    shape: vary.map((v) => v.values.length),
    commonOutcomes: keys.every((k) => k[0] === "contract"),
  };
}

/**
 * Evaluates the cells at `indices` (all by default), calling `onCell` as each is done. Every
 * listed cell is checked before anything is simulated, so a bad value is reported at once. A
 * cell's figures depend only on the scenario, the seed and the cell, never on which other cells
 * are evaluated with it: workers can split a sweep by cells and get the CLI's numbers.
 */
export function evaluateCells(
  prep: PreparedSweep,
  indices: readonly number[] = prep.grid.map((_, i) => i),
  onCell: (index: number, cell: Cell) => void = () => {},
): void {
  const cells = indices.map((index) => {
    const at = prep.grid[index]!;
    if (!at) throw new Error(`sweep: no cell ${index} in a grid of ${prep.grid.length}`);
    const json = structuredClone(prep.input) as Record<string, unknown>;
    prep.vary.forEach((v, k) => setPath(json, prep.keys[k]!, at[v.path]!, v.path));
    const parsed = parseScenario(json);
    if (!parsed.ok) {
      const where = Object.entries(at).map(([k, v]) => `${k}=${v}`).join(", ");
      throw new SweepError(parsed.problems.map((q) => ({ path: q.path, message: `${q.message} (in the cell ${where})` })));
    }
    // A cell too large for memory is refused before anything is simulated (models/summary/limits.ts).
    const cellModel = compile(parsed.scenario);
    checkMemory(cellModel, contractShape(cellModel, parsed.scenario.contract), prep.trials, false);
    return { index, at, scenario: parsed.scenario };
  });
  let shared: { model: Model; table: OutcomeTable } | null = null;
  if (prep.commonOutcomes && cells.length) {
    const model = compile(prep.base);
    shared = { model, table: simulateOutcomes(model, { trials: prep.trials, seed: prep.seed }) };
  }
  for (const { index, at, scenario } of cells) onCell(index, { at, ...evaluateCell(scenario, shared, prep.trials, prep.seed) });
}

/**
 * Evaluates `input` (raw scenario JSON) at every combination of the varied values.
 * `onProgress(done, total)` is called after each cell.
 */
export function sweep(
  input: unknown,
  vary: readonly Vary[],
  options: { trials?: number; seed?: string | number; onProgress?: (done: number, total: number) => void } = {},
): SweepResult {
  const prep = prepareSweep(input, vary, options);
  const out: Cell[] = [];
  evaluateCells(prep, undefined, (_, cell) => {
    out.push(cell);
    options.onProgress?.(out.length, prep.grid.length);
  });
  const { base, trials, seed, commonOutcomes } = prep;
  return { scenario: base.name, currency: base.currency, trials, seed, vary, commonOutcomes, cells: out };
}

function evaluateCell(scenario: Scenario, shared: { model: Model; table: OutcomeTable } | null, trials: number, seed: string | number): CellFigures {
  // A trial whose money is not finite stops the sweep, as it stops a run (models/summary/limits.ts).
  if (shared) {
    const results = evaluateContract(shared.model, shared.table, scenario.contract);
    checkFinite(shared.model, shared.table, results);
    return cellFigures(results);
  }
  const model = compile(scenario);
  const table = simulateOutcomes(model, { trials, seed });
  const results = evaluateContract(model, table);
  checkFinite(model, table, results);
  return cellFigures(results);
}

export type { PathKey };
