/**
 * `--threads N`: a run's trial blocks split over this thread and N − 1 worker threads.
 *
 * A trial's numbers depend only on (seed, trial) (docs/random-streams.md) and simulateBlock
 * (models/simulate.ts) writes block b into rows b × BLOCK_SIZE onwards of any table, so the
 * threads fill one table whose columns lie on SharedArrayBuffers: each thread takes the next
 * unclaimed block from a shared counter until none is left. Which thread ran which block does
 * not change a single number, so the output is byte-identical for any N. The contract is then
 * evaluated and summarised on this thread, as in a run with one thread.
 *
 * The worker is the CLI's own bundle (node_modules/.cache/utfall/cli.mjs, which runs
 * cli/worker.ts when it is not the main thread); from the TypeScript sources (under vitest or
 * tsx) the worker loads cli/worker.ts through tsx's loader instead.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { allocateTable, BLOCK_SIZE, simulateBlock, simulateOutcomes, type Model, type OutcomeTable, type Scenario, type SimulateOptions } from "../models/index.js";

/** The most threads `--threads` takes. */
export const MAX_THREADS = 64;

/**
 * Runs of fewer blocks than this use no worker. Starting one (a thread that loads the bundle
 * and compiles the scenario) cost about 0.33 s of CPU here (4,000 Norrköping trials: 1.09 s of
 * CPU on one thread, 1.43 s on two, medians of 8), about as much as simulating 4 blocks; from 8
 * blocks the second core pays for it with room to spare.
 */
export const MIN_BLOCKS_FOR_WORKERS = 8;

