/**
 * "Terms both sides accept" on the Negotiation page: the grid's opening terms, the needs as the
 * form states them, and the zone of agreement drawn as a grid with its summary, its legend of
 * the edge and the ring, and its figures cell by cell.
 */
import type { Cell, Needs, NeedId, Verdict, Vary, Zone } from "../models/index.js";
import { NEED_IDS, NEED_LABELS } from "../models/analysis/agreement.js";
import { COLOUR_BY, EDGE_STYLE, defaultRange, fragmentWithGrid, h, isChance, numericFields, refusalText, termValues, zoneChart, type ColourBy, type Field, type PageFormat, type TermSpec } from "./negotiation.js";
import { sweepInWorkers } from "./analysis.js";

/** What "binding need" means, for the legend and the tooltips. */
export const BINDING_NEED =
  "binding need: a need this cell meets but a neighbouring cell fails, so it is what stops the zone growing that way; relaxing it is what would widen the zone there";

/**
 * The grid the page opens on: the activity payment down the side (0–1.5 × capital) and the
 * savings share across (0–100%) where the contract has both. Found with the engine in Node
 * (`sweep` and `zoneOfAgreement` of models/, Norrköping 2016, 10,000 trials, seed 1, the default
 * needs): no savings share and no return cap gives a zone (0 of 441 cells), while an activity
 * payment from 1.2 × capital gives one at every savings share (105 of 441 cells, 24%). The
 * grid thus opens on a zone, and shows at once that it exists only when the payment for
 * delivering the work approaches the whole capital. Other contracts open on their first two terms.
 */
export const OPENING_TERMS: readonly (readonly [string, number, number])[] = [
  ["contract.rules[activity].amount.ofCapital", 0, 1.5],
  ["contract.rules[savings].share", 0, 1],
];

/** The terms a contract's grid can vary (drawdown shares excluded). */
export function gridTerms(scenario: unknown): Field[] {
  return numericFields(scenario, "contract").filter((f) => !/\.drawdown/.test(f.path));
}

/** The opening term k (0 down the side, 1 across): a link's, else OPENING_TERMS's, else the contract's k-th; 21 steps. */
export function openingTerm(terms: readonly Field[], k: 0 | 1, linked?: TermSpec): TermSpec {
  if (linked && terms.some((t) => t.path === linked.path)) return linked;
  const both = OPENING_TERMS.every(([p]) => terms.some((t) => t.path === p));
  const o = OPENING_TERMS[k]!;
  if (both) return { path: o[0], from: o[1], to: o[2], steps: 21 };
  const t = terms[k] ?? terms[0];
  if (!t) return { path: "", from: 0, to: 1, steps: 21 };
  const [from, to] = defaultRange(t);
  return { path: t.path, from, to, steps: 21 };
}

/** The grid asked for, or messages naming what is wrong. */
export function gridSpec(a: TermSpec, b: TermSpec): { vary: Vary[] } | { errors: string[] } {
  const va = termValues(a, "Term down the side"), vb = termValues(b, "Term across");
  const errors = [va, vb].flatMap((x) => ("error" in x ? [x.error] : []));
  if (a.path && a.path === b.path) errors.push("Choose two different terms");
  if (errors.length || !("values" in va) || !("values" in vb)) return { errors };
  return { vary: [{ path: a.path, values: va.values }, { path: b.path, values: vb.values }] };
}

export interface NeedsForm {
  irr: number | null;
  loss: number | null;
  net: number | null;
  nothing: number | null;
}

/** The needs as the form states them (percentages as shown, money in millions), or a message. */
export function needsFrom(form: NeedsForm): Needs | { error: string } {
  const { irr, loss, net, nothing } = form;
  if (![irr, loss, net, nothing].every((v) => v !== null && Number.isFinite(v))) return { error: "Every need must be a number" };
  if (!(loss! >= 0 && loss! <= 100 && nothing! >= 0 && nothing! <= 100)) return { error: "Chances must be between 0 and 100%" };
  return { financier: { minIrrOfExpectedFlows: irr! / 100, maxProbLoss: loss! / 100 }, payer: { minMeanNet: net! * 1e6, maxProbPayForNothing: nothing! / 100 } };
}

