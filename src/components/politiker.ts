/**
 * Plain Swedish for the briefing page (Politikerunderlag): amounts in words a board reads
 * aloud ("12,0 miljoner kr"), chances as "ungefär 2 av 3", the contract's rules as sentences,
 * and the page's charts with Swedish labels. Numbers go through models/format.ts.
 */
import * as Plot from "@observablehq/plot";
import { svg } from "htl";
import { formatMoney, formatNumber, formatPercent, formatsFor } from "../models/format.js";
import type { MoneyFlowYear, PaymentRule, Scenario } from "../models/index.js";
import { resolveMoney } from "../models/compile.js";
import { millionsAxis } from "./charts.js";

/** Print width: A4 (210 mm) less 2 × 15 mm margins is 680 CSS pixels. */
export const PRINT_WIDTH = 680;

const CURRENCY_WORD: Record<string, string> = { SEK: "kr", GBP: "pund", USD: "dollar", EUR: "euro", NOK: "norska kronor", DKK: "danska kronor" };

/** `1 234 567 kr` (kronor the Swedish way; other currencies with Swedish digits). */
export function kronor(x: number | null | undefined, currency = "SEK"): string {
  return formatMoney(x, currency, "sv-SE");
}

/** The currency in words, as the page writes amounts: "kr", "pund". */
export function valuta(currency = "SEK"): string {
  return CURRENCY_WORD[currency] ?? currency;
}

/**
 * `12,3 mnkr` (other currencies `12,3 miljoner pund`: formatsFor("sv", …)); below a million in
 * whole thousands (`45 000 kr`), below ten thousand in whole units.
 */
export function miljoner(x: number | null | undefined, currency = "SEK"): string {
  if (x == null || !Number.isFinite(x)) return "–";
  const word = valuta(currency);
  if (Math.abs(x) < 1e4) return `${formatNumber(Math.round(x), "sv-SE")} ${word}`;
  if (Math.abs(x) < 1e6) return `${formatNumber(Math.round(x / 1000) * 1000, "sv-SE")} ${word}`;
  return formatsFor("sv", currency).millions(x);
}


/** A chance as a percentage; near 0 or 1 without false precision. */
export function procent(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return "–";
  if (p > 0 && p < 0.01) return "under 1 %";
  if (p < 1 && p > 0.99) return "över 99 %";
  return formatPercent(p, "sv-SE", 0);
}

/**
 * A chance as a simple fraction a board says aloud: "drygt hälften" (55 %), "knappt 2 av 3"
 * (64 %), "drygt 1 av 4" (27 %), "ungefär 7 av 10": hälften within six percentage points, else
 * the smallest of 3, 4, 5 parts within three, else tenths (hundredths below 5 %); "knappt" below
 * the fraction, "drygt" above, "ungefär" within half a point.
 */
export function avHur(p: number): string {
  if (!(p >= 0 && p <= 1)) return "–";
  if (p === 0) return "aldrig i simuleringarna";
  if (p === 1) return "i alla simuleringar";
  if (p < 0.01) return "färre än 1 av 100";
  if (p > 0.99) return "fler än 99 av 100";
  const word = (d: number) => (Math.abs(d) < 0.005 ? "ungefär" : d < 0 ? "knappt" : "drygt");
  if (Math.abs(p - 0.5) <= 0.06) return `${word(p - 0.5)} hälften`;
  for (const n of [3, 4, 5]) {
    const k = Math.round(p * n);
    if (k >= 1 && k < n && Math.abs(p - k / n) <= 0.03) return `${word(p - k / n)} ${k} av ${n}`;
  }
  if (p < 0.05) return `${word(p - Math.round(p * 100) / 100)} ${Math.round(p * 100)} av 100`;
  const k = Math.min(9, Math.max(1, Math.round(p * 10)));
  return `${word(p - k / 10)} ${k} av 10`;
}

/**
 * A change in words that keeps one direction: "minskar med ungefär 5 %; i 9 fall av 10 mellan en
 * minskning med 19 % och en ökning med 4 %" (not a verb of direction beside signed numbers).
 * `d` is the effect as a relative improvement (positive = better); `fall` when better is less.
 */
