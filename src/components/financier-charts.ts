/**
 * The Financier's page's charts, so the page reads as prose, an input, a chart: the spread of
 * the IRR and of the multiple, the net cash flow per period and the expected cumulative position.
 * Each takes the run (components/runner.ts), the page's formatters (models/format.ts) and a width.
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { max, min, quantile, rollups } from "d3-array";
import type { Formats } from "../models/format.js";
import { chanceError, meanError } from "../models/summary/mcError.js";
import { exceedanceChart, percentileTable, type ExceedanceOptions } from "./risk-tables.js";
import type { FanPoint } from "../models/index.js";
import { binEdges, fanChart, histogram, millionsAxis, percentTicks } from "./charts.js";
import type { RunResult } from "./runner.js";
import { periodName } from "./scenario-run.js";

const WIDTH = 900;

/** The share of trials by IRR per year, total losses (−100%) in red. */
export function irrHistogram(run: RunResult, f: Formats, width: number): SVGSVGElement | HTMLElement {
  const irr = run.columns.irr;
  const finite = Array.from(irr).filter(Number.isFinite);
  const high = Math.max(0.1, quantile(finite, 0.999) ?? 0.1);
  const TOTAL = `Total loss (${f.percent(-1, 0)})`, REST = "Some money back";
  const ticks = percentTicks(f.currency, 0, f.locale);
  return histogram(irr, {
    title: "Return per year (IRR) over the simulated contracts",
    subtitle: `Share of ${f.number(finite.length)} trials by IRR per year. The bar at ${f.percent(-1, 0)} is a spike of total losses: in ${f.chance(run.summary.investor.probTotalLoss)} of trials nothing is paid back. Left of the dashed line the financier loses money; other spikes are fixed amounts of the contract (see the multiple below).`,
    xLabel: "IRR per year →",
    thresholds: binEdges(-1, high, 48),
    xTickFormat: ticks,
    yTickFormat: ticks,
    group: (v) => (v <= -1 ? TOTAL : REST),
    groups: { domain: [TOTAL, REST], range: ["#c0392b", "steelblue"] },
    rules: [{ x: 0, label: "break-even" }],
    width: Math.min(width, WIDTH),
  });
}

/** The share of trials by multiple (money back ÷ capital), naming the spikes the contract fixes. */
export function multipleHistogram(run: RunResult, f: Formats, unitName: string, width: number): SVGSVGElement | HTMLElement {
  const multiples = run.columns.multiple;
  const n = multiples.length;
  // Spikes in the multiple are contract terms (a fixed payment, a cap): name the big ones.
  const spikes = rollups(Array.from(multiples).filter(Number.isFinite), (v) => v.length, (m) => Math.round(m * 1e6) / 1e6)
    .filter(([, k]) => k / n >= 0.03)
    .sort((a, b) => a[0] - b[0]);
  const spikeText = spikes.length ? "Spikes are amounts the contract fixes: " + spikes.map(([m, k]) => `${f.number(m, 2)} (${f.chance(k / n)} of trials)`).join(", ") + "." : "";
  const high = Math.max(1.1, max(multiples) ?? 1.1);
  return histogram(multiples, {
    title: `Money back for each ${unitName} lent`,
    subtitle: `Money received ÷ capital, share of trials. Left of the dashed line the financier loses money. ${spikeText}`,
    xLabel: "Multiple (money back ÷ capital) →",
    thresholds: binEdges(0, high * 1.0001, 48),
    xTickFormat: (x) => f.number(x, 1),
    yTickFormat: percentTicks(f.currency, 0, f.locale),
    rules: [{ x: 1, label: "capital back" }],
    width: Math.min(width, WIDTH),
  });
}

