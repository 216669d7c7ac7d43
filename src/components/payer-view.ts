/**
 * The Payer's page, as components, so src/payer.md reads as a document: the headline cards, the
 * chance of paying more than y with its percentile table, the budget-year fans, the net present
 * value histogram, the self-funding comparison and the table of what each payment rule costs.
 * Each takes the run (components/runner.ts) and the page's formatters (models/format.ts); chart
 * helpers take further options through, as Plot's own do.
 */
import { html } from "htl";
import { max, min } from "d3-array";
import type { Formats } from "../models/format.js";
import { resolveMoney } from "../models/compile.js";
import type { FanPoint, Scenario } from "../models/index.js";
import { share } from "../models/summary/dist.js";
import { chanceError, meanError } from "../models/summary/mcError.js";
import { fanChart, histogram, millionsAxis, percentTicks, trimmedEdges, type FanOptions, type HistogramOptions } from "./charts.js";
import { exceedanceChart, percentileTable, type ExceedanceOptions } from "./risk-tables.js";
import type { RunResult } from "./runner.js";
import { periodName } from "./scenario-run.js";
import { selfFundingChart, type SelfFundingChartOptions } from "./self-funding.js";

/** The contract's total cap in money, null when it has none. */
export function totalCap(run: RunResult, scenario: Scenario): number | null {
  const cap = scenario.contract.totalCap;
  return cap == null ? null : resolveMoney(cap, run.meta.capital);
}

/** The scenario counts no avoided costs (no published cost per event). */
export function noAvoidedCosts(run: RunResult): boolean {
  const a = run.summary.payer.avoidedCosts;
  return [a?.p5, a?.p95, a?.mean].every((x) => x === 0);
}

const unitOf = (f: Formats) => millionsAxis(f.currency, f.locale).unit;
const chanceErr = (f: Formats, p: number, trials: number) => html`<span class="mc-error"> ± ${f.number(100 * chanceError(p, trials), 1)}¹</span>`;

/** The six headline cards: expected payments (± error), the worst case under the caps, paying for nothing, costs avoided, the net, paying more than avoided. */
export function payerCards(run: RunResult, scenario: Scenario, trials: number, f: Formats, discountText: string): HTMLElement {
  const s = run.summary, mn = f.millions, cap = totalCap(run, scenario);
  const horizonYears = run.meta.horizon / run.meta.periodsPerYear;
  const placement = scenario.outcomes.some((o) => o.kind === "placement");
  return html`<div class="grid grid-cols-3">
  <div class="card"><h2>Expected payments</h2><span class="big" id="expected-payments">${mn(s.payer.payments?.mean)}</span><span class="mc-error"> ± ${f.millionsError(meanError(run.columns.payments) ?? 0)}¹</span><p>to the financier over the contract; median ${mn(s.payer.payments?.p50)}</p></div>
  <div class="card"><h2>Worst case under the caps</h2><span class="big">${mn(s.payer.maxPayments)}</span><p>the most paid in any trial; ${cap == null ? "the contract has no total cap" : `the total cap is ${mn(cap)}`}; 1 trial in 20 pays at least ${mn(s.payer.payments?.p95)}</p></div>
  <div class="card"><h2>Paying for nothing</h2><span class="big" id="pay-for-nothing">${f.chance(s.contract.probPayForNothing)}</span>${chanceErr(f, s.contract.probPayForNothing, trials)}<p>chance of an outcome payment although the participants were not truly better off on the measure paid for</p></div>
  <div class="card"><h2>Costs avoided</h2><span class="big">${mn(s.payer.avoidedCosts?.mean)}</span><p>expected ${placement ? "placement " : ""}costs avoided over ${f.number(horizonYears, horizonYears % 1 ? 1 : 0)} years, undiscounted; 90% of trials between ${mn(s.payer.avoidedCosts?.p5)} and ${mn(s.payer.avoidedCosts?.p95)}</p></div>
  <div class="card"><h2>Net position</h2><span class="big">${mn(s.payer.net?.mean)}</span><p>avoided costs minus payments, expected; ${discountText}: ${mn(s.payer.netPV?.mean)}</p></div>
  <div class="card"><h2>Pays more than it avoids</h2><span class="big">${f.chance(s.payer.probNetCost)}</span>${chanceErr(f, s.payer.probNetCost, trials)}<p>chance the payments exceed the costs avoided over the horizon (undiscounted)</p></div>
</div>`;
}

