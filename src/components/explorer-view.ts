/**
 * The scenario explorer's sections (src/explorer.md), so the page reads as a document: the
 * file bar (load, start again from a built-in scenario), the save link, the problem list, the
 * key figures, the financier's return histogram and the payer's net by budget year.
 */
import * as Plot from "@observablehq/plot";
import { formatNumber, formatsFor, pageLocale } from "../models/format.js";
import type { ExplorerFigures } from "./explorer-engine.js";
import type { EditorExtra, ScenarioEditor } from "./explorer-form.js";
import { readScenarioFile, scenarioBlob, scenarioFileName } from "./explorer-files.js";
import { DEFAULT_SEED, DEFAULT_TRIALS, describeLinkProblem, type KitState, type LinkProblem } from "./state.js";
import type { ExplorerResult, ExplorerRunner } from "./explorer-run.js";
import { resolveFigureRefs } from "../models/figures/resolve.js";
import { parseScenario } from "../models/index.js";

type Child = Node | string;
export interface ExplorerSource {
  scenario: unknown;
  trials: number;
  seed: string | number;
  origin: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Child | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}

/** The trials and seed a scenario file asks for, else the fallback. */
export function simulationOf(json: unknown, fallback = { trials: DEFAULT_TRIALS, seed: DEFAULT_SEED as string | number }): { trials: number; seed: string | number } {
  const sim = json && typeof json === "object" && "simulation" in json && typeof json.simulation === "object" && json.simulation ? (json.simulation as Record<string, unknown>) : {};
  return {
    trials: Number.isSafeInteger(sim.trials) && (sim.trials as number) > 0 ? (sim.trials as number) : fallback.trials,
    seed: typeof sim.seed === "number" || typeof sim.seed === "string" ? sim.seed : fallback.seed,
  };
}

/**
 * The built-in scenarios, by name, with their references to the parameter tables ({"ref": …})
 * resolved to the numbers and sources they name: the form shows and edits figures, and a saved
 * scenario is self-contained. `files` are the pages' FileAttachments (named literally there).
 */
export async function builtInScenarios(files: Record<string, { json(): Promise<unknown> }>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(files).map(async ([name, file]) => [name, resolveFigureRefs(await file.json())] as const));
  return Object.fromEntries(entries);
}

/** Where editing starts: the link's state if it carried one, else `fallback` (its name in `origin`). */
export function startingPoint(initial: KitState, fallback: unknown, fallbackName: string): KitState & ExplorerSource {
  const fromLink = /(?:^#?|&)s=/.test(location.hash) && initial.scenario !== fallback;
  return { ...initial, origin: fromLink ? "the link" : `the built-in ${fallbackName} scenario` };
}

/**
 * One edit of the form: validated, its problems put next to their inputs, handed to the run
 * loop (it debounces), and written to the URL, valid or not (the last write wins, urlWriter).
 */
export function applyEdit(edited: ExplorerSource["scenario"] & { simulation: { trials: number; seed: string | number } }, editor: ScenarioEditor, runner: ExplorerRunner, writeUrl: (state: unknown) => Promise<void>) {
  const state = { scenario: edited, trials: edited.simulation.trials, seed: edited.simulation.seed };
  const parsed = parseScenario(edited);
  editor.showProblems(parsed.ok ? [] : parsed.problems);
  runner.update(state, parsed);
  return { parsed, written: writeUrl(state) };
}

/** The results: the key figures and both charts, each drawn at `resize`'s width and tagged with the run they show. */
export function explorerOutput(latest: ExplorerResult, resize: (draw: (width: number) => Node) => Node): HTMLElement {
  const chart = (draw: (o: { width: number }) => Element) => {
    const box = el("div", { class: "explorer-chart", "data-run": String(latest.runId) });
    box.append(resize((width) => draw({ width })));
    return box;
  };
  return el("div", { class: "explorer-output" }, explorerFigures(latest.result, latest.runId), chart((o) => irrChart(latest.result, o)), chart((o) => payerNetChart(latest.result, o)));
}

/** Load a scenario file, or start again from a built-in one; `message` says what happened. */
export function fileBar(builtIn: Record<string, unknown>, setSource: (s: ExplorerSource) => void): { load: HTMLElement; starts: HTMLElement; message: HTMLElement } {
  const input = el("input", { type: "file", accept: ".json,application/json", name: "scenario-file" });
  const message = el("span", { class: "explorer-file-message", role: "status" });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    const loaded = await readScenarioFile(file);
    input.value = ""; // the same file can be chosen again
    message.classList.toggle("is-error", !loaded.ok);
    if (!loaded.ok) return void (message.textContent = loaded.message);
    setSource({ scenario: loaded.json, ...simulationOf(loaded.json), origin: loaded.name });
    message.textContent = `Loaded ${loaded.name}.`;
  });
  const starts = Object.entries(builtIn).map(([name, json]) => {
    const b = el("button", { type: "button" }, name);
    b.addEventListener("click", () => {
      message.textContent = "";
      setSource({ scenario: json, ...simulationOf(json), origin: `the built-in ${name} scenario` });
    });
    return b;
  });
  return {
    load: el("label", { class: "explorer-load" }, "Load a scenario file ", input),
    starts: el("span", { class: "explorer-starts" }, "Start again from ", ...starts),
    message,
  };
}

