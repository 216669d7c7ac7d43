/**
 * Sweeps over scenario terms: each cell sets one or two fields (by JSON path) and evaluates.
 * Contract terms are evaluated on the same simulated outcomes (common random numbers), so the
 * surface is smooth and a cell costs one contract evaluation; a field outside `contract`
 * changes what is simulated, so its cells are simulated again, each from the same seed.
 */
import { annualize, irr } from "../finance/irr.js";
import { compile, type Model } from "../compile.js";
import { BLOCK_SIZE, MONEY_EPSILON } from "../constants.js";
import { contractShape, evaluateContract, EvaluationCache, moneyIsFinite, type ContractResults, type FigureSums } from "../contract/evaluate.js";
import { checkFinite, checkMemory } from "../summary/limits.js";
import { resolveFigureRefs } from "../figures/resolve.js";
import { parseScenario, type Problem } from "../scenario/parse.js";
import { checkReferences, scenarioSchema, type Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { PathError, setPath, parsePath, type PathKey } from "./path.js";
import { touchesSimulation } from "../contract/simulatedFields.js";

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
  return figuresOf(r).figures;
}

function figuresOf(r: ContractResults): { figures: CellFigures } {
  if (r.sums) return { figures: figuresOfSums(r, r.sums) };
  const T = r.trials;
  let irrN = 0, fnpv = 0, npvBelow = 0, mult = 0, multN = 0, loss = 0, total = 0, profit = 0;
  let paid = 0, net = 0, netCost = 0, nothing = 0, any = 0, missed = 0, npv = 0, gain = 0;
  const irrs = scratchColumn(T);
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
  const figures: CellFigures = {
    financier: {
      irrOfExpectedFlows: finiteOrNull(annualize(irr(r.meanFlows), r.periodsPerYear)),
      expectedNpv: T ? fnpv / T : 0,
      hurdleRate: r.financierRate,
      // As dist() does: quantileSorted(sorted, 0.5); with figuresOnly, found without solving every IRR.
      medianIrr: r.medianIrr !== undefined ? r.medianIrr : irrN ? median(irrs, irrN) : null,
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
  return { figures };
}

/** The figures from evaluateContract's sums (figuresOnly): the same numbers as from the columns. */
function figuresOfSums(r: ContractResults, s: FigureSums): CellFigures {
  const T = r.trials;
  return {
    financier: {
      irrOfExpectedFlows: finiteOrNull(annualize(irr(r.meanFlows), r.periodsPerYear)),
      expectedNpv: T ? s.npv / T : 0,
      hurdleRate: r.financierRate,
      medianIrr: r.medianIrr !== undefined ? r.medianIrr : s.irrN ? median(s.irrs, s.irrN) : null,
      meanMultiple: s.multipleN ? s.multiple / s.multipleN : null,
      probLoss: s.loss / T,
      probNpvBelowZero: s.npvBelow / T,
      probTotalLoss: s.totalLoss / T,
      meanProfit: s.profit / T,
    },
    payer: { meanPayments: s.payments / T, meanNet: s.payerNet / T, probNetCost: s.payerNetCost / T, probPayForNothing: s.payForNothing / T },
    contract: { probAnyPayment: s.anyPayment / T, probMissedSuccess: s.missedSuccess / T },
    society: { meanNpv: s.societyNpv / T, chanceBenefitsExceedCosts: s.societyGain / T },
  };
}

let scratch = new Float64Array(0);
function scratchColumn(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/**
 * The median of a[0..n) (no NaN), exactly as d3's quantileSorted(sorted, 0.5) gives it, by
 * selection instead of a sort: with i = (n − 1)/2 and i0 = ⌊i⌋, v0 + (v1 − v0)·(i − i0) for the
 * i0-th and (i0 + 1)-th smallest. Reorders a.
 */
export function median(a: Float64Array, n: number): number {
  if (n < 2) return +a[0]!;
  const i = (n - 1) * 0.5, i0 = Math.floor(i);
  const v0 = select(a, i0, 0, n - 1);
  // Everything after position i0 is at least v0 now: the next order statistic is their least.
  let v1 = Infinity;
  for (let k = i0 + 1; k < n; k++) if (a[k]! < v1) v1 = a[k]!;
  return v0 + (v1 - v0) * (i - i0);
}

/** The k-th smallest of a[lo..hi] (Hoare's FIND, as in Wirth's Algorithms + Data Structures); leaves it at a[k], smaller before, larger after. */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // The median of three as the pivot value (one of the range's elements, so the scans stop).
    const l = a[lo]!, m = a[mid]!, h = a[hi]!;
    const x = l < m ? (m < h ? m : l < h ? h : l) : l < h ? l : m < h ? h : m;
    let p = lo, q = hi;
    do {
      while (a[p]! < x) p++;
      while (x < a[q]!) q--;
      if (p <= q) {
        const w = a[p]!;
        a[p] = a[q]!;
        a[q] = w;
        p++;
        q--;
      }
    } while (p <= q);
    if (q < k) lo = p;
    if (k < p) hi = q;
  }
  return a[k]!;
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
    // A contract field the simulation reads (delivery.volume, …) makes cells simulate again too:
    // evaluated on the base's outcomes, its cells would all show the base's draws.
    commonOutcomes: !keys.some(touchesSimulation),
  };
}

