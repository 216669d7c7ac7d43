/**
 * Politikerunderlag's sections that depend on the scenario, as components, so that
 * src/politiker.md reads as a document: the page keeps its fixed sentences as prose and calls
 * these for the cards, the lists, the charts and the sentences whose words or clauses change
 * with the scenario (a cap or none, placements or participants, avoided costs counted or not).
 * Words and numbers in plain Swedish through components/politiker.ts and models/format.ts.
 */
import { sum } from "d3-array";
import { html } from "htl";
import { formatsFor, type Formats } from "../models/format.js";
import { resolveMoney } from "../models/compile.js";
import type { Dist } from "../models/index.js";
import { histogram, millionsAxis, trimmedEdges, type HistogramOptions } from "./charts.js";
import { avHur, förändring, measureName, miljoner, procent, ruleSentences, PRINT_WIDTH } from "./politiker.js";
import type { PageRun } from "./scenario-run.js";
import { selfFundingChart, type SelfFundingChartOptions } from "./self-funding.js";

/** What the briefing's sentences need from one run: formats, the cap, who the work is for, whether avoided costs are counted. */
export interface Briefing {
  run: PageRun["result"];
  s: PageRun["result"]["summary"];
  sc: PageRun["scenario"];
  cur: string;
  /** Swedish conventions: 7,1 mnkr, 1 234 567 kr, 12 %, a decimal comma. */
  f: Formats;
  mn: (x: number | null | undefined) => string;
  capital: number;
  /** The contract's total cap in money, null when it has none. */
  cap: number | null;
  children: number;
  hasPlacement: boolean;
  /** "barnen" or "deltagarna". */
  who: string;
  /** "Barnen och familjerna" or "Deltagarna". */
  Who: string;
  /** The horizon in years, in Swedish digits. */
  years: string;
  paysForActivity: boolean;
  /** What the provider does for the participants, for the flow diagram. */
  intervention: string;
  /** The scenario counts no avoided costs (no published cost per event). */
  noAvoided: boolean;
  pSaves: number;
}

export function briefing(pageRun: PageRun): Briefing {
  const run = pageRun.result, s = run.summary, sc = pageRun.scenario, cur = s.currency;
  const capital = run.meta.capital;
  const f = formatsFor("sv", cur);
  const hasPlacement = sc.outcomes.some((o) => o.kind === "placement");
  const horizonYears = run.meta.horizon / run.meta.periodsPerYear;
  return {
    run, s, sc, cur, f, capital,
    mn: (x) => miljoner(x, cur),
    cap: sc.contract.totalCap == null ? null : resolveMoney(sc.contract.totalCap, capital),
    children: sum(sc.population.cohorts, (c) => c.size),
    hasPlacement,
    who: hasPlacement ? "barnen" : "deltagarna",
    Who: hasPlacement ? "Barnen och familjerna" : "Deltagarna",
    years: f.number(horizonYears, horizonYears % 1 ? 1 : 0),
    paysForActivity: sc.contract.rules.some((r) => r.kind === "activity"),
    intervention: hasPlacement ? "stöd till barn och familj" : "stöd till deltagarna",
    noAvoided: [s.payer.avoidedCosts?.p5, s.payer.avoidedCosts?.p95, s.payer.avoidedCosts?.mean].every((x) => x === 0),
    pSaves: 1 - s.payer.probNetCost,
  };
}

/** The four cards of "Det viktigaste": the most the payer pays, the median, saving (or paying at all), paying for nothing. */
export function keyFigures(b: Briefing): HTMLElement {
  const { s, mn, cap } = b;
  return html`<div class="grid grid-cols-2 big-numbers">
  <div class="card"><h2>Kommunen betalar som mest</h2><span class="big" id="most">${mn(cap ?? s.payer.maxPayments)}</span><p>${cap == null ? "avtalet har inget tak; det här är det mesta som betalades i någon simulering" : `enligt avtalets tak, oavsett hur det går`}</p></div>
  <div class="card"><h2>I hälften av utfallen betalar kommunen högst</h2><span class="big" id="typical">${mn(s.payer.payments?.p50)}</span><p>medianen; i genomsnitt ${mn(s.payer.payments?.mean)}</p></div>
  ${b.noAvoided ? html`<div class="card"><h2>Chans att kommunen betalar något alls</h2><span class="big" id="any-payment">${procent(s.contract.probAnyPayment)}</span><p>${avHur(s.contract.probAnyPayment)}; scenariot räknar inga kostnader som kommunen slipper, så det visar inte om kommunen sparar</p></div>` : html`<div class="card"><h2>Chans att kommunen sparar mer än den betalar</h2><span class="big" id="saves">${procent(b.pSaves)}</span><p>${avHur(b.pSaves)}: kostnader kommunen slipper under ${b.years} år, minus det den betalar</p></div>`}
  <div class="card"><h2>Risk för att kommunen betalar utan att ${b.who} fått det bättre</h2><span class="big" id="pay-for-nothing">${procent(s.contract.probPayForNothing)}</span><p>${avHur(s.contract.probPayForNothing)}: mätningen visar en förbättring som inte har skett</p></div>
</div>`;
}

