/**
 * The cash waterfall for the Financier's page: where one trial's money went, for a typical
 * trial and a bad one (by the financier's profit). The flows come from models/contract/moneyFlows.ts.
 */
import * as Plot from "@observablehq/plot";
import { formatMillions } from "../models/format.js";
import type { MoneyFlowYear } from "../models/index.js";
import { millionsAxis } from "./charts.js";

export interface WaterfallCase {
  trial: number;
  profit: number;
  unfunded: number;
  years: MoneyFlowYear[];
}
type Cases = { median: WaterfallCase; bad: WaterfallCase };

const ROWS = [
  { key: "capital", label: "Financier → contract: capital drawn", sign: -1 },
  { key: "payments", label: "Payer → contract: outcome payments", sign: 1 },
  { key: "toProvider", label: "Contract → provider: delivery paid and its share of surplus", sign: 0 },
  { key: "toIntermediary", label: "Contract → intermediary: fees", sign: 0 },
  { key: "toFinancier", label: "Contract → financier: distributions", sign: 1 },
  { key: "guarantee", label: "Guarantor → financier", sign: 1 },
] as const;
type Key = (typeof ROWS)[number]["key"];
const COLOR: Record<Key, string> = { capital: "#4e79a7", payments: "#c0392b", toProvider: "#76b7b2", toIntermediary: "#b07aa1", toFinancier: "#f28e2b", guarantee: "#999999" };

const total = (years: MoneyFlowYear[], k: Key) => years.reduce((a, y) => a + y[k], 0);

/** The two trials' totals, one row per step of the waterfall; rows that are zero in both are left out. */
export function waterfallTable(cases: Cases, currency: string, commitment: number, locale?: string): HTMLElement {
  const mn = (x: number) => formatMillions(x, currency, locale);
  const rows = ROWS.filter((r) => Math.abs(total(cases.median.years, r.key)) + Math.abs(total(cases.bad.years, r.key)) > 0.5);
  const received = (c: WaterfallCase) => total(c.years, "toFinancier") + total(c.years, "guarantee");
  const drawn = (c: WaterfallCase) => total(c.years, "capital");
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const cell = (t: string) => `<td class="num">${esc(t)}</td>`;
  const body = rows
    .map((r) => `<tr><td><span class="swatch" style="background:${COLOR[r.key]}"></span> ${esc(r.label)}</td>${cell(mn(total(cases.median.years, r.key)))}${cell(mn(total(cases.bad.years, r.key)))}</tr>`)
    .join("");
  const table = document.createElement("table");
  table.className = "waterfall";
  table.innerHTML = `<thead><tr><th>Step</th><th class="num">Typical trial (#${cases.median.trial + 1})</th><th class="num">Bad trial (#${cases.bad.trial + 1})</th></tr></thead>
    <tbody>${body}
    ${cases.median.unfunded + cases.bad.unfunded > 0.5 ? `<tr><td>Delivery no one could fund (the commitment ran out before payments came)</td>${cell(mn(cases.median.unfunded))}${cell(mn(cases.bad.unfunded))}</tr>` : ""}
    <tr class="total"><td>Financier: received ÷ drawn (of ${esc(mn(commitment))} committed)</td>${cell(`${mn(received(cases.median))} ÷ ${mn(drawn(cases.median))}`)}${cell(`${mn(received(cases.bad))} ÷ ${mn(drawn(cases.bad))}`)}</tr>
    <tr class="total"><td>Financier: profit</td>${cell(mn(cases.median.profit))}${cell(mn(cases.bad.profit))}</tr></tbody>`;
  return table;
}

/** Each step by contract year for both trials: money into the contract up, out of it down. */
export function waterfallByYearChart(cases: Cases, currency: string, width: number, locale?: string): SVGSVGElement | HTMLElement {
  const axis = millionsAxis(currency, locale);
  const name = { median: "Typical trial", bad: "Bad trial for the financier" };
  const used = ROWS.filter((r) => Math.abs(total(cases.median.years, r.key)) + Math.abs(total(cases.bad.years, r.key)) > 0.5);
  // Into the contract (capital, payments) above zero; out of it (to the parties) below.
  const into = new Set<Key>(["capital", "payments"]);
  // Years after the last in which anything moves, in either trial, are left out.
  const moves = (y: MoneyFlowYear) => used.some((r) => Math.abs(y[r.key]) > 0.5);
  const lastYear = Math.max(0, ...(["median", "bad"] as const).flatMap((c) => cases[c].years.filter(moves).map((y) => y.year)));
  const data = (["median", "bad"] as const).flatMap((c) =>
    cases[c].years.filter((y) => y.year <= lastYear).flatMap((y) => used.map((r) => ({ case: name[c], year: `Year ${y.year + 1}`, step: r.label, value: (into.has(r.key) ? 1 : -1) * y[r.key] }))),
  );
  return Plot.plot({
    width: Math.min(width, 900),
    height: 360,
    marginLeft: 56,
    marginTop: 40,
    style: { fontSize: "11px" },
    fx: { label: null, padding: 0.15 },
    fy: { label: null, axis: null, domain: [name.median, name.bad], padding: 0.25 },
    x: { axis: null, domain: used.map((r) => r.label) },
    y: { label: `↑ into the contract · out of it ↓ (${axis.unit})`, tickFormat: axis.tickFormat, grid: true },
    color: { domain: used.map((r) => r.label), range: used.map((r) => COLOR[r.key]), legend: true },
    marks: [
      Plot.barY(data, { fx: "year", fy: "case", x: "step", y: "value", fill: "step", tip: { format: { y: (v: number) => formatMillions(Math.abs(v), currency, locale), fx: true, fy: true, x: false } } }),
      Plot.ruleY([0]),
      // Each row's trial named above it, in the first year's panel.
      Plot.text([name.median, name.bad], { fy: (d: string) => d, fx: () => "Year 1", frameAnchor: "top-left", dy: -16, text: (d: string) => d, fontWeight: "bold", fontSize: 12 }),
    ],
  });
}
