/**
 * Drawing a reference case: where a published result falls in the kit's distribution of the
 * same quantity (precomputed by src/data/reference-cases.json.ts), in words and as a histogram.
 */
import * as Plot from "@observablehq/plot";
import { formatChance, formatMillions, formatNumber, formatPercent, pageLocale } from "../models/format.js";

/** The reference-case page is English: English conventions for every case, whatever its currency (7.1 MSEK, −3.4%). */
const LOCALE = pageLocale("en");
import { percentTicks } from "./charts.js";

export interface Bin { x0: number; x1: number; share: number }
export interface CaseActual {
  label: string;
  metric: { kind: string; measure?: string; cohort?: number };
  value: number;
  side: "value" | "atMost";
  published: string;
  source: string;
  caveat?: string;
  rank: { below: number; atOrBelow: number; n: number };
  dist: { p5: number; p50: number; p95: number; mean: number } | null;
  bins: Bin[];
}

/** Money metrics are shown in millions, the rest as percentages. */
export function metricFormat(kind: string, currency: string): (x: number) => string {
  return kind === "profit" || kind === "payments" ? (x) => formatMillions(x, currency, LOCALE) : (x) => formatPercent(x, LOCALE, Math.abs(x) < 0.1 ? 1 : 0);
}

/** A result is in a tail when fewer than 5 % of trials are as far out on its side. */
export function tailOf(a: CaseActual): "low" | "high" | null {
  if (a.side === "atMost") return a.rank.atOrBelow < 0.05 ? "low" : null;
  if (a.rank.atOrBelow < 0.05) return "low";
  if (a.rank.below > 0.95) return "high";
  return null;
}

/** Where the published result falls, in one sentence. */
export function rankSentence(a: CaseActual, currency: string): string {
  const pct = (x: number) => formatChance(x, LOCALE);
  const f = metricFormat(a.metric.kind, currency);
  if (a.side === "atMost") return `In ${pct(a.rank.atOrBelow)} of simulated contracts the result was ${f(a.value)} or worse, as it was in reality.`;
  const above = 1 - a.rank.atOrBelow;
  if (a.rank.below >= 1) return `Every simulated contract came out below ${f(a.value)}: the published result lies beyond the whole distribution.`;
  if (a.rank.atOrBelow <= 0) return `Every simulated contract came out above ${f(a.value)}: the published result lies beyond the whole distribution.`;
  return `${pct(a.rank.below)} of simulated contracts came out below ${f(a.value)}, ${pct(above)} above it.`;
}

/** Histogram of the kit's distribution with the published result as a red line. */
export function actualChart(a: CaseActual, currency: string, width = 640): SVGSVGElement | HTMLElement {
  const f = metricFormat(a.metric.kind, currency);
  const locale = LOCALE;
  // The label goes on the side of the line with room for it.
  const lo = a.bins[0]?.x0 ?? a.value, hi = a.bins[a.bins.length - 1]?.x1 ?? a.value;
  const right = a.value > (lo + hi) / 2;
  return Plot.plot({
    width,
    height: 200,
    marginLeft: 48,
    subtitle: `Share of ${formatNumber(a.rank.n, locale)} simulated contracts by ${a.label.toLowerCase()}; the red line is the published result (${a.published}).`,
    x: { label: `${a.label} →`, tickFormat: f },
    y: { label: "↑ Share of trials", tickFormat: percentTicks(currency, 0, LOCALE), grid: true },
    marks: [
      Plot.rectY(a.bins, { x1: "x0", x2: "x1", y: "share", fill: "steelblue", insetLeft: 0.5, insetRight: 0.5 }),
      Plot.ruleX([a.value], { stroke: "#c0392b", strokeWidth: 2.5 }),
      Plot.text([a.value], { x: (d: number) => d, frameAnchor: "top", dy: -2, text: () => "published", fill: "#c0392b", textAnchor: right ? "end" : "start", dx: right ? -4 : 4 }),
      Plot.ruleY([0]),
    ],
  });
}

// An address in a source's text: https://…, or a bare domain such as framtid.norrkoping.se.
const ADDRESS = /\bhttps?:\/\/[^\s;,)"”]+|\b(?:[a-z0-9-]+\.)+(?:se|nu|org|com|gov|uk|dk|no|net|edu|eu|int)(?:\/[^\s;,)"”]*)?(?![\w.-]*@)/gi;

/**
 * A source's text with every address in it made a link a reader can follow (a bare domain gets
 * https://), the rest as text; for Methods and the reference cases (issue 13 item 13).
 */
export function linkedSource(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const m of text.matchAll(ADDRESS)) {
    let address = m[0];
    // A full stop or colon that ends the sentence is not part of the address.
    address = address.replace(/[.:]+$/, "");
    const start = m.index ?? 0;
    out.append(text.slice(at, start));
    const a = document.createElement("a");
    a.href = /^https?:\/\//i.test(address) ? address : `https://${address}`;
    a.textContent = address;
    a.rel = "noreferrer";
    out.append(a);
    at = start + address.length;
  }
  out.append(text.slice(at));
  return out;
}
