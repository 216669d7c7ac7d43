/**
 * Runs the scenario a page's link carries (or the default), for the parties' pages. A link whose
 * scenario the engine rejects, or whose run it refuses, falls back to the default, and the page
 * says why, rather than showing an empty page or an error.
 */
import type { Scenario } from "../models/index.js";
import type { ParamSpec } from "../models/scenario/param.js";
import { runInWorker, ScenarioInvalid, type RunResult } from "./runner.js";
import { DEFAULT_TRIALS, type KitState } from "./state.js";

export interface PageRun {
  result: RunResult;
  /** The scenario that was run, parsed and typed (defaults filled in): what pages read. */
  scenario: Scenario;
  /** The same scenario as given (raw JSON): for the link, the scenario file and "edited from …". */
  raw: unknown;
  trials: number;
  seed: string | number;
  /** Why the link's scenario was not used, one line per JSON path; null when it was. */
  rejected: { path: string; message: string }[] | null;
}

export async function runPageState(
  workerUrl: string,
  state: KitState,
  defaultScenario: unknown,
  onProgress: (done: number, total: number) => void,
): Promise<PageRun> {
  const options = { trials: state.trials, seed: state.seed, onProgress };
  try {
    const result = await runInWorker(workerUrl, state.scenario, options);
    return { result, scenario: result.scenario, raw: state.scenario, trials: state.trials, seed: state.seed, rejected: null };
  } catch (error) {
    if (!(error instanceof ScenarioInvalid)) throw error;
    // The link's scenario is invalid, or its run was refused (too large for memory, a trial not
    // finite: models/summary/limits.ts). Show the built-in scenario with the link's trials, or,
    // when those are what the engine refused, with the default number.
    if (state.scenario !== defaultScenario) {
      try {
        const result = await runInWorker(workerUrl, defaultScenario, options);
        return { result, scenario: result.scenario, raw: defaultScenario, trials: state.trials, seed: state.seed, rejected: error.problems };
      } catch (again) {
        if (!(again instanceof ScenarioInvalid)) throw again;
      }
    }
    if (state.trials === DEFAULT_TRIALS) throw error;
    const result = await runInWorker(workerUrl, defaultScenario, { ...options, trials: DEFAULT_TRIALS });
    return { result, scenario: result.scenario, raw: defaultScenario, trials: DEFAULT_TRIALS, seed: state.seed, rejected: error.problems };
  }
}

/** What one period is called for a number of periods per year. */
export function periodName(periodsPerYear: number): string {
  return ({ 1: "year", 2: "half-year", 4: "quarter", 12: "month", 52: "week" } as Record<number, string>)[periodsPerYear] ?? "period";
}

/** A scenario number's value when it is fixed (a number or {value}), null when it is a distribution. */
export function fixedValue(spec: ParamSpec | undefined): number | null {
  if (spec == null) return null;
  if (typeof spec === "number") return spec;
  return "value" in spec ? spec.value : null;
}