/** What the financier puts in: the capital, or the commitment and the planned draw. */
export function financierPuts(b: Briefing): HTMLElement | string {
  const commitment = b.run.meta.commitment;
  return commitment > b.capital + 0.5 ? html`den åtar sig högst ${b.mn(commitment)} och lånar ut det insatsen behöver, planerat ${b.mn(b.capital)}` : b.mn(b.capital);
}

/** The contract's payment rules, one sentence each (ruleSentences). */
export function rulesList(b: Briefing): HTMLElement {
  return html`<ul class="rules">${ruleSentences(b.sc, b.capital).map((r) => html`<li>${r}</li>`)}</ul>`;
}

/** The cap sentence: "Kommunen betalar aldrig mer än …" or "Avtalet har inget tak …". */
export function capSentence(b: Briefing): HTMLElement {
  return b.cap == null ? html`Avtalet har <b>inget tak</b> för vad kommunen kan behöva betala.` : html`Kommunen betalar <b>aldrig mer än ${b.mn(b.cap)}</b> sammanlagt.`;
}

/** The flow diagram's caption clauses that change with the scenario (arrow 3, a cash waterfall). */
export function flowCaptionNotes(b: Briefing): string {
  const cases = b.run.flowCases;
  const arrow3 = b.noAvoided ? "Scenariot räknar inga kostnader som kommunen slipper, så pil 3 har inget belopp." : `Pil 3 är inte en betalning utan kostnader ${b.hasPlacement ? "för placeringar " : ""}som kommunen slipper.`;
  const routed = [cases.median, cases.bad].some((c) => c.years.some((y) => Math.abs(y.payments - y.toFinancier) > 0.5));
  return arrow3 + (routed ? " Här går inte alla kommunens betalningar till finansiären: en del betalar mer av insatsen, utförarens andel av ett överskott och mellanhandens avgifter." : "");
}

/** What happens to the participants: delivery, care days, the school goal and every other measure with an effect. */
export function effectsList(b: Briefing): HTMLElement {
  const { s, sc } = b;
  const effect = (id: string) => s.effects.find((e) => e.measure === id)?.trueEffect;
  // Care days of any placement outcome (Norrköping's "placement", Essex's "care"), the school goal, and the rest by name.
  const careId = s.effects.find((e) => e.measure.endsWith(".careDays"))?.measure;
  const careDays = careId ? effect(careId) : null;
  const school = effect("school");
  // Cost and replacements of a placement outcome move with its care days: not listed again.
  const other = s.effects.filter((e) => !/\.(careDays|cost|replacements)$/.test(e.measure) && e.measure !== "school" && e.trueEffect);
  // Counts of events (reconvictions) improve by falling.
  const fallande = (id: string) => sc.outcomes.some((o) => o.id === id && o.kind === "count");
  return html`<ul class="effects">
  <li>Insatsen genomförs som planerat i ${procent(s.contract.probDelivered)} av simuleringarna.</li>
  ${careDays ? html`<li>Tiden i placering (antalet vårddygn) ${förändring(careDays, true)}, jämfört med om insatsen inte hade gjorts.</li>` : ""}
  ${school ? html`<li>Andelen som klarar skolmålet ${förändring(school, false)}. Procenten är av andelen, inte procentenheter: 50 % som blir 55 % är en förbättring med 10 %.</li>` : ""}
  ${other.map((e) => { const n = measureName(e.measure); return html`<li>${n.charAt(0).toUpperCase() + n.slice(1)} ${förändring(e.trueEffect!, fallande(e.measure))}.</li>`; })}
</ul>`;
}