/** The share of trials whose payments exceed `amount` (at the cap: reach it). */
export function chancePaysMore(run: RunResult, amount: number, atCap = false): number {
  const p = run.columns.payments;
  return share(p.length, (i) => (atCap ? p[i]! >= amount - 0.5 : p[i]! > amount));
}

/** The chance the payer pays more than y, the expected payments and the cap marked; other exceedanceChart options pass through. */
export function paysMoreChart(run: RunResult, scenario: Scenario, f: Formats, options: Partial<ExceedanceOptions> = {}): SVGSVGElement | HTMLElement {
  const cap = totalCap(run, scenario), unit = unitOf(f), mean = run.summary.payer.payments?.mean ?? 0;
  return exceedanceChart(run.columns.payments, {
    title: "Chance the payer pays more than y",
    subtitle: `Share of trials whose payments to the financier, over the contract and undiscounted, exceed y (${unit}). Steps down are amounts the contract fixes (a payment many trials make, the cap); at a marked amount the figure is the chance of that much or more.`,
    xLabel: `Payments, y (${unit}) →`,
    mode: "above",
    xTickFormat: millionsAxis(f.currency, f.locale).tickFormat,
    format: f.millions,
    locale: f.locale,
    marks: [{ x: mean, label: "expected" }, ...(cap == null ? [] : [{ x: cap, label: "the whole cap" }])],
    color: "#c0392b",
    ...options,
  });
}

/** P10, P50, P90 and the mean ± its error of the payments, and (when counted) the avoided costs and the net. */
export function payerPercentiles(run: RunResult, f: Formats): HTMLTableElement {
  const c = run.columns, mn = f.millions, unit = unitOf(f);
  const err = (x: number) => `${f.millionsError(x)} ${unit}`;
  return percentileTable([
    { label: "Payments to the financier", column: c.payments, format: mn, errorFormat: err },
    ...(noAvoidedCosts(run) ? [] : [
      { label: "Costs avoided", column: c.avoidedCosts, format: mn, errorFormat: err },
      { label: "Net (avoided − paid)", column: c.payerNet, format: mn, errorFormat: err },
      { label: "Net, discounted", column: c.payerNetPV, format: mn, errorFormat: err },
    ]),
  ]);
}

/** Budget years are calendar years when the contract has a start date. */
export function calendarBudgetYears(run: RunResult): boolean {
  return /^\d{4}$/.test(run.summary.payer.budgetYears?.[0] ?? "");
}

/** A fan of money by budget year (calendar years when the contract has a start date); options (title, colour, …) pass through. */
export function budgetYearFan(run: RunResult, f: Formats, points: readonly FanPoint[], options: Partial<FanOptions> = {}): SVGSVGElement | HTMLElement {
  const yearName = (x: number) => run.summary.payer.budgetYears?.[x] ?? `year ${x + 1}`;
  return fanChart(points, {
    xLabel: calendarBudgetYears(run) ? "Budget year →" : "Budget year of the contract →",
    x: (x: number) => x + 1,
    xTickFormat: (x: number) => yearName(x - 1),
    xName: yearName,
    yTickFormat: millionsAxis(f.currency, f.locale).tickFormat,
    format: f.millions,
    curve: "step",
    mean: true,
    height: 260,
    ...options,
  } as FanOptions);
}

/** One y scale for the payments and the avoided costs by year, so the two fans compare. */
export function budgetYearDomain(run: RunResult): [number, number] {
  const both = [...run.fans.paymentsByYear, ...(noAvoidedCosts(run) ? [] : run.fans.avoidedByYear)];
  return [Math.min(0, min(both, (d) => d.p5) ?? 0), Math.max(0, max(both, (d) => d.p95) ?? 0)];
}

