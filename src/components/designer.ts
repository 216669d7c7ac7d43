/**
 * "Suggest terms" on the Negotiation page: the contract designer's front (models/analysis/
 * designer.ts) as a scatter of the payer's expected net against the financier's expected NPV,
 * coloured by the chance of paying for nothing, each point's terms on hover and a click away in
 * the explorer; and, where no contract meets every need, what would have to give.
 */
import * as Plot from "@observablehq/plot";
import { DESIGN_NEED_LABELS, DESIGN_NEED_UNITS, type Candidate, type DesignResult } from "../models/analysis/designer.js";
import { parsePath, setPath } from "../models/analysis/path.js";
import { describePath } from "../models/analysis/labels.js";
import { formatMillions, formatMoney, formatNumber, formatPercent, millionsUnit, pageLocale } from "../models/format.js";
import { encodeState } from "./state.js";

/** The scenario with a candidate's terms written in. */
export function withTerms(scenario: unknown, terms: Readonly<Record<string, number>>): unknown {
  const json = structuredClone(scenario) as Record<string, unknown>;
  for (const [path, value] of Object.entries(terms)) setPath(json, parsePath(path, json), value, path);
  return json;
}

/** An explorer link for each candidate: the scenario with its terms, the same trials and seed. */
export async function explorerLinks(scenario: unknown, candidates: readonly Candidate[], trials: number, seed: string | number): Promise<string[]> {
  return Promise.all(candidates.map(async (c) => "./explorer#" + (await encodeState({ scenario: withTerms(scenario, c.terms), trials, seed }))));
}

const termText = (scenario: unknown, r: DesignResult, c: Candidate, locale: string) =>
  r.free.map((f) => `${describePath(scenario, f.path)}: ${formatNumber(c.terms[f.path], locale, 3)}`).join("\n");

/** The front as a scatter: payer's expected net (x) against the financier's expected NPV (y); a ring for the scenario's own terms. */
export function designFrontChart(scenario: unknown, r: DesignResult, links: readonly string[], options: { width?: number } = {}): SVGSVGElement | HTMLElement {
  const locale = pageLocale("en");
  const m = (x: number) => x / 1e6;
  const unit = millionsUnit(r.currency, locale);
  const points = r.front.map((c, i) => ({
    x: m(c.figures.payer.meanNet),
    y: m(c.figures.financier.expectedNpv),
    nothing: c.figures.payer.probPayForNothing,
    href: links[i],
    title: `${termText(scenario, r, c, locale)}\n\npayer's expected net ${formatMillions(c.figures.payer.meanNet, r.currency, locale)}\nfinancier's expected NPV ${formatMillions(c.figures.financier.expectedNpv, r.currency, locale)}\nchance of paying for nothing ${formatPercent(c.figures.payer.probPayForNothing, locale, 1)}\n(click to open in the explorer)`,
  }));
  const current = { x: m(r.current.figures.payer.meanNet), y: m(r.current.figures.financier.expectedNpv) };
  const figure = Plot.plot({
    width: options.width ?? 640,
    height: 340,
    grid: true,
    x: { label: `Payer's expected net saving (${unit}) →`, tickFormat: (x: number) => formatNumber(x, locale, 1) },
    y: { label: `↑ Financier's expected NPV (${unit})`, tickFormat: (x: number) => formatNumber(x, locale, 1) },
    color: { label: "Chance of paying for nothing", type: "linear", domain: [0, Math.max(0.2, ...points.map((p) => p.nothing))], range: ["#2e8b57", "#c0392b"], legend: true, tickFormat: (x: number) => formatPercent(x, locale, 0) },
    marks: [
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.dot([current], { x: "x", y: "y", r: 7, stroke: "#333", strokeWidth: 1.5, fill: "none", title: () => "The scenario's own terms" }),
      Plot.text([current], { x: "x", y: "y", text: () => "the terms as written", dx: -10, textAnchor: "end", fill: "#333" }),
      Plot.dot(points, { x: "x", y: "y", fill: "nothing", r: 6, stroke: "#333", strokeWidth: 0.5, href: "href", title: "title", tip: false }),
    ],
  });
  figure.setAttribute("role", "img");
  figure.setAttribute(
    "aria-label",
    `Scatter of ${r.front.length} contracts that meet every need: the payer's expected net saving from ${formatMillions(Math.min(...r.front.map((c) => c.figures.payer.meanNet)), r.currency, locale)} to ${formatMillions(Math.max(...r.front.map((c) => c.figures.payer.meanNet)), r.currency, locale)} against the financier's expected NPV.`,
  );
  return figure;
}