const NEED_OF: Record<Exclude<ColourBy, "agreement">, (n: Needs) => number> = {
  irr: (n) => n.financier.minIrrOfExpectedFlows,
  loss: (n) => n.financier.maxProbLoss,
  net: (n) => n.payer.minMeanNet,
  nothing: (n) => n.payer.maxProbPayForNothing,
};

export interface SweepView {
  cells: (Cell | undefined)[];
  vary: Vary[] | null;
  done: number;
  total: number;
  elapsedMs: number | null;
  workers: number;
}

const cells = (n: number) => `${n} ${n === 1 ? "cell" : "cells"}`;
const snap = (values: readonly number[], x: number) => values.reduce((best, v) => (Math.abs(v - x) < Math.abs(best - x) ? v : best), values[0]!);

/** The grid as a chart, with a key to the edge's frame and the ring. */
export function zoneGrid(scenario: unknown, zone: Zone, sweep: SweepView, needs: Needs, colourBy: ColourBy, f: PageFormat, width: number): HTMLElement {
  const [va, vb] = sweep.vary!;
  const value = (path: string) => numericFields(scenario, "contract").find((x) => x.path === path)?.value;
  const ca = value(va!.path), cb = value(vb!.path);
  const fa = f.term(va!.path), fb = f.term(vb!.path);
  const inRange = (v: Vary, x: number | undefined) => x !== undefined && x >= v.values[0]! - 1e-9 && x <= v.values[v.values.length - 1]! + 1e-9;
  const current = inRange(va!, ca) && inRange(vb!, cb) ? { x: snap(vb!.values, cb!), y: snap(va!.values, ca!) } : null;
  const orNone = (x: number | null, g: (x: number) => string) => (x === null ? "none" : g(x));
  const tip = (c: Cell, v: Verdict) =>
    `${f.label(va!.path)}: ${fa(c.at[va!.path]!)}\n${f.label(vb!.path)}: ${fb(c.at[vb!.path]!)}\n` +
    `IRR of expected flows ${orNone(c.financier.irrOfExpectedFlows, (x) => f.pct(x, 1))} · median IRR ${orNone(c.financier.medianIrr, (x) => f.pct(x, 1))} · chance of loss ${f.chance(c.financier.probLoss)}\n` +
    `payer's expected net ${f.mn(c.payer.meanNet)} · pays for nothing ${f.chance(c.payer.probPayForNothing)}\n` +
    (v.agreed ? (v.binding.length ? `Meets every need; binding need here: ${v.binding.map((id) => NEED_LABELS[id]).join(", ")} (it fails next door).` : "Meets every need.") : `Fails: ${v.failing.map((id) => NEED_LABELS[id]).join(", ")}.`);
  const threshold = colourBy === "agreement" ? 0 : NEED_OF[colourBy](needs);
  const valueFormat = colourBy === "net" ? f.mn : (x: number) => f.pct(x, 0);
  const chart = zoneChart(zone, {
    xPath: vb!.path, yPath: va!.path, xLabel: `${f.label(vb!.path)} →`, yLabel: `↑ ${f.label(va!.path)}`, current, xFormat: fb, yFormat: fa,
    width, tip, cells: sweep.cells, colourBy, threshold, valueFormat,
  });
  return h("div", null, chart, zoneKey(current !== null, colourBy));
}

/** The key to what the colours do not say: the edge's frame (the binding need) and the ring. */
function zoneKey(ring: boolean, colourBy: ColourBy): HTMLElement {
  const frame = h("span", { class: "zone-key-frame", style: `display:inline-block;width:18px;height:14px;vertical-align:-2px;background:#2e8b57;box-shadow:inset 0 0 0 2px ${EDGE_STYLE.outer}, inset 0 0 0 3px ${EDGE_STYLE.inner}` });
  const circle = h("span", { style: "display:inline-block;width:12px;height:12px;border:2.5px solid black;border-radius:50%;vertical-align:-2px" });
  return h("p", { class: "zone-key", id: "zone-key" },
    frame, " the zone's edge: a cell that meets every need next to one that fails; the need that fails next door is the ", h("b", null, "binding need"), " there (hover a cell). ",
    ring ? [circle, " the scenario's own terms. "] : "The scenario's own terms lie outside this grid. ",
    colourBy !== "agreement" && isChance(colourBy) ? "A chance runs from 0 to 100%; the colours turn at the need." : colourBy !== "agreement" ? "The colours turn at the need." : "",
  );
}

