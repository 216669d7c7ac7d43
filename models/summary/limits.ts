/**
 * What a run refuses to do (issue 12, items 2 and 3): start when its columns would not fit in
 * memory, and summarise when a trial's money figures are not finite numbers. Both throw a
 * RunRefused, which the CLI reports with exit code 2 and the pages' worker as a message.
 */
import type { Model } from "../compile.js";
import type { ContractResults } from "../contract/evaluate.js";
import { sampler } from "../random/sampler.js";
import { hashString, Purpose, seedKey, Stream } from "../random/stream.js";
import { usedParamPaths, type OutcomeTable } from "../simulate.js";

/** The memory a run may take by default: 4 GiB, the same in the CLI and the browser (README, "Limits"). */
export const MEMORY_LIMIT_BYTES = 4 * 2 ** 30;

/** A run that was not done, with the scenario field to look at and why. */
export class RunRefused extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The run's columns would take more memory than the limit. */
export class RunTooLarge extends RunRefused {
  constructor(
    readonly trials: number,
    readonly bytes: number,
    readonly limit: number,
    /** What else the estimate covers, e.g. "with --risk-split's second run of 10000 trials". */
    readonly also = "",
  ) {
    const most = Math.floor((limit / bytes) * trials);
    super(
      "simulation.trials",
      `${trials} trials${also ? ` ${also}` : ""} would need about ${gb(bytes)} of memory (${Math.round(bytes / trials)} bytes a trial), more than the limit of ${gb(limit)}; use at most ${most} trials`,
    );
  }
}

/** A trial's money figure is Infinity or NaN: the inputs are beyond what the arithmetic can carry. */
export class NonFiniteTrial extends RunRefused {
  constructor(
    readonly trial: number,
    readonly column: string,
    readonly value: number,
    readonly inputs: readonly { path: string; value: number }[],
    /** Which run the trial belongs to, when not the ordinary one, e.g. "of the risk split's run (…)". */
    readonly run = "",
  ) {
    const shown = inputs.map((i) => `${i.path} = ${i.value}`).join(", ");
    super(
      inputs[0]?.path ?? "(scenario)",
      `trial ${trial}${run ? ` ${run}` : ""} gave ${column} = ${value}, not a finite amount, so the run stops rather than summarise the other trials; that trial's largest inputs: ${shown || "none"}. Bring these inputs within the bounds README lists`,
    );
  }
}

function gb(bytes: number): string {
  return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
}

/**
 * Bytes a run needs: every column allocateTable (models/simulate.ts) and evaluateContract
 * (models/contract/evaluate.ts) allocate, by trial, with the financier's flows and the waterfall
 * when kept, the inputs' columns the table keeps (`params`, as SimulateOptions), and the
 * summary's working columns (models/summary/summarize.ts and what it calls), counted as if none
 * were collected before the summary ends: its derived column, dist's sort buffer and the radix
 * sort's second buffer (3), society
 * by perspective (4 × 3 perspectives + 2), self-funding (4 and a sorted copy), one measure's
 * effects and correlation inputs (3): 25 columns. Per trial this bounds the run's resident
 * memory (test/engine/memory.test.ts measures it); Node and the engine's code and heap come on
 * top, about 50 + 25 MB.
 */
export function estimateRunBytes(
  model: Model,
  shape: { periods: number; years: number; rules: number },
  trials: number,
  keepFlows = false,
  params: "all" | "used" = "all",
): number {
  const C = model.cohortSizes.length, M = model.measures.length;
  const inputs = params === "used" ? usedParamPaths(model).size : model.params.filter((p) => p.uncertain).length;
  // allocateTable: treated, counterfactual, comparator (C × M each); delivered (1 byte);
  // discountRate, avoidedPV, societyBenefitPV; avoidedByYear (years); one column per kept input.
  const outcomes = 8 * 3 * C * M + 1 + 8 * (3 + model.years + inputs);
  // evaluateContract: 14 Float64 columns, 7 flags of one byte, paymentsByYear (Y), paymentsByRule (R);
  // with keepFlows, flows and the waterfall's four columns (P each).
  const results = 8 * 14 + 7 + 8 * (shape.years + shape.rules) + (keepFlows ? 8 * 5 * shape.periods : 0);
  const working = 8 * 25;
  return trials * (outcomes + results + working);
}

