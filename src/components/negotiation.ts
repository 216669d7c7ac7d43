/**
 * Helpers for the Negotiation page: which fields can be varied, the grid a user asks for (with
 * a message naming the field when it cannot be), and the charts of the zone of agreement, the
 * operating curves of measurement designs and the tornado.
 */
import * as Plot from "@observablehq/plot";
import type { Cell, NeedId, Verdict, Zone } from "../models/index.js";
import { describePath, measureLabel } from "../models/analysis/labels.js";
import { formatsFor } from "../models/format.js";

export interface Field {
  readonly path: string;
  readonly value: number;
}

/**
 * The numbers under `root` (e.g. "contract"), as JSON paths with rule ids in brackets, skipping
 * periods and ids. A fixed figure written as {value, source} counts as its value.
 */
export function numericFields(json: unknown, root: string): Field[] {
  const out: Field[] = [];
  const walk = (node: unknown, path: string, key: string) => {
    if (typeof node === "number") {
      if (!/period|Periods$/i.test(key)) out.push({ path, value: node });
    } else if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, `${path}[${x && typeof x === "object" && typeof x.id === "string" ? x.id : i}]`, key));
    } else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (typeof o.value === "number" && Object.keys(o).every((k) => ["value", "source", "note"].includes(k))) {
        out.push({ path, value: o.value });
        return;
      }
      for (const [k, v] of Object.entries(o)) if (k !== "source" && k !== "note") walk(v, `${path}.${k}`, k);
    }
  };
  walk((json as Record<string, unknown>)?.[root], root, root);
  return out;
}

/** A default range around a term's value: shares and fractions of capital 0–1, else 0–2×. */
export function defaultRange(field: Field): [number, number] {
  if (/share|ofCapital|threshold|minImprovement|from$/i.test(field.path) && field.value <= 1) return [0, Math.max(1, field.value)];
  return [0, field.value > 0 ? field.value * 2 : 1];
}

export interface TermSpec {
  path: string;
  from: number | null;
  to: number | null;
  steps: number | null;
}

/** Values for a term, or a message naming what is wrong. */
export function termValues(t: TermSpec, label: string): { values: number[] } | { error: string } {
  if (!t.path) return { error: `${label}: choose a term` };
  if (t.from === null || !Number.isFinite(t.from) || t.to === null || !Number.isFinite(t.to)) return { error: `${label}: from and to must be numbers` };
  if (!(t.to > t.from)) return { error: `${label}: "to" must be larger than "from"` };
  if (t.steps === null || !Number.isInteger(t.steps) || t.steps < 2 || t.steps > 41) return { error: `${label}: steps must be a whole number from 2 to 41` };
  const k = t.steps;
  return { values: Array.from({ length: k }, (_, i) => +(t.from! + ((t.to! - t.from!) * i) / (k - 1)).toPrecision(12)) };
}

/**
 * The grid a link asks for: up to two `vary=<path>=<from>:<to>:<steps>` parameters after the
 * state in the fragment (`#s=…&vary=…&vary=…`), in the form of `utfall sweep --vary`, the term
 * down the side first. Parameters that do not have that form are left out (the page's defaults
 * apply); termValues checks the numbers.
 */