/** The payer's net present value over the horizon: saving green, costing red, nothing either way grey; options pass through. */
export function payerNpvHistogram(run: RunResult, f: Formats, options: Partial<HistogramOptions> = {}): SVGSVGElement | HTMLElement {
  const netPV = run.columns.payerNetPV, unit = unitOf(f);
  const SAVES = "Saves money", COSTS = "Costs money", NEITHER = "Nothing either way";
  return histogram(netPV, {
    title: "The payer's net present value over the horizon",
    subtitle: `Costs avoided minus payments, discounted, ${unit}; share of trials. Right of zero the payer saves: ${f.chance(share(netPV.length, (i) => netPV[i]! >= 1))} of trials; in ${f.chance(share(netPV.length, (i) => Math.abs(netPV[i]!) < 1))} nothing is paid and nothing changes. A tall bar at a fixed amount is the contract's cap or a fixed payment, paid with no savings to offset it.`,
    xLabel: `Net present value (${unit}) →`,
    thresholds: trimmedEdges(netPV, [0], 50),
    xTickFormat: millionsAxis(f.currency, f.locale).tickFormat,
    yTickFormat: percentTicks(f.currency, 0, f.locale),
    // Exactly zero: no payment and no effect (e.g. the work was not delivered).
    group: (x) => (Math.abs(x) < 1 ? NEITHER : x > 0 ? SAVES : COSTS),
    groups: { domain: [SAVES, COSTS, NEITHER], range: ["seagreen", "#c0392b", "#999"] },
    rules: [{ x: 0 }],
    ...options,
  });
}

/** Doing it ourselves: the alternative, the table under the contract and self-funded, the premium and the worst 5% (or why it is not computed). */
export function selfFundingSection(run: RunResult, f: Formats, discountText: string): HTMLElement {
  const sf = run.summary.payer.selfFunding, mn = f.millions;
  if (sf == null) return html`<p>The scenario gives no lending rate for the payer (<code>valuation.selfFunding.lendingRate</code>), and the kit has a default only for Swedish municipalities, so the alternative of funding the work itself is not computed.</p>`;
  const lr = sf.lendingRate;
  const lendingText = lr == null ? "" : lr.p5 === lr.p95 ? f.percent(lr.mean, 1) : `${f.percent(lr.p5, 1)} to ${f.percent(lr.p95, 1)} (90% range)`;
  const ppy = run.meta.periodsPerYear, p = sf.repayPeriod;
  const periodLabel = ppy === 1 ? `year ${p + 1}` : `${periodName(ppy)} ${p + 1}, in year ${Math.floor(p / ppy) + 1}`;
  const diff = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a - b);
  const rows = [
    { label: "Expected cost", note: "payments to the financier, or the loan repaid with interest", a: sf.contract.costPV?.mean, b: sf.selfFunded.costPV?.mean },
    { label: "Expected net", note: "costs avoided minus that cost", a: sf.contract.netPV?.mean, b: sf.selfFunded.netPV?.mean },
    { label: "Net, 5th percentile", note: "1 trial in 20 is worse", a: sf.contract.netPV?.p5, b: sf.selfFunded.netPV?.p5 },
    { label: "Net, mean of the worst 5%", note: "what the risk transfer protects against", a: sf.contract.netPVWorst5Mean, b: sf.selfFunded.netPVWorst5Mean },
  ];
  const premium = sf.premium ?? 0, at = sf.premiumAtLendingRate;
  const worstC = sf.contract.netPVWorst5Mean ?? NaN, worstS = sf.selfFunded.netPVWorst5Mean ?? NaN;
  return html`<div><p>The payer's real alternative is to fund the same work itself: from its social investment fund, or with a loan at its lending rate, ${lendingText} a year${sf.defaultLendingRate ? " (Kommuninvest's rates, the kit's default)" : ""}. It then borrows the ${mn(sf.deliveryCost)} the work costs as it is spent, repays it with interest when the contract's last payment would fall due (${periodLabel}), and keeps every cost it avoids. On the same simulated trials:</p>
  <table class="rules self-funding">
    <thead><tr><th>The payer's money, ${discountText}</th><th class="num">Under the contract</th><th class="num">Doing it ourselves</th><th class="num">Contract − ourselves</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${r.label}<br><small>${r.note}</small></td><td class="num">${mn(r.a)}</td><td class="num">${mn(r.b)}</td><td class="num">${mn(diff(r.a, r.b))}</td></tr>`)}</tbody>
  </table>
  <p id="self-funding-premium">${premium > 0
    ? html`The contract costs the payer <b>${mn(premium)}</b> more in expectation than doing it itself: that is the premium it pays for transferring the risk (${mn(at.atRateP95)} to ${mn(at.atRateP5)} as the lending rate goes from its 95th to its 5th percentile).`
    : html`The contract costs the payer <b>${mn(-premium)}</b> less in expectation than doing it itself (${mn(at.atRateP5 == null ? null : -at.atRateP5)} to ${mn(at.atRateP95 == null ? null : -at.atRateP95)} as the lending rate goes from its 5th to its 95th percentile): the premium for the risk transfer is negative, because in most trials the financier does not get all its capital back.`}
  In the worst 5% of trials the payer's net is on average ${mn(sf.contract.netPVWorst5Mean)} under the contract and ${mn(sf.selfFunded.netPVWorst5Mean)} doing it itself${worstC > worstS ? html`: the contract makes the bad cases ${mn(worstC - worstS)} less bad` : html`: the contract does not make the bad cases better`}.</p></div>`;
}

