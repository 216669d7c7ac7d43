/**
 * Sensitivity from the Monte Carlo ensemble itself: which uncertain inputs drive an output.
 * No extra simulation: every trial already drew its inputs and produced its outputs.
 *
 * For each input X and output Y:
 * - the first-order (main-effect) share of variance, η² = Var(E[Y | X]) / Var(Y), estimated by
 *   grouping trials into equal-count bins of X (the correlation ratio); for an input with few
 *   distinct values (delivered or not) each value is its own group;
 * - the swing: mean Y among the trials whose X is in its lowest tenth, and in its highest tenth
 *   (for a two-valued input, at each value): the two ends of a tornado bar.
 * Under independence the binned η² is not zero but about (bins − 1)/(trials − 1), which is
 * reported as `noiseFloor` so a reader can tell a driver from noise.
 *
 * Correlated inputs (a scenario's `correlations`, models/random/copula.ts): the ends of a bar
 * are the output's mean over the trials whose input is in its lowest or highest tenth, and in
 * those trials the inputs correlated with it take their conditional distribution given it (the
 * ensemble was drawn with the correlation). So when the SiS price is at its top tenth, the HVB
 * price correlated with it is high too, as it would be in the world the scenario describes: a
 * bar shows what moving this input means, its correlated inputs moving with it, not what it does
 * alone. This is the conditional reading risk analysts expect of a correlated tornado; its
 * consequence is that correlated inputs' shares overlap (each carries part of the other's) and
 * may sum to more than 1. Each such driver lists the inputs that move with it (`movesWith`), and
 * the tornado's `note` says so.
 */
import { mean as d3mean, variance } from "d3-array";

/** A column of numbers, one per trial: a typed array or an array. */
export type Column = ArrayLike<number> & Iterable<number>;

export interface Driver {
  /** Input name: a parameter's JSON path, or "delivered". */
  readonly input: string;
  /** Share of the output's variance explained by this input alone, in [0, 1]. */
  readonly share: number;
  /** Mean output when the input is low (lowest tenth, or its lower value). */
  readonly low: number;
  /** Mean output when the input is high (highest tenth, or its higher value). */
  readonly high: number;
  /** The input's values at the two ends: the means of its lowest and highest tenths. */
  readonly inputLow: number;
  readonly inputHigh: number;
  /** Inputs correlated with this one (the scenario's correlations), which move with it at each end. */
  readonly movesWith?: readonly string[];
}

export interface Tornado {
  readonly output: string;
  readonly mean: number;
  readonly drivers: readonly Driver[];
  readonly noiseFloor: number;
  /** How correlated inputs are treated, when the scenario has any. */
  readonly note?: string;
}

export interface TornadoOptions {
  /** Bins for η²; default 20. */
  readonly bins?: number;
  /** Share of trials at each end of the swing; default 0.1. */
  readonly tail?: number;
  /** Each input's correlated inputs (correlatedInputs of the scenario's correlations); none by default. */
  readonly correlated?: ReadonlyMap<string, readonly string[]>;
}

/** What tornado() says of correlated inputs. */
export const CORRELATED_NOTE =
  "Correlated inputs move together: each bar's ends are the mean output when the input is in its lowest or highest tenth, with the inputs correlated with it at their conditional values given it, so correlated inputs' shares overlap.";

/** Each input named in `correlations` with the inputs it is directly correlated with. */
export function correlatedInputs(correlations: readonly { readonly between: readonly [string, string] }[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { between: [a, b] } of correlations) {
    if (!out.has(a)) out.set(a, []);
    if (!out.has(b)) out.set(b, []);
    out.get(a)!.push(b);
    out.get(b)!.push(a);
  }
  return out;
}

/** η² and swing of one input against one output. */
export function driver(input: string, x: Column, y: Column, options: TornadoOptions = {}): Driver {
  const T = y.length;
  if (x.length !== T || T < 2) throw new Error(`driver(${input}): ${x.length} inputs for ${T} outputs`);
  const bins = options.bins ?? 20, tail = options.tail ?? 0.1;
  const order = Uint32Array.from({ length: T }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const total = variance(y ) ?? 0;
  const yMean = d3mean(y ) ?? 0;

  // Groups: runs of equal x when there are few distinct values, else equal-count bins.
  const distinct: number[] = [];
  for (let i = 0; i < T && distinct.length <= bins; i++) if (i === 0 || x[order[i]!]! !== x[order[i - 1]!]!) distinct.push(i);
  const starts = distinct.length <= bins ? distinct : Array.from({ length: bins }, (_, b) => Math.floor((b * T) / bins));
  let between = 0;
  for (let g = 0; g < starts.length; g++) {
    const from = starts[g]!, to = g + 1 < starts.length ? starts[g + 1]! : T;
    let s = 0;
    for (let i = from; i < to; i++) s += y[order[i]!]!;
    const m = s / (to - from);
    between += (to - from) * (m - yMean) ** 2;
  }
  const share = total > 0 ? Math.min(1, between / (T - 1) / total) : 0;

  const ends = (from: number, to: number) => {
    let sy = 0, sx = 0;
    for (let i = from; i < to; i++) (sy += y[order[i]!]!), (sx += x[order[i]!]!);
    return { y: sy / (to - from), x: sx / (to - from) };
  };
  let lo, hi;
  if (distinct.length === 2) {
    lo = ends(0, distinct[1]!);
    hi = ends(distinct[1]!, T);
  } else {
    const k = Math.max(1, Math.round(T * tail));
    lo = ends(0, k);
    hi = ends(T - k, T);
  }
  return { input, share, low: lo.y, high: hi.y, inputLow: lo.x, inputHigh: hi.x };
}

/** Every input's driver of one output, largest share first. Inputs that never vary are left out. */
export function tornado(output: string, y: Column, inputs: ReadonlyMap<string, Column>, options: TornadoOptions = {}): Tornado {
  const T = y.length;
  const drivers: Driver[] = [];
  for (const [name, x] of inputs) {
    let varies = false;
    for (let i = 1; i < T && !varies; i++) varies = x[i] !== x[0];
    if (!varies) continue;
    const d = driver(name, x, y, options);
    const moves = options.correlated?.get(name);
    drivers.push(moves?.length ? { ...d, movesWith: moves } : d);
  }
  drivers.sort((a, b) => b.share - a.share || a.input.localeCompare(b.input));
  const bins = options.bins ?? 20;
  const t = { output, mean: d3mean(y ) ?? NaN, drivers, noiseFloor: (bins - 1) / (T - 1) };
  return options.correlated?.size ? { ...t, note: CORRELATED_NOTE } : t;
}
