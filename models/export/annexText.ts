/**
 * The payment annex in words: the same formula as the workbook (models/export/annex.ts), one
 * page a board or an assessor can read, in English or Swedish. Every amount is written out as
 * the engine resolves it; the sentences follow `ruleAmount` and `evaluateContract` step by step.
 */
import { paymentEvents, resolveMoney, type Model } from "../compile.js";
import { MONEY_EPSILON, RELATIVE_TIE_TOLERANCE } from "../constants.js";
import { compileRule, type CompiledRule } from "../contract/rules.js";
import { capitalBasis } from "../contract/waterfall.js";
import { formatMoney, formatNumber } from "../format.js";
import type { PaymentRule, Scenario } from "../scenario/schema.js";

export type AnnexLanguage = "en" | "sv";

interface Words {
  readonly title: (name: string) => string;
  readonly intro: string;
  readonly measuredHead: string;
  readonly delivered: string;
  readonly cohort: (k: number, n: string, start: number) => string;
  readonly comparator: (what: string) => string;
  readonly historical: string;
  readonly group: (n: string) => string;
  readonly termsHead: string;
  readonly capital: (amount: string, planned: boolean) => string;
  readonly improvement: string;
  readonly each: string;
  readonly pooled: string;
  readonly perCohort: string;
  readonly paid: (period: number) => string;
  readonly afterFollowUp: (lag: number) => string;
  readonly activity: (amount: string) => string;
  readonly share: (share: string, measure: string, above: string | null) => string;
  readonly repaid: (capital: string) => string;
  readonly proportional: (threshold: string, price: string, measure: string, all: boolean) => string;
  readonly rateCard: (price: string, measure: string, all: boolean) => string;
  readonly stepped: (measure: string, bands: string) => string;
  readonly band: (from: string, amount: string) => string;
  readonly cap: (cap: string) => string;
  readonly condition: (measure: string, min: string) => string;
  readonly offset: (rules: string) => string;
  readonly commonHead: string;
  readonly order: string;
  readonly totalCap: (cap: string | null) => string;
  readonly ties: (tol: string, eps: string) => string;
  readonly workbook: string;
}

const EN: Words = {
  title: (name) => `Payment annex: ${name}`,
  intro: "How every payment under the contract is computed from what is measured. The workbook annex (annex.xlsx) computes the same, cell by cell.",
  measuredHead: "What is measured",
  delivered: "Whether the work was delivered as planned (yes or no).",
  cohort: (k, n, start) => `Cohort ${k} (${n} participants, from period ${start}): its measured value of each measure below over its measurement window, and the comparator's value.`,
  comparator: (what) => `The comparator is ${what}, scaled to the cohort's size.`,
  historical: "the historical baseline",
  group: (n) => `a comparison group of ${n}`,
  termsHead: "The rules, in the order written",
  capital: (amount, planned) => `Amounts given as shares of capital are shares of ${amount} (${planned ? "the planned draw" : "the capital committed"}).`,
  improvement:
    "The improvement is the comparator's value minus the measured value for a measure where lower is better (the measured value minus the comparator's where higher is better); the relative improvement is the improvement divided by the comparator's value (against a comparator of zero, any improvement counts as unbounded).",
  each: "Each rule is applied",
  pooled: "once, to all cohorts together",
  perCohort: "to each cohort on its own, the amounts split between cohorts by size",
  paid: (p) => `paid in period ${p}`,
  afterFollowUp: (lag) => `paid ${lag === 0 ? "at the end of" : `${lag} period${lag === 1 ? "" : "s"} after`} the cohort's follow-up`,
  activity: (amount) => `${amount} if the work was delivered as planned, whatever the outcomes`,
  share: (share, measure, above) => `${share} of the improvement in ${measure}${above ? ` beyond ${above}` : ""}`,
  repaid: (capital) => `the improvement at which the rules written before it, paid together, repay ${capital}`,
  proportional: (threshold, price, measure, all) =>
    `if ${measure} improves by at least ${threshold} relative to the comparator, ${price} per unit of ${all ? "the whole improvement" : "improvement beyond that threshold"}`,
  rateCard: (price, measure, all) => `${price} per ${all ? `${measure} outcome achieved` : `unit of improvement in ${measure}`}`,
  stepped: (measure, bands) => `an amount by how much ${measure} improves relative to the comparator: ${bands} (the highest band reached applies)`,
  band: (from, amount) => `at least ${from}: ${amount}`,
  cap: (cap) => `at most ${cap}`,
  condition: (measure, min) => `only if ${measure} improves by more than ${min} relative to the comparator`,
  offset: (rules) => `less what ${rules} paid before it (for the same cohort)`,
  commonHead: "For every payment",
  order: "Payments fall due in order of their period, and within a period in the order the rules are written.",
  totalCap: (cap) => (cap ? `All payments together are at most ${cap}: a payment that would go beyond it is cut to what is left.` : "There is no cap on all payments together."),
  ties: (tol, eps) => `A relative improvement within ${tol} of a threshold counts as reaching it; an amount below ${eps} counts as no payment.`,
  workbook: "Generated by utfall from the scenario file; the same scenario and terms give the same annex.",
};

