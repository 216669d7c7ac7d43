/**
 * Every figure in a scenario that says where it comes from: walks the raw scenario JSON and
 * lists each object with a `source` (or a `note`), with its JSON path, a readable name, the
 * figure in words ("between 2 000 kr and 4 500 kr a day (90% range)") and the source.
 */
import { formatPath } from "../models/scenario/parse.js";
import { resolveFigureRefs } from "../models/figures/resolve.js";
import { measureLabel } from "../models/analysis/labels.js";
import { Z90 } from "../models/constants.js";
import { formatMoney, formatPercentUpTo, formatUpTo, pageLocale } from "../models/format.js";
import type { FieldMeta } from "../models/scenario/fieldMeta.js";
import { fieldMetaAt } from "../models/scenario/fields.js";

export interface SourcedFigure {
  /** Top-level section: population, outcomes, intervention, measurement, contract, valuation. */
  section: string;
  /** JSON path, e.g. `outcomes[0].states[1].costPerDay`. */
  path: string;
  /** A readable name, e.g. "Placement › State institution (SiS) › cost per day". */
  name: string;
  /** The figure in words; "" for an object that only carries a note. */
  figure: string;
  /** The citation, `derived: …` or `assumption: …`; "" when there is only a note. */
  source: string;
  note: string;
  /** What kind of support the figure has. */
  kind: "cited" | "derived" | "assumption" | "note";
}

type Json = Record<string, unknown>;

/** Names of the objects that are not fields with a title in the schema (sections, the comparator). */
const OBJECT_NAMES: Record<string, string> = {
  selfFunding: "doing it ourselves",
  comparator: "comparator",
  population: "cohorts",
  contract: "contract terms",
};

const SECTION_ORDER = ["population", "outcomes", "intervention", "measurement", "contract", "valuation", "sources"];

/** A scenario number: a fixed `{value}` (a number, not a long-run component's `value` object) or a distribution. */
function isNumberNode(node: Json): boolean {
  const fixed = "value" in node && Object.keys(node).every((k) => k === "value" || k === "source" || k === "note");
  return fixed || "dist" in node || "p5" in node;
}