/**
 * The outcomes every cell of a contract-terms sweep is evaluated on: the base scenario simulated
 * once. With `blocks` [from, to), only those blocks of BLOCK_SIZE trials, as a table of their
 * trials (row 0 is block `from`'s first trial): a trial's numbers depend only on the seed and
 * the trial (docs/random-streams.md), so such parts laid end to end in block order are the
 * whole table, byte for byte (how a page splits the simulation over its workers). `onProgress`
 * counts the part's trials.
 */
export function sweepOutcomes(prep: PreparedSweep, onProgress?: (done: number, total: number) => void, blocks?: readonly [number, number]): OutcomeTable {
  if (!blocks) return simulateOutcomes(compile(prep.base), { trials: prep.trials, seed: prep.seed, onProgress });
  const [from, to] = blocks;
  const trials = Math.max(0, Math.min(prep.trials, to * BLOCK_SIZE) - from * BLOCK_SIZE);
  return simulateOutcomes(compile(prep.base), { trials, seed: prep.seed, firstBlock: from, onProgress });
}

/**
 * Whether a varied path changes what is simulated (a field outside `contract`, or one of the
 * contract fields the simulation reads: models/contract/simulatedFields.ts), not only the terms.
 */
export const touchesModel = (keys: readonly PathKey[]): boolean => touchesSimulation(keys);
const contractSchema = scenarioSchema.shape.contract;

/**
 * A cell's contract when only contract terms vary and none changes the model: the contract part
 * of the cell checked by the schema's own contract rules, and the whole scenario's cross-field
 * checks on it with the parsed rest of the base, which is what a full parse of the cell checks
 * (the other parts are the base's, already valid). Null when anything is wrong: the caller then
 * parses the whole cell, for the same problems in the same words.
 */
function cellContract(prep: PreparedSweep, root: Record<string, unknown>): Scenario["contract"] | null {
  return checkedContract(prep.base, root.contract);
}

/**
 * `contract` (JSON) checked as a full parse of `base` with it would check it, or null when
 * anything is wrong (parse the whole scenario then, for the problems in its words). For callers
 * that evaluate many contracts on one scenario's outcomes: sweeps, the contract designer.
 */
export function checkedContract(base: Scenario, contract: unknown): Scenario["contract"] | null {
  const checked = contractSchema.safeParse(contract);
  if (!checked.success) return null;
  let problems = 0;
  checkReferences({ ...base, contract: checked.data } as unknown as Record<string, unknown>, { addIssue: () => void problems++ } as never);
  return problems ? null : checked.data;
}

/**
 * Checks the cells at `indices` (all by default) as evaluateCells does before it simulates:
 * throws SweepError naming the first bad cell's problems, or RunTooLarge. A page calls it before
 * it simulates the outcomes its workers share.
 */
export function checkCells(prep: PreparedSweep, indices: readonly number[] = prep.grid.map((_, i) => i)): void {
  checkedCells(prep, indices);
}

interface CheckedCell {
  readonly index: number;
  readonly at: Record<string, number>;
  readonly contract: Scenario["contract"];
  /** The whole cell, when it is simulated on its own (a field outside the contract varies). */
  readonly scenario: Scenario | null;
}