export function förändring(d: { p5: number; p50: number; p95: number }, fall: boolean): string {
  const pc = (x: number) => formatPercent(Math.abs(x), "sv-SE", 0);
  const verb = (x: number) => (fall ? (x >= 0 ? "minskar" : "ökar") : x >= 0 ? "förbättras" : "försämras");
  const noun = (x: number) => (fall ? (x >= 0 ? "en minskning med" : "en ökning med") : x >= 0 ? "en förbättring med" : "en försämring med");
  const range = Math.sign(d.p5) === Math.sign(d.p95) || d.p5 === 0 || d.p95 === 0
    ? `mellan ${pc(Math.min(Math.abs(d.p5), Math.abs(d.p95)))} och ${pc(Math.max(Math.abs(d.p5), Math.abs(d.p95)))}`
    : `mellan ${noun(d.p95)} ${pc(d.p95)} och ${noun(d.p5)} ${pc(d.p5)}`;
  return `${verb(d.p50)} med ungefär ${pc(d.p50)} i ett typiskt utfall; i 9 fall av 10 ${range}`;
}

/** Swedish names of the measures a contract pays on. */
const MEASURE: Record<string, string> = {
  cost: "placeringskostnaderna",
  careDays: "antalet vårddygn",
  replacements: "antalet omplaceringar",
  school: "skolresultaten",
  reconvictions: "antalet återfall i brott",
};

export function measureName(id: string): string {
  return MEASURE[id] ?? MEASURE[id.slice(id.lastIndexOf(".") + 1)] ?? `måttet ”${id}”`;
}

type Money = Parameters<typeof resolveMoney>[0];
const yearOf = (period: number, ppy: number) => Math.floor(period / ppy) + 1;

/** One sentence per payment rule, in plain Swedish, from the parsed scenario (models/scenario/schema.ts). */
export function ruleSentences(scenario: Scenario, capitalBasis?: number): string[] {
  const c = scenario.contract;
  // `ofCapital` amounts are of the commitment, or of the planned draw (models/contract/waterfall.ts).
  const capital = capitalBasis ?? c.capital;
  const cur = scenario.currency;
  const ppy = scenario.periodsPerYear;
  const followUp = scenario.measurement.followUpPeriods;
  const money = (m: Money | undefined) => miljoner(m == null ? undefined : resolveMoney(m, capital), cur);
  const capText = (r: PaymentRule) => ("cap" in r && r.cap != null ? `, högst ${money(r.cap)}` : "");
  const when = (r: PaymentRule) => {
    const lag = ("lagPeriods" in r ? r.lagPeriods : undefined) ?? 0;
    const period = "period" in r ? r.period : undefined;
    return period != null ? ` (år ${yearOf(period, ppy)})` : ` (efter uppföljningen, år ${yearOf(followUp + lag, ppy)} eller senare)`;
  };
  const condition = (r: PaymentRule) => ("condition" in r && r.condition ? `, och bara om ${measureName(r.condition.measure)} har förbättrats` : "");
  return c.rules.map((r) => {
    switch (r.kind) {
      case "activity":
        return `${money(r.amount)} om insatsen genomförs som planerat, oavsett resultat${when(r)}.`;
      case "savingsShare":
        return `${formatPercent(r.share, "sv-SE", 0)} av de uppmätta besparingarna på ${measureName(r.measure)}${capText(r)}${condition(r)}${when(r)}.`;
      case "conditionalReturn":
        return `En avkastning till finansiären: ${formatPercent(r.share, "sv-SE", 0)} av besparingarna utöver ${r.above === "repaid" ? "den punkt där finansiären har fått tillbaka sitt kapital" : money(r.above)}${capText(r)}${condition(r)}${when(r)}.`;
      case "proportional":
        return `Ett belopp per undviken händelse när ${measureName(r.measure)} förbättrats med minst ${formatPercent(r.threshold, "sv-SE", 1)} jämfört med jämförelsegruppen${capText(r)}${when(r)}.`;
      case "rateCard":
        return `Ett fast pris, ${money(r.pricePerOutcome)}, per uppnått resultat på ${measureName(r.measure)}${capText(r)}${when(r)}.`;
      case "stepped":
        return `Ett belopp i steg efter hur mycket ${measureName(r.measure)} förbättrats${capText(r)}${when(r)}.`;
      default:
        return `En betalningsregel av typen ${(r as { kind: string }).kind}.`;
    }
  });
}

