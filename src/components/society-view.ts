/**
 * Society's page, as components: the table of benefits and costs by perspective (participants,
 * taxpayers with the payer's own part, others, society as a whole), WSIPP's split, every figure a
 * mean present value at society's rate so each column adds up; and the list of what society's
 * benefits include, from the scenario's outcomes and long-run values.
 */
import { html } from "htl";
import { mean as d3mean, max } from "d3-array";
import type { Formats } from "../models/format.js";
import type { Dist, Scenario } from "../models/index.js";
import type { ParamSpec } from "../models/scenario/param.js";
import { share } from "../models/summary/dist.js";
import type { RunResult } from "./runner.js";
import { histogram, millionsAxis, percentTicks, trimmedEdges, type HistogramOptions } from "./charts.js";

/** Society's expected benefits and costs (discounted) and the benefit–cost ratio, null where it means nothing. */
export function societyTotals(run: RunResult): { benefits: number; costs: number; ratio: number | null; noBenefits: boolean } {
  const c = run.columns;
  const benefits = d3mean(c.societyBenefitPV) ?? NaN;
  // Society's costs: the capital spent on the intervention, discounted (NPV = benefits − costs).
  const costs = d3mean(c.societyNpv, (npv, i) => c.societyBenefitPV[i]! - npv) ?? NaN;
  const noBenefits = max(c.societyBenefitPV, Math.abs) === 0;
  // A ratio means something only when the costs are positive and the benefits are not negative on average.
  const ratio = costs > 0 && benefits > 0 && !noBenefits ? benefits / costs : null;
  return { benefits, costs, ratio, noBenefits };
}

interface Row { who: string; note: string; benefits: number; costs: number; transfers: number; npv: number | undefined; range: Dist | null; chance: number | null; sub: boolean }

/** The perspectives table: resource gains, resource costs, transfers, NPV (mean), its 5th–95th percentile, the chance of a gain. */
export function perspectivesTable(run: RunResult, scenario: Scenario, f: Formats): HTMLElement {
  const s = run.summary, c = run.columns;
  const { benefits, costs } = societyTotals(run);
  const by = Object.fromEntries(s.society.byPerspective.map((p) => [p.perspective, p]));
  const positive = (col: Float64Array) => share(col.length, (i) => col[i]! > 0);
  const longRun = scenario.valuation.longRun.length > 0;
  const placement = scenario.outcomes.some((o) => o.kind === "placement");
  // The outcome payer's part of the taxpayers' figures, at the same rate.
  const payerPaid = d3mean(c.paymentsPV) ?? NaN, payerNet = d3mean(c.payerNetPV) ?? NaN, payerAvoided = payerNet + payerPaid;
  const row = (who: string, note: string, key: string, col: Float64Array): Row => {
    const p = by[key]!;
    return { who, note, benefits: p.benefits ?? NaN, costs: p.costs ?? NaN, transfers: p.transfers ?? NaN, npv: p.npv?.mean, range: p.npv, chance: positive(col), sub: false };
  };
  const tax = by.taxpayers!;
  const rows: Row[] = [
    row("Participants", longRun ? "the children as adults: the value of their work, less the taxes on it" : "no long-run value is counted for them", "participants", c.participantsNpv),
    row("Taxpayers", `${placement ? "care costs avoided at their full cost" : "costs avoided"}${longRun ? ", taxes gained" : ""}, less the payments to the financier`, "taxpayers", c.taxpayersNpv),
    { who: "of which the outcome payer", note: `its own ${placement ? "placement " : ""}costs avoided, less its payments (the payer's view)`, benefits: payerAvoided, costs: 0, transfers: -payerPaid, npv: payerNet, range: s.payer.netPV, chance: positive(c.payerNetPV), sub: true },
    // The taxpayers' transfers other than the payments: the taxes gained.
    { who: "of which other public budgets", note: `${placement ? "the state's share of care costs" : "costs beyond the payer's"}${longRun ? " and the taxes gained" : ""}`, benefits: (tax.benefits ?? NaN) - payerAvoided, costs: 0, transfers: (tax.transfers ?? NaN) + payerPaid, npv: (tax.npv?.mean ?? NaN) - payerNet, range: null, chance: null, sub: true },
    row("Others", "the financier: payments received, less the capital spent on the work", "others", c.othersNpv),
    { who: "Society as a whole", note: "resource gains and costs; the transfers cancel", benefits, costs, transfers: 0, npv: s.society.npv?.mean, range: s.society.npv, chance: s.society.chanceBenefitsExceedCosts, sub: false },
  ];
  const mn = (x: number | null | undefined) => f.millions(x);
  const signed = (x: number) => (Math.abs(x) < 500 ? mn(0) : (x > 0 ? "+" : "") + mn(x));
  return html`<table class="perspectives">
  <thead><tr><th>Perspective</th><th class="num">Resource gains</th><th class="num">Resource costs</th><th class="num">Transfers in (+) or out (−)</th><th class="num">Net present value (mean)</th><th class="num">5th–95th percentile</th><th class="num">Chance of a gain</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr class=${r.sub ? "sub" : r.who === "Society as a whole" ? "total" : ""}>
    <td>${r.sub ? html`<span class="indent">${r.who}</span>` : html`<b>${r.who}</b>`}<br><small>${r.note}</small></td>
    <td class="num">${mn(r.benefits)}</td>
    <td class="num">${mn(r.costs)}</td>
    <td class="num">${signed(r.transfers)}</td>
    <td class="num">${r.sub ? mn(r.npv) : html`<b>${mn(r.npv)}</b>`}</td>
    <td class="num">${r.range ? html`${mn(r.range.p5)} to ${mn(r.range.p95)}` : "–"}</td>
    <td class="num">${r.chance == null ? "–" : f.chance(r.chance)}</td>
  </tr>`)}</tbody>
