/**
 * Readers' labels for scenario fields and measures. A path such as
 * `outcomes[0].transitions[3].perPeriod` reads "HVB → home: chance each quarter": the named
 * items the path goes through (states, moves, rules, cohorts; by their labels, else ids), then the
 * field's title from the schema (models/scenario/schema.ts, `.meta({ title })`, read by
 * models/scenario/fields.ts). The path itself is for a tooltip or a details toggle, not the label.
 */
import { fieldMetaAt } from "../scenario/fields.js";
import { parsePath } from "./path.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface LabelOptions {
  /** "sv" uses the schema's Swedish titles where it has them. */
  lang?: "en" | "sv";
  /** Leave out the first letter's capital (for a label inside a sentence). */
  lower?: boolean;
}

/** "quarter", "month", "year", … for a scenario's periods per year. */
export function periodName(scenario: unknown, lang: "en" | "sv" = "en"): string {
  const ppy = isObj(scenario) && typeof scenario.periodsPerYear === "number" ? scenario.periodsPerYear : 4;
  const en: Record<number, string> = { 1: "year", 2: "half-year", 4: "quarter", 12: "month", 52: "week" };
  const sv: Record<number, string> = { 1: "år", 2: "halvår", 4: "kvartal", 12: "månad", 52: "vecka" };
  return (lang === "sv" ? sv : en)[ppy] ?? (lang === "sv" ? "period" : "period");
}

function outcomesOf(scenario: unknown): Obj[] {
  return isObj(scenario) && Array.isArray(scenario.outcomes) ? scenario.outcomes.filter(isObj) : [];
}
const nameOf = (o: Obj | undefined, fallback: string) => String(o?.label ?? o?.name ?? o?.id ?? fallback);

function stateName(outcome: Obj | undefined, id: unknown): string {
  const states = Array.isArray(outcome?.states) ? outcome.states.filter(isObj) : [];
  return nameOf(states.find((s) => s.id === id), String(id));
}

/** A measure in words: "placement.cost" → "Placement: cost"; a binary or count outcome's id → its label. */
export function measureLabel(scenario: unknown, measure: string): string {
  const [id, part] = measure.split(".");
  const outcome = outcomesOf(scenario).find((o) => o.id === id);
  const base = nameOf(outcome, id ?? measure);
  const parts: Record<string, string> = { cost: "cost", careDays: "care days", replacements: "re-placements" };
  return part ? `${base}: ${parts[part] ?? words(part)}` : base;
}

/** The name of the array item at `node` (the `i`-th of the list `listKey`), or "" for an unnamed one. */
function itemName(scenario: unknown, listKey: string, node: unknown, i: number, outcome: Obj | undefined): string {
  const o = isObj(node) ? node : {};
  const list = (x: unknown) => ([] as unknown[]).concat(x ?? []).map((s) => stateName(outcome, s)).join(", ");
  switch (listKey) {
    case "outcomes":
      return nameOf(o, `outcome ${i + 1}`);
    case "states":
      return nameOf(o, `state ${i + 1}`);
    case "transitions":
      return `${stateName(outcome, o.from)} → ${stateName(outcome, o.to)}`;
    case "effects": {
      const target = outcomesOf(scenario).find((x) => x.id === o.outcome);
      const on = nameOf(target, String(o.outcome));
      const list = (x: unknown) => ([] as unknown[]).concat(x ?? []).map((s) => stateName(target, s)).join(", ");
      return o.from !== undefined || o.to !== undefined ? `${on}, ${list(o.from) || "any"} → ${list(o.to) || "any"}` : on;
    }
    case "rules":
      return nameOf(o, `rule ${i + 1}`);
    case "cohorts":
      return String(o.name ?? `cohort ${i + 1}`);
    case "drawdown":
      return `tranche ${i + 1}`;
    case "bands":
      return `band ${i + 1}`;
    case "perPeriod":
      return typeof o.from === "number" && typeof o.to === "number" ? `periods ${o.from}–${o.to}` : `span ${i + 1}`;
    case "longRun": {
      const target = outcomesOf(scenario).find((x) => x.id === o.outcome);
      return `long-run value of ${nameOf(target, String(o.outcome))}`;
    }
    case "components":
      return nameOf(o, `component ${i + 1}`);
    default:
      return nameOf(o, `${words(listKey)} ${i + 1}`);
  }
}

/**
 * A reader's label for a parameter or contract term path: "HVB → home: chance each quarter",
 * "Share of savings to break-even: share of measured savings", "Activity compensation (share of
 * capital)", "Total cap on payments (share of capital)", "Capital". Accepts the path forms
 * of models/analysis/path.ts (`contract.rules[savings].share`); a path it cannot follow is
 * returned as it is.
 */
export function labelOf(scenario: unknown, path: string, options: LabelOptions = {}): string {
  const lang = options.lang ?? "en";
  let keys;
  try {
    keys = parsePath(path, scenario);
  } catch {
    return path;
  }
  const outcomes = outcomesOf(scenario);
  const context: string[] = [];
  let node: unknown = scenario;
  let outcome: Obj | undefined;
  for (const [i, key] of keys.entries()) {
    const parentKey = keys[i - 1];
    node = isObj(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof key !== "number") continue;
    const listKey = String(parentKey);
    if (listKey === "outcomes" && i === 1) {
      outcome = isObj(node) ? node : undefined;
      // With one outcome, naming it adds nothing.
      if (outcomes.length < 2) continue;
    }
    context.push(itemName(scenario, listKey, node, key, outcome));
  }
  const last = keys[keys.length - 1];
  let field: string;
  if (typeof last === "number") field = "";
  else {
    const metaKeys = last === "ofCapital" ? keys.slice(0, -1) : keys;
    const meta = fieldMetaAt(scenario, metaKeys);
    const title = (lang === "sv" ? meta.titleSv ?? meta.title : meta.title) ?? words(String(metaKeys[metaKeys.length - 1]));
    field = title.replace("{period}", periodName(scenario, lang));
    // A payment rule's amount is the rule itself: "Activity compensation (share of capital)".
    if (last === "ofCapital" && metaKeys[metaKeys.length - 1] === "amount" && keys[keys.length - 4] === "rules") field = "";
    if (last === "ofCapital") field = `${field}${field ? " " : ""}(${lang === "sv" ? "andel av kapitalet" : "share of capital"})`;
    // A key of a record: a state's share at intake, a measure's published baseline.
    const recordKey = keys[keys.length - 2];
    if (recordKey === "initial") field = `${stateName(outcome, last)}, share at intake`;
    else if (recordKey === "baseline" && keys.includes("comparator")) field = `baseline per participant: ${measureLabel(scenario, String(last))}`;
  }
  const label = !context.length ? field : !field ? context.join(" › ") : field.startsWith("(") ? `${context.join(" › ")} ${field}` : `${context.join(" › ")}: ${field}`;
  return options.lower ? label : capitalize(label);
}

/** The former name of labelOf (other modules and the CLI's fit report call it). */
export function describePath(scenario: unknown, path: string): string {
  return labelOf(scenario, path);
}
