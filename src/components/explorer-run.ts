/**
 * The explorer's run loop: validated states in, results out, with a status line.
 *
 * - Every change calls `update(state, parsed)`. A change after a quiet spell (nothing changed
 *   for DEBOUNCE_MS) runs at once; changes in quick succession (typing) wait for a pause, so
 *   only the last one runs to the end: DEBOUNCE_MS (250 ms) when the change needs a new
 *   simulation, CONTRACT_DEBOUNCE_MS (100 ms) when only contract terms changed (explorer-key.ts),
 *   which the worker re-evaluates on its stored outcomes in a small fraction of a second. A newer
 *   valid state supersedes a run in flight (the worker drops it between two blocks, and a late
 *   result of a superseded run is ignored).
 * - The runs go to persistent workers (explorer-pool.ts): no worker starts per run, a run's
 *   blocks are split over the cores, and contract edits re-use the simulated outcomes.
 * - An invalid state runs nothing: the last good result stays on screen and the status line
 *   says why it is not updating.
 * - The status line (`element`) is updated in place, so progress ticks do not re-render the
 *   page's cells. It carries `data-phase` (pending, running, idle, invalid, error) and the class
 *   `is-stale` while the figures on screen are not those of the inputs; for
 *   bench/explorer.bench.ts also `data-started-at`, `data-result-at`, `data-elapsed-ms`,
 *   `data-mode` (simulate or evaluate) and `data-simulate-ms`/`data-evaluate-ms`.
 */
import { formatNumber, formatPercent } from "../models/format.js";
import { ScenarioInvalid } from "./runner.js";
import { explorerPool, type ExplorerPool, type ExplorerRunResult } from "./explorer-pool.js";
import { simulationKey } from "./explorer-key.js";

export interface ExplorerState {
  scenario: unknown;
  trials: number;
  seed: string | number;
}

export interface ExplorerResult {
  result: ExplorerRunResult;
  state: ExplorerState;
  /** 1 for the first result, then one more per result shown. */
  runId: number;
}

type Parsed = { ok: true } | { ok: false; problems: readonly { path: string; message: string }[] };

export interface ExplorerRunner {
  element: HTMLElement;
  update(state: ExplorerState, parsed: Parsed): void;
}

export const DEBOUNCE_MS = 250;
/** The pause after a contract-only change: re-evaluating takes a few tens of milliseconds, so little is saved by waiting long. */
export const CONTRACT_DEBOUNCE_MS = 100;