const SV: Words = {
  title: (name) => `Betalningsbilaga: ${name}`,
  intro: "Hur varje betalning enligt avtalet räknas fram ur det som mäts. Arbetsboken (annex.xlsx) räknar likadant, cell för cell.",
  measuredHead: "Det som mäts",
  delivered: "Om insatsen genomfördes som planerat (ja eller nej).",
  cohort: (k, n, start) => `Grupp ${k} (${n} deltagare, från period ${start}): gruppens uppmätta värde för varje mått nedan under mätperioden, och jämförelsens värde.`,
  comparator: (what) => `Jämförelsen är ${what}, omräknad till gruppens storlek.`,
  historical: "det historiska utfallet",
  group: (n) => `en jämförelsegrupp på ${n}`,
  termsHead: "Reglerna, i den ordning de står",
  capital: (amount, planned) => `Belopp som anges som andel av kapitalet är andelar av ${amount} (${planned ? "det planerade uttaget" : "det utlovade kapitalet"}).`,
  improvement:
    "Förbättringen är jämförelsens värde minus det uppmätta värdet för ett mått där lägre är bättre (det uppmätta minus jämförelsens där högre är bättre); den relativa förbättringen är förbättringen delad med jämförelsens värde (mot en jämförelse på noll räknas varje förbättring som obegränsad).",
  each: "Varje regel tillämpas",
  pooled: "en gång, på alla grupper tillsammans",
  perCohort: "på varje grupp för sig, med beloppen fördelade mellan grupperna efter storlek",
  paid: (p) => `betalas i period ${p}`,
  afterFollowUp: (lag) => `betalas ${lag === 0 ? "när gruppens uppföljning slutar" : `${lag} period${lag === 1 ? "" : "er"} efter gruppens uppföljning`}`,
  activity: (amount) => `${amount} om insatsen genomfördes som planerat, oavsett resultat`,
  share: (share, measure, above) => `${share} av förbättringen i ${measure}${above ? ` utöver ${above}` : ""}`,
  repaid: (capital) => `den förbättring där reglerna före denna, betalda tillsammans, har betalat tillbaka ${capital}`,
  proportional: (threshold, price, measure, all) =>
    `om ${measure} förbättras med minst ${threshold} jämfört med jämförelsen, ${price} per enhet av ${all ? "hela förbättringen" : "förbättringen utöver den gränsen"}`,
  rateCard: (price, measure, all) => `${price} per ${all ? `uppnått resultat i ${measure}` : `enhet förbättring i ${measure}`}`,
  stepped: (measure, bands) => `ett belopp efter hur mycket ${measure} förbättras jämfört med jämförelsen: ${bands} (det högsta steg som nås gäller)`,
  band: (from, amount) => `minst ${from}: ${amount}`,
  cap: (cap) => `högst ${cap}`,
  condition: (measure, min) => `bara om ${measure} förbättras med mer än ${min} jämfört med jämförelsen`,
  offset: (rules) => `minus det som ${rules} redan har betalat (för samma grupp)`,
  commonHead: "För varje betalning",
  order: "Betalningarna förfaller i tur och ordning efter period, och inom en period i den ordning reglerna står.",
  totalCap: (cap) => (cap ? `Alla betalningar tillsammans är högst ${cap}: en betalning som skulle gå över det tak minskas till det som återstår.` : "Det finns inget tak för alla betalningar tillsammans."),
  ties: (tol, eps) => `En relativ förbättring som ligger inom ${tol} från en gräns räknas som att gränsen nås; ett belopp under ${eps} räknas som ingen betalning.`,
  workbook: "Framtagen av utfall ur scenariofilen; samma scenario och villkor ger samma bilaga.",
};

const PLACEMENT_MEASURES: Record<AnnexLanguage, Record<string, string>> = {
  en: { cost: "cost of care", careDays: "days in care", replacements: "re-placements" },
  sv: { cost: "kostnad för vård", careDays: "dagar i vård", replacements: "återplaceringar" },
};

