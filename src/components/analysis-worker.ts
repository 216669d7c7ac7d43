/**
 * Negotiation analyses off the main thread. One request per message, answered with
 * {type: "progress", done, total}* then {type: "result", ...} or {type: "invalid", problems}.
 * The engine is the CLI's: the same scenario and seed give the same numbers here.
 *
 * Requests:
 * - {kind: "outcomes", scenario, vary, trials, seed, blocks?, check?}: for a sweep of contract
 *   terms, checks the cells at `check` (every cell by default) and then simulates the outcomes
 *   they all share, or with `blocks` [from, to) those blocks' part of them (sweepOutcomes in
 *   models/analysis/sweep.ts: a pool splits the simulation), answered as
 *   {type: "result", outcomes} (the table's columns transferred, not copied);
 * - {kind: "sweep", scenario, vary, trials, seed, cells, outcomes?}: the listed cells of a sweep,
 *   each posted as {type: "cell", index, cell} when done (a pool of these workers splits a grid);
 *   with `outcomes` (from an "outcomes" request) only the contract is evaluated per cell;
 * - {kind: "ensemble", scenario, trials, seed}: tornado drivers of the financier's and payer's
 *   money, and the payer's value of perfect information about everything, from one run;
 * - {kind: "breakEven", scenario, trials, seed}: both parties' break-even effects;
 * - {kind: "design", scenario, trials, seed}: operating curves of the standard designs;
 * - {kind: "information", scenario, trials, seed}: the payer's EVPPI of the effects, by
 *   regression on one run (method "twoLevel" with outer and inner: two-level Monte Carlo);
 * - {kind: "compare", scenarios, trials, seed}: key figures side by side;
 * - {kind: "designer", scenario, free, needs, trials, seed}: the contract designer's front of
 *   terms that meet every need, or what would have to give (models/analysis/designer.ts);
 * - {kind: "riskSplit", scenario, groups, perGroup, seed}: each party's risk split into the
 *   cohort's chance and ignorance of the parameters (models/analysis/riskSplit.ts);
 * - {kind: "acceptability", scenario, trials, effectTrials, seed}: who wins when (the payer's net
 *   against the financier's profit, trial by trial) and the chance of a positive financier NPV
 *   against the discount rate and the effect scale (models/analysis/acceptability.ts).
 */
import {
  breakEven, checkCells, compareSummaries, riskSplit, describePath, evaluateCells, evpiAll, sweepOutcomes, type OutcomeTable, operatingCurves, parseScenario, prepareSweep, runScenario,
  standardDesigns, SweepError, tornado, valueOfInformation, PathError, RunRefused, parsePath, replacePath, ScaledRuns, type Vary,
} from "../models/index.js";
import { designContract, type DesignNeeds, type FreeTerm } from "../models/analysis/designer.js";
import { correlatedInputs } from "../models/analysis/tornado.js";
import { acceptabilityByEffect, acceptabilityByRate, whoWins } from "../models/analysis/acceptability.js";

type Request =
  | { kind: "sweep"; scenario: unknown; vary: Vary[]; trials: number; seed: string | number; cells: number[]; fix?: boolean; outcomes?: OutcomeTable }
  | { kind: "outcomes"; scenario: unknown; vary: Vary[]; trials: number; seed: string | number; blocks?: [number, number]; check?: number[] }
  | { kind: "ensemble" | "breakEven" | "design"; scenario: unknown; trials: number; seed: string | number }
  | { kind: "information"; scenario: unknown; trials?: number; method?: "regression" | "twoLevel"; outer?: number; inner?: number; seed: string | number }
  | { kind: "riskSplit"; scenario: unknown; groups: number; perGroup: number; seed: string | number }
  | { kind: "acceptability"; scenario: unknown; trials: number; effectTrials: number; seed: string | number }
  | { kind: "compare"; scenarios: { name: string; scenario: unknown }[]; trials: number; seed: string | number }
  | { kind: "designer"; scenario: unknown; free: FreeTerm[]; needs: DesignNeeds; trials: number; seed: string | number };

