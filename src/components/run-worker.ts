/**
 * Runs a scenario off the main thread. Receives {scenario (raw JSON), trials, seed, cases?};
 * posts {type: "progress", done, total} while simulating, then {type: "result", ...RunResult}
 * (with `scenario`, the parsed and typed scenario: defaults filled in, references resolved, so
 * pages read `scenario.valuation.financierDiscountRate` rather than guessing a fallback) or
 * {type: "invalid", problems} (also when the run is refused: too large, or a trial not finite).
 * With `cases: true` it posts {type: "cases", cases} instead: the deterministic base, upside and
 * downside (models/analysis/cases.ts). The engine is the same one the CLI and the tests call,
 * so the same scenario and seed give the same numbers here.
 */
import { deterministicCases, fan, moneyFlows, payerNetByYear, parseScenario, RunRefused, runScenario, trialColumns, trialsAtQuantiles, type Run } from "../models/index.js";

export interface RunRequest {
  scenario: unknown;
  trials: number;
  seed: string | number;
  cases?: boolean;
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const { scenario, trials, seed } = event.data;
  const parsed = parseScenario(scenario);
  if (!parsed.ok) {
    self.postMessage({ type: "invalid", problems: parsed.problems });
    return;
  }
  if (event.data.cases) {
    self.postMessage({ type: "cases", cases: deterministicCases(parsed.scenario, { trials, seed }) });
    return;
  }
  const t0 = performance.now();
  let run: Run;
  try {
    run = runScenario(parsed.scenario, {
      trials,
      seed,
      keepFlows: true,
      onProgress: (done, total) => self.postMessage({ type: "progress", done, total }),
    });
  } catch (e) {
    // Too large for memory, or a trial whose money is not finite (models/summary/limits.ts):
    // shown like a problem in the scenario, with the field to look at.
    if (e instanceof RunRefused) {
      self.postMessage({ type: "invalid", problems: [{ path: e.path, message: e.message }] });
      return;
    }
    throw e;
  }
  const { results, outcomes, model } = run;
  const { net, years } = payerNetByYear(model, outcomes, results);
  // The same columns `utfall run --out` writes, so a page's download equals the CLI's file.
  const columns = trialColumns(run);
  // A typical trial and a bad one for the payer (5th percentile of its net), for the money-flow picture.
  const [typical, bad] = trialsAtQuantiles(results.payerNet, [0.5, 0.05]);
  const flowCase = (p: number, trial: number) => ({ p, trial, payerNet: results.payerNet[trial]!, profit: results.profit[trial]!, unfunded: results.unfunded[trial]!, years: moneyFlows(run, trial) });
  const flowCases = { median: flowCase(0.5, typical!), bad: flowCase(0.05, bad!) };
  // The same picture for the financier: typical and bad (5th percentile) by its profit.
  const [fTypical, fBad] = trialsAtQuantiles(results.profit, [0.5, 0.05]);
  const financierFlowCases = { median: flowCase(0.5, fTypical!), bad: flowCase(0.05, fBad!) };
  const fans = {
    financierFlows: fan(results.flows!, results.periods),
    paymentsByYear: fan(results.paymentsByYear, results.years),
    avoidedByYear: fan(outcomes.avoidedByYear, model.years),
    netByYear: fan(net, years),
  };
  self.postMessage(
    {
      type: "result",
      scenario: parsed.scenario,
      summary: run.summary,
      columns,
      fans,
      flowCases,
      financierFlowCases,
      meta: {
        currency: parsed.scenario.currency,
        periodsPerYear: model.periodsPerYear,
        capital: results.capital,
        commitment: parsed.scenario.contract.capital,
        drawnFixed: results.drawn.every((d) => d === results.drawn[0]),
        periods: results.periods,
        horizon: model.horizon,
        followUp: model.followUp,
        elapsedMs: performance.now() - t0,
      },
    },
    { transfer: Object.values(columns).map((c) => c.buffer as ArrayBuffer) },
  );
};
