/**
 * What risk analysts read beside the histograms (issue 13, items 15 and 19): exceedance curves
 * ("chance the return is below x", "chance the payer pays more than y"), a P10/P50/P90 table,
 * and the Monte Carlo error of a headline figure ("64 % ± 1"). The error of a chance is the
 * binomial standard error √(p(1−p)/n), of a mean s/√n (models/summary/mcError.ts).
 */
import * as Plot from "@observablehq/plot";
import { quantileSorted } from "d3-array";
import { formatPercent, formatNumber, formatSignificant, type Formats } from "../models/format.js";
import type { CaseFigures, Cases, Summary } from "../models/index.js";
import { chanceError, exceedancePoints, meanError } from "../models/summary/mcError.js";

/** A chance with its Monte Carlo error in percentage points: "64 % ± 0,5". */
export function chanceWithError(p: number | null | undefined, n: number, locale: string): string {
  if (p == null || !Number.isFinite(p)) return "–";
  const se = chanceError(p, n) * 100;
  const digits = p > 0 && p < 0.1 ? 1 : 0;
  const seDigits = se < 1 ? 1 : 0;
  return `${formatPercent(p, locale, digits)} ± ${formatNumber(se, locale, seDigits)}`;
}

/** A mean with its Monte Carlo error: "−1,9 mnkr ± 0,03"; the error through `errorFormat` (default `format`). */
export function meanWithError(mean: number | null | undefined, column: ArrayLike<number>, format: (x: number) => string, errorFormat = format): string {
  if (mean == null || !Number.isFinite(mean)) return "–";
  const se = meanError(column);
  return se == null ? format(mean) : `${format(mean)} ± ${errorFormat(se)}`;
}

/** An amount's error in millions to two significant digits (`0,031`), so a small error does not read "0,0". */
export function millionsError(locale: string): (se: number) => string {
  return (se: number) => formatSignificant(se / 1e6, locale, 2);
}

export interface ExceedanceOptions {
  title: string;
  subtitle?: string;
  xLabel: string;
  /** "below": the chance of x or less; "above": the chance of more than x (at a mark: x or more). */
  mode: "below" | "above";
  xTickFormat: (x: number) => string;
  /** Formats x in the tooltip and the text alternative. */
  format: (x: number) => string;
  locale: string;
  /** Marked values, e.g. the hurdle or the cap: their chance is read off in the alternative. */
  marks?: { x: number; label: string }[];
  color?: string;
  width?: number;
  xDomain?: [number, number];
}

/** The chance of x or less (or more than x) against x, as a step line from every trial. */
export function exceedanceChart(column: ArrayLike<number>, o: ExceedanceOptions): SVGSVGElement | HTMLElement {
  const pts = exceedancePoints(column).map((d) => ({ x: d.x, y: o.mode === "below" ? d.below : 1 - d.below }));
  // At a marked value: the chance of x or less, or (above) of x or more, so a spike at a cap
  // reads as the chance of paying the whole cap, not the 0 % of paying more than it.
  const finite = Array.from(column).filter(Number.isFinite);
  const at = (x: number) => (finite.length ? finite.filter((v) => (o.mode === "below" ? v <= x : v >= x - 0.5)).length / finite.length : 0);
  const pc = (y: number) => formatPercent(y, o.locale, 0);
  const alt = `${o.title}. ` + (o.marks ?? []).map((m) => `${m.label} (${o.format(m.x)}): ${pc(at(m.x))}`).join("; ") +
    (pts.length ? `. From ${o.format(pts[0]!.x)} to ${o.format(pts[pts.length - 1]!.x)}.` : ".");
  return Plot.plot({
    title: o.title,
    subtitle: o.subtitle,
    ariaLabel: alt,
    width: o.width ?? 640,
    height: 260,
    marginLeft: 48,
    x: { label: o.xLabel, tickFormat: o.xTickFormat, domain: o.xDomain },
    y: { label: o.mode === "below" ? "↑ Chance of x or less" : "↑ Chance of more than x", domain: [0, 1], tickFormat: (y: number) => pc(y), grid: true },
    marks: [
      Plot.lineY(pts, { x: "x", y: "y", curve: "step-after", stroke: o.color ?? "steelblue", strokeWidth: 2 }),
      ...(o.marks ?? []).flatMap((m) => [
        Plot.ruleX([m.x], { stroke: "currentColor", strokeDasharray: "4,3" }),
        Plot.dot([m.x], { x: (d: number) => d, y: () => at(m.x), fill: "currentColor", r: 3 }),
        // Labels left of their mark: the marks (break-even, a hurdle, a cap) sit near the right edge.
        Plot.text([m.x], { x: (d: number) => d, y: () => at(m.x), text: () => `${m.label}: ${pc(at(m.x))}`, dx: -6, textAnchor: "end", dy: -8, stroke: "var(--theme-background, white)", strokeWidth: 3, paintOrder: "stroke", fill: "currentColor" }),
      ]),
      Plot.tip(pts, Plot.pointerX({ x: "x", y: "y", title: (d: { x: number; y: number }) => `${o.format(d.x)}\n${o.mode === "below" ? "chance of this or less" : "chance of more"}: ${pc(d.y)}` })),
    ],
  });
}