/** The share of the grid that meets every need, what binds at its edge, or why there is none and which term to try. */
export function zoneSummary(scenario: unknown, zone: Zone, sweep: SweepView, f: PageFormat, trials: number): HTMLElement {
  const [va, vb] = sweep.vary!;
  const fa = f.term(va!.path), fb = f.term(vb!.path);
  const agreed = zone.verdicts.filter((v): v is Verdict => !!v?.agreed);
  const edge = new Map<NeedId, number>();
  for (const v of agreed) for (const id of v.binding) edge.set(id, (edge.get(id) ?? 0) + 1);
  const range = (path: string, g: (x: number) => string) => {
    const xs = agreed.map((v) => v.at[path]!);
    return `${g(Math.min(...xs))} to ${g(Math.max(...xs))}`;
  };
  const done = sweep.done === sweep.total;
  const activity = OPENING_TERMS[0]![0];
  const tryActivity = !agreed.length && done && ![va!.path, vb!.path].includes(activity) && gridTerms(scenario).some((t) => t.path === activity)
    ? ` Try ${f.label(activity)} as a term (from 0 to 1.5 × capital): for this scenario a zone appears only when the payment for delivering the work approaches the whole capital, that is, when the contract stops being paid on outcomes.`
    : "";
  return h("p", { id: "zone-summary" },
    done ? null : h("progress", { value: sweep.done, max: sweep.total }), done ? null : " ",
    h("b", null, f.pct(zone.shareAgreed, 0)), ` of the ${f.num(sweep.total)} combinations meet every need`,
    agreed.length ? `: ${f.label(va!.path)} from ${range(va!.path, fa)}, ${f.label(vb!.path)} from ${range(vb!.path, fb)}.` : ".",
    " ",
    edge.size
      ? `At the zone's edge the binding needs are ${[...edge].sort((a, b) => b[1] - a[1]).map(([id, n]) => `the ${NEED_LABELS[id]} (${cells(n)})`).join(", ")}.`
      : agreed.length ? "" : `No cell meets every need: ${NEED_IDS.filter((id) => zone.failCounts[id] > 0).map((id) => `the ${NEED_LABELS[id]} fails in ${cells(zone.failCounts[id])}`).join("; ")}.${tryActivity}`,
    done && sweep.elapsedMs !== null ? [" ", h("small", { class: "muted", id: "sweep-speed" }, `${f.num(sweep.total)} cells on ${f.num(trials)} stored trials in ${f.num(sweep.elapsedMs / 1000, 2)} s (${sweep.workers} workers).`)] : null,
  );
}

/** The numbers behind the chart, cell by cell, in the engine's order (first term slowest). */
export function zoneTable(zone: Zone, sweep: SweepView, f: PageFormat): HTMLElement {
  const [va, vb] = sweep.vary!;
  const fa = f.term(va!.path), fb = f.term(vb!.path);
  const orNone = (x: number | null, g: (x: number) => string) => (x === null ? "none" : g(x));
  const head = [f.label(va!.path), f.label(vb!.path), "IRR of expected flows", "median IRR", "financier's expected NPV", "chance of loss", "payer's expected net", "pays for nothing", "needs failed"];
  const rows = sweep.cells.map((c, i) => {
    const v = zone.verdicts[i];
    if (!c || !v) return null;
    return h("tr", null,
      h("td", null, fa(c.at[va!.path]!)), h("td", null, fb(c.at[vb!.path]!)),
      h("td", { class: "num" }, orNone(c.financier.irrOfExpectedFlows, (x) => f.pct(x, 1))), h("td", { class: "num" }, orNone(c.financier.medianIrr, (x) => f.pct(x, 1))),
      h("td", { class: "num" }, f.mn(c.financier.expectedNpv)), h("td", { class: "num" }, f.chance(c.financier.probLoss)),
      h("td", { class: "num" }, f.mn(c.payer.meanNet)), h("td", { class: "num" }, f.chance(c.payer.probPayForNothing)),
      h("td", null, v.failing.length ? v.failing.map((id) => NEED_LABELS[id]).join(", ") : "none"));
  });
  return h("details", { id: "zone-table" }, h("summary", null, "The grid's figures, cell by cell"),
    h("table", null, h("thead", null, h("tr", null, head.map((x, i) => h("th", i > 1 && i < 8 ? { class: "num" } : null, x)))), h("tbody", null, rows)));
}

