/**
 * Main-thread side of the analysis workers. Each page section has its own channel: a new
 * request on a channel cancels the one in flight or waiting there (its promise never settles,
 * so the section keeps its last good result), without touching the other sections.
 *
 * A sweep is split by cells over a pool of workers, one per core (at most 8), so the grid equals
 * the CLI's cell for cell. A sweep of contract terms is simulated once: the first worker checks
 * every cell and simulates the outcomes, which are handed to every worker (the site is not
 * cross-origin isolated, so no SharedArrayBuffer: each worker gets a copy, the last the
 * original, transferred), and the workers only evaluate the contract per cell. A sweep of
 * anything else is simulated per cell, each worker its share.
 *
 * Priorities: a sweep (what the user is waiting for) takes every core; other analyses wait until
 * no sweep runs, and then go one at a time, so they do not slow a sweep down. A waiting request
 * is told what it waits behind (`wait`: the channels running or queued before it), so its section
 * can say "queued behind …" instead of showing only its heading.
 */
import type { Cell, OutcomeTable, Vary } from "../models/index.js";
import { ScenarioInvalid } from "./runner.js";

interface Job {
  workers: Worker[];
  sweep: boolean;
}
const running = new Map<string, Job>();
/** The newest request per channel: an older one still waiting its turn is dropped. */
const newest = new Map<string, number>();
let requests = 0;

/** What a section is told while its request waits and runs. */
export interface AnalysisStatus {
  /** Progress of the running request (units as the worker posts them: trials, cells, simulations). */
  progress?: (done: number, total: number) => void;
  /** Channels running or queued ahead of this request, in order; called again whenever that changes, with [] once it starts. */
  wait?: (ahead: string[]) => void;
}

/** Requests not started yet, in queue order. */
let waiting: { channel: string; id: number; wait?: (ahead: string[]) => void }[] = [];
function tellWaiting() {
  const now = [...running.keys()];
  waiting.forEach((w, i) => w.wait?.([...new Set([...now, ...waiting.slice(0, i).map((x) => x.channel)])]));
}

let activeSweeps = 0;
let idleWaiters: (() => void)[] = [];
const whenNoSweep = () => (activeSweeps === 0 ? Promise.resolve() : new Promise<void>((ok) => idleWaiters.push(ok)));
function endJob(channel: string, job: Job) {
  if (running.get(channel) !== job) return;
  running.delete(channel);
  for (const w of job.workers) w.terminate();
  if (job.sweep && --activeSweeps === 0) for (const ok of idleWaiters.splice(0)) ok();
  tellWaiting();
}

function start(url: string, channel: string, count: number, sweep: boolean): Job {
  const old = running.get(channel);
  if (old) endJob(channel, old);
  const job = { workers: Array.from({ length: count }, () => new Worker(url, { type: "module" })), sweep };
  running.set(channel, job);
  if (sweep) activeSweeps++;
  tellWaiting();
  return job;
}

function listen<T>(worker: Worker, onMessage: (m: { type: string } & Record<string, unknown>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "result") resolve(m as T);
      else if (m.type === "invalid") reject(new ScenarioInvalid(m.problems));
      else if (m.type === "error") reject(new Error(m.message));
      else onMessage(m);
    };
    worker.onerror = (event) => reject(new Error(event.message || "the analysis worker failed"));
  });
}

const never = new Promise<never>(() => {});
let queue: Promise<void> = Promise.resolve();
/** Per channel: lets the queue move past a request that a newer one on the channel replaced. */
const skip = new Map<string, () => void>();