</table>`;
}

const PERSPECTIVE_NAME: Record<string, string> = { participants: "participants", taxpayers: "taxpayers", others: "others" };
const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** What society's benefits include, one item per kind of benefit the scenario counts, and its costs. */
export function benefitsList(run: RunResult, scenario: Scenario, f: Formats): HTMLElement {
  const horizonYears = run.meta.horizon / run.meta.periodsPerYear;
  const placement = scenario.outcomes.some((o) => o.kind === "placement");
  const eventCost = scenario.outcomes.some((o) => o.kind === "count" && o.costPerEvent != null);
  const longRun = scenario.valuation.longRun;
  const range = (v: ParamSpec, show: (x: number) => string, what: string) => {
    if (typeof v === "number") return show(v);
    if ("value" in v) return show(v.value);
    if ("p5" in v) return `between ${show(v.p5)} and ${show(v.p95)} (90% range)`;
    return `an uncertain ${what} (see methods)`;
  };
  const value = (v: ParamSpec) => range(v, f.money, "amount");
  const shareOf = (v: ParamSpec) => range(v, (x) => f.percent(x, 0), "share");
  return html`<ul>
  ${placement ? html`<li><b>Placement costs avoided</b> over ${f.number(horizonYears, horizonYears % 1 ? 1 : 0)} years, at the full cost of each kind of care where the scenario gives one (for a state institution, the state's cost, not only the municipality's fee), discounted to the contract's start.</li>` : null}
  ${eventCost ? html`<li><b>Costs of events avoided</b> (the scenario's cost per event), discounted.</li>` : null}
  ${!placement && !eventCost && !longRun.length ? html`<li><b>No benefits are counted</b>: the scenario gives no cost per event and no long-run value, so society's net present value is minus the capital. That is a gap in the evidence, not a finding that the programme is worthless.</li>` : null}
  ${longRun.map((v) => html`<li><b>Long-run value of ${v.outcome}</b>: ${v.components
    ? html`per extra success, ${v.components.map((k, i) => html`${i ? "; " : ""}${lower(k.label ?? k.id)} (${PERSPECTIVE_NAME[k.perspective] ?? k.perspective}${k.transferFrom ? `, a transfer from ${PERSPECTIVE_NAME[k.transferFrom] ?? k.transferFrom}` : ""}): ${k.value != null ? value(k.value) : `${k.share == null ? "an uncertain share" : shareOf(k.share)} of the ${lower(v.components?.find((x) => x.id === k.of)?.label ?? k.of ?? "")}`}`)}`
    : html`each extra success is worth ${v.valuePerSuccess == null ? "an uncertain amount (see methods)" : value(v.valuePerSuccess)}, counted under others (the scenario does not say who gains it)`}; ${f.percent(v.countedShare, 0)} is counted, from ${f.number(v.delayYears ?? 0)} years after the follow-up, discounted.</li>`)}
  <li><b>Costs</b>: the capital spent on the intervention, discounted as it is drawn. The payments by results are a transfer between the payer and the financier and are not a cost to society.</li>