export { COLOUR_BY };

/** A sweep as the page keeps it: the view, the trials simulated before the first cell, a refusal. */
export interface SweepState extends SweepView {
  simulated: { done: number; total: number } | null;
  error: string | null;
}

/**
 * Runs the grid's sweep on the page's workers: `set` gets the cells as they arrive (at most
 * every half second), the progress, and at the end every cell, the time taken and the workers,
 * or a refusal in words. The link gets the grid (fragmentWithGrid), so it reproduces the page.
 */
export function runZoneSweep(
  worker: string,
  vary: Vary[],
  run: { scenario: unknown; trials: number; seed: string | number; terms: readonly TermSpec[] },
  set: (patch: Partial<SweepState>) => void,
): void {
  const total = vary.reduce((n, v) => n * v.values.length, 1);
  const cells: (Cell | undefined)[] = new Array(total);
  // Cells and the count done reach the page together at most every half second: each change of
  // the page's sweep state recomputes the zone and redraws the grid on the main thread, which a
  // change per cell (441 of them) made compete with the workers for the machine's cores.
  let pending: ReturnType<typeof setTimeout> | null = null, done = 0;
  const flush = () => { pending = null; set({ cells: cells.slice(), done }); };
  set({ cells: [], vary, done: 0, total, simulated: null, elapsedMs: null, error: null });
  history.replaceState(null, "", fragmentWithGrid(location.hash, run.terms));
  sweepInWorkers(worker, "zone", {
    scenario: run.scenario, vary, trials: run.trials, seed: run.seed,
    onCell: (i, c) => { cells[i] = c; pending ??= setTimeout(flush, 500); },
    onProgress: (n) => { done = n; pending ??= setTimeout(flush, 500); },
    onSimulate: (done, of) => set({ simulated: { done, total: of } }),
  }).then(
    (r) => { if (pending) clearTimeout(pending); set({ cells: r.cells, done: total, elapsedMs: r.elapsedMs, workers: r.workers }); },
    (e) => set({ error: refusalText(e) }),
  );
}

/** Before the first cell: the trials every cell is evaluated on are simulated once; an empty span after. */
export function zoneProgress(s: SweepState, f: PageFormat, trials: number): HTMLElement {
  if (s.cells.some(Boolean) || s.error) return h("span");
  return h("p", { id: "zone-progress", class: "section-status" }, ...(s.simulated
    ? [h("progress", { value: s.simulated.done, max: s.simulated.total }), ` simulating ${f.num(s.simulated.done)} of ${f.num(s.simulated.total)} trials, then ${f.num(s.total)} combinations of terms…`]
    : [`starting: ${f.num(s.total)} combinations of terms on ${f.num(trials)} trials…`]));
}

/** Problems with the grid, the needs or the sweep, at the inputs; the grid below is the last good one. */
export function gridProblems(problems: readonly string[]): HTMLElement {
  if (!problems.length) return h("div");
  return h("div", { class: "input-error", role: "alert" }, problems.map((p) => h("div", null, p)), h("div", null, h("small", null, "The grid below is the last one that could be computed.")));
}

/** The zone's summary, the grid (drawn at `width` by the page's resize) and, once every cell is in, the table behind it. */
export function zoneView(scenario: unknown, zone: Zone, s: SweepState, needs: Needs, colourBy: ColourBy, f: PageFormat, trials: number, resize: (draw: (width: number) => Node) => Node): HTMLElement {
  return h("div", null, zoneSummary(scenario, zone, s, f, trials), h("div", { class: "card", id: "zone-chart" }, resize((width) => zoneGrid(scenario, zone, s, needs, colourBy, f, width))),
    // The numbers behind the chart, cell by cell (also what the browser test checks against the engine).
    s.done === s.total ? zoneTable(zone, s, f) : null);
}
