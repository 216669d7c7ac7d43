/**
 * Shared Plot helpers for the parties' pages: a fan chart for a distribution over time and a
 * histogram of a per-trial column. Numbers go through models/format.ts, so axes read as the
 * page's text does: pass the page's locale (formatsFor(lang, currency).locale); without one, the
 * currency's spreadsheet locale (`12,3 mnkr`, `45 %` for SEK).
 */
import * as Plot from "@observablehq/plot";
import { nice, quantile, tickStep } from "d3-array";
import { formatPercent, formatTick, localeOf, millionsUnit } from "../models/format.js";
import type { FanPoint } from "../models/index.js";

/** An axis for money in millions: its unit label and tick format, e.g. "MSEK" and `2.5` (English), "mnkr" and `2,5` (Swedish). */
export function millionsAxis(currency: string, locale = localeOf(currency)): { unit: string; tickFormat: (x: number) => string } {
  // As few decimals as the tick needs (5, 2.5, 0.25): Intl's fraction digits, formatTick.
  return { unit: millionsUnit(currency, locale), tickFormat: (x: number) => formatTick(x / 1e6, locale) };
}

/** Percent ticks: `−100%` (English) or `−100 %` (Swedish); without a locale, the currency's. */
export function percentTicks(currency: string, digits = 0, locale = localeOf(currency)): (x: number) => string {
  return (x: number) => formatPercent(x, locale, digits);
}

export interface FanOptions {
  title?: string;
  subtitle?: string;
  /** What x is, e.g. "Budget year →". */
  xLabel: string;
  /** What y is, e.g. "↑ Payments (mnkr)". */
  yLabel: string;
  /** Maps a point's x (a period or year index) to the value shown on the axis. */
  x?: (x: number) => number;
  xTickFormat?: (x: number) => string;
  yTickFormat?: (y: number) => string;
  /** Formats a value in the tooltip. */
  format: (y: number) => string;
  /** Names x in the tooltip, e.g. (x) => `Year ${x + 1}`. */
  xName?: (x: number) => string;
  color?: string;
  width?: number;
  height?: number;
  /** Draw the mean as a dashed line. */
  mean?: boolean;
  yDomain?: [number, number];
  /** "step" for amounts that belong to a whole period or year (each holds over x ± ½). */
  curve?: "linear" | "step";
  marks?: Plot.Markish[];
  /** The chart's text alternative (aria-label); by default its title and the median at each x. */
  alt?: string;
}

/**
 * A fan chart: the 5–95 % band (light), the 25–75 % band (dark), the median (line and dots),
 * optionally the mean (dashed). Each point summarises one x across all trials; the bands are
 * not paths any single trial follows.
 */
export function fanChart(points: readonly FanPoint[], o: FanOptions): SVGSVGElement | HTMLElement {
  const color = o.color ?? "steelblue";
  const curve = o.curve ?? "linear";
  const fx = o.x ?? ((x: number) => x);
  const data = points.map((p) => ({ ...p, at: fx(p.x) }));
  // With steps, repeat the end points half a step out so the first and last x hold a full width.
  const band =
    curve === "step" && data.length
      ? [{ ...data[0]!, at: data[0]!.at - 0.5 }, ...data, { ...data[data.length - 1]!, at: data[data.length - 1]!.at + 0.5 }]
      : data;
  const name = o.xName ?? ((x: number) => String(x));
  const tip = (d: (typeof data)[number]) =>
    `${name(d.x)}\nmedian ${o.format(d.p50)}\nmean ${o.format(d.mean)}\nmiddle half ${o.format(d.p25)} to ${o.format(d.p75)}\n90% of trials ${o.format(d.p5)} to ${o.format(d.p95)}`;
  const alt = o.alt ?? `${o.title ?? o.yLabel}. Median ${data.slice(0, 24).map((d) => `${name(d.x)} ${o.format(d.p50)}`).join(", ")}${data.length > 24 ? ", …" : ""}; 90% of trials between ${o.format(Math.min(...data.map((d) => d.p5)))} and ${o.format(Math.max(...data.map((d) => d.p95)))}.`;
  return Plot.plot({
    title: o.title,
    subtitle: o.subtitle,
    ariaLabel: alt,
    width: o.width ?? 640,
    height: o.height ?? 280,
    marginLeft: 56,
    // A step holds each value over x ± ½, so leave half a step of room at both ends.
    x: {
      label: o.xLabel,
      tickFormat: o.xTickFormat ?? ((x: number) => String(x)),
      ticks: data.length <= 16 ? data.map((d) => d.at) : undefined,
      domain: curve === "step" && data.length ? [data[0]!.at - 0.5, data[data.length - 1]!.at + 0.5] : undefined,
    },
    y: { label: o.yLabel, tickFormat: o.yTickFormat, grid: true, domain: o.yDomain },
    marks: [
      Plot.areaY(band, { x: "at", y1: "p5", y2: "p95", fill: color, fillOpacity: 0.18, curve }),
      Plot.areaY(band, { x: "at", y1: "p25", y2: "p75", fill: color, fillOpacity: 0.38, curve }),
      Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.6 }),
      Plot.lineY(band, { x: "at", y: "p50", stroke: color, strokeWidth: 2, curve }),
      Plot.dot(data, { x: "at", y: "p50", fill: color, r: 2.5 }),
      ...(o.mean ? [Plot.lineY(band, { x: "at", y: "mean", stroke: "currentColor", strokeDasharray: "4,3", strokeWidth: 1.2, curve })] : []),
      ...(o.marks ?? []),
      Plot.tip(data, Plot.pointerX({ x: "at", y: "p50", title: tip })),
    ],
  });
}