/** The financier's flows by period, without the tail of periods in which nothing ever moves. */
export function shownFlows(run: RunResult): FanPoint[] {
  const flows = run.fans.financierFlows;
  let last = flows.length - 1;
  while (last > 0 && flows[last]!.p5 === 0 && flows[last]!.p95 === 0 && flows[last]!.mean === 0) last--;
  return flows.slice(0, Math.min(flows.length, last + 2));
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The net cash flow per period: a fan of the trials and their mean. */
export function flowFan(run: RunResult, f: Formats, width: number): SVGSVGElement | HTMLElement {
  const period = periodName(run.meta.periodsPerYear), Period = capitalised(period);
  const axis = millionsAxis(f.currency, f.locale);
  return fanChart(shownFlows(run), {
    title: `The financier's net cash flow in each ${period}`,
    subtitle: `${axis.unit} per ${period}, undiscounted: capital drawn is negative, payments back positive. The drawdown is fixed; what comes back, and when, is what the trials disagree on. Per ${period}, not cumulative.`,
    xLabel: `${Period} of the contract →`,
    yLabel: `↑ Net cash flow (${axis.unit})`,
    x: (x) => x + 1,
    xName: (x) => `${Period} ${x + 1}`,
    yTickFormat: axis.tickFormat,
    format: (x) => f.millions(x),
    color: "steelblue",
    curve: "step",
    mean: true,
    width: Math.min(width, WIDTH),
  });
}

/**
 * The expected cumulative position (the sum of the mean flows: means add up over periods,
 * percentiles do not), and at the end the profit's 90% and middle half, which are known exactly.
 */
export function positionChart(run: RunResult, f: Formats, width: number): SVGSVGElement | HTMLElement {
  const Period = capitalised(periodName(run.meta.periodsPerYear));
  const axis = millionsAxis(f.currency, f.locale);
  let acc = 0;
  const cumulative = shownFlows(run).map((d) => ({ x: d.x + 1, y: (acc += d.mean) }));
  const end = cumulative[cumulative.length - 1]?.x ?? 0;
  const p = run.summary.investor.profit;
  return Plot.plot({
    title: "Where the financier stands, on average",
    subtitle: `Expected cumulative cash position in ${axis.unit} (the sum of the mean flows; a band over time would need every trial's path, so there is none). The bars at the end are the final position, the profit: 90% of trials (thin) and the middle half (thick).`,
    width: Math.min(width, WIDTH),
    height: 280,
    marginLeft: 56,
    x: { label: `${Period} of the contract →`, domain: [0.5, end + 1.5], ticks: cumulative.length <= 16 ? cumulative.map((d) => d.x) : undefined, tickFormat: (x: number) => String(x) },
    y: { label: `↑ Cumulative position (${axis.unit})`, tickFormat: axis.tickFormat, grid: true },
    marks: [
      Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.6 }),
      Plot.lineY(cumulative, { x: "x", y: "y", stroke: "steelblue", strokeWidth: 2, curve: "step-after" }),
      Plot.ruleX([end + 0.5], { y1: p?.p5, y2: p?.p95, stroke: "#444", strokeWidth: 2 }),
      Plot.ruleX([end + 0.5], { y1: p?.p25, y2: p?.p75, stroke: "#444", strokeWidth: 8 }),
      Plot.dot([end + 0.5], { x: (d: number) => d, y: p?.p50, fill: "white", stroke: "#444", r: 4 }),
      Plot.text([end + 0.5], { x: (d: number) => d, y: p?.p95, text: () => "profit", dy: -8, fill: "#444" }),
      Plot.tip(cumulative, Plot.pointerX({ x: "x", y: "y", title: (d: { x: number; y: number }) => `${Period} ${d.x}\nexpected position ${f.millions(d.y)}` })),
    ],
  });
}

/** The unit of money in words, for "money back per krona". */
export function unitName(currency: string): string {
  return ({ SEK: "krona", GBP: "pound", USD: "dollar", EUR: "euro", NOK: "krone", DKK: "krone" } as Record<string, string>)[currency] ?? "unit of money";
}

/**
 * The nine headline cards: expected NPV at the hurdle (mean ± its Monte Carlo error), the IRR of
 * the expected flows, the median IRR, the chances of a loss, of missing the hurdle and of a total
 * loss, value at risk, expected shortfall and the mean multiple. ¹ marks a Monte Carlo error.
 */