/** Each measure's name for a reader: the outcome's label, and for a placement outcome what is counted. */
export function measureNames(scenario: Scenario, language: AnnexLanguage = "en"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of scenario.outcomes) {
    const label = o.label ?? o.id;
    if (o.kind === "placement") for (const [k, v] of Object.entries(PLACEMENT_MEASURES[language])) out[`${o.id}.${k}`] = `${label}: ${v}`;
    else out[o.id] = label;
  }
  return out;
}

/** The annex as Markdown text, in English or Swedish. */
export function annexText(model: Model, contract: Scenario["contract"] = model.scenario.contract, language: AnnexLanguage = "en"): string {
  const w = language === "sv" ? SV : EN;
  const locale = language === "sv" ? "sv-SE" : "en-GB";
  const sc = model.scenario;
  const cur = sc.currency;
  const money = (x: number) => formatMoney(x, cur, locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
  const pct = (x: number) => percent.format(x);
  const capital = capitalBasis(contract, model.cohortSizes, model.cohortStarts);
  const names = measureNames(sc, language);
  const measureName = (id: string) => `“${names[id] ?? id}”`;
  const ruleName = (id: string) => {
    const r = contract.rules.find((x) => x.id === id);
    return `“${r?.label ?? id}”`;
  };
  const compiled = contract.rules.map((r, i) => compileRule(r, i, contract.rules, capital, model.measures));
  const events = paymentEvents(contract.rules, model.cohortStarts, model.followUp);
  const comparator = sc.measurement.comparator;
  const lines = [`# ${w.title(sc.name)}`, "", w.intro, "", `## ${w.measuredHead}`, "", `- ${w.delivered}`];
  model.cohortSizes.forEach((n, c) => lines.push(`- ${w.cohort(c + 1, formatNumber(n, locale), model.cohortStarts[c]!)}`));
  lines.push("", w.comparator(comparator.kind === "comparisonGroup" ? w.group(formatNumber(comparator.size, locale)) : w.historical), "", `## ${w.termsHead}`, "", w.capital(money(capital), contract.ofCapitalMeans === "plannedDraw"), "", w.improvement, "");
  contract.rules.forEach((rule, i) => {
    const r = compiled[i]!;
    const parts = [sentence(rule, r, w, money, pct, measureName)];
    if (rule.condition) parts.push(w.condition(measureName(rule.condition.measure), pct(rule.condition.minImprovement ?? 0)));
    if (Number.isFinite(r.cap)) parts.push(w.cap(money(r.cap)));
    if (rule.offsetBy?.length) parts.push(w.offset(rule.offsetBy.map(ruleName).join(", ")));
    const periods = [...new Set(events.filter((e) => e.rule === i).map((e) => e.period))];
    parts.push(rule.kind === "activity" ? w.paid(periods[0] ?? rule.period) : `${w.afterFollowUp(rule.lagPeriods)} (${periods.map((p) => `period ${p}`).join(", ")})`);
    const scope = rule.scope === "pooled" || model.cohortSizes.length === 1 ? "" : ` ${w.each} ${w.perCohort}.`;
    lines.push(`${i + 1}. **${rule.label ?? rule.id ?? rule.kind}**: ${parts.join("; ")}.${scope}${rule.scope === "pooled" && model.cohortSizes.length > 1 ? ` ${w.each} ${w.pooled}.` : ""}`);
  });
  const totalCap = contract.totalCap === undefined ? null : resolveMoney(contract.totalCap, capital);
  lines.push("", `## ${w.commonHead}`, "", `- ${w.order}`, `- ${w.totalCap(totalCap === null ? null : money(totalCap))}`, `- ${w.ties(formatNumber(RELATIVE_TIE_TOLERANCE, locale, 9), formatNumber(MONEY_EPSILON, locale, 6))}`, "", `*${w.workbook}*`, "");
  return lines.join("\n");
}

function sentence(rule: PaymentRule, r: CompiledRule, w: Words, money: (x: number) => string, pct: (x: number) => string, name: (id: string) => string): string {
  switch (rule.kind) {
    case "activity":
      return w.activity(money(r.amount));
    case "savingsShare":
    case "conditionalReturn": {
      const above = Number.isNaN(r.above) ? w.repaid(money(r.capitalShare)) : r.above > 0 ? money(r.above) : null;
      return w.share(pct(rule.share), name(rule.measure), above);
    }
    case "proportional":
      return w.proportional(pct(rule.threshold), money(rule.pricePerUnit), name(rule.measure), rule.basis === "all");
    case "rateCard":
      return w.rateCard(money(rule.pricePerOutcome), name(rule.measure), rule.basis === "all" && r.higherIsBetter);
    case "stepped":
      return w.stepped(name(rule.measure), r.bands.map((b) => w.band(pct(b.from), money(b.amount))).join(", "));
  }
}
