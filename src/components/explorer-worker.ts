/**
 * The explorer's persistent simulation worker (started once per page by explorer-pool.ts, so no
 * run waits for a worker to start or the engine to load). One worker is the primary: it takes
 * the page's requests, keeps the last simulated outcome table, and evaluates; the others are
 * helpers that simulate a share of the blocks for it over a MessagePort.
 *
 * Page → primary: {type: "run", id, scenario (raw JSON), trials, seed}. Only the newest request
 * matters: a newer one supersedes a run between two blocks (about a tenth of a 10,000-trial run),
 * and a superseded run posts nothing.
 * Primary → page: {type: "progress", id, done, total}, then {type: "result", id, ...figures}
 * (explorer-engine.ts's ExplorerFigures, with `meta.mode` "simulate" or "evaluate" and timings),
 * or {type: "invalid", id, problems} (a schema problem, or a run refused as too large or not finite).
 *
 * A request whose simulationKey (explorer-key.ts) is the stored table's only re-evaluates the
 * contract on that table: the numbers of a fresh run (test/pages/explorerEngine.test.ts). The
 * table is kept with an EvaluationCache (models/contract/evaluate.ts, at most 64 MB), so an edit
 * of one rule re-uses the other rules' payment amounts and the avoided costs.
 * Otherwise the blocks are split between the primary and its helpers (explorer-engine.ts's
 * splitBlocks), each simulated by the same engine code the CLI runs, and merged.
 *
 * Primary ↔ helper: {type: "simulate", id, scenario, trials, seed, from, to} → progress
 * {type: "block", id} after each block, then {type: "part", id, from, table} (transferred), or
 * {type: "failed", id, message}; {type: "cancel", id} stops a helper's job.
 */
import { compile, type Model } from "../models/compile.js";
import { EvaluationCache } from "../models/contract/evaluate.js";
import { parseScenario } from "../models/scenario/parse.js";
import type { Scenario } from "../models/scenario/schema.js";
import { allocateTable, type OutcomeTable } from "../models/simulate.js";
import { RunRefused } from "../models/summary/limits.js";
import { BLOCK_SIZE, checkRun, explorerFigures, mergeRows, simulateRangeBlock, splitBlocks, tableBuffers, trialsIn } from "./explorer-engine.js";
import { simulationKey } from "./explorer-key.js";

interface RunRequest {
  type: "run";
  id: number;
  scenario: unknown;
  trials: number;
  seed: string | number;
}

interface SimulateJob {
  type: "simulate";
  id: number;
  scenario: unknown;
  trials: number;
  seed: string | number;
  from: number;
  to: number;
}