export function financierCards(run: RunResult, trials: number, f: Formats): HTMLElement {
  const inv = run.summary.investor, mn = f.millions, pct = f.percent, chance = f.chance;
  const hurdle = pct(inv.hurdleRate), period = periodName(run.meta.periodsPerYear);
  const chanceErr = (p: number | null) => html`<span class="mc-error"> ± ${f.number(100 * chanceError(p ?? 0, trials), 1)}¹</span>`;
  return html`<div class="grid grid-cols-3">
  <div class="card"><h2>Expected NPV at ${hurdle} (mean)</h2><span class="big" id="expected-npv">${mn(inv.expectedNpv)}</span><span class="mc-error" id="expected-npv-error"> ± ${f.millionsError(meanError(run.columns.financierNpv) ?? 0)}¹</span><p>the mean net present value of lending, discounted at the financier's hurdle rate of ${hurdle} a year: above zero, lending clears the hurdle on average</p></div>
  <div class="card"><h2>IRR of the expected cash flows</h2><span class="big" id="irr-expected">${inv.irrOfExpectedFlows == null ? "none" : pct(inv.irrOfExpectedFlows)}</span><p>per year: the return of the average ${period}-by-${period} cash flows, to hold against the hurdle of ${hurdle}</p></div>
  <div class="card"><h2>Median return (IRR)</h2><span class="big">${pct(inv.irr?.p50)}</span><p>IRR per year: half the trials do better, half worse</p></div>
  <div class="card"><h2>Chance of losing money</h2><span class="big" id="prob-loss">${chance(inv.probLoss)}</span>${chanceErr(inv.probLoss)}<p>of trials pay back less than the ${mn(run.meta.capital)} lent</p></div>
  <div class="card"><h2>Chance of missing the hurdle</h2><span class="big" id="prob-npv-below">${chance(inv.probNpvBelowZero)}</span>${chanceErr(inv.probNpvBelowZero)}<p>of trials have a negative NPV at ${hurdle}: they pay back less than the capital and ${hurdle} a year on it</p></div>
  <div class="card"><h2>Chance of losing everything</h2><span class="big">${chance(inv.probTotalLoss)}</span><p>of trials pay nothing back at all</p></div>
  <div class="card"><h2>Value at risk (95%)</h2><span class="big">${mn(inv.valueAtRisk95)}</span><p>a loss at least this large in 1 trial in 20 (the 5th percentile of profit)</p></div>
  <div class="card"><h2>Expected shortfall (95%)</h2><span class="big" id="expected-shortfall">${mn(inv.expectedShortfall95)}</span><p>the mean loss in the worst 1 trial in 20: how bad the bad cases are, not only where they start</p></div>
  <div class="card"><h2>Money back per ${unitName(f.currency)} (mean)</h2><span class="big">${f.number(inv.multiple?.mean, 2)}</span><p>the expected multiple; expected profit ${mn(inv.profit?.mean)}, undiscounted</p></div>
</div>`;
}

/** The chance the financier's modified IRR is below x, break-even and the hurdle marked; other exceedanceChart options pass through. */
export function returnBelowChart(run: RunResult, f: Formats, options: Partial<ExceedanceOptions> = {}): SVGSVGElement | HTMLElement {
  const hurdleRate = run.summary.investor.hurdleRate;
  const finite = Array.from(run.columns.mirr).filter(Number.isFinite);
  return exceedanceChart(run.columns.mirr, {
    title: "Chance the financier's return is below x",
    subtitle: `Share of ${f.number(finite.length)} trials whose modified IRR (reinvesting and borrowing at the hurdle rate of ${f.percent(hurdleRate)}; every trial that lends has one) is x or less. At the hurdle the curve's height is the chance of missing it, the same as a negative NPV.`,
    xLabel: "Modified IRR per year, x →",
    mode: "below",
    xTickFormat: percentTicks(f.currency, 0, f.locale),
    format: (x) => f.percent(x),
    locale: f.locale,
    marks: [{ x: 0, label: "break-even" }, { x: hurdleRate, label: "hurdle" }],
    xDomain: [Math.max(-1, min(finite) ?? -1), Math.max(hurdleRate + 0.05, quantile(finite, 0.999) ?? 0.1)],
    ...options,
  });
}

/** P10, P50, P90 (and the mean ± its error where it is a decision figure) of the financier's return, multiple, profit and NPV. */
export function financierPercentiles(run: RunResult, f: Formats): HTMLTableElement {
  const c = run.columns, pct = (x: number) => f.percent(x), unit = millionsAxis(f.currency, f.locale).unit;
  const err = (x: number) => `${f.millionsError(x)} ${unit}`;
  return percentileTable([
    { label: "IRR per year (trials with one)", column: c.irr, format: pct, mean: false },
    { label: `Modified IRR per year (at ${f.percent(run.summary.investor.hurdleRate)})`, column: c.mirr, format: pct, mean: false },
    { label: "Multiple (money back ÷ capital)", column: c.multiple, format: (x) => f.number(x, 2) },
    { label: "Profit, undiscounted", column: c.profit, format: f.millions, errorFormat: err },
    { label: `NPV at ${f.percent(run.summary.investor.hurdleRate)}`, column: c.financierNpv, format: f.millions, errorFormat: err },
  ]);
}