/** The legend line for a fan chart, in words. */
export const FAN_KEY =
  "Light band: 90% of trials (5th to 95th percentile); dark band: the middle half (25th to 75th); line and dots: the median";

export interface HistogramOptions {
  title?: string;
  subtitle?: string;
  xLabel: string;
  /** Bin edges. */
  thresholds: number[];
  xDomain?: [number, number];
  xTickFormat?: (x: number) => string;
  /** Tick format for the share of trials. */
  yTickFormat: (y: number) => string;
  /** Default "↑ Share of trials". */
  yLabel?: string;
  /** Splits the bars into stacked groups, e.g. total loss vs. the rest. */
  group?: (x: number) => string;
  /** Colours by group, in the order of `groups`. */
  groups?: { domain: string[]; range: string[] };
  fill?: string;
  /** Vertical reference lines, e.g. break-even. */
  rules?: { x: number; label?: string }[];
  width?: number;
  height?: number;
  marks?: Plot.Markish[];
  /** The chart's text alternative (aria-label); by default its title, the median and the 90 % range. */
  alt?: string;
  /** Words for the alternative: "trials", "median", "90 % of trials between", "and" (Swedish on Politikerunderlag). */
  altWords?: [string, string, string, string];
}

/** Share of trials per bin of a per-trial column; NaN values are left out (the caller says how many). */
export function histogram(values: ArrayLike<number>, o: HistogramOptions): SVGSVGElement | HTMLElement {
  const rows: { v: number; g: string }[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) rows.push({ v, g: o.group ? o.group(v) : "" });
  }
  // Shares of all finite trials, so stacked groups add up to the whole.
  const sorted = rows.map((r) => r.v).sort((a, b) => a - b);
  const fmt = o.xTickFormat ?? ((x: number) => String(x));
  const [trials, median, between, and] = o.altWords ?? ["trials", "median", "90% of trials between", "and"];
  const alt = o.alt ?? (sorted.length
    ? `${o.title ?? o.xLabel}. ${sorted.length} ${trials}, ${o.xLabel.replace(/\s*→$/, "")}: ${median} ${fmt(quantile(sorted, 0.5)!)}, ${between} ${fmt(quantile(sorted, 0.05)!)} ${and} ${fmt(quantile(sorted, 0.95)!)}.`
    : `${o.title ?? o.xLabel}.`);
  return Plot.plot({
    title: o.title,
    subtitle: o.subtitle,
    ariaLabel: alt,
    width: o.width ?? 640,
    height: o.height ?? 260,
    marginLeft: 48,
    x: { label: o.xLabel, domain: o.xDomain, tickFormat: o.xTickFormat },
    y: { label: o.yLabel ?? "↑ Share of trials", tickFormat: o.yTickFormat, grid: true },
    color: o.groups ? { domain: o.groups.domain, range: o.groups.range, legend: true } : undefined,
    marks: [
      Plot.rectY(
        rows,
        Plot.binX<Plot.RectYOptions>(
          { y: "proportion" },
          { x: "v", thresholds: o.thresholds, fill: o.group ? "g" : (o.fill ?? "steelblue"), insetLeft: 0.5, insetRight: 0.5 },
        ),
      ),
      ...(o.rules ?? []).flatMap((r) => {
        // Label on the side with room: left of a line near the right edge, else right of it.
        const lo = Math.min(o.thresholds[0]!, r.x), hi = Math.max(o.thresholds[o.thresholds.length - 1]!, r.x);
        const left = hi > lo && (r.x - lo) / (hi - lo) > 0.85;
        return [
          Plot.ruleX([r.x], { stroke: "currentColor", strokeDasharray: "4,3" }),
          ...(r.label
            ? [Plot.text([r.x], { x: (d: number) => d, frameAnchor: "top", dx: left ? -4 : 4, dy: 2, textAnchor: left ? "end" : "start", text: () => r.label! })]
            : []),
        ];
      }),
      ...(o.marks ?? []),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Bin edges for a per-trial column: its 0.1 % to 99.9 % range (so a few extreme trials do not
 * squeeze the rest into one bar), widened to take in `include` (zero, a cap) and padded by a
 * bin's width on each side, so a spike at an included value is not at the edge.
 */
export function trimmedEdges(values: ArrayLike<number>, include: readonly number[] = [], count = 40): number[] {
  const finite = Array.from(values).filter(Number.isFinite);
  const lo = Math.min(quantile(finite, 0.001) ?? 0, ...include), hi = Math.max(quantile(finite, 0.999) ?? 0, ...include);
  const pad = (hi - lo) / count || 1;
  return binEdges(lo - pad, hi + pad, count);
}

/**
 * Evenly spaced bin edges covering [lo, hi] with about `count` bins on d3's round steps (1, 2
 * or 5 × 10^k: d3-array's nice and tickStep), the last edge above `hi`.
 */
export function binEdges(lo: number, hi: number, count = 40): number[] {
  if (!(hi > lo)) return [lo - 0.5, lo + 0.5];
  const [a, b] = nice(lo, hi, count);
  const step = tickStep(a, b, count);
  const n = Math.round((b - a) / step);
  // Each edge from its index, rounded to the step's decimals, so edges do not drift (0.30000000000000004).
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const edges = Array.from({ length: n + 1 }, (_, i) => +(a + i * step).toFixed(decimals));
  if (edges[edges.length - 1]! <= hi) edges.push(+(edges[edges.length - 1]! + step).toFixed(decimals));
  return edges;
}