</ul>`;
}

/** The three headline cards: the chance benefits exceed costs, society's NPV (mean, with its median and range), the benefit–cost ratio. */
export function societyCards(run: RunResult, f: Formats, discount: number | null): HTMLElement {
  const s = run.summary, mn = f.millions;
  const { ratio, noBenefits } = societyTotals(run);
  return html`<div class="grid grid-cols-3">
  <div class="card"><h2>Chance benefits exceed costs</h2><span class="big" id="chance-benefits">${f.chance(s.society.chanceBenefitsExceedCosts)}</span><p>for society as a whole: the share of trials with a positive net present value</p></div>
  <div class="card"><h2>Net present value to society (mean)</h2><span class="big">${mn(s.society.npv?.mean)}</span><p>expected, at ${discount == null ? "the scenario's uncertain rate" : `${f.percent(discount, 1)} a year`}; median ${mn(s.society.npv?.p50)}; 90% of trials between ${mn(s.society.npv?.p5)} and ${mn(s.society.npv?.p95)}</p></div>
  <div class="card"><h2>Benefit–cost ratio</h2><span class="big">${ratio == null ? "–" : f.number(ratio, 2)}</span><p>${noBenefits ? "not meaningful here: the scenario counts no benefits" : ratio == null ? "not meaningful here: benefits are not positive on average" : "expected benefits ÷ expected costs, both discounted (society as a whole)"}</p></div>
</div>`;
}

/**
 * Society's net present value over the trials, gains green and losses red, with the chance of a
 * gain and the bar of trials in which nothing changed named in the subtitle. Further histogram
 * options (width, height, …) pass through.
 */
export function societyNpvHistogram(run: RunResult, f: Formats, discount: number | null, options: Partial<HistogramOptions> = {}): SVGSVGElement | HTMLElement {
  const s = run.summary, c = run.columns, npv = c.societyNpv;
  const axis = millionsAxis(s.currency, f.locale);
  const { costs, noBenefits } = societyTotals(run);
  const noEffect = share(c.societyBenefitPV.length, (i) => c.societyBenefitPV[i] === 0);
  const GAIN = "Benefits exceed costs", LOSS = "Costs exceed benefits";
  return histogram(npv, {
    title: "Society's net present value over the simulated programmes",
    subtitle: noBenefits
      ? `${axis.unit}; share of trials. This scenario counts no benefits for society (no cost per event is published), so its net present value is minus the capital in every trial.`
      : `${axis.unit}, discounted at ${discount == null ? "the scenario's rate" : f.percent(discount, 1)} a year; share of trials. Right of the line at zero the benefits exceed the costs: ${f.chance(s.society.chanceBenefitsExceedCosts)} of trials. The spread is the uncertainty in effects, costs and chance in a small cohort.${noEffect > 0.01 ? ` The tall bar near ${f.millions(-costs)} holds the ${f.chance(noEffect)} of trials in which nothing changed (the work was not delivered): society bears the capital for nothing.` : ""}`,
    xLabel: `Net present value to society (${axis.unit}) →`,
    thresholds: trimmedEdges(npv, [0], 50),
    xTickFormat: axis.tickFormat,
    yTickFormat: percentTicks(s.currency, 0, f.locale),
    group: (x) => (x > 0 ? GAIN : LOSS),
    groups: { domain: [GAIN, LOSS], range: ["seagreen", "#c0392b"] },
    rules: [{ x: 0, label: "benefits = costs" }],
    ...options,
  });
}
