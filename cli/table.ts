/** The readable summary `utfall run` prints without --json. */
import { formatMillions, formatMoney, formatNumber, formatPercent, localeOf } from "../models/format.js";
import { formatKeyFigure, PARTY_NAMES, riskSplitFigures, type Comparison, type Dist, type Summary } from "../models/index.js";
import type { Cases } from "../models/analysis/cases.js";

type Cell = (x: number | null | undefined) => string;

function row(label: string, d: Dist | null, f: Cell): string[] {
  return [label, f(d?.mean), f(d?.p5), f(d?.p50), f(d?.p95)];
}

/** Columns padded to their widest cell; the first `leftColumns` left-aligned, the rest right. */
export function align(rows: string[][], leftColumns = 1, gap = "   "): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)));
  return rows
    .map((r) => r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(gap).trimEnd())
    .join("\n");
}

export function renderSummary(s: Summary): string {
  const locale = localeOf(s.currency);
  const money: Cell = (x) => formatMoney(x, s.currency, locale);
  const pct: Cell = (x) => formatPercent(x, locale);
  const ratio: Cell = (x) => formatNumber(x, locale, 2);
  const table = align([
    ["", "mean", "5th pct", "median", "95th pct"],
    // The mean of per-trial IRRs is no decision figure (it is left blank); the median is.
    row("Financier IRR (per year)", s.investor.irr && { ...s.investor.irr, mean: NaN }, (x) => (Number.isNaN(x) ? "" : pct(x))),
    row(`Financier MIRR (per year, at ${pct(s.investor.hurdleRate)})`, s.investor.mirr, pct),
    row(`Financier NPV at ${pct(s.investor.hurdleRate)} a year`, s.investor.npv, money),
    row("Financier multiple", s.investor.multiple, ratio),
    row("Financier profit", s.investor.profit, money),
    row("Payer's payments", s.payer.payments, money),
    row("Payer's avoided costs", s.payer.avoidedCosts, money),
    row("Payer's net (avoided − paid)", s.payer.net, money),
    row("Society's net present value", s.society.npv, money),
  ]);
  const hurdle = pct(s.investor.hurdleRate);
  const decision = align([
    [`The financier's decision figures (hurdle rate ${hurdle} a year)`, ""],
    [`expected NPV at ${hurdle}`, money(s.investor.expectedNpv)],
    ["IRR of the expected cash flows", s.investor.irrOfExpectedFlows === null ? "none" : pct(s.investor.irrOfExpectedFlows)],
    ["median IRR", pct(s.investor.irr?.p50)],
    ["value at risk (95 %)", money(s.investor.valueAtRisk95)],
    ["expected shortfall (mean loss in the worst 5 %)", money(s.investor.expectedShortfall95)],
  ]);
  const chances = align([
    ["Chance that", ""],
    ["the financier loses money", pct(s.investor.probLoss)],
    [`the financier's NPV at ${hurdle} is below zero`, pct(s.investor.probNpvBelowZero)],
    ["the financier loses everything", pct(s.investor.probTotalLoss)],
    ["the payer pays more than it avoids", pct(s.payer.probNetCost)],
    ["anything is paid", pct(s.contract.probAnyPayment)],
    ["outcome payments reward no real effect", pct(s.contract.probPayForNothing)],
    ["a real effect goes unpaid", pct(s.contract.probMissedSuccess)],
    ["society's benefits exceed costs", pct(s.society.chanceBenefitsExceedCosts)],
  ]);
  const tracked = s.effects
    .filter((e) => e.measuredTrueCorrelation !== null && s.contract.paymentsByRule.length > 0)
    .map((e) => `${e.measure} ${formatNumber(e.measuredTrueCorrelation, locale, 2)}`);
  const tracking = tracked.length ? `\nMeasured against true improvement, correlation over trials: ${tracked.join("; ")}.` : "";
  const noIrr = s.investor.trialsWithoutIrr > 0
    ? `\nNo IRR exists in ${formatNumber(s.investor.trialsWithoutIrr, locale)} trials (${pct(1 - s.investor.irrDefined)}; cash flows with several IRRs or none); they are left out of the IRR row and kept in the MIRR and NPV rows.`
    : "";
  return [
    `${s.scenario}: ${formatNumber(s.trials, locale)} trials, seed ${s.seed}, amounts in ${s.moneyBasis}, undiscounted unless stated`,
    "",
    table,
    "",
    decision,
    "",
    chances,
    `\nWorst case under the caps: the payer pays at most ${money(s.payer.maxPayments)} (largest in any trial).` + tracking + noIrr,
  ].join("\n");
}

/** Key figures of several scenarios side by side, each in its own currency's format. */
export function renderComparison(c: Comparison): string {
  const first = c.scenarios[0]!;
  return [
    `${c.scenarios.length} scenarios, ${formatNumber(first.trials, localeOf(first.currency))} trials each, seed ${first.seed}; money undiscounted, in each scenario's currency`,
    "",
    align([
      ["", ...c.scenarios.map((s) => s.name)],
      ...c.rows.map((r) => [`${PARTY_NAMES[r.party]}: ${r.label}`, ...r.values.map((v, i) => formatKeyFigure(r.kind, v, c.scenarios[i]!.currency))]),
    ]),
  ].join("\n");
}

/** `run --risk-split`: each output's chance and ignorance shares with their error. */
export function renderRiskSplit(r: ReturnType<typeof riskSplitFigures>, currency: string): string {
  const locale = localeOf(currency);
  const pct = (x: number) => formatPercent(x, locale);
  const line = (label: string, v: { chance: number; ignorance: number; se: number } | null): string[] =>
    v ? [label, pct(v.chance), pct(v.ignorance), `± ${pct(v.se)}`] : [label, "–", "–", "does not vary"];
  return [
    `Where the risk comes from (${formatNumber(r.groups, locale)} parameter draws × ${r.perGroup} cohorts each; variance shares)`,
    "",
    align([
      ["", "cohort's chance", "ignorance", "error"],
      line("Financier's NPV", r.financierNpv),
      line("Payer's net present value", r.payerNetPV),
      line("Paying for nothing", r.payForNothing),
    ]),
  ].join("\n");
}

/** `run --cases` as a table: one row per case. */
export function renderCases(c: Cases, currency: string): string {
  const m = (x: number) => formatMillions(x, currency, "en-GB").padStart(14);
  const rows = (["base", "upside", "downside"] as const).map((k) => `${k.padEnd(10)}${m(c[k].payerNet)}${m(c[k].financierNpv)}${(c[k].financierIrr == null ? "none" : formatPercent(c[k].financierIrr, "en-GB", 1)).padStart(14)}${m(c[k].societyNpv)}`);
  return [`Deterministic cases (${c.inputs.length} uncertain inputs fixed; means over ${c.trials} trials of the cohort's chance)`, `${"case".padEnd(10)}${"payer net".padStart(14)}${"fin. NPV".padStart(14)}${"fin. IRR".padStart(14)}${"society NPV".padStart(14)}`, ...rows].join("\n");
}