/**
 * "Save as norrkoping-2016.json": the edited scenario as a file; the blob URL is freed on
 * `invalidation`. The file and its URL are made when the link is first pointed at, focused or
 * clicked, not at every edit: URL.createObjectURL is a synchronous call to the browser process,
 * which took about 30 ms of the main thread an edit in headless Chromium on a loaded machine
 * (a CPU profile of contract edits), in the task that starts the edit's run.
 */
export function saveLink(edited: unknown, invalidation: Promise<unknown>): HTMLElement {
  let url: string | null = null;
  const made = () => (url ??= URL.createObjectURL(scenarioBlob(edited)));
  void invalidation.then(() => setTimeout(() => url && URL.revokeObjectURL(url), 60_000));
  const name = scenarioFileName(edited);
  const a = el("a", { class: "explorer-save", download: name, href: "#", title: "A file you can load here again, or run with npx utfall run" }, `Save as ${name}`);
  const arm = () => a.setAttribute("href", made());
  a.addEventListener("pointerenter", arm);
  a.addEventListener("focus", arm);
  // The click goes through a detached link: a page-wide handler that adds the state (#s=…) to
  // same-origin links would otherwise also rewrite this blob: URL, and the download would fail.
  a.addEventListener("click", (event) => {
    event.preventDefault();
    arm();
    const d = document.createElement("a");
    d.href = made();
    d.download = name;
    d.click();
  });
  return el("span", { class: "explorer-save-bar" }, a);
}

/** The problems to fix, each a link to its input, in the field's words; the path on demand (tooltip). */
export function problemList(parsed: { ok: true } | { ok: false; problems: readonly { path: string; message: string }[] }, editor: ScenarioEditor): HTMLElement {
  if (parsed.ok) return el("span");
  const n = parsed.problems.length;
  const items = parsed.problems.map((p) => {
    const link = el("span", { class: "explorer-link", role: "button", tabindex: "0", title: p.path }, editor.labelOf(p.path));
    link.addEventListener("click", () => editor.reveal(p.path));
    link.addEventListener("keydown", (e) => e.key === "Enter" && editor.reveal(p.path));
    return el("li", {}, link, `: ${editor.messageOf(p)}`);
  });
  return el("div", { class: "explorer-problems", role: "alert" }, el("strong", {}, n === 1 ? "One problem" : `${n} problems`, " to fix"), el("ul", {}, ...items));
}

/** Formatting for a result: English conventions whatever the currency (formatsFor("en", …)). */
function formats(R: ExplorerFigures) {
  const cur = R.meta.currency;
  const en = formatsFor("en", cur);
  return {
    cur,
    loc: en.locale,
    money: en.millions,
    chance: en.chance,
    P: (x: number) => en.percent(x, 0),
    pct1: (x: number | null | undefined) => en.percent(x, 1),
    years: (n: number) => `${en.number(n, n % 1 ? 1 : 0)} year${n === 1 ? "" : "s"}`,
    unitM: en.millionsUnit,
  };
}

