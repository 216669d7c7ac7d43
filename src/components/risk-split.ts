/**
 * Chance or ignorance: a two-part bar per output (the cohort's chance, ignorance of the
 * parameters) with its shares and Monte Carlo error, from models/analysis/riskSplit.ts.
 */
import { formatNumber, formatPercent } from "../models/format.js";
import type { RiskSplit, VarianceSplit } from "../models/index.js";

export const CHANCE_COLOUR = "#7f8fa6";
export const IGNORANCE_COLOUR = "#e67e22";

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** One labelled bar: chance on the left, ignorance on the right, shares ± error. */
export function splitBar(label: string, split: VarianceSplit | null, locale: string): HTMLElement {
  const name = el("div", { class: "risk-split-label" }, label);
  if (!split) return el("div", { class: "risk-split-row" }, name, el("div", { class: "muted" }, "does not vary in this scenario"));
  const pct = (x: number) => formatPercent(x, locale, 0);
  const err = `± ${formatPercent(split.se, locale, 0)}`;
  const c = Math.round(split.chance * 1000) / 10;
  const bar = el(
    "div",
    { class: "risk-split-bar", role: "img", "aria-label": `${label}: ${pct(split.chance)} chance, ${pct(split.ignorance)} ignorance, ${err}` },
    el("span", { style: `width:${c}%;background:${CHANCE_COLOUR}` }, c >= 15 ? `chance ${pct(split.chance)}` : ""),
    el("span", { style: `width:${100 - c}%;background:${IGNORANCE_COLOUR}` }, c <= 85 ? `ignorance ${pct(split.ignorance)}` : ""),
  );
  return el("div", { class: "risk-split-row", "data-chance": split.chance.toFixed(4) }, name, bar, el("div", { class: "risk-split-error" }, err));
}

/** The card: bars for the given outputs, how they were estimated, and a key. */
export function riskSplitCard(
  r: RiskSplit,
  rows: { label: string; key: "financierNpv" | "payerNetPV" | "payForNothing" }[],
  locale: string,
  title: string,
): HTMLElement {
  const swatch = (colour: string) => el("span", { class: "swatch", style: `background:${colour}` });
  const caption = el(
    "p",
    { class: "caption" },
    swatch(CHANCE_COLOUR),
    " the cohort's chance: which children do well, delivery, the comparison group; no study removes it · ",
    swatch(IGNORANCE_COLOUR),
    " ignorance: the effect, costs and rates nobody knows yet; a pilot or better data can remove it. " +
      `Shares of the variance by the law of total variance, from ${formatNumber(r.groups, locale)} draws of the parameters × ${r.perGroup} cohorts each (seed ${r.seed}); ± is the Monte Carlo error.`,
  );
  return el("div", { class: "card risk-split" }, el("h2", {}, title), ...rows.map((row) => splitBar(row.label, r[row.key], locale)), caption);
}