export function sourcedFigures(raw: Json): SourcedFigure[] {
  // A reference to the parameter tables is listed as the figure and source it resolves to.
  const scenario = resolveFigureRefs(raw) as Json;
  const currency = typeof scenario.currency === "string" ? scenario.currency : "SEK";
  const ppy = typeof scenario.periodsPerYear === "number" ? scenario.periodsPerYear : 4;
  // Methods and Reference cases are English pages: English conventions whatever the currency.
  const locale = pageLocale("en");
  const capital = typeof (scenario.contract as Json | undefined)?.capital === "number" ? ((scenario.contract as Json).capital as number) : NaN;
  const period = ({ 1: "year", 2: "half-year", 4: "quarter", 12: "month", 52: "week" } as Record<number, string>)[ppy] ?? "period";
  const out: SourcedFigure[] = [];

  const money = (x: number) => formatMoney(x, currency, locale);
  const percent = (x: number) => formatPercentUpTo(x, locale, 3);
  const plain = (x: number) => formatUpTo(x, locale, 3);
  const formatterFor = (meta: FieldMeta) => (meta.unit === "money" ? money : meta.unit === "share" ? percent : plain);
  /** For computed values (a 90% range from a mean and sd): two significant digits are honest. */
  const rounded = (f: (x: number) => string) => (x: number) => f(Number(x.toPrecision(2)));
  const PER: Record<NonNullable<FieldMeta["per"]>, string> = { day: " a day", period: ` per ${period}`, year: " a year", success: " per success", event: " per event", unit: " per unit", outcome: " per outcome", participant: " per participant" };
  const unitFor = (meta: FieldMeta) => (meta.per ? PER[meta.per] : "");

  /** A scenario number (fixed or a distribution) in words. */
  function describeParam(meta: FieldMeta, p: unknown): string {
    const f = formatterFor(meta), unit = unitFor(meta), r = rounded(f);
    if (typeof p === "number") return f(p) + unit;
    if (!isObject(p)) return "";
    if (typeof p.value === "number") return f(p.value) + unit;
    const n = (k: string) => p[k] as number;
    switch (p.dist) {
      case "normal":
        return `normal, mean ${f(n("mean"))}, sd ${f(n("sd"))}${unit}: 90% range ${r(n("mean") - Z90 * n("sd"))} to ${r(n("mean") + Z90 * n("sd"))}`;
      case "lognormal":
        return `lognormal, median ${r(Math.exp(n("mu")))}${unit}: 90% range ${r(Math.exp(n("mu") - Z90 * n("sigma")))} to ${r(Math.exp(n("mu") + Z90 * n("sigma")))}`;
      case "beta":
        return `beta (α = ${plain(n("alpha"))}, β = ${plain(n("beta"))}): mean ${r(n("alpha") / (n("alpha") + n("beta")))}${unit}`;
      case "uniform":
        return `between ${f(n("min"))} and ${f(n("max"))}${unit}, any value equally likely`;
      case "triangular":
        return `between ${f(n("min"))} and ${f(n("max"))}${unit}, most likely ${f(n("mode"))} (triangular)`;
      case "pert":
        return `between ${f(n("min"))} and ${f(n("max"))}${unit}, most likely ${f(n("mode"))} (PERT)`;
    }
    if (typeof p.p5 === "number" && typeof p.p95 === "number") return `between ${f(n("p5"))} and ${f(n("p95"))}${unit} (90% range)`;
    return "";
  }

  /** An amount given absolutely or as a share of the capital. */
  const describeMoney = (m: unknown): string =>
    typeof m === "number" ? money(m) : isObject(m) && typeof m.ofCapital === "number" ? `${percent(m.ofCapital)} of capital (${money(m.ofCapital * capital)})` : "";

  /** A figure for an object that is not itself a number: a cohort list, a rule, a comparator. */
  function describeObject(key: string, o: Json): string {
    if (key === "population" && Array.isArray(o.cohorts)) {
      const sizes = (o.cohorts as Json[]).map((c) => c.size as number);
      if (sizes.every((x) => x === sizes[0])) return `${sizes.length} cohort${sizes.length > 1 ? "s" : ""} of ${plain(sizes[0]!)} participants${sizes.length > 1 ? " each" : ""}`;
      return `${sizes.length} cohorts of ${sizes.map((x) => plain(x)).join(", ")} participants`;
    }
    if (key === "comparator") {
      if (o.kind === "historical" && isObject(o.baseline)) {
        return "historical baseline per participant: " + Object.entries(o.baseline).map(([m, v]) => `${measureLabel(scenario, m)} ${m.endsWith(".cost") ? money(v as number) : m.includes(".") ? plain(v as number) : percent(v as number)}`).join("; ");
      }
      if (o.kind === "comparisonGroup") return `a concurrent comparison group of ${plain(o.size as number)}`;
    }
    if (key === "contract") {
      const rules = Array.isArray(o.rules) ? o.rules.length : 0;
      return `capital ${money(o.capital as number)}; ${rules} payment rule${rules === 1 ? "" : "s"}${o.totalCap !== undefined ? `; total cap ${describeMoney(o.totalCap)}` : ""}`;
    }
    if (typeof o.kind === "string" && key.startsWith("rules")) return describeRule(o);
    if (key.startsWith("longRun")) return `${percent(o.countedShare as number)} of the value counted, from ${plain((o.delayYears as number) ?? 0)} years after the follow-up`;
    if (o.kind === "placement") return `${(o.states as unknown[]).length} care states, ${(o.transitions as unknown[]).length} transitions per ${period}`;
    return "";
  }

  function describeRule(r: Json): string {
    const lag = typeof r.lagPeriods === "number" && r.lagPeriods > 0 ? `, paid ${r.lagPeriods} ${period}${r.lagPeriods > 1 ? "s" : ""} after measurement` : "";
    const cap =
      (r.cap !== undefined ? `, capped at ${describeMoney(r.cap)}` : "") +
      (Array.isArray(r.offsetBy) && r.offsetBy.length ? `, less what the ${r.offsetBy.map((id) => `"${id}"`).join(" and ")} rule${r.offsetBy.length > 1 ? "s" : ""} paid` : "");
    switch (r.kind) {
      case "activity":
        return `${describeMoney(r.amount)} if delivered, in ${period} ${(r.period as number) + 1}`;
      case "savingsShare":
      case "conditionalReturn":
        return `${percent(r.share as number)} of measured ${measureLabel(scenario, String(r.measure)).toLowerCase()}${r.above === "repaid" ? " savings beyond the point where the capital is repaid" : r.above ? ` savings above ${describeMoney(r.above)}` : " savings"}${cap}${r.condition ? ` if ${measureLabel(scenario, String((r.condition as Json).measure)).toLowerCase()} improved` : ""}${lag}`;
      case "proportional":
        return `${money(r.pricePerUnit as number)} per unit of ${measureLabel(scenario, String(r.measure)).toLowerCase()} ${r.basis === "aboveThreshold" ? "above the threshold" : "avoided"}, from a ${percent(r.threshold as number)} improvement${r.scope === "pooled" ? " over all cohorts" : " per cohort"}${cap}${lag}`;
      case "rateCard":
        return `${money(r.pricePerOutcome as number)} per outcome “${measureLabel(scenario, String(r.measure))}”${cap}${lag}`;
      case "stepped":
        return `stepped: ${(r.bands as Json[]).map((b) => `${describeMoney(b.amount)} from ${percent(b.from as number)}`).join(", ")}${lag}`;
    }
    return "";
  }

  /** A readable name for one step of a path, using the labels the scenario gives. */
  function stepName(parentKey: string, node: Json, root: Json, path: (string | number)[]): string {
    if (parentKey === "states" || parentKey === "outcomes" || parentKey === "rules" || parentKey === "cohorts") {
      return String(node.label ?? node.name ?? node.id ?? "");
    }
    if (parentKey === "transitions") {
      const states = stateLabels(root, path);
      return `${states.get(node.from as string) ?? node.from} → ${states.get(node.to as string) ?? node.to}`;
    }
    if (parentKey === "effects") {
      const target = (root.outcomes as Json[] | undefined)?.find((o) => o.id === node.outcome);
      const states = new Map(((target?.states as Json[] | undefined) ?? []).map((s) => [s.id as string, String(s.label ?? s.id)]));
      const list = (x: unknown) => ([] as unknown[]).concat(x ?? []).map((id) => states.get(id as string) ?? id).join(", ");
      return `effect on ${measureLabel(root, String(node.outcome))}${node.from ? ` (${list(node.from)} → ${list(node.to)})` : ""}`;
    }
    if (parentKey === "longRun") return `long-run value of ${measureLabel(root, String(node.outcome))}`;
    if (parentKey === "components") return String(node.label ?? node.id ?? "");
    return "";
  }

  function visit(node: unknown, path: (string | number)[], names: string[]): void {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        const parentKey = String(path[path.length - 1]);
        const label = isObject(child) ? stepName(parentKey, child, scenario, [...path, i]) : "";
        visit(child, [...path, i], [...names, label || itemFallback(parentKey, child, i)]);
      });
      return;
    }
    if (!isObject(node)) return;
    const key = String(path[path.length - 1] ?? "");
    const arrayKey = typeof path[path.length - 1] === "number" ? `${String(path[path.length - 2])}[]` : key;
    const source = typeof node.source === "string" ? node.source : "";
    const note = typeof node.note === "string" ? node.note : "";
    // Payment rules carry the contract's source; list each, so every term is visible.
    const isRule = path.length === 3 && path[0] === "contract" && path[1] === "rules";
    if ((source || note || isRule) && path.length > 0) {
      const isParam = isNumberNode(node);
      let figure = "";
      try {
        figure = isParam ? describeParam(fieldMetaAt(scenario, path), node) : describeObject(arrayKey.replace("[]", ""), node);
      } catch {
        // A scenario from a link may be malformed; its source is still worth listing.
      }
      out.push({
        section: String(path[0]),
        path: formatPath(path),
        // The section is the table's heading: leave it out of the name.
        name: names.slice(1).filter(Boolean).join(" › ") || names[0] || String(path[0]),
        figure,
        source: source || (isRule && !note ? "the contract's source, above" : ""),
        note,
        kind: isRule && !source && !note ? "cited" : classify(source, note),
      });
    }
    if (isNumberNode(node)) return; // a number: nothing inside
    for (const [k, v] of Object.entries(node)) {
      if (k === "source" || k === "note" || k === "description" || k === "$schema") continue;
      const title = fieldMetaAt(scenario, [...path, k]).title;
      const name = title ? title.replace("{period}", period) : (OBJECT_NAMES[k] ?? words(k));
      if (typeof v === "object" && v !== null) visit(v, [...path, k], [...names, Array.isArray(v) ? "" : name]);
    }
  }

  visit(scenario, [], []);
  return out.sort((a, b) => sectionRank(a.section) - sectionRank(b.section));
}