/** The shared histogram with Swedish axes: millions in Swedish digits, shares as "12 %". */
function swedishHistogram(b: Briefing) {
  return { xTickFormat: millionsAxis(b.cur, b.f.locale).tickFormat, yTickFormat: (y: number) => b.f.percent(y, 0), yLabel: "↑ Andel av simuleringarna", height: 230, altWords: ["simuleringar", "median", "i 9 fall av 10 mellan", "och"] as [string, string, string, string] };
}

/** What the payer pays the financier in total, the cap dashed; other histogram options (width, …) pass through. */
export function paymentsHistogram(b: Briefing, options: Partial<HistogramOptions> = {}): SVGSVGElement | HTMLElement {
  const payments = b.run.columns.payments, cap = b.cap, unit = b.f.millionsUnit;
  return histogram(payments, {
    title: "Vad kommunen betalar finansiären, sammanlagt",
    subtitle: `Belopp i ${unit}; andel av simuleringarna. I hälften av simuleringarna högst ${b.mn(b.s.payer.payments?.p50)} (medianen)${cap == null ? "" : "; streckad linje: avtalets tak"}.`,
    xLabel: `Kommunens betalningar (${unit}) →`,
    ...swedishHistogram(b),
    thresholds: trimmedEdges(payments, cap == null ? [0] : [0, cap], 30),
    fill: "#c0392b",
    rules: cap == null ? [] : [{ x: cap, label: "tak" }],
    ...options,
  });
}

/** Avoided costs minus payments: saving green, losing red, nothing either way grey; options pass through. */
export function netHistogram(b: Briefing, options: Partial<HistogramOptions> = {}): SVGSVGElement | HTMLElement {
  const net = b.run.columns.payerNet, unit = b.f.millionsUnit;
  const SPARAR = "Kommunen sparar", BACK = "Kommunen går back", NOLL = "Inget händer";
  return histogram(net, {
    title: "Sparar kommunen?",
    subtitle: `Kostnader kommunen slipper minus det den betalar, under ${b.years} år, ${unit}; andel av simuleringarna. Till höger om noll sparar kommunen: ${procent(b.pSaves)} av simuleringarna.`,
    xLabel: `Kommunens netto (${unit}) →`,
    ...swedishHistogram(b),
    thresholds: trimmedEdges(net, [0], 40),
    group: (x) => (Math.abs(x) < 1 ? NOLL : x > 0 ? SPARAR : BACK),
    groups: { domain: [SPARAR, BACK, NOLL], range: ["#2e8b57", "#c0392b", "#999"] },
    rules: [{ x: 0 }],
    ...options,
  });
}

/** In place of the net histogram when the scenario counts no avoided costs. */
export function noNetNote(): HTMLElement {
  return html`<p><b>Scenariot räknar inga kostnader som kommunen slipper</b> (ingen kostnad per händelse är publicerad), så kommunens netto är bara minus det den betalar.</p>`;
}

/** "Hur illa kan det gå?": the payments in 1 case of 20, the net, paying for nothing, the missed success, the financier's loss. */
export function worstCases(b: Briefing): HTMLElement {
  const { s, mn, cap, who } = b;
  const p5net = s.payer.net?.p5;
  return html`<ul class="worst">
  <li>${cap != null && Math.abs((s.payer.payments?.p95 ?? NaN) - cap) < 0.5
    ? html`I minst <b>1 fall av 20</b> betalar kommunen så mycket som taket tillåter, <b>${mn(cap)}</b>.`
    : html`I <b>1 fall av 20</b> betalar kommunen finansiären minst <b>${mn(s.payer.payments?.p95)}</b>. ${cap != null && Math.abs(s.payer.maxPayments - cap) < 0.5 ? "Som mest betalade kommunen hela taket" : `Det mesta som betalades i någon simulering var ${mn(s.payer.maxPayments)}${cap == null ? "" : `; taket är ${mn(cap)}`}`}.`}</li>
  ${b.noAvoided ? "" : html`<li>Risken att kommunen betalar mer än den sparar under ${b.years} år är <b>${procent(s.payer.probNetCost)}</b> (${avHur(s.payer.probNetCost)}).${p5net != null && p5net < 0 ? html` I 1 fall av 20 går kommunen back minst <b>${mn(-p5net)}</b>.` : ""}</li>`}
  <li>Risken för att kommunen betalar utan att ${who} fått det bättre är <b>${procent(s.contract.probPayForNothing)}</b> (${avHur(s.contract.probPayForNothing)}).</li>
  <li>Det omvända kan också hända: ${who} får det bättre men mätningen visar det inte, så kommunen betalar inte för ett resultat som faktiskt uppnåddes. Risken är <b>${procent(s.contract.probMissedSuccess)}</b>. Då förlorar finansiären, inte kommunen.</li>
  <li>Risken att finansiären förlorar pengar är ${procent(s.investor.probLoss)}, och att den förlorar allt ${procent(s.investor.probTotalLoss)}.</li>
</ul>`;
}