const post = (m: unknown, transfer: Transferable[] = []) => self.postMessage(m, { transfer });
const progress = (done: number, total: number) => post({ type: "progress", done, total });

function parsed(scenario: unknown, label = "") {
  const p = parseScenario(scenario);
  if (!p.ok) throw new SweepError(p.problems.map((q) => ({ path: label + q.path, message: q.message })));
  return p.scenario;
}

/** A copy of `scenario` in which each varied path holding a distribution holds a number instead. */
function fixAt(scenario: unknown, vary: readonly Vary[]): unknown {
  const json = structuredClone(scenario) as Record<string, unknown>;
  for (const v of vary) {
    const keys = parsePath(v.path, json);
    let node: unknown = json;
    for (const k of keys) node = (node as Record<string | number, unknown>)?.[k];
    if (node && typeof node === "object" && !("value" in node)) replacePath(json, keys, v.values[0], v.path);
  }
  // A fixed input has no distribution to correlate: its pairs go (the partners keep their own distributions).
  if (Array.isArray(json.correlations)) {
    const fixed = new Set(vary.map((v) => v.path));
    json.correlations = json.correlations.filter((c: { between?: unknown }) => !(Array.isArray(c?.between) && c.between.some((p) => fixed.has(p))));
  }
  return json;
}

/** The buffers behind a table's columns, to transfer rather than copy. */
function buffersOf(table: OutcomeTable): ArrayBuffer[] {
  const columns = [table.treated, table.counterfactual, table.comparator, table.delivered, table.discountRate, table.avoidedByYear, table.avoidedPV, table.societyBenefitPV, ...table.params.values()];
  return [...new Set(columns.map((c) => c.buffer as ArrayBuffer))];
}

/**
 * The last scenario's simulations at effect scales (models/analysis/breakEven.ts): the page asks
 * this worker for both break-even searches and then the acceptability curve on the same scenario,
 * trials and seed, and they share the scales they have in common. Keyed by the scenario's text, so
 * an edited scenario starts afresh.
 */
let scaled: { key: string; runs: ScaledRuns } | undefined;
function scaledRuns(raw: unknown, s: ReturnType<typeof parsed>, trials: number, seed: string | number): ScaledRuns {
  const key = JSON.stringify(raw);
  const runs = ScaledRuns.of(s, trials, seed, scaled?.key === key ? scaled.runs : undefined);
  scaled = { key, runs };
  return runs;
}

