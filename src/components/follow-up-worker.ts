/**
 * The follow-up off the main thread (models/analysis/followUp.ts). Receives {scenario (raw JSON),
 * observations (raw JSON), trials, seed}; posts {type: "result", result, labels, fit} or
 * {type: "invalid", path, quarter, message} (the observations' field and quarter, or the
 * scenario's path with quarter null). The engine is the CLI's: `utfall followup` with the same
 * trials and seed gives the same numbers.
 *
 * For a fitted scenario (`fitted` with its observations, from `utfall fit`) it also fits the
 * scenario it came from to the same data, so the page can show each input's prior against its
 * posterior (issue 15 §2).
 */
import { parseScenario } from "../models/index.js";
import { describePath } from "../models/analysis/labels.js";
import { fitDataSchema, fitScenario, type InputFit } from "../models/analysis/fit.js";
import { followUp, FollowUpError, parseObservations } from "../models/analysis/followUp.js";

export interface FollowUpRequest {
  scenario: unknown;
  observations: unknown;
  trials: number;
  seed: string | number;
}

self.onmessage = (event: MessageEvent<FollowUpRequest>) => {
  const { scenario, observations, trials, seed } = event.data;
  const parsed = parseScenario(scenario);
  if (!parsed.ok) {
    const p = parsed.problems[0]!;
    self.postMessage({ type: "invalid", path: `scenario: ${p.path}`, quarter: null, message: p.message });
    return;
  }
  try {
    const t0 = performance.now();
    const result = followUp(parsed.scenario, parseObservations(observations), { trials, seed, essFloor: Math.min(1000, Math.floor(trials / 4)) });
    let fit: { inputs: readonly InputFit[]; ess: number; trials: number } | null = null;
    const fitted = parsed.scenario.fitted;
    const data = fitted ? fitDataSchema.safeParse({ observations: fitted.observations ?? [] }) : null;
    if (fitted && data?.success) {
      const prior = parseScenario({ ...(scenario as Record<string, unknown>), fitted: undefined });
      if (prior.ok) {
        const f = fitScenario(prior.scenario, data.data, { trials, seed });
        fit = { inputs: f.inputs, ess: f.ess, trials: f.trials };
      }
    }
    const labels = Object.fromEntries(result.inputs.map((i) => [i.path, describePath(scenario, i.path)]));
    self.postMessage({ type: "result", result, labels, fit, elapsedMs: performance.now() - t0 });
  } catch (e) {
    if (e instanceof FollowUpError) self.postMessage({ type: "invalid", path: e.path, quarter: e.quarter, message: e.reason });
    else self.postMessage({ type: "invalid", path: "observations", quarter: null, message: (e as Error).message });
  }
};