type SelfFunding = NonNullable<Briefing["s"]["payer"]["selfFunding"]>;
const tal = (f: Formats, x: number) => f.number(x * 100, 1);

/** The payer's lending rate in words: "2,5 procent" or "mellan 2,0 och 3,1 procent". */
export function lendingRateWords(b: Briefing, sf: SelfFunding): string {
  const lr: Dist | null = sf.lendingRate;
  return lr == null ? "" : lr.p5 === lr.p95 ? `${tal(b.f, lr.mean)} procent` : `mellan ${tal(b.f, lr.p5)} och ${tal(b.f, lr.p95)} procent`;
}

/** The rate present values are discounted at, in words. */
export function discountWords(b: Briefing, rate: number | null): string {
  return rate == null ? "scenariots kalkylränta" : `${tal(b.f, rate)} procent om året`;
}

/** Doing it oneself: the alternative in a paragraph, or why it is not computed (no lending rate). */
export function selfFundingIntro(b: Briefing, sf: SelfFunding | null): HTMLElement {
  return sf == null
    ? html`<p>Scenariot anger ingen låneränta för kommunen, så alternativet att göra det själva är inte beräknat.</p>`
    : html`<p>Kommunen kan också betala för samma arbete själv, ur en egen fond för sociala investeringar eller med ett lån till kommunens låneränta, ${lendingRateWords(b, sf)} om året. Då behåller kommunen allt den sparar och betalar ingenting till någon finansiär, men bär hela risken själv: blir det inga besparingar står kommunen ändå för hela kostnaden, ${b.mn(sf.deliveryCost)} plus ränta.</p>`;
}

/** Cost and net under the contract and self-funded, their difference, as present values. */
export function selfFundingTable(b: Briefing, sf: SelfFunding): HTMLElement {
  const mn = b.mn;
  const skillnad = (x: number | null | undefined, y: number | null | undefined) => (x == null || y == null ? null : x - y);
  const rader = [
    { text: "Kostnad i genomsnitt", not: "betalningarna till finansiären, eller lånet med ränta", a: sf.contract.costPV?.mean, b: sf.selfFunded.costPV?.mean },
    { text: "Netto i genomsnitt", not: "det kommunen slipper betala, minus kostnaden", a: sf.contract.netPV?.mean, b: sf.selfFunded.netPV?.mean },
    { text: "Nettot blir sämre än så här i 1 fall av 20", not: "ett dåligt men inte ovanligt utfall", a: sf.contract.netPV?.p5, b: sf.selfFunded.netPV?.p5 },
    { text: "Netto i de 5 % sämsta utfallen", not: "i genomsnitt", a: sf.contract.netPVWorst5Mean, b: sf.selfFunded.netPVWorst5Mean },
  ];
  return html`<table class="self-funding print-block">
    <thead><tr><th>Nuvärden</th><th class="num">Med avtalet</th><th class="num">Göra det själva</th><th class="num">Skillnad</th></tr></thead>
    <tbody>${rader.map((r) => html`<tr><td>${r.text}<br><small>${r.not}</small></td><td class="num">${mn(r.a)}</td><td class="num">${mn(r.b)}</td><td class="num">${mn(skillnad(r.a, r.b))}</td></tr>`)}</tbody>
  </table>`;
}

/** The verdict: the contract's premium over doing it oneself (or its saving), and the worst 5 %. */
export function selfFundingVerdict(b: Briefing, sf: SelfFunding): HTMLElement {
  const mn = b.mn, premium = sf.premium ?? 0;
  const a = sf.contract.netPVWorst5Mean, c = sf.selfFunded.netPVWorst5Mean;
  const worst = a == null || c == null ? ""
    : a < 0 && c < 0 ? html`I de 5 % sämsta utfallen går kommunen i genomsnitt back <b>${mn(-a)}</b> med avtalet och <b>${mn(-c)}</b> om den gör det själv.`
    : html`I de 5 % sämsta utfallen är kommunens netto i genomsnitt <b>${mn(a)}</b> med avtalet och <b>${mn(c)}</b> om den gör det själv.`;
  return html`<p id="att-gora-det-sjalva">${premium > 0
    ? html`Avtalet kostar kommunen i genomsnitt <b>${mn(premium)} mer</b> än att göra det själv. Det är priset för att finansiären tar risken.`
    : html`Med scenariots antaganden är avtalet i genomsnitt <b>${mn(-premium)} billigare</b> för kommunen än att göra det själv. Kommunen betalar alltså inget pris för att lämna över risken, utan tjänar på det, eftersom finansiären i de flesta simuleringar inte får tillbaka allt den har satsat.`}
  ${worst}</p>`;
}

