/** The Negotiation page's measurement designs: operating curves and the table of their errors. */
import * as Plot from "@observablehq/plot";
import type { OperatingCurve, OperatingPoint } from "../models/index.js";
import { percentTicks } from "./charts.js";
import { h, type PageFormat } from "./negotiation.js";

export const pointAt = (c: OperatingCurve, scale: number): OperatingPoint | undefined => c.points.find((p) => p.scale === scale);

/** Chance of an outcome payment by the strength of the true effect, one line per design; `options` go to Plot.plot. */
export function designChart(curves: readonly OperatingCurve[], f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const rows = curves.flatMap((c) => c.points.map((p) => ({ ...p, design: c.design })));
  return Plot.plot({
    title: "Chance of an outcome payment by the true strength of the effect",
    subtitle: "0 = no effect, 1 = the scenario's assumed effect; one line per measurement design",
    height: 320, marginLeft: 56,
    x: { label: "Strength of the true effect (× the assumed) →", tickFormat: (x: number) => f.num(x, 2).replace(/[.,]?0+$/, "") },
    y: { label: "↑ Chance of an outcome payment", domain: [0, 1], tickFormat: percentTicks(f.cur, 0, f.loc) },
    color: { legend: true },
    marks: [
      Plot.ruleY([0]), Plot.ruleX([0, 1], { stroke: "#ccc" }),
      Plot.line(rows, { x: "scale", y: "probPay", stroke: "design", marker: "circle" }),
      Plot.tip(rows, Plot.pointer({ x: "scale", y: "probPay", title: (d: (typeof rows)[number]) => `${d.design}\nstrength ${f.num(d.scale, 2)}: pays in ${f.chance(d.probPay)}\npays for nothing ${f.chance(d.probPayForNothing)} · misses success ${f.chance(d.probMissedSuccess)}` })),
    ],
    ...options,
  });
}

/** Each design's errors: paying without an effect, and at the assumed effect paying for nothing or missing a success. */
export function designTable(curves: readonly OperatingCurve[], f: PageFormat): HTMLElement {
  const head = ["Design", "Pays although there is no effect", "At the assumed effect: pays for nothing", "At the assumed effect: misses a success"];
  return h("table", { class: "wide", id: "design-table" },
    h("thead", null, h("tr", null, head.map((x, i) => h("th", i ? { class: "num" } : null, x)))),
    h("tbody", null, curves.map((c) => h("tr", null, h("td", null, c.design),
      h("td", { class: "num" }, f.chance(pointAt(c, 0)?.probPay)), h("td", { class: "num" }, f.chance(pointAt(c, 1)?.probPayForNothing)), h("td", { class: "num" }, f.chance(pointAt(c, 1)?.probMissedSuccess))))));
}

export interface BreakEvenView {
  measure: string;
  trueEffect: number | null;
  probReach: number | null;
}

/** Each party's break-even effect and the chance the effect reaches it; `maxScale` is the search's limit (× the assumed effect). */
export function breakEvenTable(be: { financier: BreakEvenView; payer: BreakEvenView }, f: PageFormat, maxScale: number): HTMLElement {
  const row = (who: string, b: BreakEvenView) => h("tr", null, h("td", null, who), h("td", null, f.measure(b.measure)),
    h("td", { class: "num" }, b.trueEffect === null ? `not within ${f.num(maxScale)} × the assumed effect` : f.pct(b.trueEffect, 1)),
    h("td", { class: "num" }, b.probReach === null ? "–" : f.chance(b.probReach)));
  return h("table", { class: "wide", id: "break-even-table" },
    h("thead", null, h("tr", null, ["Party", "Measure", "True improvement needed to break even", "Chance the effect reaches it"].map((x, i) => h("th", i > 1 ? { class: "num" } : null, x)))),
    h("tbody", null, row("Financier: gets its money back on average", be.financier), row("Payer: avoided costs cover its payments on average", be.payer)));
}