/**
 * Numbers no `source` covers (neither their own nor an enclosing object's): the scenario's design
 * choices, such as the follow-up length or the financier's discount rate. Simulation settings
 * are left out. A `note` on an enclosing object is returned with the number.
 */
export function unsourcedNumbers(raw: Json): { path: string; value: string; note: string }[] {
  const scenario = resolveFigureRefs(raw) as Json;
  const locale = pageLocale("en");
  const out: { path: string; value: string; note: string }[] = [];
  const visit = (node: unknown, path: (string | number)[], note: string): void => {
    if (typeof node === "number") {
      const key = String(path[path.length - 1]);
      const share = fieldMetaAt(scenario, path).unit === "share" || path.includes("initial") || key === "share";
      out.push({ path: formatPath(path), value: share ? formatPercentUpTo(node, locale, 3) : /Year$/.test(key) && Number.isInteger(node) ? String(node) : formatUpTo(node, locale, 3), note });
      return;
    }
    if (typeof node !== "object" || node === null) return;
    if (!Array.isArray(node) && typeof (node as Json).source === "string") return;
    const own = !Array.isArray(node) && typeof (node as Json).note === "string" ? ((node as Json).note as string) : note;
    for (const [k, v] of Object.entries(node)) {
      if (path.length === 0 && k === "simulation") continue;
      visit(v, [...path, Array.isArray(node) ? Number(k) : k], own);
    }
  };
  visit(scenario, [], "");
  return out;
}

