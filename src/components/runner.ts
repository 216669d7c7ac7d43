/**
 * Main-thread side of the scenario worker. One run at a time: starting a run cancels the one
 * in flight (its promise then never settles, so a page keeps showing the last good result).
 */
import type { Cases, FanPoint, MoneyFlowYear, Scenario, Summary } from "../models/index.js";

export type ColumnName = "irr" | "mirr" | "multiple" | "profit" | "financierNpv" | "payments" | "paymentsPV" | "avoidedCosts" | "payerNet" | "payerNetPV" | "societyNpv" | "societyBenefitPV" | "participantsNpv" | "taxpayersNpv" | "othersNpv";

export interface FlowCaseResult {
  p: number;
  trial: number;
  payerNet: number;
  profit: number;
  /** Delivery costs and fees neither cash nor the commitment could pay. */
  unfunded: number;
  years: MoneyFlowYear[];
}

export interface RunResult {
  /** The scenario as the engine read it: parsed and typed (models/scenario/schema.ts), defaults filled in. */
  scenario: Scenario;
  summary: Summary;
  /** One value per trial: models/export/trials.ts's columns (also paymentsYear1…N and 0/1 flags). */
  columns: Record<ColumnName, Float64Array> & Record<string, Float64Array>;
  /** Fan-chart points: financier's net cash flow by period; payer's money by budget year. */
  fans: Record<"financierFlows" | "paymentsByYear" | "avoidedByYear" | "netByYear", FanPoint[]>;
  /** Who pays whom by year in a typical trial and in a bad one for the payer (its net at the 5th percentile). */
  flowCases: Record<"median" | "bad", FlowCaseResult>;
  /** The same for the financier: a typical trial and a bad one by its profit (5th percentile). */
  financierFlowCases: Record<"median" | "bad", FlowCaseResult>;
  /** `capital`: what `ofCapital` amounts are fractions of; `commitment`: the most the financier lends; `drawnFixed`: every trial draws the same. */
  meta: { currency: string; periodsPerYear: number; capital: number; commitment: number; drawnFixed: boolean; periods: number; horizon: number; followUp: number; elapsedMs: number };
}

/** A scenario the engine rejected, with one problem per JSON path. */
export class ScenarioInvalid extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
}

let current: Worker | null = null;
/** A worker started ahead of the next run, so a run does not wait for the engine to load. */
let spare: { url: string; worker: Worker } | null = null;

function takeWorker(url: string): Worker {
  const worker = spare?.url === url ? spare.worker : new Worker(url, { type: "module" });
  if (spare && spare.url !== url) spare.worker.terminate();
  spare = { url, worker: new Worker(url, { type: "module" }) };
  return worker;
}

/**
 * The deterministic base, upside and downside cases (models/analysis/cases.ts) in a worker of
 * their own, so they never cancel or wait for a page's main run; rejects with ScenarioInvalid.
 */
export function casesInWorker(workerUrl: string, scenario: unknown, options: { trials: number; seed: string | number }): Promise<Cases> {
  const worker = new Worker(workerUrl, { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "progress") return;
      worker.terminate();
      if (m.type === "cases") resolve(m.cases as Cases);
      else reject(new ScenarioInvalid(m.problems));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the cases worker failed"));
    };
    worker.postMessage({ scenario, trials: options.trials, seed: options.seed, cases: true });
  });
}

/** The worker's URL; pages pass `import.meta.resolve("./components/run-worker.js")`. */
export function runInWorker(
  workerUrl: string,
  scenario: unknown,
  options: { trials: number; seed: string | number; onProgress?: (done: number, total: number) => void },
): Promise<RunResult> {
  current?.terminate();
  const worker = (current = takeWorker(workerUrl));
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "progress") {
        options.onProgress?.(m.done, m.total);
        return;
      }
      worker.terminate();
      if (current === worker) current = null;
      if (m.type === "result") resolve(m as RunResult);
      else reject(new ScenarioInvalid(m.problems));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the simulation worker failed"));
    };
    worker.postMessage({ scenario, trials: options.trials, seed: options.seed });
  });
}
