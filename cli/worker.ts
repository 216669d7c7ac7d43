/**
 * A worker thread of `--threads` (cli/threads.ts): compiles the scenario it is given, then
 * claims blocks from the shared counter and simulates each into the shared table until none is
 * left, posting one message per block. Starts by itself when loaded in a worker that was given
 * a WorkerJob; in the main thread it does nothing.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { BLOCK_SIZE, compile, simulateBlock } from "../models/index.js";
import type { WorkerJob, WorkerMessage } from "./threads.js";
import { serveSweep, type SweepJob } from "./sweep.js";

function serve(job: WorkerJob): void {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  try {
    const { table, control, blocks, effectScale, perGroup } = job;
    if (job.fail) throw new Error("failing on purpose, as the test asked");
    const model = compile(job.scenario);
    const parameterTrial = perGroup === 1 ? undefined : (t: number) => Math.floor(t / perGroup);
    while (Atomics.load(control, 1) === 0) {
      const b = Atomics.add(control, 0, 1);
      if (b >= blocks) break;
      const from = b * BLOCK_SIZE, count = Math.min(table.trials, from + BLOCK_SIZE) - from;
      simulateBlock(model, table, b, from, count, effectScale, parameterTrial);
      post({ type: "block", count });
    }
    post({ type: "done" });
  } catch (e) {
    post({ type: "error", message: (e as Error).stack ?? String(e) });
  }
}

if (!isMainThread && (workerData as WorkerJob | null)?.utfallWorker) serve(workerData as WorkerJob);
// A sweep's worker (cli/sweep.ts): cells of the grid instead of trial blocks.
if (!isMainThread && (workerData as SweepJob | null)?.utfallSweepWorker) serveSweep(workerData as SweepJob, (m) => parentPort!.postMessage(m));
