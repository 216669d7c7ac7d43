/**
 * Runs the scenario a page's link carries (or the default), for the parties' pages. A link whose
 * scenario the engine rejects falls back to the default, and the page says why, rather than
 * showing an empty page.
 */
import { runInWorker, ScenarioInvalid, type RunResult } from "./runner.js";
import type { KitState } from "./state.js";

export interface PageRun {
  result: RunResult;
  /** The scenario that was run (raw JSON). */
  scenario: Record<string, unknown>;
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
    return { result, scenario: state.scenario as Record<string, unknown>, trials: state.trials, seed: state.seed, rejected: null };
  } catch (error) {
    if (!(error instanceof ScenarioInvalid) || state.scenario === defaultScenario) throw error;
    const result = await runInWorker(workerUrl, defaultScenario, options);
    return { result, scenario: defaultScenario as Record<string, unknown>, trials: state.trials, seed: state.seed, rejected: error.problems };
  }
}

/** What one period is called for a number of periods per year. */
export function periodName(periodsPerYear: number): string {
  return ({ 1: "year", 2: "half-year", 4: "quarter", 12: "month", 52: "week" } as Record<number, string>)[periodsPerYear] ?? "period";
}