function handle(r: Request): unknown {
  const t0 = performance.now();
  switch (r.kind) {
    case "outcomes": {
      const prep = prepareSweep(r.scenario, r.vary, { trials: r.trials, seed: r.seed });
      checkCells(prep, r.check);
      const outcomes = sweepOutcomes(prep, progress, r.blocks);
      return { outcomes, elapsedMs: performance.now() - t0, transfer: buffersOf(outcomes) };
    }
    case "sweep": {
      // `fix`: an input that holds a distribution is fixed at each value ("what if we knew it").
      const scenario = r.fix ? fixAt(r.scenario, r.vary) : r.scenario;
      const prep = prepareSweep(scenario, r.vary, { trials: r.trials, seed: r.seed });
      let done = 0;
      evaluateCells(prep, r.cells, (index, cell) => {
        post({ type: "cell", index, cell });
        progress(++done, r.cells.length);
      }, r.outcomes);
      return { elapsedMs: performance.now() - t0 };
    }
    case "ensemble": {
      const s = parsed(r.scenario);
      const run = runScenario(s, { trials: r.trials, seed: r.seed, onProgress: progress });
      const inputs = new Map<string, ArrayLike<number> & Iterable<number>>(run.outcomes.params);
      inputs.set("intervention.delivered", run.outcomes.delivered);
      const label = (path: string) => (path === "intervention.delivered" ? "Delivered as planned (yes / no)" : describePath(r.scenario, path));
      const withLabels = (t: ReturnType<typeof tornado>) => ({ ...t, drivers: t.drivers.map((d) => ({ ...d, label: label(d.input) })) });
      return {
        // Correlated inputs move together in each bar (models/analysis/tornado.ts).
        financier: withLabels(tornado("financier's profit", run.results.profit, inputs, { correlated: correlatedInputs(s.correlations) })),
        payer: withLabels(tornado("payer's net saving", run.results.payerNet, inputs, { correlated: correlatedInputs(s.correlations) })),
        // Perfect information about everything, chance included: the ceiling on any study's value.
        evpiAll: evpiAll(run.results.payerNetPV),
        elapsedMs: performance.now() - t0,
      };
    }
    case "breakEven": {
      const s = parsed(r.scenario);
      const runs = scaledRuns(r.scenario, s, r.trials, r.seed);
      const financier = breakEven(s, "financier", { trials: r.trials, seed: r.seed, runs });
      progress(1, 2);
      const payer = breakEven(s, "payer", { trials: r.trials, seed: r.seed, runs });
      progress(2, 2);
      return { financier, payer, elapsedMs: performance.now() - t0 };
    }
    case "design": {
      const designs = standardDesigns(r.scenario);
      return { curves: operatingCurves(r.scenario, designs, { trials: r.trials, seed: r.seed, onProgress: progress }), elapsedMs: performance.now() - t0 };
    }
    case "information": {
      const s = parsed(r.scenario);
      const voi = valueOfInformation(s, { seed: r.seed, method: r.method, trials: r.trials, outer: r.outer, inner: r.inner, onProgress: progress });
      const labels = voi.inputs.map((p) => describePath(r.scenario, p));
      return { ...voi, labels, elapsedMs: performance.now() - t0 };
    }
    case "riskSplit": {
      const s = parsed(r.scenario);
      return { ...riskSplit(s, { groups: r.groups, perGroup: r.perGroup, seed: r.seed, onProgress: progress }), elapsedMs: performance.now() - t0 };
    }
    case "acceptability": {
      const s = parsed(r.scenario);
      // Progress: the run counts as one step, then one per effect scale.
      const run = runScenario(s, { trials: r.trials, seed: r.seed, keepFlows: true });
      const x = run.results;
      const byRate = acceptabilityByRate(x.flows!, x.trials, x.periods, x.periodsPerYear);
      const byEffect = acceptabilityByEffect(s, { trials: r.effectTrials, seed: r.seed, onProgress: (done, total) => progress(done, total), runs: scaledRuns(r.scenario, s, r.effectTrials, r.seed) });
      return { whoWins: whoWins(x.payerNet, x.profit), byRate, byEffect, financierRate: x.financierRate, trials: x.trials, effectTrials: r.effectTrials, elapsedMs: performance.now() - t0 };
    }
    case "designer": {
      // The contract designer (models/analysis/designer.ts): every candidate on one simulation.
      const result = designContract(r.scenario, r.free, r.needs, { trials: r.trials, seed: r.seed, onProgress: progress });
      return { result, elapsedMs: performance.now() - t0 };
    }
    case "compare": {
      const summaries = r.scenarios.map((x, i) => {
        const s = parsed(x.scenario, `${x.name}: `);
        const run = runScenario(s, { trials: r.trials, seed: r.seed });
        progress(i + 1, r.scenarios.length);
        return run.summary;
      });
      const comparison = compareSummaries(summaries);
      // The names the page gave (a file name, "this page"), not only the scenarios' own.
      const scenarios = comparison.scenarios.map((s, i) => ({ ...s, name: r.scenarios[i]!.name }));
      return { comparison: { ...comparison, scenarios }, elapsedMs: performance.now() - t0 };
    }
  }
}

self.onmessage = (event: MessageEvent<Request>) => {
  try {
    const { transfer, ...result } = handle(event.data) as { transfer?: Transferable[] };
    post({ type: "result", ...result }, transfer);
  } catch (e) {
    if (e instanceof SweepError) post({ type: "invalid", problems: e.problems });
    else if (e instanceof PathError) post({ type: "invalid", problems: [e.problem] });
    else if (e instanceof RunRefused) post({ type: "invalid", problems: [{ path: e.path, message: e.message }] });
    else post({ type: "error", message: (e as Error).message });
  }
};
