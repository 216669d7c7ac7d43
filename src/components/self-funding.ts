/**
 * Doing it ourselves (issue 10 §4): the payer's net present value under the contract and under
 * funding the same work itself, as two range bars, for the Payer's page (English) and
 * Politikerunderlag (Swedish). The bars are the summary's percentiles; the red mark is the mean
 * of the worst 5 %, what the risk transfer is meant to protect against.
 */
import * as Plot from "@observablehq/plot";
import type { Dist } from "../models/index.js";

type Alternative = { costPV: Dist | null; netPV: Dist | null; netPVWorst5Mean: number | null };

export interface SelfFundingChartOptions {
  /** Row names: the contract, then self-funding. */
  names: [string, string];
  title?: string;
  subtitle?: string;
  xLabel: string;
  tickFormat: (x: number) => string;
  /** Tooltip names for the marks. */
  labels: { range: string; middle: string; median: string; worst: string };
  format: (x: number) => string;
  width?: number;
}

export function selfFundingChart(sf: { contract: Alternative; selfFunded: Alternative }, o: SelfFundingChartOptions): SVGSVGElement | HTMLElement {
  const rows = [
    { name: o.names[0], d: sf.contract.netPV, worst: sf.contract.netPVWorst5Mean, color: "steelblue" },
    { name: o.names[1], d: sf.selfFunded.netPV, worst: sf.selfFunded.netPVWorst5Mean, color: "#8e6c8a" },
  ].filter((r) => r.d) as { name: string; d: Dist; worst: number | null; color: string }[];
  const tip = (r: (typeof rows)[number]) =>
    `${r.name}\n${o.labels.range}: ${o.format(r.d.p5)} – ${o.format(r.d.p95)}\n${o.labels.middle}: ${o.format(r.d.p25)} – ${o.format(r.d.p75)}\n${o.labels.median}: ${o.format(r.d.p50)}\n${o.labels.worst}: ${o.format(r.worst ?? NaN)}`;
  // Room on the left for the worst-5 % marks, which lie beyond the 5th percentile.
  const xs = rows.flatMap((r) => [r.d.p5, r.d.p95, r.worst ?? r.d.p5, 0]);
  const lo = Math.min(...xs), hi = Math.max(...xs), pad = 0.06 * (hi - lo || 1);
  return Plot.plot({
    title: o.title,
    subtitle: o.subtitle,
    width: o.width,
    height: 170,
    marginLeft: 130,
    x: { label: o.xLabel, tickFormat: o.tickFormat, grid: true, domain: [lo - pad, hi + pad] },
    y: { label: null, domain: rows.map((r) => r.name) },
    marks: [
      Plot.ruleX([0], { stroke: "#333" }),
      Plot.barX(rows, { y: "name", x1: (r) => r.d.p5, x2: (r) => r.d.p95, fill: "color", fillOpacity: 0.25, insetTop: 12, insetBottom: 12 }),
      Plot.barX(rows, { y: "name", x1: (r) => r.d.p25, x2: (r) => r.d.p75, fill: "color", fillOpacity: 0.7, insetTop: 6, insetBottom: 6, title: tip }),
      Plot.tickX(rows, { y: "name", x: (r) => r.d.p50, stroke: "black", strokeWidth: 2, insetTop: 4, insetBottom: 4 }),
      Plot.dot(rows.filter((r) => r.worst != null), { y: "name", x: "worst", fill: "#c0392b", r: 5, symbol: "diamond" }),
      Plot.text(rows.filter((r) => r.worst != null), { y: "name", x: "worst", text: () => o.labels.worst, dy: -14, textAnchor: "start", dx: -4, fill: "#c0392b", fontSize: 11 }),
    ],
  });
}
