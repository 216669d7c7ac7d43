/** One call from a scenario to its summary: simulate, evaluate the contract, summarize. */
import { compile, type Model } from "./compile.js";
import { contractShape, evaluateContract, type ContractResults } from "./contract/evaluate.js";
import type { Scenario } from "./scenario/schema.js";
import { simulateOutcomes, type OutcomeTable, type SimulateOptions } from "./simulate.js";
import { checkFinite, checkMemory, MEMORY_LIMIT_BYTES } from "./summary/limits.js";
import { summarize, type Summary } from "./summary/summarize.js";

export interface RunOptions {
  readonly trials?: number;
  readonly seed?: string | number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Keep each trial's financier cash flows by period (for fan charts). */
  readonly keepFlows?: boolean;
  /** Bytes the run may take (default MEMORY_LIMIT_BYTES, 4 GiB); a larger run throws RunTooLarge before it starts. */
  readonly memoryLimit?: number;
  /** Keep every uncertain input's drawn column ("all", the default) or only those the contract and summary read ("used"; models/simulate.ts). */
  readonly params?: "all" | "used";
}

export interface Run {
  readonly model: Model;
  readonly outcomes: OutcomeTable;
  readonly results: ContractResults;
  readonly summary: Summary;
}

/**
 * Throws RunTooLarge (before simulating) when the run would not fit in `memoryLimit`, and
 * NonFiniteTrial when a trial's money figures are not finite (models/summary/limits.ts).
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): Run {
  const { model, simulation } = startRun(scenario, options);
  return finishRun(scenario, model, simulateOutcomes(model, simulation), options);
}

/**
 * runScenario with the outcomes simulated by `simulate` instead of simulateOutcomes, e.g. split
 * over worker threads (cli/threads.ts); the same checks, in the same order (the memory check
 * before `simulate` is called), and the same numbers when `simulate` fills the same table.
 */
export async function runScenarioWith(
  scenario: Scenario,
  options: RunOptions,
  simulate: (model: Model, simulation: SimulateOptions) => Promise<OutcomeTable>,
): Promise<Run> {
  const { model, simulation } = startRun(scenario, options);
  return finishRun(scenario, model, await simulate(model, simulation), options);
}

function startRun(scenario: Scenario, options: RunOptions): { model: Model; simulation: SimulateOptions } {
  const model = compile(scenario);
  const trials = options.trials ?? scenario.simulation.trials;
  checkMemory(model, contractShape(model, scenario.contract), trials, options.keepFlows ?? false, options.memoryLimit ?? MEMORY_LIMIT_BYTES, options.params);
  return { model, simulation: { trials, seed: options.seed ?? scenario.simulation.seed, onProgress: options.onProgress, params: options.params } };
}

function finishRun(scenario: Scenario, model: Model, outcomes: OutcomeTable, options: RunOptions): Run {
  const results = evaluateContract(model, outcomes, scenario.contract, { keepFlows: options.keepFlows });
  checkFinite(model, outcomes, results);
  return { model, outcomes, results, summary: summarize(model, outcomes, results) };
}
