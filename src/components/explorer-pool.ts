/**
 * Main-thread side of the explorer's workers (explorer-worker.ts): started once, when the page
 * opens, and kept, so a run never waits for a worker to start or the engine to load, and the
 * primary worker keeps the last simulated outcomes for contract edits.
 *
 * One primary and `helpers` helper workers, one per further core (at most 3): with two cores a
 * run's blocks are simulated half in each. `run` supersedes the run before it: that promise
 * never settles, so the page keeps showing the last good result.
 */
import type { FanPoint } from "../models/index.js";
import type { KeyFigures } from "../models/summary/summarize.js";
import type { IrrHistogram } from "./explorer-engine.js";
import { ScenarioInvalid } from "./runner.js";

export interface ExplorerRunResult {
  /** The summary's figures the page shows (models/summary/summarize.ts keyFigures). */
  summary: KeyFigures;
  columns: { irr: Float64Array };
  fans: { netByYear: FanPoint[] };
  irrHistogram: IrrHistogram;
  meta: {
    currency: string;
    periodsPerYear: number;
    horizon: number;
    followUp: number;
    capital: number;
    /** "evaluate": only the contract was evaluated again, on the stored outcomes; "simulate": a new simulation. */
    mode: "simulate" | "evaluate";
    /** The worker's time from the request to the outcomes (parse, compile, simulation with the helpers' parts merged). */
    simulateMs: number;
    /** Contract evaluation, summary and the charts' data. */
    evaluateMs: number;
    elapsedMs: number;
    workers: number;
  };
}

export interface ExplorerPool {
  run(scenario: unknown, options: { trials: number; seed: string | number; onProgress?: (done: number, total: number) => void }): Promise<ExplorerRunResult>;
  close(): void;
}

/** Helper workers for this machine: one per core beyond the first, at most 3. */
export function defaultHelpers(): number {
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(0, Math.min(3, cores - 1));
}

/** The worker's URL; the page passes `import.meta.resolve("./components/explorer-worker.js")`. */
export function explorerPool(workerUrl: string, helpers = defaultHelpers()): ExplorerPool {
  let workers: Worker[] = [];
  let nextId = 0;
  let pending: {
    id: number;
    resolve: (r: ExplorerRunResult) => void;
    reject: (e: unknown) => void;
    onProgress?: (done: number, total: number) => void;
  } | null = null;

  function start(): void {
    const primary = new Worker(workerUrl, { type: "module" });
    const others = Array.from({ length: helpers }, () => new Worker(workerUrl, { type: "module" }));
    const toHelpers = others.map((helper) => {
      const channel = new MessageChannel();
      helper.postMessage({ type: "connect", role: "helper", ports: [channel.port2] }, [channel.port2]);
      return channel.port1;
    });
    primary.postMessage({ type: "connect", role: "primary", ports: toHelpers }, toHelpers);
    primary.onmessage = (event) => {
      const m = event.data;
      if (!pending || m.id !== pending.id) return;
      if (m.type === "progress") return void pending.onProgress?.(m.done, m.total);
      const p = pending;
      pending = null;
      if (m.type === "result") p.resolve(m as ExplorerRunResult);
      else if (m.type === "invalid") p.reject(new ScenarioInvalid(m.problems));
      else p.reject(new Error(m.message || "the simulation failed"));
    };
    // A worker that fails (out of memory, say) takes the others with it: the next run starts afresh.
    const fail = (event: ErrorEvent) => {
      event.preventDefault?.();
      const p = pending;
      pending = null;
      stop();
      p?.reject(new Error(event.message || "the simulation worker failed"));
    };
    for (const w of [primary, ...others]) w.onerror = fail;
    workers = [primary, ...others];
  }

  function stop(): void {
    for (const w of workers) w.terminate();
    workers = [];
  }

  start();
  return {
    run(scenario, options) {
      if (workers.length === 0) start();
      const id = ++nextId;
      return new Promise<ExplorerRunResult>((resolve, reject) => {
        pending = { id, resolve, reject, onProgress: options.onProgress };
        workers[0]!.postMessage({ type: "run", id, scenario, trials: options.trials, seed: options.seed });
      });
    },
    close: stop,
  };
}
