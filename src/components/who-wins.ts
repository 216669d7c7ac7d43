/**
 * "Who wins when" on the Negotiation page: the payer's net against the financier's profit, trial
 * by trial, in four labelled quadrants with the means and medians marked; and the acceptability
 * curves (models/analysis/acceptability.ts): the chance of a positive financier NPV against the
 * discount rate and against the strength of the effect.
 */
import * as Plot from "@observablehq/plot";
import type { AcceptabilityPoint, WhoWins } from "../models/analysis/acceptability.js";
import { millionsAxis, percentTicks } from "./charts.js";
import type { PageFormat } from "./negotiation.js";

export interface AcceptabilityResult {
  whoWins: WhoWins;
  byRate: AcceptabilityPoint[];
  byEffect: AcceptabilityPoint[];
  financierRate: number;
  trials: number;
  effectTrials: number;
}

const QUADRANTS = [
  { key: "both", text: "both gain", x: "right", y: "top" },
  { key: "financier", text: "financier gains, payer loses", x: "left", y: "top" },
  { key: "payer", text: "payer gains, financier loses", x: "right", y: "bottom" },
  { key: "neither", text: "both lose", x: "left", y: "bottom" },
] as const;
const QUADRANT_COLORS = { both: "#2e8b57", financier: "#e67e22", payer: "#2c6fbb", neither: "#c0392b" } as const;

/** Each trial as a dot: payer's net across, financier's profit up; `options` go to Plot.plot. */
export function whoWinsChart(r: AcceptabilityResult, f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const w = r.whoWins;
  const axis = millionsAxis(f.cur, f.loc);
  const quadrant = (d: { payer: number; financier: number }) => (d.payer > 0 ? (d.financier > 0 ? "both" : "payer") : d.financier > 0 ? "financier" : "neither");
  const marks = [
    { name: "mean", payer: w.mean.payer, financier: w.mean.financier, symbol: "diamond" },
    { name: "median", payer: w.median.payer, financier: w.median.financier, symbol: "star" },
  ];
  return Plot.plot({
    title: "Who wins when: each trial's payer net and financier profit",
    subtitle: `${f.num(w.points.length)} of ${f.num(r.trials)} trials; money undiscounted, over the horizon. The diamond is the mean of each, the star the median of each.`,
    height: 420, marginLeft: 60, marginRight: 20,
    x: { label: `Payer's net saving (${f.unit}) →`, tickFormat: axis.tickFormat, grid: true },
    y: { label: `↑ Financier's profit (${f.unit})`, tickFormat: axis.tickFormat, grid: true },
    color: { domain: Object.keys(QUADRANT_COLORS), range: Object.values(QUADRANT_COLORS) },
    marks: [
      Plot.ruleX([0], { stroke: "#333" }), Plot.ruleY([0], { stroke: "#333" }),
      Plot.dot(w.points, { x: "payer", y: "financier", r: 1.8, fill: quadrant, fillOpacity: 0.35 }),
      ...QUADRANTS.map((q) => Plot.text([q], {
        frameAnchor: `${q.y}-${q.x}`, dx: q.x === "left" ? 6 : -6, dy: q.y === "top" ? 6 : -6, fill: QUADRANT_COLORS[q.key], fontWeight: "bold",
        text: () => `${q.text.replace(", ", ",\n")}\n${f.chance(w.shares[q.key])} of trials`, textAnchor: q.x === "left" ? "start" : "end", lineAnchor: q.y,
      })),
      Plot.dot(marks, { x: "payer", y: "financier", symbol: "symbol", r: 7, fill: "black", stroke: "white", strokeWidth: 1.5 }),
      Plot.text(marks, { x: "payer", y: "financier", dx: 10, textAnchor: "start", fontWeight: "bold", fill: "black", stroke: "white", strokeWidth: 3, paintOrder: "stroke", text: (d: (typeof marks)[number]) => `${d.name}: payer ${f.mn(d.payer)},\nfinancier ${f.mn(d.financier)}` }),
    ],
    ...options,
  });
}

/** The chance of a positive financier NPV against the annual discount rate it asks; `options` go to Plot.plot. */
export function acceptabilityByRateChart(r: AcceptabilityResult, f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const own = r.byRate.reduce((best, p) => (Math.abs(p.x - r.financierRate) < Math.abs(best.x - r.financierRate) ? p : best), r.byRate[0]!);
  return Plot.plot({
    title: "Chance the financier's NPV is positive, by the discount rate it asks",
    subtitle: `${f.num(r.trials)} trials; the dashed line is the scenario's financier rate, ${f.pct(r.financierRate, 1)} a year (there: ${f.chance(own.probPositive)}).`,
    height: 260, marginLeft: 56,
    x: { label: "Financier's discount rate (a year) →", tickFormat: percentTicks(f.cur, 0, f.loc) },
    y: { label: "↑ Chance of a positive NPV", domain: [0, 1], tickFormat: percentTicks(f.cur, 0, f.loc), grid: true },
    marks: [
      Plot.ruleY([0]), Plot.ruleX([r.financierRate], { stroke: "#555", strokeDasharray: "4,3" }),
      Plot.line(r.byRate, { x: "x", y: "probPositive", stroke: "#2c6fbb", curve: "step-after" }),
      Plot.tip(r.byRate, Plot.pointerX({ x: "x", y: "probPositive", title: (p: AcceptabilityPoint) => `at ${f.pct(p.x, 0)} a year: positive NPV in ${f.chance(p.probPositive)}\nmean NPV ${f.mn(p.meanNpv)}` })),
    ],
    ...options,
  });
}

/** The chance of a positive financier NPV against the strength of the effect (× the assumed); `options` go to Plot.plot. */
export function acceptabilityByEffectChart(r: AcceptabilityResult, f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const max = r.byEffect[r.byEffect.length - 1]?.x ?? 1;
  return Plot.plot({
    title: "Chance the financier's NPV is positive, by the strength of the true effect",
    subtitle: `0 = no effect, 1 = the scenario's assumed effect, up to ${f.num(max)} ×; ${f.num(r.effectTrials)} trials at each, NPV at ${f.pct(r.financierRate, 1)} a year.`,
    height: 260, marginLeft: 56,
    x: { label: "Strength of the true effect (× the assumed) →", tickFormat: (x: number) => f.num(x, 2).replace(/[.,]?0+$/, "") },
    y: { label: "↑ Chance of a positive NPV", domain: [0, 1], tickFormat: percentTicks(f.cur, 0, f.loc), grid: true },
    marks: [
      Plot.ruleY([0]), Plot.ruleX([1], { stroke: "#555", strokeDasharray: "4,3" }),
      Plot.line(r.byEffect, { x: "x", y: "probPositive", stroke: "#2c6fbb", marker: "circle" }),
      Plot.tip(r.byEffect, Plot.pointerX({ x: "x", y: "probPositive", title: (p: AcceptabilityPoint) => `strength ${f.num(p.x, 2)}: positive NPV in ${f.chance(p.probPositive)}\nmean NPV ${f.mn(p.meanNpv)}` })),
    ],
    ...options,
  });
}
