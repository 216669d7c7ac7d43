/** One call from a scenario to its summary: simulate, evaluate the contract, summarize. */
import { compile, type Model } from "./compile.js";
import { evaluateContract, type ContractResults } from "./contract/evaluate.js";
import type { Scenario } from "./scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "./simulate.js";
import { summarize, type Summary } from "./summary/summarize.js";

export interface RunOptions {
  readonly trials?: number;
  readonly seed?: string | number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Keep each trial's financier cash flows by period (for fan charts). */
  readonly keepFlows?: boolean;
}

export interface Run {
  readonly model: Model;
  readonly outcomes: OutcomeTable;
  readonly results: ContractResults;
  readonly summary: Summary;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Run {
  const model = compile(scenario);
  const outcomes = simulateOutcomes(model, {
    trials: options.trials ?? scenario.simulation.trials,
    seed: options.seed ?? scenario.simulation.seed,
    onProgress: options.onProgress,
  });
  const results = evaluateContract(model, outcomes, scenario.contract, { keepFlows: options.keepFlows });
  return { model, outcomes, results, summary: summarize(model, outcomes, results) };
}