/** The payer's net present value under the contract and doing it ourselves; options (width, …) pass through. Null without a lending rate. */
export function payerSelfFundingChart(run: RunResult, f: Formats, discountText: string, trials: number, options: Partial<SelfFundingChartOptions> = {}): SVGSVGElement | HTMLElement | null {
  const sf = run.summary.payer.selfFunding, unit = unitOf(f);
  if (sf == null) return null;
  return selfFundingChart(sf, {
    names: ["Under the contract", "Doing it ourselves"],
    title: "The payer's net present value: the contract against doing it ourselves",
    subtitle: `${unit}, ${discountText}, over the same ${f.number(trials)} trials. Pale bar: 90% of trials; dark bar: the middle half; black tick: the median; red diamond: the mean of the worst 5%. The further right, the better for the payer.`,
    xLabel: `Net present value (${unit}) →`,
    tickFormat: millionsAxis(f.currency, f.locale).tickFormat,
    labels: { range: "90% of trials", middle: "middle half", median: "median", worst: "worst 5%" },
    format: f.millions,
    ...options,
  });
}

const KIND: Record<string, string> = { activity: "activity payment", savingsShare: "share of savings", proportional: "proportional above a threshold", rateCard: "rate card", stepped: "stepped schedule", conditionalReturn: "conditional return" };

/** What each payment rule costs: its chance of paying, expected, median and 95th percentile payments. */
export function rulesTable(run: RunResult, scenario: Scenario, f: Formats): HTMLElement {
  const mn = f.millions;
  return html`<table class="rules">
  <thead><tr><th>Rule</th><th>Kind</th><th class="num">Chance it pays</th><th class="num">Expected</th><th class="num">Median</th><th class="num">95th percentile</th></tr></thead>
  <tbody>${run.summary.contract.paymentsByRule.map((r, k) => html`<tr>
    <td>${scenario.contract.rules[k]?.label ?? r.rule}</td><td>${KIND[r.kind] ?? r.kind}</td>
    <td class="num">${f.chance(r.probPaid)}</td><td class="num">${mn(r.payments?.mean)}</td><td class="num">${mn(r.payments?.p50)}</td><td class="num">${mn(r.payments?.p95)}</td>
  </tr>`)}</tbody>
</table>`;
}