/** The key figures for the financier, society and the payer; each says whether it is a mean or a median. */
export function explorerFigures(R: ExplorerFigures, runId: number): HTMLElement {
  const S = R.summary;
  const { money, chance, P, pct1, years } = formats(R);
  const figure = (key: string, value: string, ...text: Child[]) =>
    el("div", { class: "explorer-figure", "data-figure": key }, el("span", { class: "explorer-big" }, value), " ", el("span", {}, ...text));
  const irr = S.investor.irr;
  const horizonYears = R.meta.horizon / R.meta.periodsPerYear;
  return el(
    "div",
    { class: "explorer-figures", "data-run": String(runId) },
    el(
      "div",
      {},
      el(
        "section",
        {},
        el("h3", {}, "Financier"),
        figure("probLoss", chance(S.investor.probLoss), "chance of losing money"),
        figure("probTotalLoss", chance(S.investor.probTotalLoss), "chance of losing everything"),
        figure(
          "irr",
          irr ? pct1(irr.p50) : "–",
          irr
            ? `median return per year (IRR); ${P(0.9)} of trials between ${pct1(irr.p5)} and ${pct1(irr.p95)}${S.investor.irrDefined < 0.995 ? ` (defined in ${chance(S.investor.irrDefined)} of trials)` : ""}; the expected cash flows return ${S.investor.irrOfExpectedFlows == null ? "no single rate" : pct1(S.investor.irrOfExpectedFlows)}`
            : "return per year: no trial has an IRR",
        ),
      ),
      el("section", {}, el("h3", {}, "Society"), figure("chanceBenefitsExceedCosts", chance(S.society.chanceBenefitsExceedCosts), `chance benefits exceed costs; median net ${money(S.society.npv?.p50)} in present value`)),
    ),
    el(
      "section",
      {},
      el("h3", {}, "Payer"),
      figure("payments", money(S.payer.payments?.mean), `expected payments; at worst ${money(S.payer.maxPayments)}`),
      figure("net", money(S.payer.net?.mean), `expected net (avoided costs − payments) over ${years(horizonYears)}; a net cost in ${chance(S.payer.probNetCost)} of trials`),
      figure("probPayForNothing", chance(S.contract.probPayForNothing), "chance of paying for an improvement that did not happen"),
      figure("probMissedSuccess", chance(S.contract.probMissedSuccess), "chance that a real improvement goes unpaid"),
    ),
  );
}

/**
 * The financier's IRR per trial, binned in the worker (explorer-engine.ts irrHistogram): bins of
 * 2.5 points, trials above the chart's range in the last bar so none drops out.
 */
export function irrChart(R: ExplorerFigures, { width }: { width: number }): Element {
  const S = R.summary;
  const { loc, chance, P, pct1 } = formats(R);
  const h = R.irrHistogram;
  if (h.defined === 0) return el("p", {}, "No trial has an internal rate of return: the cash flows never change sign.");
  return Plot.plot({
    title: "The financier's return per year",
    subtitle: `Left of ${P(0)} the financier loses money (${chance(S.investor.probLoss)} of trials); the bar at ${P(-1)} is losing everything (${chance(S.investor.probTotalLoss)}).${h.above ? ` ${formatNumber(h.above, loc)} trials above ${pct1(h.hi)} are in the last bar.` : ""}`,
    width,
    height: 145,
    marginLeft: 44,
    x: { label: "IRR per year (%) →", domain: [-1, h.hi], tickFormat: (d: number) => formatNumber(d * 100, loc, 0) },
    y: { label: "↑ Share of trials (%)", grid: true, tickFormat: (d: number) => formatNumber(d * 100, loc, 0) },
    marks: [
      Plot.rectY(h.bins, { x1: "x1", x2: "x2", y: "share", fill: "steelblue", insetLeft: 0.5, insetRight: 0.5 }),
      Plot.ruleX([0], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.ruleY([0]),
    ],
  });
}

/** The payer's net by budget year (avoided costs − payments): the median and bands of 50% and 90% of trials. */
export function payerNetChart(R: ExplorerFigures, { width }: { width: number }): Element {
  const S = R.summary;
  const { loc, money, P, unitM } = formats(R);
  const net = R.fans.netByYear.map((d) => ({ ...d, year: d.x + 1 }));
  // Calendar budget years when the contract has a start date ("2016"), else contract years (1, 2, …).
  const budgetYears = S.payer.budgetYears ?? [];
  const calendarYears = /^\d{4}$/.test(budgetYears[0] ?? "");
  const yearLabel = (y: number) => (calendarYears ? (budgetYears[y - 1] ?? `${y}`) : `${y}`);
  const spans = (ys: number[]) =>
    ys
      .reduce((out: [number, number][], y) => {
        const last = out[out.length - 1];
        if (last && last[1] === y - 1) last[1] = y;
        else out.push([y, y]);
        return out;
      }, [])
      .map(([a, b]) => (a === b ? yearLabel(a) : `${yearLabel(a)}–${yearLabel(b)}`))
      .join(", ")
      .replace(/, ([^,]*)$/, " and $1");
  const inYears = (ys: number[]) => (calendarYears ? spans(ys) : `${ys.length > 1 ? "years" : "year"} ${spans(ys)}`);
  const outYears = net.filter((d) => d.p50 < -1e-6).map((d) => d.year);
  const gainYears = net.filter((d) => d.p50 > 1e-6).map((d) => d.year);
  const notice = [outYears.length ? `out of pocket in ${inYears(outYears)}` : "", gainYears.length ? `ahead in ${inYears(gainYears)}` : ""].filter(Boolean).join("; ");
  return Plot.plot({
    title: "The payer's net money by budget year",
    subtitle: `Avoided placement costs minus payments to the financier, undiscounted. ${notice ? `In the median trial the payer is ${notice}` : `In the median trial the payer's net is nil in every year (mean ${money(S.payer.net?.mean)} in all)`}; the bands hold ${P(0.5)} and ${P(0.9)} of trials.`,
    width,
    height: 150,
    marginLeft: 44,
    x: { label: "Budget year →", ticks: net.map((d) => d.year), tickFormat: yearLabel, domain: [0.8, net.length + 0.2] },
    y: { label: `↑ Net for the payer (${unitM})`, grid: true, transform: (d: number) => d / 1e6, tickFormat: (d: number) => formatNumber(d, loc, 0) },
    marks: [
      Plot.areaY(net, { x: "year", y1: "p5", y2: "p95", fill: "steelblue", fillOpacity: 0.18 }),
      Plot.areaY(net, { x: "year", y1: "p25", y2: "p75", fill: "steelblue", fillOpacity: 0.35 }),
      Plot.ruleY([0], { stroke: "currentColor" }),
      Plot.line(net, { x: "year", y: "p50", stroke: "steelblue", strokeWidth: 2, marker: "circle" }),
      Plot.tip(net, Plot.pointerX({ x: "year", y: "p50", title: (d: (typeof net)[number]) => `Budget year ${yearLabel(d.year)}\nmedian ${money(d.p50)}\nmean ${money(d.mean)}\n90% between ${money(d.p5)} and ${money(d.p95)}` })),
    ],
  });
}

/** Links to the other pages, carrying the state. */
export function sideLinks(linkWithState: (path: string) => string): HTMLElement {
  const a = (path: string, text: string) => el("a", { href: linkWithState(path) }, text);
  return el(
    "p",
    { class: "explorer-footer" },
    "The address bar's link reproduces this scenario with its trials and seed. The same scenario from each side: ",
    a("./financier", "financier"), " · ", a("./payer", "payer"), " · ", a("./society", "society"), " · ", a("./methods", "methods and sources"), ".",
  );
}

/**
 * Writes each state to the page's URL, the last one winning: each write waits for the main thread
 * to be idle (compressing the state and replaceState take a few milliseconds that should not
 * delay a redraw), and a state already superseded is not written. Returns when it is written.
 */
export function urlWriter(write: (state: unknown) => Promise<void>): (state: unknown) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  let latest: unknown = null;
  const idle = () => new Promise<void>((done) => (typeof requestIdleCallback === "function" ? requestIdleCallback(() => done(), { timeout: 500 }) : setTimeout(done, 50)));
  return (state) => {
    latest = state;
    return (last = last
      .then(idle)
      .then(() => (latest === state ? write(state) : undefined))
      .catch(() => {}));
  };
}