export function explorerRunner(workerUrl: string, onResult: (r: ExplorerResult) => void, locale = "en-GB", pool: ExplorerPool = explorerPool(workerUrl)): ExplorerRunner {
  const element = document.createElement("div");
  element.className = "explorer-status";
  element.setAttribute("aria-live", "polite");

  let timer: ReturnType<typeof setTimeout> | null = null;
  let wantedKey: string | null = null; // the valid state the inputs show
  let runningKey: string | null = null; // the state being simulated
  let shownKey: string | null = null; // the state whose figures are on screen
  let shown: ExplorerResult | null = null;
  let runs = 0;
  let invalidCount = 0;
  let progress = { done: 0, total: 0 };
  let error: string | null = null;
  let lastChange = -Infinity;
  let simulatedKey: string | null = null; // simulationKey of the last state sent to the worker
  let lastTick = -Infinity; // when a progress tick was last drawn

  const n = (x: number) => formatNumber(x, locale, 0);

  function render(): void {
    const phase = invalidCount > 0 ? "invalid" : error ? "error" : timer ? "pending" : runningKey && runningKey === wantedKey ? "running" : "idle";
    element.dataset.phase = phase;
    element.classList.toggle("is-stale", phase !== "idle" || (shownKey !== null && shownKey !== wantedKey && invalidCount === 0));
    element.replaceChildren();
    if (phase === "invalid") {
      element.append(
        `⚠ ${invalidCount === 1 ? "One problem" : `${invalidCount} problems`} in the scenario (marked at the inputs): fix ${invalidCount === 1 ? "it" : "them"} to update. ` +
          (shown ? "The figures below are for the last valid scenario." : "There is no valid result yet."),
      );
      if (runningKey) element.append(" ", progressBar());
      return;
    }
    if (phase === "error") {
      element.append(`The simulation failed: ${error}. `, shown ? "The figures below are for the last scenario that ran." : "");
      return;
    }
    if (phase === "pending" || phase === "running") {
      const count = document.createElement("span");
      count.className = "explorer-progress-count";
      count.textContent = phase === "running" && progress.total ? `${n(progress.done)} of ${n(progress.total)} trials` : "";
      element.append(progressBar(), " Updating… ", count);
      return;
    }
    if (shown) {
      const { result, state } = shown;
      element.append(
        `${n(state.trials)} simulated contracts, seed ${typeof state.seed === "number" ? state.seed : JSON.stringify(state.seed)}, ` +
          (result.meta.mode === "evaluate"
            ? `the contract evaluated on the outcomes already simulated in ${formatNumber(result.meta.elapsedMs / 1000, locale, 2)} s.`
            : `in ${formatNumber(result.meta.elapsedMs / 1000, locale, 1)} s${result.meta.workers > 1 ? ` on ${result.meta.workers} threads` : ""}.`),
      );
    } else element.append("Starting…");
  }

  function progressBar(): HTMLProgressElement {
    const bar = document.createElement("progress");
    bar.max = Math.max(1, progress.total);
    bar.value = progress.done;
    bar.title = progress.total ? formatPercent(progress.done / progress.total, locale, 0) : "";
    return bar;
  }

  function start(state: ExplorerState, key: string): void {
    timer = null;
    runningKey = key;
    error = null;
    progress = { done: 0, total: state.trials };
    element.dataset.startedAt = String(performance.now()); // for bench/explorer.bench.ts
    simulatedKey = simulationKey(state.scenario, state.trials, state.seed);
    render();
    pool.run(state.scenario, {
      trials: state.trials,
      seed: state.seed,
      onProgress: (done, total) => {
        if (runningKey !== key) return;
        progress = { done, total };
        // At most five ticks a second are drawn: each is a repaint taken from the cores that simulate.
        const now = performance.now();
        if (done < total && now - lastTick < 200) return;
        lastTick = now;
        // A tick while running changes the bar and the count in place: no re-render, little to repaint.
        const bar = element.querySelector("progress"), count = element.querySelector(".explorer-progress-count");
        if (element.dataset.phase === "running" && bar && count) {
          bar.max = total;
          bar.value = done;
          count.textContent = `${n(done)} of ${n(total)} trials`;
        } else render();
      },
    }).then(
      (result) => {
        if (runningKey !== key) return;
        runningKey = null;
        // A result for a state the inputs have since left (and that is not being replaced by
        // a valid one) is still the last good result: show it.
        if (wantedKey !== key && timer) return render();
        shown = { result, state, runId: ++runs };
        shownKey = key;
        element.dataset.run = String(shown.runId);
        element.dataset.elapsedMs = String(Math.round(result.meta.elapsedMs));
        element.dataset.mode = result.meta.mode;
        element.dataset.simulateMs = String(Math.round(result.meta.simulateMs));
        element.dataset.evaluateMs = String(Math.round(result.meta.evaluateMs));
        element.dataset.resultAt = String(performance.now());
        render();
        onResult(shown);
      },
      (e: unknown) => {
        if (runningKey !== key) return;
        runningKey = null;
        error = e instanceof ScenarioInvalid ? e.problems.map((p) => `${p.path}: ${p.message}`).join("; ") : e instanceof Error ? e.message : String(e);
        render();
      },
    );
  }

  function update(state: ExplorerState, parsed: Parsed): void {
    const now = performance.now();
    const quiet = now - lastChange >= DEBOUNCE_MS && timer === null;
    lastChange = now;
    if (timer) clearTimeout(timer), (timer = null);
    if (!parsed.ok) {
      invalidCount = parsed.problems.length;
      render();
      return;
    }
    invalidCount = 0;
    const key = JSON.stringify(state);
    wantedKey = key;
    if (key === runningKey || key === shownKey) {
      // Back to the figures on screen: a run in flight for another state no longer matters.
      if (key === shownKey) runningKey = null;
      error = null;
      render();
      return;
    }
    const contractOnly = simulatedKey !== null && simulationKey(state.scenario, state.trials, state.seed) === simulatedKey;
    timer = setTimeout(() => start(state, key), quiet ? 0 : contractOnly ? CONTRACT_DEBOUNCE_MS : DEBOUNCE_MS);
    render();
  }

  render();
  return { element, update };
}