/** A source's kind by its prefix; a row with only a note takes the note's prefix, if any. */
function classify(source: string, note: string): SourcedFigure["kind"] {
  const text = source || note;
  if (/^derived\b/i.test(text)) return "derived";
  if (/^assumption\b/i.test(text)) return "assumption";
  return source ? "cited" : "note";
}

/** Sections in the order the scenario file uses. */
function sectionRank(section: string): number {
  const i = SECTION_ORDER.indexOf(section);
  return i < 0 ? SECTION_ORDER.length : i;
}


/** "regressionToMean" → "regression to mean": a key without a title, in words. */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** A list item no label names: a span of periods by its periods, else "tranche 2", "band 1". */
function itemFallback(listKey: string, item: unknown, i: number): string {
  if (isObject(item) && typeof item.from === "number" && typeof item.to === "number") return `periods ${item.from}–${item.to}`;
  return `${listKey === "drawdown" ? "tranche" : words(listKey).replace(/s$/, "")} ${i + 1}`;
}

function isObject(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Labels of the states of the placement outcome a path lies in. */
function stateLabels(root: Json, path: (string | number)[]): Map<string, string> {
  const outcome = (root.outcomes as Json[] | undefined)?.[path[1] as number];
  const states = (outcome?.states as Json[] | undefined) ?? [];
  return new Map(states.map((s) => [s.id as string, String(s.label ?? s.id)]));
}