/** What the page needs of Observable Inputs (passed in: the page imports it from node_modules). */
interface InputsLike {
  select(options: number[], o: { label: string; value: number; format: (n: number) => string }): HTMLElement & { value: unknown };
  text(o: { label: string; value: string; placeholder: string }): HTMLElement & { value: unknown };
}

/** Trials and seed as inputs of the editor's Simulation section; an empty seed is the default, digits a number. */
export function simulationInputs(Inputs: InputsLike, source: { scenario: unknown; trials: number; seed: string | number }): EditorExtra[] {
  const s = source.scenario;
  const choices = [...new Set([1000, 2000, 5000, 10000, 20000, 50000, 100000, source.trials])].sort((a, b) => a - b);
  const trials = Inputs.select(choices, { label: "Trials", value: source.trials, format: (n) => formatNumber(n, pageLocale("en"), 0) });
  const seed = Inputs.text({ label: "Seed", value: String(source.seed), placeholder: "a number or a word" });
  const toSeed = (x: unknown) => {
    const t = String(x).trim();
    return /^-?\d{1,15}$/.test(t) ? Number(t) : t === "" ? DEFAULT_SEED : t;
  };
  return [
    { section: "simulation", segments: ["simulation", "trials"], element: trials, label: "trials" },
    { section: "simulation", segments: ["simulation", "seed"], element: seed, label: "seed", map: toSeed },
  ];
}

/** The warning for a link that is there but was refused (unreadable, too large, too deep, bad trials). */
export function linkNotice(problem: LinkProblem | undefined): HTMLElement {
  return problem ? el("div", { class: "warning link-problem", role: "alert" }, describeLinkProblem(problem)) : el("span");
}