/** Refuses a run whose estimate exceeds `limit` bytes. */
export function checkMemory(
  model: Model,
  shape: { periods: number; years: number; rules: number },
  trials: number,
  keepFlows: boolean,
  limit = MEMORY_LIMIT_BYTES,
  params: "all" | "used" = "all",
): void {
  const bytes = estimateRunBytes(model, shape, trials, keepFlows, params);
  if (bytes > limit) throw new RunTooLarge(trials, bytes, limit);
}

/**
 * Refuses results in which some trial's money figure is not finite, naming the first such
 * trial and the inputs it was given (largest first). IRR, MIRR and the multiple may be NaN by
 * definition (no unique IRR, nothing drawn), and so may the measures' comparator (a published
 * baseline has no figure for some measures): they are not checked; the money that follows from
 * the measures (payments, avoided costs) is.
 */
export function checkFinite(model: Model, outcomes: OutcomeTable, results: ContractResults, run = ""): void {
  const T = outcomes.trials;
  const columns: [string, Float64Array | null][] = [
    ["avoided costs (avoidedPV)", outcomes.avoidedPV],
    ["avoided costs by year (avoidedByYear)", outcomes.avoidedByYear],
    ["society's benefit (societyBenefitPV)", outcomes.societyBenefitPV],
    ["payments", results.payments],
    ["payments by year (paymentsByYear)", results.paymentsByYear],
    ["payments by rule (paymentsByRule)", results.paymentsByRule],
    ["guarantee", results.guarantee],
    ["financier's profit (profit)", results.profit],
    ["financier's NPV (financierNpv)", results.financierNpv],
    ["payer's net (payerNet)", results.payerNet],
    ["payer's net present value (payerNetPV)", results.payerNetPV],
    ["society's NPV (societyNpv)", results.societyNpv],
    ["capital drawn (drawn)", results.drawn],
    ["intermediary's fees (intermediaryFees)", results.intermediaryFees],
    ["provider's surplus (providerSurplus)", results.providerSurplus],
    ["unfunded costs (unfunded)", results.unfunded],
    ["financier's flows (flows)", results.flows],
  ];
  let first = T, column = "", value = 0;
  for (const [name, col] of columns) {
    if (!col || col.length === 0) continue;
    const stride = col.length / T;
    const end = Math.min(col.length, first * stride);
    for (let i = 0; i < end; i++) {
      if (!Number.isFinite(col[i]!)) {
        first = Math.floor(i / stride);
        column = name;
        value = col[i]!;
        break;
      }
    }
  }
  if (first === T) return;
  const inputs = model.params.map((p) => ({
    path: p.path,
    value: p.uncertain ? (outcomes.params.get(p.path)?.[first] ?? redraw(p, outcomes.seed, first)) : sampler(p.spec, p.bounds)(() => 0),
  }));
  const size = (x: number) => (Number.isFinite(x) ? Math.abs(x) : Infinity);
  inputs.sort((a, b) => size(b.value) - size(a.value));
  throw new NonFiniteTrial(first, column, value, inputs.slice(0, 6), run);
}

/**
 * An uncertain input's value in a trial whose column the table did not keep (params "used"):
 * drawn again from its own stream, as simulateBlock draws it (random/stream.ts: keyed by seed,
 * trial and the hash of its path), for a run of trials 0… from block 0 without parameterTrial.
 */
function redraw(p: Model["params"][number], seed: string | number, trial: number): number {
  return sampler(p.spec, p.bounds)(new Stream().reset(seedKey(seed), trial, Purpose.parameter, hashString(p.path)).next);
}
