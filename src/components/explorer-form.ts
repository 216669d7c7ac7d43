/**
 * The scenario explorer's editor: walks a scenario's JSON and gives every number an input
 * (`paramInput`), grouped as the scenario is (population, outcomes, intervention, measurement,
 * contract, valuation, simulation), labelled from field names, ids and labels.
 *
 * The editor is Inputs-compatible: `.value` is the whole edited scenario (the original JSON with
 * each number replaced by its input's value) and every change dispatches a bubbling "input"
 * event. `showProblems()` puts `parseScenario`'s problems next to the inputs they name.
 */
import { formatPath } from "../models/index.js";
import { labelOf as pathLabel } from "../models/analysis/labels.js";
import type { FieldUnit } from "../models/scenario/fieldMeta.js";
import { fieldMetaAt } from "../models/scenario/fields.js";
import { paramInput, type ParamInputElement, type ParamKind } from "./param-input.js";

type Seg = string | number;
type Json = unknown;
type Obj = Record<string, unknown>;

export interface EditorExtra {
  /** Top-level section the element goes in (e.g. "simulation"). */
  section: string;
  /** Where its value goes in the scenario. */
  segments: Seg[];
  /** An Inputs element (anything with `.value` that dispatches "input"). */
  element: HTMLElement & { value: unknown };
  map?: (value: unknown) => unknown;
  label: string;
}

export interface ScenarioEditor extends HTMLDivElement {
  /** The edited scenario, in JSON form. */
  readonly value: unknown;
  /** Shows each problem next to the input or group its path names; returns those it could not place. */
  showProblems(problems: readonly { path: string; message: string }[]): { path: string; message: string }[];
  /** "Share of savings to break-even: share of measured savings" for a problem's path (models/analysis/labels.ts). */
  labelOf(path: string): string;
  /** A problem's message in the words of the field it names ("The low end must be below the high end"). */
  messageOf(problem: { path: string; message: string }): string;
  /** Opens the sections around a path's input, scrolls to it and focuses it. */
  reveal(path: string): void;
  /** Number of number inputs, for tests and the page's summary line. */
  readonly inputCount: number;
  /** An input placed elsewhere on the page whose value goes into the scenario at its segments (correlation-input.ts). */
  addExtra(extra: EditorExtra): void;
}

const SECTIONS: { key: string; title: string; open: boolean; blurb: string }[] = [
  { key: "population", title: "Population", open: true, blurb: "Who the contract serves: cohorts, their size and when they start." },
  { key: "outcomes", title: "Outcomes without the intervention", open: false, blurb: "Baseline chances, costs per day and moves between care states, as they would be without the intervention." },
  { key: "intervention", title: "Intervention and effects", open: true, blurb: "How likely the work is delivered, and what it does. A rate ratio of 1, an odds ratio of 1 or an effect size of 0 means no effect." },
  { key: "measurement", title: "Measurement", open: true, blurb: "How long each cohort is followed, and what the contract compares it with." },
  { key: "contract", title: "Contract terms", open: true, blurb: "Capital, when it is drawn, and the payment rules with their shares, thresholds, prices and caps." },
  { key: "valuation", title: "Valuation", open: false, blurb: "Horizon and discount rates, and the long-run value of a success to society." },
  { key: "simulation", title: "Simulation", open: true, blurb: "More trials give steadier numbers; the same seed gives the same numbers." },
];

/** How the form shows a unit of the schema's vocabulary (models/scenario/fieldMeta.ts). */
const KIND_OF_UNIT: Record<FieldUnit, ParamKind> = { money: "money", share: "percent", periods: "periods", years: "years", count: "count", ratio: "ratio", number: "number" };

