/**
 * The Follow-up page's parts (src/follow-up.md): the form of quarterly rows, the worker call
 * (follow-up-worker.ts), the messages at the field, and the charts and tables of the forecast.
 * English number conventions throughout (en-GB, formatsFor("en", …)); money in millions of the
 * scenario's currency.
 */
import * as Plot from "@observablehq/plot";
import { csvParse } from "d3-dsv";
import type { FollowUpResult, FollowUpObservations, Quarter } from "../models/analysis/followUp.js";
import { parseObservationsCsv } from "../models/analysis/followUp.js";
import type { InputFit } from "../models/analysis/fit.js";
import { formatNumber, formatPercent, formatsFor } from "../models/format.js";

const LOCALE = "en-GB";
export const num = (x: number | null | undefined, digits = 0) => formatNumber(x, LOCALE, digits);
export const pct = (x: number | null | undefined, digits = 1) => formatPercent(x, LOCALE, digits);
export const msek = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "–" : `${formatNumber(x / 1e6, LOCALE, 2)} MSEK`);

/**
 * Money in millions to two decimals, English conventions: `1.23 MSEK`, `−£0.45M` (a quarter's
 * news moves a forecast by less than a tenth of a million). `unit` names it once for a header.
 */
export function millionsOf(currency: unknown): { unit: string; money: (x: number | null | undefined) => string } {
  const unit = formatsFor("en", typeof currency === "string" ? currency : "SEK").millionsUnit;
  const prefix = !unit.startsWith("M");
  const money = (x: number | null | undefined) => {
    if (x == null || !Number.isFinite(x)) return "–";
    if (!prefix) return `${formatNumber(x / 1e6, LOCALE, 2)} ${unit}`;
    const abs = formatNumber(Math.abs(x) / 1e6, LOCALE, 2);
    return `${x < 0 && abs !== formatNumber(0, LOCALE, 2) ? "\u2212" : ""}${unit.slice(0, -1)}${abs}M`;
  };
  return { unit, money };
}

/** The forecast after each quarter seen: children placed, the effects, the financier's and the payer's money (means). */
export function forecastTable(r: FollowUpResult, money: (x: number | null | undefined) => string): HTMLElement {
  const last = r.steps[r.steps.length - 1];
  const head = ["quarters seen", "children placed", ...(r.steps[0]?.effects ?? []).map((e) => `${e.label}: mean [5th–95th]`),
    `financier's NPV at ${pct(last?.money.financierRate)} (mean)`, "IRR of the expected cash flows", "chance the financier loses", "still to come to the financier (mean)", "payer's net, discounted (mean)"];
  const row = (s: FollowUpResult["steps"][number]) => el("tr", {}, ...[
    s.quarters === 0 ? "none (prior)" : String(s.quarters), s.placed == null ? "–" : String(s.placed),
    ...s.effects.map((e) => `${num(e.dist.mean, 3)} [${num(e.dist.p5, 2)}–${num(e.dist.p95, 2)}]`),
    money(s.money.financierNpv.mean), s.money.irrOfExpectedFlows == null ? "none" : pct(s.money.irrOfExpectedFlows),
    pct(s.money.lossChance, 0), money(s.money.toCome.mean), money(s.money.payerNetPV.mean),
  ].map((x) => el("td", {}, x)));
  return el("div", {},
    el("table", { id: "forecast" }, el("thead", {}, el("tr", {}, ...head.map((x) => el("th", {}, x)))), el("tbody", {}, ...r.steps.map(row))),
    el("p", { class: "muted" }, `“Still to come” is what the financier receives after the last quarter seen (outcome payments and any guarantee), nominal; its 5th–95th percentile after the last quarter is ${money(last?.money.toCome.p5)} to ${money(last?.money.toCome.p95)}. Means over the weighted trials; the IRR is that of the expected (mean) cash flows, never a mean of IRRs.`));
}

export interface FollowUpAnswer {
  result: FollowUpResult;
  labels: Record<string, string>;
  fit: { inputs: InputFit[]; ess: number; trials: number } | null;
  elapsedMs: number;
}

/** What the worker refused: the observations' field and quarter, and why. */
export class FollowUpInvalid extends Error {
  constructor(
    readonly path: string,
    readonly quarter: number | null,
    readonly reason: string,
  ) {
    super(`${path}${quarter !== null ? ` (quarter ${quarter})` : ""}: ${reason}`);
  }
}

