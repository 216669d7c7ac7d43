/**
 * Main-thread side of the analysis workers. Each page section has its own channel: a new
 * request on a channel cancels the one in flight or waiting there (its promise never settles,
 * so the section keeps its last good result), without touching the other sections.
 *
 * A sweep is split by cells over a pool of workers, one per core (at most 8), so the grid equals
 * the CLI's cell for cell. A sweep of contract terms is simulated once, split over the pool: each
 * worker checks its share of the cells and simulates its share of the trial blocks, the parts are
 * laid end to end here (a trial's numbers depend only on the seed and the trial, so that is the
 * table one worker would simulate, byte for byte) and the table is handed to every worker (the
 * site is not cross-origin isolated, so no SharedArrayBuffer: each worker gets a copy, the last
 * the original, transferred), and the workers only evaluate the contract per cell. A sweep of
 * anything else is simulated per cell, each worker its share.
 *
 * Priorities: a sweep (what the user is waiting for) takes every core; other analyses wait until
 * no sweep runs, and then go one at a time, so they do not slow a sweep down. A waiting request
 * is told what it waits behind (`wait`: the channels running or queued before it), so its section
 * can say "queued behind …" instead of showing only its heading.
 */
import type { Cell, OutcomeTable, Vary } from "../models/index.js";
import { BLOCK_SIZE } from "../models/constants.js";
import { joinTables } from "../models/simulate.js";
import { ScenarioInvalid } from "./runner.js";

interface Job {
  url: string;
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
/**
 * Workers whose last request finished, by script, kept for the next request: their engine is
 * loaded and compiled already, which a fresh worker pays for again (measured in Chromium: the
 * 21 × 21 sweep's first simulation and cells run several times slower than once warm). Holds
 * nothing from one request that changes another's numbers (each carries all it needs; what a
 * worker keeps, such as analysis-worker.ts's simulations at effect scales, gives the same numbers
 * as making them again). At most poolSize() a script.
 */
const parked = new Map<string, Worker[]>();
/**
 * The worker that served the last analysis. The next analysis asks for it back, so that what it
 * keeps for the same scenario is found (the break-even searches and the acceptability curve share
 * their simulations there) whatever sweep borrowed the parked workers in between.
 */
let lastAnalyst: Worker | undefined;
function unpark(url: string, prefer?: Worker): Worker | undefined {
  const list = parked.get(url);
  const i = prefer ? (list?.indexOf(prefer) ?? -1) : -1;
  return i >= 0 ? list!.splice(i, 1)[0] : list?.pop();
}
function park(url: string, worker: Worker) {
  const list = parked.get(url) ?? [];
  worker.onmessage = null;
  worker.onerror = null;
  if (list.length < poolSize()) list.push(worker);
  else worker.terminate();
  parked.set(url, list);
}

/**
 * Ends a job: its workers are kept for the next request when it finished (`finished`), else
 * terminated (a request replaced by a newer one, or one that failed, stops at once).
 */
function endJob(channel: string, job: Job, finished = false) {
  if (running.get(channel) !== job) return;
  running.delete(channel);
  for (const w of job.workers) {
    if (finished) park(job.url, w);
    else w.terminate();
  }
  if (job.sweep && --activeSweeps === 0) for (const ok of idleWaiters.splice(0)) ok();
  tellWaiting();
}

function start(url: string, channel: string, count: number, sweep: boolean): Job {
  const old = running.get(channel);
  if (old) endJob(channel, old);
  const job = { url, workers: Array.from({ length: count }, (_, i) => unpark(url, !sweep && i === 0 ? lastAnalyst : undefined) ?? new Worker(url, { type: "module" })), sweep };
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
    const worker = (lastAnalyst = job.workers[0]!);
    const result = listen<T>(worker, (m) => m.type === "progress" && onProgress?.(m.done as number, m.total as number));
    worker.postMessage(request);
    return result.then(
      (r) => (endJob(channel, job, true), r),
      (e) => {
        endJob(channel, job);
        throw e;
      },
    );
  });
  // The next request waits until this one settles, or is replaced (a replaced request's promise
  // never settles: its worker was terminated and posts nothing).
  queue = Promise.race([run.then(() => {}, () => {}), replaced]);
  return run;
}

export interface SweepRun {
  cells: Cell[];
  elapsedMs: number;
  /** Of elapsedMs, the time until the outcomes every cell shares were simulated and joined (0 when each cell simulates). */
  simulatedMs: number;
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

/**
 * The trial blocks of a run split into at most `parts` contiguous ranges [from, to), as even as
 * whole blocks allow (the first ones the longest); never an empty range.
 */
export function blockRanges(trials: number, parts: number): [number, number][] {
  const blocks = Math.ceil(trials / BLOCK_SIZE);
  const n = Math.max(1, Math.min(parts, blocks));
  const out: [number, number][] = [];
  for (let i = 0, from = 0; i < n; i++) {
    const to = from + Math.ceil((blocks - from) / (n - i));
    out.push([from, to]);
    from = to;
  }
  return out;
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
  let done = 0, simulatedMs = 0;
  const request = { scenario: options.scenario, vary: options.vary, trials: options.trials, seed: options.seed };
  try {
    let outcomes: OutcomeTable | undefined;
    if (!options.fix && contractTermsOnly(options.vary)) {
      // Each worker checks its share of the cells and simulates its share of the blocks.
      const ranges = blockRanges(options.trials, n);
      const simulated = new Array<number>(ranges.length).fill(0);
      const parts = await Promise.all(ranges.map((blocks, w) => {
        const worker = job.workers[w]!;
        const part = listen<{ outcomes: OutcomeTable }>(worker, (m) => {
          if (m.type !== "progress") return;
          simulated[w] = m.done as number;
          options.onSimulate?.(simulated.reduce((a, b) => a + b, 0), options.trials);
        });
        const check = Array.from({ length: total }, (_, i) => i).filter((i) => i % ranges.length === w);
        worker.postMessage({ kind: "outcomes", ...request, blocks, check });
        return part.then((r) => r.outcomes);
      }));
      outcomes = joinTables(parts);
      simulatedMs = performance.now() - t0;
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
    endJob(channel, job, true);
  } finally {
    endJob(channel, job);
  }
  return { cells, elapsedMs: performance.now() - t0, simulatedMs, workers: n };
}