const RULE_KINDS: Record<string, string> = {
  activity: "activity payment",
  savingsShare: "share of measured savings",
  proportional: "proportional above a threshold",
  rateCard: "rate card: a price per outcome",
  stepped: "stepped by improvement band",
  conditionalReturn: "conditional return",
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** A scenario number: a plain number, a {value}/distribution spec, or null (an emptied field). */
function isParam(x: unknown): boolean {
  if (typeof x === "number" || x === null) return true;
  if (!isObj(x)) return false;
  return isFixedSpec(x) || "dist" in x || "p5" in x || "p95" in x;
}
/** `{value, source?, note?}`: a fixed number, not an object that merely has a `value` (a long-run component). */
function isFixedSpec(x: Record<string, unknown>): boolean {
  return "value" in x && Object.keys(x).every((k) => k === "value" || k === "source" || k === "note");
}
const isOfCapital = (x: unknown): x is { ofCapital: unknown } => isObj(x) && "ofCapital" in x && Object.keys(x).every((k) => k === "ofCapital" || k === "per");
const isLeaf = (x: unknown) => isParam(x) || isOfCapital(x);

/** Number of number inputs a subtree produces. */
function leafCount(x: unknown): number {
  if (isLeaf(x)) return 1;
  if (Array.isArray(x)) return x.reduce((a: number, v) => a + leafCount(v), 0);
  if (isObj(x)) return Object.entries(x).reduce((a, [k, v]) => a + (k === "$schema" || k === "simulation" ? 0 : leafCount(v)), 0);
  return 0;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function setIn(root: Obj, segs: readonly Seg[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    if (node[s] === null || typeof node[s] !== "object") node[s] = typeof segs[i + 1] === "number" ? [] : {};
    node = node[s] as Record<string | number, unknown>;
  }
  node[segs[segs.length - 1]!] = value;
}

/** Drops the last step of a formatted path: `a.b[2]` → `a.b`, `a["x.y"]` → `a`. */
function parentPath(path: string): string | null {
  const m = /^(.*?)(\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  return m && m[1] ? m[1] : null;
}

export function scenarioEditor(scenario: Json, options: { extras?: EditorExtra[] } = {}): ScenarioEditor {
  const base: Obj = isObj(scenario) ? scenario : {};
  const extras = [...(options.extras ?? [])];
  const currency = typeof base.currency === "string" ? base.currency : "SEK";
  const periodsPerYear = typeof base.periodsPerYear === "number" ? base.periodsPerYear : 4;
  const periodName = periodsPerYear === 4 ? "quarter" : periodsPerYear === 12 ? "month" : periodsPerYear === 1 ? "year" : "period";

  const outcomes = Array.isArray(base.outcomes) ? (base.outcomes as Obj[]).filter(isObj) : [];
  const outcomeLabel = (id: unknown) => {
    const o = outcomes.find((x) => x.id === id);
    return String(o?.label ?? id);
  };
  const stateLabel = (outcome: Obj | undefined, id: unknown) => {
    const states = Array.isArray(outcome?.states) ? (outcome!.states as Obj[]) : [];
    const s = states.find((x) => isObj(x) && x.id === id);
    return String(s?.label ?? id);
  };
  const measureLabel = (m: string) => {
    const [o, part] = m.split(".");
    const base = outcomeLabel(o);
    const parts: Record<string, string> = { cost: "cost", careDays: "care days", replacements: "re-placements" };
    return part ? `${base}: ${parts[part] ?? part}` : base;
  };
  const outcomeKind = (id: unknown) => outcomes.find((x) => x.id === id)?.kind;

  const root = el("div", { class: "explorer-editor" }) as unknown as ScenarioEditor;
  const leaves: { segs: Seg[]; input: ParamInputElement }[] = [];
  /** Inputs and groups by formatted path, with a readable label for each. */
  const byPath = new Map<string, { element: HTMLElement; label: string; input?: ParamInputElement; problem?: HTMLElement }>();
  const capitalOf = () => {
    const c = byPath.get("contract.capital")?.input?.value;
    const commitment = typeof c === "number" ? c : isObj(c) && typeof c.value === "number" ? c.value : NaN;
    // While the editor is being built it has no value yet: the scenario it was given stands in.
    return ofCapitalBasis(Object.getOwnPropertyDescriptor(root, "value") ? root.value : scenario, commitment);
  };

  // --- Labels and kinds --------------------------------------------------------------------

  /** The field's title from the schema, with the scenario's period ("chance each quarter"). */
  function fieldLabel(segs: Seg[], key: string, _parent?: Obj): string {
    const title = fieldMetaAt(base, [...segs, key]).title;
    return title ? title.replace("{period}", periodName) : key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }

  function kindOf(segs: Seg[], key: string, parent: Obj): ParamKind {
    const at = segs[segs.length - 1];
    if (key === "ofCapital") return "ofCapital";
    if (at === "initial") return "percent";
    if (at === "baseline" && segs[1] === "comparator") {
      if (key.endsWith(".cost")) return "money";
      return outcomeKind(key) === "binary" ? "percent" : "number";
    }
    if (key === "baseline" && segs[0] === "outcomes") return parent.kind === "binary" ? "percent" : "number";
    const unit = fieldMetaAt(base, [...segs, key]).unit;
    return unit ? KIND_OF_UNIT[unit] : "number";
  }
  const meta = (segs: Seg[], key: string) => fieldMetaAt(base, [...segs, key]);

  function itemTitle(segs: Seg[], item: unknown, i: number): string {
    const key = segs[segs.length - 1];
    const o = isObj(item) ? item : {};
    if (segs[0] === "outcomes" && key === "transitions") {
      const outcome = outcomes[segs[1] as number];
      return `${stateLabel(outcome, o.from)} → ${stateLabel(outcome, o.to)}`;
    }
    if (key === "effects") {
      const target = outcomes.find((x) => x.id === o.outcome);
      const list = (x: unknown) => ([] as unknown[]).concat(x ?? []).map((s) => stateLabel(target, s)).join(", ");
      const parts = o.from !== undefined || o.to !== undefined ? `: ${list(o.from) || "any"} → ${list(o.to) || "any"}` : "";
      return `${outcomeLabel(o.outcome)}${parts}`;
    }
    if (key === "drawdown") return `Tranche ${i + 1}`;
    if (key === "bands") return `Band ${i + 1}`;
    if (key === "longRun") return `Long-run value of “${outcomeLabel(o.outcome)}”`;
    if (key === "components") return `${String(o.label ?? o.id ?? `Component ${i + 1}`)} (${String(o.perspective ?? "")}${o.transferFrom ? `, a transfer from ${String(o.transferFrom)}` : ""})`;
    if (key === "cohorts") return String(o.name ?? `Cohort ${i + 1}`);
    if (key === "perPeriod" && typeof o.from === "number" && typeof o.to === "number") return `Periods ${o.from}–${o.to}`;
    return String(o.label ?? o.name ?? o.id ?? `${String(key)} ${i + 1}`);
  }

  function itemNote(segs: Seg[], item: unknown): string {
    const key = segs[segs.length - 1];
    const o = isObj(item) ? item : {};
    if (key === "rules" && typeof o.kind === "string") {
      const measure = typeof o.measure === "string" ? `, on ${measureLabel(o.measure)}` : "";
      const cond = isObj(o.condition) && typeof o.condition.measure === "string" ? `; only if ${measureLabel(o.condition.measure)} improved` : "";
      return `${RULE_KINDS[o.kind] ?? o.kind}${measure}${cond}`;
    }
    if (segs[0] === "outcomes" && segs.length === 1) {
      const kinds: Record<string, string> = { placement: "care states and moves between them", binary: "a success per participant", count: "events per participant" };
      return kinds[String(o.kind)] ?? "";
    }
    return "";
  }

  // --- Building -----------------------------------------------------------------------------

  function group(tag: "fieldset" | "div" | "details", path: string, label: string, title: string, note = "", source = ""): { box: HTMLElement; fields: HTMLElement } {
    const box = el(tag, { class: "explorer-group", "data-path": path });
    if (tag === "fieldset") box.append(el("legend", {}, title));
    if (tag === "details") box.append(el("summary", {}, title));
    if (note) box.append(el("div", { class: "explorer-note" }, note));
    if (source) {
      const s = el("div", { class: "param-source", title: source }, `Source: ${source}`);
      s.addEventListener("click", () => s.classList.toggle("param-source-open"));
      box.append(s);
    }
    const problem = el("div", { class: "explorer-problem", role: "alert" });
    problem.hidden = true;
    const fields = el("div", { class: "explorer-fields" });
    box.append(problem, fields);
    byPath.set(path, { element: box, label, problem });
    return { box, fields };
  }

  function addLeaf(container: HTMLElement, segs: Seg[], value: unknown, label: string, chain: string, kind: ParamKind, uncertain: boolean, hint?: string): void {
    const path = formatPath(segs);
    const input = paramInput(value, {
      label,
      path,
      kind,
      uncertain: uncertain || (isObj(value) && !isOfCapital(value)),
      currency,
      periodsPerYear,
      capital: capitalOf,
      hint,
      // The schema's description and the path, on demand (a tooltip on the label).
      tooltip: [fieldMetaAt(base, segs[segs.length - 1] === "ofCapital" ? segs.slice(0, -1) : segs).description, path].filter(Boolean).join("\n"),
    });
    container.append(input);
    leaves.push({ segs, input });
    byPath.set(path, { element: input, label: chain, input });
  }

  /** Renders the numbers of `obj` (at `segs`) into `container`. */
  function walkObject(obj: Obj, segs: Seg[], container: HTMLElement, chain: string): void {
    for (const [key, v] of Object.entries(obj)) {
      if (key === "$schema" || (segs.length === 0 && key === "simulation")) continue;
      if (leafCount(v) === 0) continue;
      walkValue(v, [...segs, key], key, obj, container, chain);
    }
  }

  function walkValue(v: unknown, segs: Seg[], key: string, parent: Obj, container: HTMLElement, chain: string): void {
    const parentSegs = segs.slice(0, -1);
    if (isOfCapital(v)) {
      const label = `${fieldLabel(parentSegs, key, parent)}, share of capital`;
      addLeaf(container, [...segs, "ofCapital"], v.ofCapital, label, `${chain} › ${label}`, "ofCapital", false);
      return;
    }
    if (isParam(v)) {
      const record = parentSegs[parentSegs.length - 1];
      let label = fieldLabel(parentSegs, key, parent);
      if (record === "initial") label = stateLabel(outcomes[parentSegs[1] as number], key);
      else if (record === "baseline" && parentSegs[1] === "comparator") label = measureLabel(key);
      const m = meta(parentSegs, key);
      addLeaf(container, segs, v, label, `${chain} › ${label}`, kindOf(parentSegs, key, parent), m.distribution === true, m.hint);
      return;
    }
    const path = formatPath(segs);
    if (Array.isArray(v)) {
      const listTitle = LIST_TITLES(segs);
      const folded = COLLAPSED.has(key) && v.length > 3;
      const list = segs.length === 1 ? { box: container, fields: container } : group(folded ? "details" : "fieldset", path, `${chain} › ${listTitle}`, folded ? `${listTitle} (${v.length})` : listTitle);
      if (list.box !== container) container.append(list.box);
      v.forEach((item, i) => {
        if (leafCount(item) === 0) return;
        const itemSegs = [...segs, i];
        const title = itemTitle(segs, item, i);
        if (isLeaf(item)) {
          walkValue(item, itemSegs, String(i), {}, list.fields, `${chain} › ${listTitle}`);
          return;
        }
        const o = item as Obj;
        // An item with a single number (a transition, an effect) is one labelled input, not a group.
        if (leafCount(o) === 1) {
          const [k, leaf] = Object.entries(o).find(([, x]) => leafCount(x) === 1)!;
          const label = title;
          const h = meta(itemSegs, k).hint;
          const hint = `${fieldLabel(itemSegs, k, o)}${h ? `, ${h}` : ""}`;
          if (isOfCapital(leaf)) {
            addLeaf(list.fields, [...itemSegs, k, "ofCapital"], leaf.ofCapital, label, `${chain} › ${label}`, "ofCapital", false, hint);
          } else if (isParam(leaf)) {
            const uncertain = meta(itemSegs, k).distribution === true;
            addLeaf(list.fields, [...itemSegs, k], leaf, label, `${chain} › ${label}`, kindOf(itemSegs, k, o), uncertain, hint);
          } else {
            walkObject(o, itemSegs, list.fields, `${chain} › ${title}`);
          }
          if (typeof o.source === "string") addGroupSource(list.fields.lastElementChild as HTMLElement, o.source);
          return;
        }
        const g = group("fieldset", formatPath(itemSegs), `${chain} › ${title}`, title, itemNote(segs, item) + (typeof o.note === "string" ? (itemNote(segs, item) ? ". " : "") + o.note : ""), typeof o.source === "string" ? o.source : "");
        g.box.classList.add(`explorer-item-${String(segs[segs.length - 1])}`);
        list.fields.append(g.box);
        walkObject(o, itemSegs, g.fields, `${chain} › ${title}`);
      });
      return;
    }
    if (isObj(v)) {
      // One number inside (a condition's minimum improvement): flatten into the parent.
      if (leafCount(v) === 1 && !RECORD_KEYS.has(key)) {
        walkObject(v, segs, container, chain);
        return;
      }
      const title = OBJECT_TITLES(segs, v);
      const g = group("fieldset", path, `${chain} › ${title}`, title, typeof v.note === "string" ? v.note : "", typeof v.source === "string" ? v.source : "");
      container.append(g.box);
      walkObject(v, segs, g.fields, `${chain} › ${title}`);
    }
  }

  function addGroupSource(input: HTMLElement | null, source: string): void {
    const line = input?.querySelector<HTMLElement>(".param-source");
    if (line && line.hidden) {
      line.textContent = `Source: ${source}`;
      line.title = source;
      line.hidden = false;
    }
  }

  const RECORD_KEYS = new Set(["initial", "baseline"]);
  /** Long lists that are rarely edited start folded. */
  const COLLAPSED = new Set(["drawdown"]);
  function LIST_TITLES(segs: Seg[]): string {
    const key = segs[segs.length - 1];
    const titles: Record<string, string> = {
      cohorts: "Cohorts",
      states: "Care states",
      transitions: `Moves between states, chance per ${periodName}`,
      effects: "Effects",
      drawdown: "When the capital is drawn",
      rules: "Payment rules",
      bands: "Bands",
      longRun: "Long-run values",
    };
    return titles[String(key)] ?? capitalize(fieldLabel(segs.slice(0, -1), String(key)));
  }
  function OBJECT_TITLES(segs: Seg[], v: Obj): string {
    const key = segs[segs.length - 1];
    if (key === "initial") return "Share in each state at intake";
    if (key === "selfFunding") return "Doing it ourselves: the payer's own loan";
    if (key === "baseline" && segs[1] === "comparator") return "Contract baseline per participant over the follow-up";
    if (key === "comparator")
      return v.kind === "comparisonGroup" ? "Comparator: a concurrent comparison group" : v.cohort ? "Comparator: a historical baseline from a past group" : "Comparator: a published, fixed historical baseline";
    if (key === "cohort" && segs[1] === "comparator") return "The past group (simulated without the intervention)";
    if (key === "regressionToMean") return "Regression to the mean in the contract cohort";
    return capitalize(fieldLabel(segs.slice(0, -1), String(key)));
  }

  // Sections in the scenario's order; any other top-level numbers go to "Simulation".
  const known = new Set(SECTIONS.map((s) => s.key));
  for (const section of SECTIONS) {
    const details = el("details", { class: "explorer-section", "data-path": section.key });
    details.open = section.open;
    const count = section.key === "simulation" ? 0 : leafCount(base[section.key]);
    const summary = el("summary", {}, section.title);
    details.append(summary);
    const g = group("div", section.key, section.title, section.title, section.blurb);
    details.append(g.box);
    byPath.set(section.key, { element: details, label: section.title, problem: byPath.get(section.key)!.problem });
    if (section.key === "simulation") {
      for (const x of extras.filter((e) => e.section === "simulation")) {
        g.fields.append(x.element);
        byPath.set(formatPath(x.segments), { element: x.element, label: `${section.title} › ${x.label}` });
      }
      for (const [k, v] of Object.entries(base)) {
        // correlations: edited by src/components/correlation-input.ts (addExtra).
        if (!known.has(k) && k !== "$schema" && k !== "correlations" && leafCount(v) > 0) walkValue(v, [k], k, base, g.fields, section.title);
      }
    } else if (section.key === "outcomes" && Array.isArray(base.outcomes)) {
      (base.outcomes as unknown[]).forEach((o, i) => {
        if (leafCount(o) === 0) return;
        const title = itemTitle(["outcomes"], o, i);
        const og = group("fieldset", `outcomes[${i}]`, `${section.title} › ${title}`, title, [itemNote(["outcomes"], o), isObj(o) && typeof o.note === "string" ? o.note : ""].filter(Boolean).join(". "));
        g.fields.append(og.box);
        walkObject(o as Obj, ["outcomes", i], og.fields, `${section.title} › ${title}`);
      });
    } else if (isObj(base[section.key])) {
      const obj = base[section.key] as Obj;
      if (typeof obj.source === "string") addSectionSource(g.box, obj.source);
      walkObject(obj, [section.key], g.fields, section.title);
    } else if (count > 0) {
      walkValue(base[section.key], [section.key], section.key, base, g.fields, section.title);
    }
    const n = section.key === "simulation" ? extras.length + g.fields.querySelectorAll(".param-input").length : count;
    if (n > 0) summary.append(" ", el("span", { class: "explorer-count" }, `${n} input${n === 1 ? "" : "s"}`));
    if (n === 0) continue;
    root.append(details);
  }

  function addSectionSource(box: HTMLElement, source: string): void {
    const s = el("div", { class: "param-source", title: source }, `Source: ${source}`);
    s.addEventListener("click", () => s.classList.toggle("param-source-open"));
    box.insertBefore(s, box.querySelector(".explorer-problem"));
  }

  // Amounts given as a share of capital say what that is in money: keep them current.
  const ofCapital = leaves.filter((l) => l.segs[l.segs.length - 1] === "ofCapital");
  root.addEventListener("input", (event) => {
    const target = event.target as HTMLElement;
    if (target.closest?.('[data-path="contract.capital"], [data-path^="contract.delivery"], [data-path^="contract.fees"], [data-path^="population"]')) for (const l of ofCapital) l.input.refresh();
  });

  // --- The Inputs-compatible surface --------------------------------------------------------

  Object.defineProperty(root, "value", {
    get() {
      const out = structuredClone(base) as Obj;
      for (const { segs, input } of leaves) setIn(out, segs, input.value);
      for (const x of extras) setIn(out, x.segments, x.map ? x.map(x.element.value) : x.element.value);
      return out;
    },
    enumerable: true,
  });
  Object.defineProperty(root, "inputCount", { get: () => leaves.length });
  root.addExtra = (x) => {
    extras.push(x);
    byPath.set(formatPath(x.segments), { element: x.element, label: x.label });
  };

  function locate(path: string): { path: string; rest: string } | null {
    if (byPath.has(path)) return { path, rest: "" };
    // A problem with a group of numbers (e.g. an item) goes to its first input.
    for (const { segs } of leaves) {
      const p = formatPath(segs);
      if (p.startsWith(path + ".") || p.startsWith(path + "[")) return { path: p, rest: "" };
    }
    for (let p = parentPath(path); p; p = parentPath(p)) {
      if (byPath.has(p)) return { path: p, rest: path.slice(p.length).replace(/^\./, "") };
    }
    return null;
  }

  root.showProblems = (problems) => {
    for (const { input } of leaves) input.setProblems([]);
    for (const entry of byPath.values()) if (entry.problem) (entry.problem.hidden = true), (entry.problem.textContent = "");
    const grouped = new Map<string, string[]>();
    const unplaced: { path: string; message: string }[] = [];
    for (const p of problems) {
      const at = locate(p.path);
      if (!at) {
        unplaced.push(p);
        continue;
      }
      const list = grouped.get(at.path) ?? [];
      // An input words its own problems (param-input.ts readerMessage); a group names the part.
      list.push(at.rest && !byPath.get(at.path)?.input ? `${pathLabel(root.value, p.path, { lower: true })}: ${p.message}` : p.message);
      grouped.set(at.path, list);
    }
    for (const [path, messages] of grouped) {
      const entry = byPath.get(path)!;
      if (entry.input) entry.input.setProblems(messages);
      else if (entry.problem) (entry.problem.textContent = messages.join("; ")), (entry.problem.hidden = false);
      else unplaced.push(...messages.map((message) => ({ path, message })));
      for (let d = entry.element.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
    }
    return unplaced;
  };

  root.labelOf = (path) => pathLabel(root.value, path);

  root.messageOf = (p) => {
    const at = locate(p.path);
    const input = at ? byPath.get(at.path)?.input : undefined;
    return input ? input.readerMessage(p.message) : p.message;
  };

  root.reveal = (path) => {
    const at = locate(path);
    if (!at) return;
    const target = byPath.get(at.path)!.element;
    for (let d = target.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    target.querySelector<HTMLElement>("input, select")?.focus({ preventScroll: true });
  };

  return root;
}

/**
 * What `ofCapital` amounts are fractions of in the edited scenario: the commitment, or with
 * `ofCapitalMeans: "plannedDraw"` the planned delivery costs and fixed fees, at most the
 * commitment (as capitalBasis in models/contract/waterfall.ts computes it from a parsed scenario).
 */
function ofCapitalBasis(scenario: unknown, commitment: number): number {
  const c = isObj(scenario) && isObj(scenario.contract) ? scenario.contract : null;
  if (!c || c.ofCapitalMeans !== "plannedDraw" || !isObj(c.delivery)) return commitment;
  const num = (x: unknown) => (typeof x === "number" ? x : isObj(x) && typeof x.value === "number" ? x.value : 0);
  const spans = (x: unknown) =>
    (Array.isArray(x) ? x : []).reduce((a: number, sp: unknown) => (isObj(sp) ? a + Math.max(0, num(sp.to) - num(sp.from) + 1) * num(sp.amount) : a), 0);
  const cohorts = isObj(scenario) && isObj(scenario.population) && Array.isArray(scenario.population.cohorts) ? scenario.population.cohorts : [];
  const people = cohorts.reduce((a: number, k: unknown) => a + (isObj(k) ? num(k.size) : 0), 0);
  const perParticipant = isObj(c.delivery.perParticipant) ? num(c.delivery.perParticipant.amount) * people : 0;
  const planned = spans(c.delivery.perPeriod) + perParticipant + (isObj(c.fees) ? spans(c.fees.perPeriod) : 0);
  return Math.min(commitment, planned);
}