/** `--threads`: a whole number from 1 to MAX_THREADS; default the machine's core count. */
export function parseThreads(value: string | undefined): number {
  if (value === undefined) return Math.min(MAX_THREADS, Math.max(1, availableParallelism()));
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_THREADS) {
    throw new ThreadsError(`--threads: must be a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** A bad `--threads` value (the CLI turns it into exit code 2). */
export class ThreadsError extends Error {}

/** A worker thread failed: its message, for exit code 1. */
export class WorkerFailed extends Error {
  constructor(message: string) {
    super(`a worker thread failed: ${message}`);
  }
}

/** What a worker is given (cli/worker.ts). */
export interface WorkerJob {
  readonly utfallWorker: true;
  readonly scenario: Scenario;
  readonly table: OutcomeTable;
  /** [next block to claim, 1 once the run is abandoned]. */
  readonly control: Int32Array;
  readonly blocks: number;
  readonly effectScale: number;
  /** Trials per parameter draw (simulateOutcomes' `parameterTrial` t ↦ ⌊t / perGroup⌋); 1 is the ordinary run. */
  readonly perGroup: number;
  /** For tests only: the worker throws as soon as it starts. */
  readonly fail?: boolean;
}

/** What a worker posts: a block done, all its blocks done, or what went wrong. */
export type WorkerMessage = { type: "block"; count: number } | { type: "done" } | { type: "error"; message: string };

export interface ThreadOptions {
  readonly threads: number;
  /** Trials per parameter draw, as riskSplit's groups (models/analysis/riskSplit.ts); default 1. */
  readonly perGroup?: number;
  /** Runs of fewer blocks start no worker; default MIN_BLOCKS_FOR_WORKERS. */
  readonly minBlocks?: number;
  /** For tests only: every worker throws as soon as it starts. */
  readonly failWorkers?: boolean;
  /** For tests only: this thread takes no block, so the workers simulate every one. */
  readonly workersOnly?: boolean;
}

/**
 * Simulates `scenario` (compiled as `model`) as simulateOutcomes does, over `options.threads`
 * threads. With one thread, or fewer than `minBlocks` blocks, no worker starts and
 * this is simulateOutcomes itself. A worker's failure rejects with WorkerFailed once every
 * worker has stopped.
 */
export async function simulateThreaded(scenario: Scenario, model: Model, simulation: SimulateOptions, options: ThreadOptions): Promise<OutcomeTable> {
  const { trials, seed, onProgress } = simulation;
  const effectScale = simulation.effectScale ?? 1;
  const perGroup = options.perGroup ?? 1;
  const parameterTrial = perGroup === 1 ? undefined : (t: number) => Math.floor(t / perGroup);
  const blocks = Math.ceil(trials / BLOCK_SIZE);
  if (simulation.firstBlock) throw new Error("simulateThreaded: firstBlock is not supported");
  if (options.threads <= 1 || blocks < Math.max(2, options.minBlocks ?? MIN_BLOCKS_FOR_WORKERS)) {
    return simulateOutcomes(model, { trials, seed, onProgress, effectScale, parameterTrial, params: simulation.params });
  }

  const table = allocateTable(model, trials, seed, simulation.params ?? "all", true);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const job: WorkerJob = { utfallWorker: true, scenario, table, control, blocks, effectScale, perGroup, fail: options.failWorkers };
  let done = 0;
  let failure: Error | null = null;
  const progress = (count: number) => {
    done += count;
    onProgress?.(done, trials);
  };
  const fail = (e: Error) => {
    failure ??= e;
    Atomics.store(control, 1, 1);
  };

  const { workers, finished } = startWorkers<WorkerMessage>(Math.min(options.threads - 1, blocks - 1), job, "blocks", fail, (m) => {
    if (m.type === "block") progress(m.count);
  });

  try {
    // This thread takes blocks too, yielding between blocks so that the workers' messages
    // (progress, failures) are heard.
    while (!options.workersOnly) {
      await new Promise((resolve) => setImmediate(resolve));
      if (failure) break;
      const b = Atomics.add(control, 0, 1);
      if (b >= blocks) break;
      const from = b * BLOCK_SIZE, count = Math.min(trials, from + BLOCK_SIZE) - from;
      simulateBlock(model, table, b, from, count, effectScale, parameterTrial);
      progress(count);
    }
  } catch (e) {
    fail(e as Error);
  }
  if (failure) for (const w of workers) void w.terminate();
  await Promise.all(finished);
  if (failure) throw failure;
  return table;
}

/** The worker's script: the running bundle itself, or cli/worker.ts through tsx's loader (also the sweep's: cli/sweep.ts). */
export function workerScript(): { url: URL; execArgv?: string[] } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { url: new URL(here) };
  // From the sources: tsx's module API loads the TypeScript worker (a data: URL is an ES module).
  const tsx = new URL("../node_modules/tsx/dist/esm/api/index.mjs", here).href;
  const entry = new URL("./worker.ts", here).href;
  const code = `const { tsImport } = await import(${JSON.stringify(tsx)}); await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), execArgv: [] };
}

/**
 * Starts `count` workers on `job` (workerScript()'s bundle): the workers, and a promise per worker
 * that settles when it exits. Each worker's messages other than "done" and "error" go to `onMessage`;
 * an error, a crash or an exit before "done" goes to `fail` (naming what it left undone: `what`).
 * Shared by the run's blocks (simulateThreaded) and the sweep's cells (cli/sweep.ts).
 */
export function startWorkers<M extends { type: string }>(
  count: number,
  job: unknown,
  what: string,
  fail: (e: Error) => void,
  onMessage: (m: M) => void,
): { workers: Worker[]; finished: Promise<void>[] } {
  const { url, execArgv } = workerScript();
  const workers = Array.from({ length: count }, () => new Worker(url, { workerData: job, execArgv }));
  const finished = workers.map((w) =>
    new Promise<void>((resolve) => {
      let ok = false;
      w.on("message", (m: M | { type: "done" } | { type: "error"; message: string }) => {
        if (m.type === "done") ok = true;
        else if (m.type === "error") fail(new WorkerFailed((m as { message: string }).message));
        else onMessage(m as M);
      });
      w.on("error", (e: Error) => fail(new WorkerFailed(e.stack ?? e.message)));
      w.on("exit", (code) => {
        if (!ok) fail(new WorkerFailed(`stopped before its ${what} were done (exit code ${code})`));
        resolve();
      });
    }),
  );
  return { workers, finished };
}