const FLOW = {
  capital: "Finansiären betalar insatsen",
  payments: "Kommunen betalar för resultat",
  toFinancier: "Därav till finansiären",
  toIntermediary: "Mellanhandens avgifter",
  guarantee: "Garanten betalar finansiären",
  avoided: "Kostnader kommunen slipper",
} as const;
type FlowKey = keyof typeof FLOW;
const FLOW_COLOR: Record<FlowKey, string> = { capital: "#4e79a7", payments: "#c0392b", toFinancier: "#e39c8f", toIntermediary: "#b07aa1", guarantee: "#999999", avoided: "#2e8b57" };

export interface FlowCase {
  trial: number;
  payerNet: number;
  years: MoneyFlowYear[];
}

const total = (years: MoneyFlowYear[], k: keyof MoneyFlowYear) => years.reduce((a, y) => a + (y[k] as number), 0);
const yearSpan = (years: MoneyFlowYear[], k: keyof MoneyFlowYear) => {
  const ys = years.filter((y) => Math.abs(y[k] as number) > 0.5).map((y) => y.year + 1);
  if (!ys.length) return "";
  return ys.length === 1 ? `år ${ys[0]}` : ys[ys.length - 1]! - ys[0]! === ys.length - 1 ? `år ${ys[0]}–${ys[ys.length - 1]}` : `år ${ys.join(", ")}`;
};
/** Whether some of the payer's payments went elsewhere than to the financier (a cash waterfall). */
const routed = (cases: { median: FlowCase; bad: FlowCase }) =>
  [cases.median, cases.bad].some((c) => Math.abs(total(c.years, "payments") - total(c.years, "toFinancier")) > 0.5);


/**
 * The contract's structure: who pays whom, and how much in a typical and in a bad case. Boxes
 * for the parties, arrows for the money, amounts for both cases on each arrow. With a cash
 * waterfall (models/contract/waterfall.ts) the payer's payments are split: what reaches the
 * financier, what pays for more of the work (recycling) and the intermediary's fees.
 * `commitment` is the most the financier lends, shown when the capital drawn is less.
 */
export interface FlowOptions {
  /** What the provider does for the participants, from the scenario ("stöd till barn och familj"). */
  intervention?: string;
  /** False when the scenario counts no avoided costs: arrow 3 then says so instead of "0 kr". */
  avoidedCounted?: boolean;
  /** Below 560 px the diagram is a numbered list (an SVG scaled to a phone has 5 px text). */
  width?: number;
}

