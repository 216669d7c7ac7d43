/**
 * Main-thread side of the scenario worker: one run at a time; a new run cancels the last.
 */
import type { Summary } from "../models/index.js";

export interface RunResult {
  summary: Summary;
  columns: Record<"irr" | "multiple" | "profit" | "payments" | "payerNet" | "societyNpv" | "avoidedByYear" | "paymentsByYear", Float64Array>;
  years: { avoided: number; payments: number };
}

export class ScenarioInvalid extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
}

let current: Worker | null = null;

/** Runs `scenario` in a fresh worker; rejects with ScenarioInvalid for a bad scenario. */
export function runInWorker(
  workerUrl: string,
  scenario: unknown,
  options: { trials: number; seed: string | number; onProgress?: (done: number, total: number) => void },
): Promise<RunResult> {
  current?.terminate(); // cancel the run in flight: its result would be stale
  const worker = (current = new Worker(workerUrl, { type: "module" }));
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "progress") options.onProgress?.(m.done, m.total);
      else {
        worker.terminate();
        if (current === worker) current = null;
        if (m.type === "result") resolve(m as RunResult);
        else reject(new ScenarioInvalid(m.problems));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the simulation worker failed"));
    };
    worker.postMessage({ scenario, trials: options.trials, seed: options.seed });
  });
}