/** The worker's global scope, taken once (a Node test loads two copies of this module, each with its own). */
const scope = self as unknown as Worker;
const post = (message: unknown, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

// --- Yielding: lets messages in between blocks, without setTimeout's 4 ms clamp. ---
const tick = new MessageChannel();
const ticks: (() => void)[] = [];
tick.port1.onmessage = () => ticks.shift()?.();
const yieldNow = () => new Promise<void>((resume) => (ticks.push(resume), tick.port2.postMessage(0)));

/** Called on every message, so a run waiting for helpers notices a newer request at once. */
const wakers = new Set<() => void>();
const wake = () => {
  for (const w of [...wakers]) w();
};
const nextMessage = () =>
  new Promise<void>((resume) => {
    const w = () => (wakers.delete(w), resume());
    wakers.add(w);
  });

// --- Primary ---
let helpers: MessagePort[] = [];
let newest: RunRequest | null = null; // the newest request not yet taken
let newestId = 0;
let pumping = false;
/** The last simulated table, with what contracts evaluated on it share (a contract edit re-uses the amounts of the rules it did not change). */
let stored: { key: string; table: OutcomeTable; cache: EvaluationCache } | null = null;
/** Helpers' parts of the run in flight, by helper index, and blocks they have done. */
const parts = new Map<number, { from: number; table: OutcomeTable } | { failed: string }>();
let helperBlocks = 0;

function listenToHelper(port: MessagePort, index: number): void {
  port.onmessage = (event) => {
    const m = event.data;
    if (m.id !== newestId) return; // a superseded run's
    if (m.type === "block") helperBlocks++;
    else if (m.type === "part") parts.set(index, { from: m.from, table: m.table });
    else if (m.type === "failed") parts.set(index, { failed: m.message });
    wake();
  };
}

async function pump(): Promise<void> {
  pumping = true;
  try {
    while (newest) {
      await yieldNow(); // take the newest of the requests that queued meanwhile
      const request = newest!;
      newest = null;
      try {
        await handle(request);
      } catch (e) {
        if (request.id !== newestId) continue;
        if (e instanceof RunRefused) post({ type: "invalid", id: request.id, problems: [{ path: e.path, message: e.message }] });
        else post({ type: "error", id: request.id, message: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    pumping = false;
  }
}

async function handle(request: RunRequest): Promise<void> {
  const t0 = performance.now();
  const { id, trials, seed } = request;
  const parsed = parseScenario(request.scenario);
  if (!parsed.ok) return void post({ type: "invalid", id, problems: parsed.problems });
  const scenario = parsed.scenario;
  const model = compile(scenario);
  // Too large for memory: refused before anything is simulated, as `utfall run` does.
  checkRun(model, scenario, trials);
  const key = simulationKey(scenario, trials, seed);
  let mode: "simulate" | "evaluate" = "evaluate";
  if (stored?.key !== key) {
    const table = await simulate(request, model);
    if (!table) return; // superseded
    stored = { key, table, cache: new EvaluationCache(table) };
    mode = "simulate";
  }
  const t1 = performance.now();
  if (id !== newestId) return;
  const figures = explorerFigures(model, stored.table, scenario, stored.cache);
  const t2 = performance.now();
  post(
    { type: "result", id, ...figures, meta: { ...figures.meta, mode, simulateMs: t1 - t0, evaluateMs: t2 - t1, elapsedMs: t2 - t0, workers: 1 + helpers.length } },
    [figures.columns.irr.buffer as ArrayBuffer],
  );
}

/** The run's table, its blocks split with the helpers; null when a newer request superseded it. */
async function simulate(request: RunRequest, model: Model): Promise<OutcomeTable | null> {
  const { id, trials, seed } = request;
  const ranges = splitBlocks(trials, 1 + helpers.length);
  const table = allocateTable(model, trials, seed);
  parts.clear();
  helperBlocks = 0;
  ranges.slice(1).forEach(([from, to], k) => helpers[k]!.postMessage({ type: "simulate", id, scenario: request.scenario, trials, seed, from, to } satisfies SimulateJob));
  const cancel = () => ranges.slice(1).forEach((_, k) => helpers[k]!.postMessage({ type: "cancel", id }));
  const [from, to] = ranges[0]!;
  let own = 0;
  const progress = () => post({ type: "progress", id, done: Math.min(trials, (own + helperBlocks) * BLOCK_SIZE), total: trials });
  for (let b = from; b < to; b++) {
    simulateRangeBlock(model, table, trials, 0, b);
    own++;
    progress();
    await yieldNow();
    if (newestId !== id) return cancel(), null;
  }
  // Wait for the helpers' parts; one that failed is simulated here instead.
  for (let k = 1; k < ranges.length; k++) {
    for (;;) {
      if (newestId !== id) return cancel(), null;
      const part = parts.get(k - 1);
      if (part && "table" in part) {
        try {
          mergeRows(table, part.table, trialsIn(trials, 0, part.from));
          break;
        } catch {
          parts.set(k - 1, { failed: "merge" });
          continue;
        }
      }
      if (part && "failed" in part) {
        for (let b = ranges[k]![0]; b < ranges[k]![1]; b++) {
          simulateRangeBlock(model, table, trials, 0, b);
          await yieldNow();
          if (newestId !== id) return cancel(), null;
        }
        break;
      }
      await nextMessage();
      progress();
    }
  }
  return table;
}

// --- Helper ---
let primary: MessagePort | null = null;
let job: SimulateJob | null = null; // the job wanted now
let working = false;
let modelFor: { json: string; model: Model } | null = null;

function modelOf(raw: unknown): Model {
  const json = JSON.stringify(raw);
  if (modelFor?.json === json) return modelFor.model;
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error("the scenario is not valid");
  const model = compile(parsed.scenario as Scenario);
  modelFor = { json, model };
  return model;
}

async function work(): Promise<void> {
  working = true;
  try {
    while (job) {
      const j = job;
      try {
        const model = modelOf(j.scenario);
        const part = allocateTable(model, trialsIn(j.trials, j.from, j.to), j.seed);
        let stopped = false;
        for (let b = j.from; b < j.to; b++) {
          simulateRangeBlock(model, part, j.trials, j.from, b);
          primary!.postMessage({ type: "block", id: j.id });
          await yieldNow();
          if (job !== j) {
            stopped = true;
            break;
          }
        }
        if (stopped) continue;
        job = null;
        primary!.postMessage({ type: "part", id: j.id, from: j.from, table: part }, tableBuffers(part));
      } catch (e) {
        if (job === j) job = null;
        primary!.postMessage({ type: "failed", id: j.id, message: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    working = false;
  }
}

scope.onmessage = (event: MessageEvent) => {
  const m = event.data;
  if (m.type === "connect") {
    // The pool tells each worker its role: the primary gets a port to every helper, a helper one to the primary.
    if (m.role === "primary") {
      helpers = m.ports;
      helpers.forEach(listenToHelper);
    } else {
      primary = m.ports[0];
      primary!.onmessage = (e: MessageEvent) => {
        const h = e.data;
        if (h.type === "simulate") job = h;
        else if (h.type === "cancel" && job?.id === h.id) job = null;
        if (job && !working) void work();
      };
    }
    return;
  }
  if (m.type === "run") {
    newest = m;
    newestId = m.id;
    wake();
    if (!pumping) void pump();
  }
};