/** An element with text and children (no HTML is parsed: scenario text stays text). */
function el(tag: string, ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const c of children) if (c) e.append(c);
  return e;
}

/** What would have to give when no contract meets every need: a sentence per need, the closest contract. */
export function designVerdict(scenario: unknown, r: DesignResult, links: { closest?: string } = {}, shown = r.front.length): HTMLElement {
  const locale = pageLocale("en");
  const value = (id: keyof typeof DESIGN_NEED_UNITS, x: number) => (DESIGN_NEED_UNITS[id] === "money" ? formatMoney(x, r.currency, locale) : formatPercent(x, locale, 1));
  if (r.front.length) {
    return el(
      "p",
      `${formatNumber(r.acceptable, locale)} of the ${formatNumber(r.evaluations.distinct, locale)} contracts evaluated meet every need; ${formatNumber(r.front.length, locale)} of them are on the front: no other beats them for the payer, the financier and the chance of paying for nothing at once${r.front.length > shown ? ` (${formatNumber(shown, locale)} drawn, spread along it)` : ""}. Hover a point for its terms; click it to open it in the explorer.`,
    );
  }
  const relax = (r.relaxations ?? []).map((x) =>
    el("li", `${DESIGN_NEED_LABELS[x.need]}: ${value(x.need, x.stated)} stated; `, x.needed === null ? "relaxing it alone is not enough" : el("strong", value(x.need, x.needed)), x.needed === null ? "" : " would make a contract acceptable"),
  );
  const c = r.closest;
  const closest = c
    ? el(
        "p",
        `The contract closest to every need at once (${termText(scenario, r, c.candidate, locale).replace(/\n/g, "; ")}) misses `,
        ...c.misses.flatMap((m, i) => [
          i ? "; " : "",
          i === 0 ? el("strong", DESIGN_NEED_LABELS[m.need]) : DESIGN_NEED_LABELS[m.need],
          i === 0 ? " (binds hardest)" : "",
          `: ${value(m.need, m.stated)} stated, it gives ${m.needed === null ? "no finite figure" : value(m.need, m.needed)}`,
        ]),
        ". ",
        links.closest ? Object.assign(el("a", "Open it in the explorer →"), { href: links.closest }) : "",
      )
    : null;
  const box = el("div", el("p", el("strong", `No contract of the ${formatNumber(r.evaluations.distinct, locale)} evaluated meets every need.`), " The smallest change to one need, the others as stated:"), el("ul", ...relax), closest);
  box.className = "designer-verdict";
  return box;
}

/** The terms the designer may move, with their bounds: the page's preset where the contract has them, else its first three terms. */
export function designerTerms(terms: readonly { path: string; value: number }[], defaultRange: (t: { path: string; value: number }) => [number, number]): [string, number, number][] {
  const preset: [string, number, number][] = [
    ["contract.rules[savings].share", 0, 1],
    ["contract.rules[return].cap.ofCapital", 0, 0.5],
    ["contract.rules[activity].amount.ofCapital", 0, 1.5],
  ];
  const have = preset.filter(([path]) => terms.some((t) => t.path === path));
  return have.length ? have : terms.slice(0, 3).map((t) => [t.path, ...defaultRange(t)]);
}

/** The free terms as the form states them (`use<k>`, `from<k>`, `to<k>`), or messages naming the term. */
export function designerFree(list: readonly [string, number, number][], form: Record<string, unknown>, label: (path: string) => string): { free: { path: string; min: number; max: number }[]; errors: string[] } {
  const free: { path: string; min: number; max: number }[] = [], errors: string[] = [];
  list.forEach(([path], k) => {
    if (!form[`use${k}`]) return;
    const lo = form[`from${k}`], hi = form[`to${k}`];
    if (typeof lo !== "number" || typeof hi !== "number" || !Number.isFinite(lo) || !Number.isFinite(hi)) errors.push(`${label(path)}: give a number in "from" and in "to"`);
    else if (lo > hi) errors.push(`${label(path)}: "from" must not be above "to"`);
    else free.push({ path, min: lo, max: hi });
  });
  if (!free.length && !errors.length) errors.push("Tick at least one term for the designer to move");
  return { free, errors };
}

/** At most `n` points of a front, spread evenly along it. */
export function spreadAlong<T>(front: readonly T[], n = 40): T[] {
  return front.length <= n ? [...front] : Array.from({ length: n }, (_, i) => front[Math.round((i * (front.length - 1)) / (n - 1))]!);
}