export function gridFromFragment(hash: string): TermSpec[] {
  const out: TermSpec[] = [];
  for (const part of hash.replace(/^#/, "").split("&")) {
    if (!part.startsWith("vary=") || out.length === 2) continue;
    let spec: string;
    try {
      spec = decodeURIComponent(part.slice(5));
    } catch {
      continue;
    }
    const m = /^(.+)=([^:=]*):([^:=]*):([^:=]*)$/.exec(spec);
    if (!m) continue;
    const num = (x: string) => (x.trim() === "" || !Number.isFinite(Number(x)) ? null : Number(x));
    out.push({ path: m[1]!, from: num(m[2]!), to: num(m[3]!), steps: num(m[4]!) });
  }
  return out;
}

/** `hash` with its `vary=` parameters replaced by these terms' (the state and anything else kept). */
export function fragmentWithGrid(hash: string, terms: readonly TermSpec[]): string {
  const kept = hash.replace(/^#/, "").split("&").filter((p) => p && !p.startsWith("vary="));
  const vary = terms.map((t) => "vary=" + encodeURIComponent(`${t.path}=${t.from}:${t.to}:${t.steps}`));
  return "#" + [...kept, ...vary].join("&");
}

export const ZONE_CATEGORIES = ["both parties agree", "financier's needs fail", "payer's needs fail", "both parties' needs fail"] as const;
const ZONE_COLORS = ["#2e8b57", "#e67e22", "#2c6fbb", "#c8c8c8"];

export function zoneCategory(failing: readonly NeedId[]): string {
  const financier = failing.some((id) => id.startsWith("financier")), payer = failing.some((id) => id.startsWith("payer"));
  return ZONE_CATEGORIES[financier ? (payer ? 3 : 1) : payer ? 2 : 0];
}

/** What a cell can be coloured by: agreement, or one party's figure (with a diverging scheme around the need). */
export const COLOUR_BY = {
  agreement: { label: "Which needs are met" },
  irr: { label: "Financier: IRR of the expected cash flows", get: (c: Cell) => c.financier.irrOfExpectedFlows, need: "financier.irr" as NeedId },
  loss: { label: "Financier: chance of loss", get: (c: Cell) => c.financier.probLoss, need: "financier.loss" as NeedId },
  net: { label: "Payer: expected net saving", get: (c: Cell) => c.payer.meanNet, need: "payer.net" as NeedId },
  nothing: { label: "Payer: chance of paying for nothing", get: (c: Cell) => c.payer.probPayForNothing, need: "payer.payForNothing" as NeedId },
} as const;
export type ColourBy = keyof typeof COLOUR_BY;

/** Whether a colouring is a probability (its legend spans 0–100%, never beyond). */
export const isChance = (colourBy: ColourBy) => colourBy === "loss" || colourBy === "nothing";

/** The zone's edge as drawn: a white frame with a dark line inside it, so it shows on green as on grey. */
export const EDGE_STYLE = { outer: "white", inner: "#123d24" } as const;

export function zoneChart(
  zone: Zone,
  o: {
    xPath: string; yPath: string; xLabel: string; yLabel: string; current?: { x: number; y: number } | null;
    xFormat: (x: number) => string; yFormat: (x: number) => string; width: number; tip: (cell: Cell, verdict: Verdict) => string;
    cells: readonly (Cell | undefined)[]; colourBy: ColourBy; threshold?: number; valueFormat: (x: number) => string;
  },
): SVGSVGElement | HTMLElement {
  const data = zone.verdicts.flatMap((v, i) => {
    const cell = o.cells[i];
    if (!v || !cell) return [];
    const spec = COLOUR_BY[o.colourBy];
    const value = "get" in spec ? spec.get(cell) : null;
    return [{ x: v.at[o.xPath]!, y: v.at[o.yPath]!, category: zoneCategory(v.failing), value, binding: v.binding.length > 0, cell, verdict: v }];
  });
  const byValue = o.colourBy !== "agreement";
  const values = data.map((d) => d.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const chanceScale = isChance(o.colourBy);
  const lo = values.length ? Math.min(...values) : 0, hi = values.length ? Math.max(...values) : 1;
  const color: Plot.ScaleOptions = byValue
    ? {
        type: "diverging",
        // Diverging around the party's need: one side meets it, the other fails. Plot makes a
        // diverging domain symmetric around the pivot by default, which put a chance's legend
        // at −50% to 100%: a chance keeps 0–100%, any other figure its own range.
        pivot: o.threshold ?? 0,
        symmetric: false,
        scheme: chanceScale ? "PiYG" : "RdYlGn",
        reverse: chanceScale,
        domain: chanceScale ? [0, 1] : [Math.min(lo, o.threshold ?? lo), Math.max(hi, o.threshold ?? hi)],
        legend: true,
        label: COLOUR_BY[o.colourBy].label,
        tickFormat: o.valueFormat,
      }
    : { domain: [...ZONE_CATEGORIES], range: ZONE_COLORS, legend: true };
  const edge = data.filter((d) => d.binding);
  return Plot.plot({
    width: o.width,
    height: Math.min(520, Math.max(320, o.width * 0.6)),
    marginLeft: 64,
    marginBottom: 44,
    x: { type: "band", label: o.xLabel, tickFormat: o.xFormat, ticks: thin(data.map((d) => d.x), o.width < 560 ? 5 : 11) },
    y: { type: "band", label: o.yLabel, tickFormat: o.yFormat, reverse: true, ticks: thin(data.map((d) => d.y)) },
    color,
    marks: [
      Plot.cell(data, { x: "x", y: "y", fill: byValue ? (d) => d.value ?? NaN : "category", inset: 0.5, tip: true, title: (d) => o.tip(d.cell, d.verdict) }),
      // The zone's edge: cells inside it whose neighbour fails a need (the binding need).
      Plot.cell(edge, { x: "x", y: "y", stroke: EDGE_STYLE.outer, strokeWidth: 2.5, inset: 2 }),
      Plot.cell(edge, { x: "x", y: "y", stroke: EDGE_STYLE.inner, strokeWidth: 1, inset: 4 }),
      o.current ? Plot.dot([o.current], { x: "x", y: "y", r: 7, stroke: "black", strokeWidth: 2.5, fill: "none" }) : null,
    ],
  });
}

/** At most about `count` tick labels on a band axis. */
function thin(values: number[], count = 11): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const every = Math.ceil(distinct.length / count);
  return distinct.filter((_, i) => i % every === 0 || i === distinct.length - 1);
}

/** How the page writes a scenario's figures: its currency's locale, millions, percentages, chances, labels. */
export interface PageFormat {
  readonly cur: string;
  /** The page's locale: en-GB (an English page, whatever the currency). */
  readonly loc: string;
  /** The unit of a millions axis: "MSEK", "£M". */
  readonly unit: string;
  readonly mn: (x: number | null | undefined) => string;
  /** Whole units of money: `SEK 10,000,000`, `£3,100,000`. */
  readonly money: (x: number | null | undefined) => string;
  readonly pct: (x: number | null | undefined, digits?: number) => string;
  readonly chance: (p: number | null | undefined) => string;
  readonly num: (x: number | null | undefined, digits?: number) => string;
  /** A reader's label for a path (models/analysis/labels.ts). */
  readonly label: (path: string) => string;
  /** A reader's label for a measure id ("placement.cost" → "Placement: cost"). */
  readonly measure: (id: string) => string;
  /** How a term's values are written: shares and fractions of capital in %, money in millions. */
  readonly term: (path: string) => (x: number) => string;
}

/** The Negotiation page's formatters: English conventions (formatsFor("en", …)) whatever the currency. */
export function pageFormat(scenario: unknown, currency: string): PageFormat {
  const en = formatsFor("en", currency);
  const pct = (x: number | null | undefined, digits = 0) => en.percent(x, digits);
  return {
    cur: currency,
    loc: en.locale,
    unit: en.millionsUnit,
    mn: en.millions,
    money: en.money,
    pct,
    chance: en.chance,
    num: en.number,
    label: (path) => describePath(scenario, path),
    measure: (id) => measureLabel(scenario, id),
    term: (path) =>
      /share|ofCapital|threshold|minImprovement/i.test(path) ? (x) => pct(x, 0)
      : /capital|pricePerUnit|amount|totalCap|guarantee/i.test(path) ? en.millions
      : (x) => en.number(x, 2),
  };
}

/** A worker's refusal in words: each problem's field and message. */
export function refusalText(e: { problems?: { path: string; message: string }[]; message?: string }): string {
  return e.problems ? e.problems.map((p) => `${p.path}: ${p.message}`).join("; ") : String(e.message);
}

type Child = Node | string | number | null | undefined | false;
/** An element with properties and children (no HTML is parsed: scenario text stays text). */
export function h(tag: string, props: Record<string, string | number | boolean | null | undefined> | null = null, ...children: (Child | Child[])[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = String(v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(typeof c === "number" ? String(c) : c);
  return e;
}

/** Options for a select of paths: each under its reader's label, with the path only where two share a label. */
export function labelledOptions(paths: readonly string[], f: Pick<PageFormat, "label">): Map<string, string> {
  const labels = paths.map((p) => f.label(p));
  return new Map(paths.map((p, i) => [labels.filter((l) => l === labels[i]).length > 1 ? `${labels[i]} (${p})` : labels[i]!, p]));
}