let current: Worker | null = null;

/** One follow-up at a time: a new one ends the one in flight (whose promise never settles, so the page keeps its last good forecast). */
export function followUpInWorker(url: string, request: { scenario: unknown; observations: unknown; trials: number; seed: string | number }): Promise<FollowUpAnswer> {
  current?.terminate();
  const worker = (current = new Worker(url, { type: "module" }));
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const m = event.data;
      worker.terminate();
      if (current === worker) current = null;
      if (m.type === "result") resolve(m as FollowUpAnswer);
      else reject(new FollowUpInvalid(m.path, m.quarter, m.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the follow-up worker failed"));
    };
    worker.postMessage(request);
  });
}

/** Observations from a file's text: JSON, or CSV rows (quarter, one column per state, cost, delivered). */
export function observationsFromText(name: string, text: string): unknown {
  return /\.csv$/i.test(name) ? parseObservationsCsv(csvParse(text)) : JSON.parse(text);
}

/**
 * The quarterly rows as a form: one row a quarter (its number, the children in each state, the
 * quarter's cost, whether delivered as planned), with buttons to add and remove a quarter. Calls
 * `onChange` with the observations on every edit. Each field carries the path the engine names
 * in a message (`quarters[2].states.hvb`), so `showProblem` can put the message beside it.
 */
export function quartersForm(initial: FollowUpObservations, states: readonly string[], onChange: (obs: FollowUpObservations) => void): HTMLElement {
  const rest = { ...initial };
  let quarters: Quarter[] = structuredClone(initial.quarters);
  const body = el("tbody");
  const emit = () => onChange({ ...rest, quarters: structuredClone(quarters) });
  const field = (value: string, path: string, label: string, set: (v: string) => void) => {
    const input = el("input", { type: "number", value, step: "any", "data-path": path, "aria-label": label }) as HTMLInputElement;
    input.addEventListener("change", () => {
      set(input.value);
      emit();
    });
    return input;
  };
  const render = () => {
    body.replaceChildren(
      ...quarters.map((q, i) => {
        const at = `quarters[${i}]`;
        const delivered = el("input", { type: "checkbox", "data-path": `${at}.delivered`, "aria-label": `quarter ${q.quarter}: delivered as planned` }) as HTMLInputElement;
        delivered.checked = q.delivered === true;
        delivered.addEventListener("change", () => {
          q.delivered = delivered.checked;
          emit();
        });
        return el(
          "tr",
          {},
          el("td", {}, field(String(q.quarter), `${at}.quarter`, `row ${i + 1}: quarter`, (v) => (q.quarter = v === "" ? NaN : Number(v)))),
          ...states.map((s) => el("td", {}, field(String(q.states[s] ?? 0), `${at}.states.${s}`, `quarter ${q.quarter}: children in ${s}`, (v) => (q.states[s] = v === "" ? 0 : Number(v))))),
          el("td", {}, field(q.cost === undefined ? "" : String(q.cost), `${at}.cost`, `quarter ${q.quarter}: cost`, (v) => (v === "" ? delete q.cost : (q.cost = Number(v))))),
          el("td", {}, delivered),
        );
      }),
    );
  };
  render();
  const add = el("button", { type: "button", id: "add-quarter" }, "Add a quarter");
  const remove = el("button", { type: "button", id: "remove-quarter" }, "Remove the last quarter");
  add.onclick = () => {
    const last = quarters[quarters.length - 1];
    quarters.push({ quarter: (last?.quarter ?? 0) + 1, states: { ...(last?.states ?? {}) }, ...(last?.delivered !== undefined ? { delivered: last.delivered } : {}) });
    render();
    emit();
  };
  remove.onclick = () => {
    if (quarters.length > 1) quarters = quarters.slice(0, -1);
    render();
    emit();
  };
  const head = el("tr", {}, el("th", {}, "quarter"), ...states.map((s) => el("th", {}, s)), el("th", {}, "cost (SEK, optional)"), el("th", {}, "delivered"));
  return el("div", { class: "follow-up-form" }, el("table", {}, el("thead", {}, head), body), el("p", { class: "follow-up-problem", role: "alert", hidden: "" }), el("p", {}, add, " ", remove));
}

/** A DOM element with attributes and children (text or elements). */
function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if ("value" in attrs) (e as HTMLInputElement).value = attrs.value!;
  e.append(...children);
  return e;
}