/** "Att göra det själva": the alternative, the table of present values and the verdict (or why it is not computed). */
export function selfFundingSection(b: Briefing): HTMLElement {
  const sf = b.s.payer.selfFunding;
  return sf == null ? selfFundingIntro(b, null) : html`<div>${selfFundingIntro(b, sf)}${selfFundingTable(b, sf)}${selfFundingVerdict(b, sf)}</div>`;
}

/** The chart's caption: present values at the scenario's rate, how the loan is drawn and repaid, whose rate. */
export function selfFundingCaption(b: Briefing, sf: SelfFunding, discountRate: number | null): HTMLElement {
  return html`<figcaption>Samma simuleringar i båda fallen. Beloppen i detta avsnitt är nuvärden: framtida belopp är omräknade till dagens värde med ${discountWords(b, discountRate)}. Lånet antas tas upp i takt med att arbetet kostar och betalas tillbaka med ränta när avtalets sista betalning skulle ha gjorts.${sf.defaultLendingRate ? " Räntan är Kommuninvests." : ""}</figcaption>`;
}

/** The payer's net present value with the contract and self-funded, in Swedish; chart options (width, …) pass through. */
export function selfFundingChartSv(b: Briefing, sf: SelfFunding, options: Partial<SelfFundingChartOptions> = {}): SVGSVGElement | HTMLElement {
  const unit = b.f.millionsUnit;
  return selfFundingChart(sf, {
    names: ["Med avtalet", "Göra det själva"],
    title: "Kommunens netto: med avtalet och om kommunen gör det själv",
    subtitle: `Belopp i ${unit}, nuvärde. Ljus stapel: 9 av 10 simuleringar; mörk stapel: den mittersta hälften; svart streck: typiskt utfall (median); röd romb: genomsnittet av de 5 % sämsta. Ju längre till höger, desto bättre för kommunen.`,
    xLabel: `Kommunens netto, nuvärde (${unit}) →`,
    tickFormat: millionsAxis(b.cur, b.f.locale).tickFormat,
    labels: { range: "9 av 10 simuleringar", middle: "mittersta hälften", median: "typiskt", worst: "5 % sämsta" },
    format: b.mn,
    width: PRINT_WIDTH,
    ...options,
  });
}

/** "Vad kommunen åtar sig": the cap (or the most paid) and the years the payments fall due, typical and in 19 cases of 20. */
export function commitmentSentences(b: Briefing): HTMLElement {
  const { s, mn, cap } = b;
  // Calendar years when the contract has a start date ("år 2018"), else years of the contract ("år 3").
  const budgetYears = s.payer.budgetYears ?? [];
  const calendarYears = /^\d{4}$/.test(budgetYears[0] ?? "");
  const payYears = s.payer.paymentsByYear.map((d, y) => ({ y: calendarYears ? budgetYears[y] : y + 1, d })).filter((p): p is { y: string | number | undefined; d: Dist } => p.d != null && p.d.p95 > 0);
  const first = payYears[0];
  return html`<span>${cap == null ? html`Avtalet har inget tak; i simuleringarna betalade kommunen som mest <b>${mn(s.payer.maxPayments)}</b>.` : html`Kommunen åtar sig att betala <b>högst ${mn(cap)}</b> till finansiären.`}
${first ? html` Betalningarna faller ut ${payYears.length === 1 ? `år ${first.y}` : `åren ${payYears.map((p) => p.y).join(", ")}`}${calendarYears ? "" : " av avtalet, räknat från start"}${payYears.length === 1 ? "" : html`: ${payYears.map((p) => `år ${p.y} typiskt ${mn(p.d.p50)}, högst ${mn(p.d.p95)} i 19 fall av 20`).join("; ")}`}.` : ""}</span>`;
}