export function flowDiagram(cases: { median: FlowCase; bad: FlowCase }, currency: string, participants: string, commitment?: number, drawnFixed = true, paysForActivity = false, opts: FlowOptions = {}): SVGSVGElement | HTMLElement {
  const W = PRINT_WIDTH, H = 340, BW = 180;
  const m = cases.median.years, b = cases.bad.years;
  const mn = (x: number) => miljoner(x, currency);
  const both = (k: keyof MoneyFlowYear) => `typiskt ${mn(total(m, k))} · dåligt utfall ${mn(total(b, k))}`;
  const has = (k: keyof MoneyFlowYear) => Math.abs(total(m, k)) + Math.abs(total(b, k)) > 0.5;
  const split = routed(cases);
  const sameCapital = Math.abs(total(m, "capital") - total(b, "capital")) < 0.5;
  const capitalLine = sameCapital ? `${mn(total(m, "capital"))}, ${yearSpan(m, "capital")}, ${drawnFixed ? "samma i alla utfall" : "samma i båda utfallen"}` : both("capital");
  const ceiling = commitment !== undefined && commitment - Math.max(total(m, "capital"), total(b, "capital")) > 0.5 ? `(av högst ${mn(commitment)} som finansiären åtagit sig)` : "";
  // htl's svg template builds the nodes and escapes every interpolated text and attribute.
  const box = (x: number, y: number, w: number, title: string, sub: string) =>
    svg`<g><rect x=${x} y=${y} width=${w} height="54" rx="6" fill="var(--theme-background-alt, #f5f5f5)" stroke="currentColor" stroke-opacity="0.5"/>
     <text x=${x + w / 2} y=${y + 23} text-anchor="middle" font-weight="600" font-size="14">${title}</text>
     <text x=${x + w / 2} y=${y + 41} text-anchor="middle" font-size="11" fill-opacity="0.75">${sub}</text></g>`;
  const label = (x: number, y: number, lines: string[], anchor = "middle", color = "currentColor") =>
    svg`<text x=${x} y=${y} text-anchor=${anchor} font-size="12" fill=${color}>${lines.map((l, i) => svg`<tspan x=${x} dy=${i ? 15 : 0} font-weight=${i === 0 ? "600" : null}>${l}</tspan>`)}</text>`;
  const arrow = (x1: number, y1: number, x2: number, y2: number, color: string, dashed = false) =>
    svg`<line x1=${x1} y1=${y1} x2=${x2} y2=${y2} stroke=${color} stroke-width="3" stroke-dasharray=${dashed ? "6,4" : null} marker-end=${`url(#pil-${color.slice(1)})`}/>`;
  const markers = [...new Set([...Object.values(FLOW_COLOR), "#666666"])]
    .map((c) => svg`<marker id=${`pil-${c.slice(1)}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill=${c}/></marker>`);
  // The payer's payments and where they went, stacked beside arrow 4.
  const payLines = [`4. ${FLOW.payments}`, `${yearSpan(m, "payments") || "inget i typfallet"}:`, `typiskt ${mn(total(m, "payments"))}`, `dåligt utfall ${mn(total(b, "payments"))}`];
  const blocks: { lines: string[]; color: string }[] = [{ lines: payLines, color: FLOW_COLOR.payments }];
  if (split) {
    blocks.push({ lines: [`${FLOW.toFinancier}:`, both("toFinancier")], color: FLOW_COLOR.payments });
    blocks.push({ lines: ["Resten går till mer av insatsen,", "utförarens andel och avgifter"], color: FLOW_COLOR.payments });
  }
  if (has("toIntermediary")) blocks.push({ lines: [`${FLOW.toIntermediary}:`, both("toIntermediary")], color: FLOW_COLOR.toIntermediary });
  if (has("guarantee")) blocks.push({ lines: [`${FLOW.guarantee}:`, both("guarantee")], color: FLOW_COLOR.guarantee });
  const intervention = opts.intervention ?? "insatsen";
  const counted = opts.avoidedCounted ?? true;
  const avoidedLines = counted ? ["om insatsen fungerar:", both("avoided")] : ["räknas inte i scenariot"];
  const payerSub = paysForActivity ? "betalar för genomfört arbete och för resultat" : "betalar bara för resultat";
  // The same content as text: the narrow layout and the chart's text alternative.
  const steps: { color: string; lines: string[] }[] = [
    { color: FLOW_COLOR.capital, lines: [`1. ${FLOW.capital} (till utföraren)`, capitalLine, ...(ceiling ? [ceiling] : [])] },
    { color: "#666666", lines: [`2. Insatsen (utföraren till ${participants.toLowerCase()})`, intervention] },
    { color: FLOW_COLOR.avoided, lines: [`3. ${FLOW.avoided}`, ...avoidedLines] },
    ...blocks.map((bl) => ({ color: bl.color, lines: bl.lines })),
  ];
  const ariaText = `Vem betalar vem. Finansiären lånar ut pengarna, utföraren gör insatsen, kommunen ${payerSub}. ` + steps.map((st) => st.lines.join(" ")).join(". ") + ".";
  if ((opts.width ?? W) < 560) {
    const list = document.createElement("ol");
    list.className = "flow-list";
    list.setAttribute("aria-label", "Vem betalar vem");
    for (const st of steps) {
      const li = document.createElement("li");
      li.style.borderLeftColor = st.color;
      const head = document.createElement("b");
      head.textContent = st.lines[0]!.replace(/^\d+\.\s*/, "");
      li.append(head, ...st.lines.slice(1).map((l) => Object.assign(document.createElement("span"), { textContent: l })));
      list.append(li);
    }
    return list;
  }
  let y = ceiling ? 124 : 104; // below arrow 1's label
  const left = blocks.map((bl) => {
    const out = label(BW / 2 + 22, y, bl.lines, "start", bl.color);
    y += bl.lines.length * 15 + 6;
    return out;
  });
  return svg`<svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${W} ${H}`} width=${W} height=${H} role="img" aria-label=${ariaText} style="max-width:100%;height:auto;font-family:var(--sans-serif)">
    <defs>${markers}</defs>
    ${box(10, 20, BW, "Finansiären", "lånar ut pengarna, tar risken")}
    ${box(W - BW - 10, 20, BW, "Utföraren", "gör insatsen")}
    ${box(10, 272, BW, "Kommunen", paysForActivity ? "betalar för arbete och resultat" : payerSub)}
    ${box(W - BW - 10, 272, BW, participants, "som insatsen är till för")}
    ${arrow(BW + 15, 47, W - BW - 15, 47, FLOW_COLOR.capital)}
    ${label(W / 2, 70, [`1. ${FLOW.capital}`, capitalLine, ...(ceiling ? [ceiling] : [])], "middle", FLOW_COLOR.capital)}
    ${arrow(W - BW / 2 - 10, 79, W - BW / 2 - 10, 267, "#666666")}
    ${label(W - BW / 2 - 20, 160, ["2. Insatsen", intervention], "end")}
    ${arrow(W - BW - 15, 299, BW + 15, 299, FLOW_COLOR.avoided, true)}
    ${label(W / 2 + 30, 245, [`3. ${FLOW.avoided}`, ...avoidedLines], "middle", FLOW_COLOR.avoided)}
    ${arrow(BW / 2 + 10, 267, BW / 2 + 10, 79, FLOW_COLOR.payments)}
    ${left}
  </svg>` as SVGSVGElement;
}

/** Each flow by contract year, for the typical and the bad case, on one scale. */
export function flowsByYearChart(cases: { median: FlowCase; bad: FlowCase }, currency: string, width = PRINT_WIDTH): SVGSVGElement | HTMLElement {
  const caseName = { median: "Typiskt utfall", bad: "Dåligt utfall för kommunen" };
  const keys = ["capital", "payments", "toFinancier", "toIntermediary", "guarantee", "avoided"] as const;
  const split = routed(cases);
  const used = keys.filter((k) => (k !== "toFinancier" || split) && (total(cases.median.years, k) !== 0 || total(cases.bad.years, k) !== 0));
  const rows = (["median", "bad"] as const).flatMap((c) =>
    cases[c].years.flatMap((y) => used.map((k) => ({ fall: caseName[c], år: `År ${y.year + 1}`, flöde: FLOW[k], belopp: y[k] }))),
  );
  const sum = (c: "median" | "bad", k: (typeof used)[number]) => miljoner(total(cases[c].years, k), currency);
  const ariaLabel = `Pengarna år för år, ${caseName.median.toLowerCase()} och ${caseName.bad.toLowerCase()}. Summor: ` +
    used.map((k) => `${FLOW[k].toLowerCase()} typiskt ${sum("median", k)}, dåligt utfall ${sum("bad", k)}`).join("; ") + ".";
  return Plot.plot({
    ariaLabel,
    width: Math.min(width, PRINT_WIDTH),
    height: 330,
    marginLeft: 52,
    marginRight: 10,
    marginTop: width < 500 ? 36 : 24,
    style: { fontSize: "11px" },
    fx: { label: null, padding: 0.15 },
    fy: { label: null, axis: null, domain: [caseName.median, caseName.bad], padding: 0.2 },
    x: { axis: null, domain: used.map((k) => FLOW[k]) },
    y: { label: null, tickFormat: millionsAxis("SEK").tickFormat, grid: true },
    color: { domain: used.map((k) => FLOW[k]), range: used.map((k) => FLOW_COLOR[k]), legend: true },
    marks: [
      Plot.barY(rows, { fx: "år", fy: "fall", x: "flöde", y: "belopp", fill: "flöde" }),
      Plot.ruleY([0]),
      // Each row's case named above it, in the first year's panel.
      // On a phone the unit goes on a line of its own, so the title is not cut at the panel's edge.
      Plot.text([caseName.median, caseName.bad], { fy: (d: string) => d, fx: () => "År 1", frameAnchor: "top-left", dy: width < 500 ? -22 : -14, lineAnchor: "top", text: (d: string) => `${d}${width < 500 ? "\n" : ", "}${formatsFor("sv", currency).millionsUnit} per år`, fontWeight: "bold", fontSize: 12 }),
    ],
  });
}