export interface PercentileRow {
  label: string;
  column: ArrayLike<number>;
  format: (x: number) => string;
  /** Show the mean with its error (s/√n): false for an IRR, whose mean is no decision figure. */
  mean?: boolean;
  /** Formats the error (default `format`). */
  errorFormat?: (x: number) => string;
}

/** A table of P10, P50, P90 and the mean ± its Monte Carlo error, one row per column. */
export function percentileTable(rows: PercentileRow[]): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "percentiles";
  const head = table.createTHead().insertRow();
  for (const [i, h] of ["Figure", "P10", "P50 (median)", "P90", "mean ± error¹"].entries()) {
    const th = document.createElement("th");
    th.textContent = h;
    if (i) th.className = "num";
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const sorted = Float64Array.from(Array.from(r.column).filter(Number.isFinite)).sort();
    const tr = body.insertRow();
    const q = (p: number) => (sorted.length ? r.format(quantileSorted(sorted as unknown as number[], p)!) : "–");
    let mean = NaN;
    if (sorted.length) mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    const cells = [r.label, q(0.1), q(0.5), q(0.9), r.mean === false ? "–" : meanWithError(mean, sorted, r.format, r.errorFormat)];
    cells.forEach((c, i) => {
      const td = tr.insertCell();
      td.textContent = c;
      if (i) td.className = "num";
    });
  }
  return table;
}

/**
 * The deterministic base, upside and downside cases (models/analysis/cases.ts) beside the
 * Monte Carlo's means, one row each: the payer's net (undiscounted and discounted), the
 * financier's NPV at its hurdle rate and the IRR of its expected cash flows, society's NPV.
 * Every figure is a mean over the trials (of the cohort's chance alone in a case). The table
 * scrolls sideways inside its box on a narrow screen, not the page.
 */
export function casesTable(cases: Cases, summary: Summary, f: Formats): HTMLElement {
  const table = document.createElement("table");
  table.className = "cases";
  const head = table.createTHead().insertRow();
  const heads = ["Case", "Payer's net (mean)", "Payer's net, discounted (mean)", `Financier's NPV at ${f.percent(cases.hurdleRate)} (mean)`, "Financier's IRR of the expected flows", "Society's NPV (mean)"];
  for (const [i, h] of heads.entries()) {
    const th = document.createElement("th");
    th.textContent = h;
    if (i) (th.className = "num"), (th.style.textAlign = "right");
    head.append(th);
  }
  const irr = (x: number | null) => (x == null ? "none" : f.percent(x));
  const rows: [string, string, CaseFigures][] = [
    ["Downside", `every uncertain input at its unfavourable end (P${Math.round(cases.low * 100)} or P${Math.round(cases.high * 100)})`, cases.downside],
    ["Base", "every uncertain input at its central value", cases.base],
    ["Upside", "every uncertain input at its favourable end", cases.upside],
    ["Monte Carlo", `the mean over ${f.number(summary.trials)} trials, every input drawn`, {
      payerNet: summary.payer.net?.mean ?? NaN,
      payerNetPV: summary.payer.netPV?.mean ?? NaN,
      financierNpv: summary.investor.expectedNpv,
      financierIrr: summary.investor.irrOfExpectedFlows,
      societyNpv: summary.society.npv?.mean ?? NaN,
    }],
  ];
  const body = table.createTBody();
  for (const [name, note, c] of rows) {
    const tr = body.insertRow();
    const first = tr.insertCell();
    const b = document.createElement("b");
    b.textContent = name;
    const small = document.createElement("small");
    small.textContent = note;
    first.append(b, document.createElement("br"), small);
    for (const text of [f.millions(c.payerNet), f.millions(c.payerNetPV), f.millions(c.financierNpv), irr(c.financierIrr), f.millions(c.societyNpv)]) {
      const td = tr.insertCell();
      td.className = "num";
      td.style.textAlign = "right";
      td.textContent = text;
    }
  }
  const box = document.createElement("div");
  box.style.overflowX = "auto";
  box.style.maxWidth = "100%";
  box.append(table);
  return box;
}
