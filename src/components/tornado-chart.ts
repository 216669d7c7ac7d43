/** The Negotiation page's sensitivity: a tornado of the inputs that move one party's money. */
import * as Plot from "@observablehq/plot";
import type { Tornado } from "../models/index.js";
import { millionsAxis } from "./charts.js";
import type { PageFormat } from "./negotiation.js";

export type LabelledTornado = Omit<Tornado, "drivers"> & { readonly drivers: readonly (Tornado["drivers"][number] & { readonly label: string })[] };

/** The eight inputs that explain most of one party's variance; `options` go to Plot.plot (width, height, …). */
export function tornadoChart(t: LabelledTornado, f: PageFormat, { color = "#2c6fbb", ...options }: Plot.PlotOptions & { color?: string } = {}): SVGSVGElement | HTMLElement {
  const top = t.drivers.slice(0, 8).map((d) => ({ ...d, name: `${d.label.length > 60 ? d.label.slice(0, 58) + "…" : d.label} (${f.pct(d.share, 0)})` }));
  const width = options.width ?? 640;
  return Plot.plot({
    title: `${t.output[0]!.toUpperCase()}${t.output.slice(1)}`,
    subtitle: `Mean ${f.mn(t.mean)}. In brackets: the share of its variance each input explains alone (noise floor ${f.pct(t.noiseFloor, 1)}).`,
    height: 50 + 30 * top.length, marginLeft: Math.min(420, width * 0.5), marginRight: 20,
    x: { label: `${f.unit} →`, tickFormat: millionsAxis(f.cur, f.loc).tickFormat, grid: true },
    y: { label: null, domain: top.map((d) => d.name) },
    marks: [
      Plot.ruleX([t.mean], { stroke: "#555", strokeDasharray: "3,3" }),
      Plot.barX(top, {
        x1: "low", x2: "high", y: "name", fill: color, fillOpacity: 0.75, tip: true,
        title: (d: (typeof top)[number]) => `${d.label}\nlowest tenth (mean input ${f.num(d.inputLow, 3)}): mean ${f.mn(d.low)}\nhighest tenth (mean input ${f.num(d.inputHigh, 3)}): mean ${f.mn(d.high)}\nexplains ${f.pct(d.share, 1)} of the variance`,
      }),
      Plot.dot(top, { x: "high", y: "name", fill: color, r: 3.5, symbol: "triangle" }),
    ],
    ...options,
    width,
  });
}

export interface OneWayCell {
  at: Record<string, number>;
  financier: { meanProfit: number };
  payer: { meanNet: number };
}

/** The parties' mean money as one input is fixed at each value; `options` go to Plot.plot. */
export function oneWayChart(path: string, cells: readonly OneWayCell[], f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const rows = cells.flatMap((c) => [
    { x: c.at[path]!, party: "Financier: mean profit", y: c.financier.meanProfit },
    { x: c.at[path]!, party: "Payer: mean net saving", y: c.payer.meanNet },
  ]);
  const fx = f.term(path);
  return Plot.plot({
    title: `The parties' expected money as ${f.label(path)} varies`,
    subtitle: "Each point fixes the input at that value for every trial; everything else keeps its uncertainty.",
    height: 300, marginLeft: 60,
    x: { label: `${f.label(path)} →`, tickFormat: fx },
    y: { label: `↑ ${f.unit}`, tickFormat: millionsAxis(f.cur, f.loc).tickFormat, grid: true },
    color: { legend: true, domain: ["Financier: mean profit", "Payer: mean net saving"], range: ["#2c6fbb", "#2e8b57"] },
    marks: [Plot.ruleY([0]), Plot.line(rows, { x: "x", y: "y", stroke: "party", marker: "circle", tip: true, title: (d: (typeof rows)[number]) => `${d.party}\nat ${fx(d.x)}: ${f.mn(d.y)}` })],
    ...options,
  });
}