function checkedCells(prep: PreparedSweep, indices: readonly number[]): { base: Model | null; cells: CheckedCell[] } {
  const base = prep.commonOutcomes ? compile(prep.base) : null;
  const fast = base !== null;
  const input = prep.input as Record<string, unknown>;
  const cells = indices.map((index): CheckedCell => {
    const at = prep.grid[index]!;
    if (!at) throw new Error(`sweep: no cell ${index} in a grid of ${prep.grid.length}`);
    // Only the contract differs between cells of a contract sweep: copy only it.
    const json = fast ? { ...input, contract: structuredClone(input.contract) } : (structuredClone(prep.input) as Record<string, unknown>);
    prep.vary.forEach((v, k) => setPath(json, prep.keys[k]!, at[v.path]!, v.path));
    const contract = fast ? cellContract(prep, json) : null;
    if (contract) {
      // A cell too large for memory is refused before anything is simulated (models/summary/limits.ts).
      checkMemory(base!, contractShape(base!, contract), prep.trials, false);
      return { index, at, contract, scenario: null };
    }
    const parsed = parseScenario(json);
    if (!parsed.ok) {
      const where = Object.entries(at).map(([k, v]) => `${k}=${v}`).join(", ");
      throw new SweepError(parsed.problems.map((q) => ({ path: q.path, message: `${q.message} (in the cell ${where})` })));
    }
    const cellModel = compile(parsed.scenario);
    checkMemory(cellModel, contractShape(cellModel, parsed.scenario.contract), prep.trials, false);
    return { index, at, contract: parsed.scenario.contract, scenario: parsed.scenario };
  });
  return { base, cells };
}

/**
 * Evaluates the cells at `indices` (all by default), calling `onCell` as each is done. Every
 * listed cell is checked before anything is simulated, so a bad value is reported at once. A
 * cell's figures depend only on the scenario, the seed and the cell, never on which other cells
 * are evaluated with it: workers can split a sweep by cells and get the CLI's numbers.
 * `outcomes`, for a sweep of contract terms (`commonOutcomes`), is `sweepOutcomes(prep)` made
 * elsewhere (a page simulates once and hands the table to its workers); by default it is
 * simulated here.
 */
export function evaluateCells(
  prep: PreparedSweep,
  indices: readonly number[] = prep.grid.map((_, i) => i),
  onCell: (index: number, cell: Cell) => void = () => {},
  outcomes?: OutcomeTable,
): void {
  const { base, cells } = checkedCells(prep, indices);
  if (!cells.length) return;
  if (base) {
    const table = outcomes ?? simulateOutcomes(base, { trials: prep.trials, seed: prep.seed });
    if (table.trials !== prep.trials) throw new Error(`sweep: the outcomes hold ${table.trials} trials, the sweep ${prep.trials}`);
    // The outcome columns are the same for every cell: checked once (checkFinite looks again, for
    // its message, only when something is not finite).
    const outcomesFinite = Number.isFinite(columnSum(table.avoidedPV) + columnSum(table.avoidedByYear) + columnSum(table.societyBenefitPV));
    // What cells share: an event's amounts under the same terms, repaid floors, avoided costs.
    const cache = new EvaluationCache(table);
    let reuse: ContractResults | undefined;
    for (const { index, at, contract } of cells) {
      // Only the columns the cell's figures read (figuresOnly: the same figures, bit for bit).
      const results = evaluateContract(base, table, contract, { reuse, cache, figuresOnly: true });
      reuse = results;
      const { figures } = figuresOf(results);
      // A trial whose money is not finite stops the sweep, as it stops a run (models/summary/limits.ts);
      // checkFinite looks (at every column, so evaluated in full) only when evaluateContract's own
      // sums were not finite.
      if (!(moneyIsFinite(results) && outcomesFinite)) checkFinite(base, table, evaluateContract(base, table, contract));
      onCell(index, { at, ...figures });
    }
    return;
  }
  for (const { index, at, scenario } of cells) {
    const model = compile(scenario!);
    const table = simulateOutcomes(model, { trials: prep.trials, seed: prep.seed });
    const results = evaluateContract(model, table);
    checkFinite(model, table, results);
    onCell(index, { at, ...cellFigures(results) });
  }
}

function columnSum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
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

export type { PathKey };
