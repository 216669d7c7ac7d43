/**
 * Runs a scenario off the main thread. Receives {scenario (raw JSON), trials, seed}; posts
 * {type: "progress", done, total} while simulating, then {type: "result", summary, columns}
 * or {type: "invalid", problems}. The engine is the same one the CLI and the tests call.
 */
import { parseScenario, runScenario } from "../models/index.js";

export interface RunRequest {
  scenario: unknown;
  trials: number;
  seed: string | number;
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const { scenario, trials, seed } = event.data;
  const parsed = parseScenario(scenario);
  if (!parsed.ok) {
    self.postMessage({ type: "invalid", problems: parsed.problems });
    return;
  }
  const run = runScenario(parsed.scenario, {
    trials,
    seed,
    onProgress: (done, total) => self.postMessage({ type: "progress", done, total }),
  });
  const { results, outcomes } = run;
  const columns = {
    irr: results.irr,
    multiple: results.multiple,
    profit: results.profit,
    payments: results.payments,
    payerNet: results.payerNet,
    societyNpv: results.societyNpv,
    avoidedByYear: outcomes.avoidedByYear,
    paymentsByYear: results.paymentsByYear,
  };
  self.postMessage(
    { type: "result", summary: run.summary, columns, years: { avoided: run.model.years, payments: results.years } },
    { transfer: Object.values(columns).map((c) => c.buffer as ArrayBuffer) },
  );
};
