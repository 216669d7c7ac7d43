/** The Negotiation page's value of information: three cards and the payer's expected net per possible effect. */
import * as Plot from "@observablehq/plot";
import type { ValueOfInformation } from "../models/index.js";
import { millionsAxis } from "./charts.js";
import { h, type PageFormat } from "./negotiation.js";

export type Information = ValueOfInformation & { labels: string[] };

const card = (title: string, big: Node | string, text: string, id?: string) => h("div", { class: "card" }, h("h2", null, title), big, h("p", null, text));

/** What knowing the effect is worth to the payer, today's decision, and how often knowing would change it. */
export function voiCards(info: Information, evpiAll: number, f: PageFormat): HTMLElement {
  return h("div", { class: "grid grid-cols-3" },
    card("Value of knowing the effect", h("span", null, h("span", { class: "big", id: "evppi" }, f.mn(info.evppi)), " ", h("span", { class: "muted", id: "evppi-error" }, `± ${f.mn(info.standardError)}`)),
      "expected gain to the payer, in today's money, from deciding after the effect is known; ± is the Monte Carlo error of the whole estimate"),
    card("Decision today", h("span", { class: "big" }, info.sign ? "Sign" : "Do not sign"), `expected net present value to the payer if it signs: ${f.mn(info.expectedNet)}`),
    card("Knowing would change it", h("span", { class: "big" }, f.chance(info.probDecisionChanges)),
      `of the possible effects would reverse today's decision; knowing everything, chance included, would be worth at most ${f.mn(evpiAll)}`));
}

/** The payer's expected NPV given each drawn effect, green where signing pays; `options` go to Plot.plot. */
export function voiChart(info: Information, f: PageFormat, options: Plot.PlotOptions = {}): SVGSVGElement | HTMLElement {
  const effects = info.labels.join("; ") || "none uncertain";
  return Plot.plot({
    title: "The payer's expected net present value for each possible effect",
    subtitle: info.method === "regression"
      ? `${info.draws.length} of ${f.num(info.trials)} trials, each at its draw of the effects (${effects}): the payer's expected net given that effect, fitted by a regression over all the trials`
      : `${info.draws.length} draws of the effects (${effects}), each simulated on ${f.num(info.trials / Math.max(1, info.draws.length))} trials`,
    height: 200, marginLeft: 20,
    x: { label: `Payer's expected net present value if it signs (${f.unit}) →`, tickFormat: millionsAxis(f.cur, f.loc).tickFormat },
    y: { axis: null },
    marks: [Plot.ruleX([0]), Plot.dotX(info.draws, Plot.dodgeY({ x: "expectedNet", fill: (d: Information["draws"][number]) => (d.expectedNet > 0 ? "#2e8b57" : "#c0392b"), r: 4 }))],
    ...options,
  });
}