/** Puts the message beside the field it names (or above the form), or clears every message when `problem` is null. */
export function showProblem(form: HTMLElement, problem: FollowUpInvalid | null): void {
  for (const e of form.querySelectorAll(".field-error")) e.remove();
  for (const e of form.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
  const top = form.querySelector(".follow-up-problem") as HTMLElement;
  top.hidden = true;
  if (!problem) return;
  const text = `${problem.quarter !== null ? `Quarter ${problem.quarter}: ` : ""}${problem.reason}`;
  const input = form.querySelector(`[data-path="${CSS.escape(problem.path)}"]`) ?? (problem.path.endsWith(".states") ? form.querySelector(`[data-path^="${CSS.escape(problem.path)}."]`) : null);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.insertAdjacentElement("afterend", el("span", { class: "field-error", role: "alert" }, text));
  } else {
    top.textContent = `${problem.path}: ${text}`;
    top.hidden = false;
  }
}

/** A chart's width from the page's: at least 320 px (the page reports 0 before it is laid out), at most 900. */
const chartWidth = (pageWidth: number) => Math.max(320, Math.min(900, pageWidth || 0));

/** The placement effects' posterior mean and 90% interval after each quarter seen (0 = the prior). */
export function effectChart(r: FollowUpResult, pageWidth: number): SVGSVGElement | HTMLElement {
  const width = chartWidth(pageWidth);
  const rows = r.steps.flatMap((s) => s.effects.map((e) => ({ quarters: s.quarters, effect: e.label, mean: e.dist.mean, p5: e.dist.p5, p95: e.dist.p95 })));
  return Plot.plot({
    width,
    height: 280,
    x: { label: "quarters seen (0 = the prior)", ticks: r.steps.length, tickFormat: "d" },
    y: { label: "rate ratio (mean, 5th–95th percentile)", grid: true },
    color: { legend: true },
    marks: [
      Plot.ruleY([1], { stroke: "#999", strokeDasharray: "4 3" }),
      Plot.areaY(rows, { x: "quarters", y1: "p5", y2: "p95", fill: "effect", fillOpacity: 0.15 }),
      Plot.line(rows, { x: "quarters", y: "mean", stroke: "effect", marker: "circle" }),
    ],
  });
}

/** The financier's expected NPV and the payer's expected net (discounted) as forecast after each quarter. */
export function moneyChart(r: FollowUpResult, pageWidth: number, unit = "MSEK"): SVGSVGElement | HTMLElement {
  const width = chartWidth(pageWidth);
  const rows = r.steps.flatMap((s) => [
    { quarters: s.quarters, who: "financier: expected NPV", value: s.money.financierNpv.mean / 1e6 },
    { quarters: s.quarters, who: "payer: expected net (PV)", value: s.money.payerNetPV.mean / 1e6 },
  ]);
  return Plot.plot({
    width,
    height: 240,
    x: { label: "quarters seen (0 = the prior)", ticks: r.steps.length, tickFormat: "d" },
    y: { label: `${unit} (means over the weighted trials)`, grid: true },
    color: { legend: true },
    marks: [Plot.ruleY([0]), Plot.line(rows, { x: "quarters", y: "value", stroke: "who", marker: "circle" })],
  });
}

/** Each input's move, in prior standard deviations, and its posterior sd as a share of the prior's. */
export function inputsChart(inputs: readonly { path: string; prior: { mean: number; sd: number }; posterior: { mean: number; sd: number } }[], labels: Record<string, string>, pageWidth: number): SVGSVGElement | HTMLElement {
  const width = chartWidth(pageWidth);
  const rows = inputs
    .filter((i) => i.prior.sd > 0)
    .map((i) => ({ input: labels[i.path] ?? i.path, moved: (i.posterior.mean - i.prior.mean) / i.prior.sd, narrowed: i.posterior.sd / i.prior.sd }));
  return Plot.plot({
    width,
    marginLeft: Math.min(330, width / 2),
    height: 24 * rows.length + 50,
    x: { label: "posterior mean − prior mean, in prior sds", grid: true },
    y: { label: null, tickFormat: (t: string) => (t.length > 52 ? `${t.slice(0, 51)}…` : t) },
    marks: [Plot.ruleX([0]), Plot.barX(rows, { y: "input", x: "moved", fill: "steelblue", sort: { y: "x", reduce: (v: number[]) => -Math.abs(v[0] ?? 0) } })],
  });
}

export type { FollowUpObservations };