/** One analysis request on one worker, after any sweep and after the analyses asked before it. */
export function analyse<T>(url: string, channel: string, request: Record<string, unknown>, status?: AnalysisStatus | ((done: number, total: number) => void)): Promise<T> {
  const { progress: onProgress, wait } = typeof status === "function" ? { progress: status, wait: undefined } : (status ?? {});
  const id = ++requests;
  newest.set(channel, id);
  waiting = [...waiting.filter((w) => w.channel !== channel), { channel, id, wait }];
  const old = running.get(channel);
  if (old) endJob(channel, old);
  skip.get(channel)?.();
  const replaced = new Promise<void>((ok) => skip.set(channel, ok));
  tellWaiting();
  // A short pause first lets a sweep that the same page is about to start claim the cores.
  const run = queue.then(() => new Promise((ok) => setTimeout(ok, 250))).then(whenNoSweep).then(() => {
    if (newest.get(channel) !== id) return never as Promise<T>;
    waiting = waiting.filter((w) => w.id !== id);
    wait?.([]);
    const job = start(url, channel, 1, false);
    const worker = job.workers[0]!;
    const result = listen<T>(worker, (m) => m.type === "progress" && onProgress?.(m.done as number, m.total as number));
    worker.postMessage(request);
    return result.finally(() => endJob(channel, job));
  });
  // The next request waits until this one settles, or is replaced (a replaced request's promise
  // never settles: its worker was terminated and posts nothing).
  queue = Promise.race([run.then(() => {}, () => {}), replaced]);
  return run;
}

export interface SweepRun {
  cells: Cell[];
  elapsedMs: number;
  workers: number;
}

/** Workers for a sweep: one per logical core, at least one, at most 8. */
export function poolSize(): number {
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
}

/** The buffers behind a table's columns. */
function buffersOf(table: OutcomeTable): ArrayBuffer[] {
  const columns = [table.treated, table.counterfactual, table.comparator, table.delivered, table.discountRate, table.avoidedByYear, table.avoidedPV, table.societyBenefitPV, ...table.params.values()];
  return [...new Set(columns.map((c) => c.buffer as ArrayBuffer))];
}

/** Whether a sweep varies only contract terms (prepareSweep's commonOutcomes: evaluated on one simulation). */
export function contractTermsOnly(vary: readonly Vary[]): boolean {
  return vary.every((v) => /^contract(?:[.[]|$)/.test(v.path));
}

/**
 * Evaluates every cell of a sweep on a pool of workers; `onCell` sees each cell as it arrives
 * (for a grid that fills in), `onProgress` the count of cells done, `onSimulate` the trials
 * simulated before (for a sweep of contract terms, simulated once).
 */
export async function sweepInWorkers(
  url: string,
  channel: string,
  options: {
    scenario: unknown; vary: Vary[]; trials: number; seed: string | number; fix?: boolean; workers?: number;
    onCell?: (index: number, cell: Cell) => void; onProgress?: (done: number, total: number) => void; onSimulate?: (done: number, total: number) => void;
  },
): Promise<SweepRun> {
  const total = options.vary.reduce((n, v) => n * v.values.length, 1);
  const n = Math.min(options.workers ?? poolSize(), total);
  const t0 = performance.now();
  newest.set(channel, ++requests);
  const job = start(url, channel, n, true);
  const cells: Cell[] = new Array(total);
  let done = 0;
  const request = { scenario: options.scenario, vary: options.vary, trials: options.trials, seed: options.seed };
  try {
    let outcomes: OutcomeTable | undefined;
    if (!options.fix && contractTermsOnly(options.vary)) {
      const first = job.workers[0]!;
      const simulated = listen<{ outcomes: OutcomeTable }>(first, (m) => m.type === "progress" && options.onSimulate?.(m.done as number, m.total as number));
      first.postMessage({ kind: "outcomes", ...request });
      outcomes = (await simulated).outcomes;
    }
    const jobs = job.workers.map((worker, w) => {
      // Interleaved shares: every worker gets cells from all over the grid, so the grid fills evenly.
      const mine = Array.from({ length: total }, (_, i) => i).filter((i) => i % n === w);
      const result = listen(worker, (m) => {
        if (m.type !== "cell") return;
        cells[m.index as number] = m.cell as Cell;
        options.onCell?.(m.index as number, m.cell as Cell);
        options.onProgress?.(++done, total);
      });
      // Copies for all but the last worker, which gets the table itself.
      const last = w === job.workers.length - 1;
      worker.postMessage({ kind: "sweep", ...request, fix: options.fix, cells: mine, outcomes }, last && outcomes ? buffersOf(outcomes) : []);
      return result;
    });
    await Promise.all(jobs);
  } finally {
    endJob(channel, job);
  }
  return { cells, elapsedMs: performance.now() - t0, workers: n };
}
