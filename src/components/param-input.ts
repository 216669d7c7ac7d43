/**
 * An input for one scenario number: a fixed value or an uncertainty distribution.
 *
 * Inputs-compatible: the element has a `.value` (the number in scenario JSON form: a plain
 * number, `{value, source}`, `{p5, p95, source}`, `{dist: "pert", min, mode, max, source}`, …)
 * and dispatches bubbling "input" events, so Framework's `view()` and `Generators.input()` work
 * on it, and on any element that contains it.
 *
 * The user picks a form ("fixed value", "between A and B", "between min and max, most likely M",
 * "normal"; any other form the scenario uses is kept as it is), types its parameters, and reads
 * what it means in words. The figure's `source` is shown under it; `setProblems()` shows what is
 * wrong with it, next to it.
 */
import { Z90 } from "../models/constants.js";
import { formatMoney, formatNumber, formatPercentUpTo, formatUpTo, pageLocale } from "../models/format.js";
import { specSparkline } from "./spec-sparkline.js";

/** How a number reads: money, a fraction shown as a percentage, a count of periods, … */
export type ParamKind = "money" | "percent" | "ofCapital" | "count" | "periods" | "years" | "ratio" | "number";

export interface ParamInputOptions {
  /** What the number is, in words ("cost per day"). */
  label: string;
  /** JSON path of the number, as `parseScenario` names it (`contract.rules[1].share`). */
  path?: string;
  kind?: ParamKind;
  /** Whether the field accepts a distribution; if not, only a fixed value is offered. */
  uncertain?: boolean;
  currency?: string;
  periodsPerYear?: number;
  /** The contract's capital, for amounts given as a share of it. */
  capital?: () => number;
  /** Where the figure comes from, when the spec itself does not say. */
  source?: string;
  /** A short hint shown after the label. */
  hint?: string;
  /** Shown on demand (the label's tooltip): what the field means and its path. */
  tooltip?: string;
}

type Form = "fixed" | "range" | "pert" | "normal" | "lognormal" | "beta" | "uniform" | "triangular" | "asis";

/** The parameters of each form, in the order they are typed, with the words around them. */
const FORMS: Record<Exclude<Form, "asis">, { keys: string[]; words: string[]; option: string }> = {
  fixed: { keys: ["value"], words: [""], option: "fixed value" },
  range: { keys: ["p5", "p95"], words: ["between", "and"], option: "between A and B (90% sure)" },
  pert: { keys: ["min", "max", "mode"], words: ["between", "and", "most likely"], option: "between min and max, most likely M" },
  normal: { keys: ["mean", "sd"], words: ["mean", "sd"], option: "normal (mean, sd)" },
  lognormal: { keys: ["mu", "sigma"], words: ["log-mean μ", "log-sd σ"], option: "lognormal (μ, σ of the log), as given" },
  beta: { keys: ["alpha", "beta"], words: ["α", "β"], option: "beta (α, β), as given" },
  uniform: { keys: ["min", "max"], words: ["uniform between", "and"], option: "uniform (min, max), as given" },
  triangular: { keys: ["min", "max", "mode"], words: ["between", "and", "most likely"], option: "triangular (min, mode, max), as given" },
};
const MAIN_FORMS: Form[] = ["fixed", "range", "pert", "normal"];

type Spec = number | Record<string, unknown>;

/** The form a spec is written in. */
export function formOf(spec: unknown): Form {
  if (typeof spec === "number") return "fixed";
  if (spec === null || typeof spec !== "object") return "asis";
  const s = spec as Record<string, unknown>;
  if ("value" in s && !("dist" in s)) return "fixed";
  if ((s.dist === undefined || s.dist === "range") && "p5" in s) return "range";
  if (typeof s.dist === "string" && s.dist in FORMS && s.dist !== "fixed" && s.dist !== "range") return s.dist as Form;
  return "asis";
}

const num = (x: unknown): number => (typeof x === "number" ? x : x == null ? NaN : Number(x));

/**
 * A number as a reader types it: "1 450", "1,450", "1450.5", "0,6" (a decimal comma), "−3",
 * "60 %". Returns NaN for an empty field and null for text that is not a number.
 */
export function parseTyped(text: string): number | null {
  let t = text.replace(/[\s\u00a0\u202f_']/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
  if (t === "") return NaN;
  if (t.includes(",") && t.includes(".")) t = t.replace(/,/g, "");
  else if (/^[-+]?\d{1,3}(,\d{3})+$/.test(t)) t = t.replace(/,/g, "");
  else t = t.replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

/** Kinds whose fraction is typed and shown as a percentage (60 means 60%). */
const inPercent = (kind: ParamKind) => kind === "percent" || kind === "ofCapital";
/** Parameters in the number's own units; a beta's α, β and a lognormal's μ, σ (of the log) are not. */
const inUnits = (key: string) => key !== "alpha" && key !== "beta" && key !== "mu" && key !== "sigma";

/** An example of a number of this kind, for "Enter a number, e.g. …". */
function exampleFor(kind: ParamKind): string {
  switch (kind) {
    case "percent":
    case "ofCapital":
      return "60 (for 60%)";
    case "count":
    case "periods":
      return "12";
    case "ratio":
      return "0.8";
    default:
      return "1 450";
  }
}

/**
 * A schema message in the field's own words: the low and high ends of a range rather than p5
 * and p95, percentages rather than fractions on a field shown in %.
 */
export function readerMessage(message: string, kind: ParamKind): string {
  if (/expected number|NaN/i.test(message)) return `Enter a number, e.g. ${exampleFor(kind)}`;
  if (/p5 must be less than p95|min must be less than max/.test(message)) return "The low end must be below the high end";
  if (/mode must lie between min and max/.test(message)) return "The most likely value must lie between the low and high ends";
  if (!inPercent(kind)) return message;
  const pct = (x: string) => `${+(Number(x) * 100).toPrecision(6)}%`;
  return message
    .replace(/a (?:fraction|number) from (-?[\d.]+(?:e[-+]?\d+)?) to (-?[\d.]+(?:e[-+]?\d+)?)/, (_, a: string, b: string) => `a percentage from ${pct(a)} to ${pct(b)}`)
    .replace(/(got|centred on) (-?[\d.]+(?:e[-+]?\d+)?)/, (_, w: string, x: string) => `${w} ${pct(x)}`);
}

/** A central value and a plausible 90% interval of a spec, to start another form from. */
function centreAndSpread(spec: Spec, form: Form): { c: number; lo: number; hi: number } {
  if (typeof spec === "number") return { c: spec, lo: NaN, hi: NaN };
  const s = spec;
  switch (form) {
    case "fixed":
      return { c: num(s.value), lo: NaN, hi: NaN };
    case "range": {
      const a = num(s.p5), b = num(s.p95);
      return { c: a > 0 && b > 0 ? Math.sqrt(a * b) : (a + b) / 2, lo: a, hi: b };
    }
    case "pert":
    case "triangular":
      return { c: num(s.mode), lo: num(s.min), hi: num(s.max) };
    case "uniform":
      return { c: (num(s.min) + num(s.max)) / 2, lo: num(s.min), hi: num(s.max) };
    case "normal":
      return { c: num(s.mean), lo: num(s.mean) - Z90 * num(s.sd), hi: num(s.mean) + Z90 * num(s.sd) };
    case "lognormal":
      return { c: Math.exp(num(s.mu)), lo: Math.exp(num(s.mu) - Z90 * num(s.sigma)), hi: Math.exp(num(s.mu) + Z90 * num(s.sigma)) };
    case "beta": {
      const a = num(s.alpha), b = num(s.beta);
      const m = a / (a + b), sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
      return { c: m, lo: Math.max(0, m - Z90 * sd), hi: Math.min(1, m + Z90 * sd) };
    }
    default:
      return { c: NaN, lo: NaN, hi: NaN };
  }
}

/** Three significant digits, so converted forms start from tidy numbers. */
const tidy = (x: number): number => (Number.isFinite(x) ? +x.toPrecision(3) : x);

/** The parameters of `form`, started from `spec` (in whatever form it is). */
function convert(spec: Spec, from: Form, to: Form, kind: ParamKind): Record<string, number> {
  let { c, lo, hi } = centreAndSpread(spec, from);
  if (!Number.isFinite(c)) c = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : 0;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    const d = Math.abs(c) * 0.25 || (kind === "percent" || kind === "ofCapital" ? 0.05 : 0.1);
    lo = c - d;
    hi = c + d;
    if (kind === "percent") {
      lo = Math.max(0, lo);
      hi = Math.min(1, hi);
    } else if (c >= 0 && kind !== "number") lo = Math.max(0, lo);
  }
  switch (to) {
    case "fixed":
      return { value: tidy(c) };
    case "range":
      return { p5: tidy(lo), p95: tidy(hi) };
    case "pert":
      return { min: tidy(lo), max: tidy(hi), mode: tidy(Math.min(hi, Math.max(lo, c))) };
    case "normal":
      return { mean: tidy(c), sd: tidy((hi - lo) / (2 * Z90)) || 0.1 };
    default:
      return {};
  }
}

// --- Reading a number in words --------------------------------------------------------------

export function makeFormatter(kind: ParamKind, opts: { currency?: string; periodsPerYear?: number; capital?: () => number }): (x: number) => string {
  const currency = opts.currency ?? "SEK";
  // The explorer is an English page: English conventions whatever the currency.
  const locale = pageLocale("en");
  const ppy = opts.periodsPerYear ?? 4;
  const periodName = ppy === 4 ? "quarter" : ppy === 12 ? "month" : ppy === 1 ? "year" : ppy === 52 ? "week" : "period";
  return (x: number) => {
    if (!Number.isFinite(x)) return "–";
    switch (kind) {
      case "money":
        return formatMoney(x, currency, locale);
      case "percent":
        return formatPercentUpTo(x, locale, 2);
      case "ofCapital": {
        const cap = opts.capital?.();
        const pct = formatPercentUpTo(x, locale, 1);
        return cap != null && Number.isFinite(cap) ? `${pct} of capital (${formatMoney(x * cap, currency, locale)})` : `${pct} of capital`;
      }
      case "periods": {
        const n = formatUpTo(x, locale, 2);
        const unit = `${periodName}${x === 1 ? "" : "s"}`;
        return ppy > 1 && ppy !== 52 && Number.isInteger(x) && x > 0
          ? `${n} ${unit} (${formatUpTo(x / ppy, locale, 2)} year${x === ppy ? "" : "s"})`
          : `${n} ${unit}`;
      }
      case "years":
        return `${formatUpTo(x, locale, 2)} year${x === 1 ? "" : "s"}`;
      default:
        return formatUpTo(x, locale, 3);
    }
  };
}

/** Two significant digits, for numbers the reader did not type (a normal's 5th percentile). */
const approx = (fmt: (x: number) => string) => (x: number) => fmt(Number.isFinite(x) && x !== 0 ? +x.toPrecision(2) : x);

/** What a spec means, in words: "90% sure between 2 000 kr and 4 500 kr". */
export function describeSpec(spec: unknown, fmt: (x: number) => string): string {
  const rough = approx(fmt);
  const form = formOf(spec);
  if (form === "asis") return "kept as in the scenario file";
  const s = (typeof spec === "number" ? { value: spec } : spec) as Record<string, unknown>;
  const keys = FORMS[form].keys;
  if (keys.some((k) => !Number.isFinite(num(s[k])))) return "enter a number in every field";
  const v = (k: string) => num(s[k]);
  switch (form) {
    case "fixed":
      return fmt(v("value"));
    case "range":
      return `90% sure it lies between ${fmt(v("p5"))} and ${fmt(v("p95"))}${v("p5") > 0 && v("p95") > 0 ? " (lognormal)" : " (normal)"}`;
    case "pert":
      return `between ${fmt(v("min"))} and ${fmt(v("max"))}, most likely ${fmt(v("mode"))}`;
    case "triangular":
      return `between ${fmt(v("min"))} and ${fmt(v("max"))}, most likely ${fmt(v("mode"))} (triangular)`;
    case "uniform":
      return `equally likely anywhere between ${fmt(v("min"))} and ${fmt(v("max"))}`;
    case "normal":
      return `around ${fmt(v("mean"))}; 90% sure between ${rough(v("mean") - Z90 * v("sd"))} and ${rough(v("mean") + Z90 * v("sd"))}`;
    case "lognormal":
      return `median ${rough(Math.exp(v("mu")))}; 90% sure between ${rough(Math.exp(v("mu") - Z90 * v("sigma")))} and ${rough(Math.exp(v("mu") + Z90 * v("sigma")))}`;
    case "beta": {
      const { c, lo, hi } = centreAndSpread(s as Spec, "beta");
      return `mean ${rough(c)}; roughly 90% sure between ${rough(lo)} and ${rough(hi)}`;
    }
  }
}

// --- The element ----------------------------------------------------------------------------

export interface ParamInputElement extends HTMLDivElement {
  /** The number in scenario JSON form. Setting it does not dispatch "input" (as Inputs). */
  value: unknown;
  /** Shows what is wrong with this number, next to it; an empty list clears it. */
  setProblems(messages: string[]): void;
  /** Re-reads context (capital, currency) for the words under the input. */
  refresh(): void;
  /** A schema message about this number, in the field's words. */
  readerMessage(message: string): string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

let uid = 0;

export function paramInput(spec: unknown, options: ParamInputOptions): ParamInputElement {
  const kind = options.kind ?? "number";
  const uncertain = options.uncertain ?? (typeof spec === "object" && spec !== null);
  const fmt = makeFormatter(kind, options);
  const id = `param-input-${++uid}`;

  const root = el("div", { class: "param-input" }) as ParamInputElement;
  if (options.path) root.dataset.path = options.path;

  const label = el("label", { class: "param-label", for: `${id}-0` }, options.label);
  if (options.hint) label.append(" ", el("span", { class: "param-hint" }, options.hint));
  if (options.tooltip) label.title = options.tooltip;
  const select = el("select", { class: "param-form", "aria-label": `${options.label}: form` });
  const fields = el("span", { class: "param-fields" });
  const meaning = el("div", { class: "param-meaning", "aria-live": "polite" });
  const sourceLine = el("div", { class: "param-source" });
  const problem = el("div", { class: "param-problem", role: "alert" });
  problem.hidden = true;
  const spark = el("span", { class: "param-spark", "aria-hidden": "true" });
  const undoButton = el("button", { type: "button", class: "param-undo", title: "Undo the last change to this number" }, "Undo");
  const resetButton = el("button", { type: "button", class: "param-reset", title: "Back to the scenario's value" }, "Reset");
  const tools = el("span", { class: "param-tools" }, undoButton, resetButton);
  root.append(el("div", { class: "param-head" }, label, select), el("div", { class: "param-row" }, fields, spark, tools), meaning, sourceLine, problem);

  // The spec as given (its source, note and exact form are kept when its numbers are edited).
  let original: unknown;
  let form: Form;
  let inputs: Record<string, HTMLInputElement> = {};

  /** Numbers as typed: text with inputmode decimal (letters get a message, not a silent blank); fractions in %. */
  const typed = new Map<HTMLInputElement, { text: string; value: number }>();
  function numberField(key: string, value: unknown, i: number): HTMLInputElement {
    const pct = inPercent(kind) && inUnits(key);
    const input = el("input", { type: "text", inputmode: "decimal", autocomplete: "off", name: key, id: `${id}-${i}`, "aria-label": `${options.label}: ${key}${pct ? " (%)" : ""}` });
    const x = num(value);
    input.value = Number.isFinite(x) ? String(pct ? +(x * 100).toPrecision(12) : x) : "";
    // An untouched field gives back the scenario's number exactly (a percentage shown rounded does not).
    typed.set(input, { text: input.value, value: x });
    return input;
  }

  function buildFields(values: Record<string, unknown>): void {
    fields.replaceChildren();
    inputs = {};
    if (form === "asis") {
      fields.append(el("code", {}, JSON.stringify(original)));
      return;
    }
    const { keys, words } = FORMS[form];
    keys.forEach((k, i) => {
      const input = numberField(k, values[k], i);
      inputs[k] = input;
      const w = words[i];
      const box = inPercent(kind) && inUnits(k) ? el("span", { class: "param-unit" }, input, el("span", { "aria-hidden": "true" }, "%")) : input;
      fields.append(w ? el("label", { class: "param-field" }, el("span", {}, w), box) : el("span", { class: "param-field" }, box));
    });
  }

  function buildSelect(): void {
    select.replaceChildren();
    const forms = uncertain ? [...MAIN_FORMS] : ["fixed" as Form];
    if (!forms.includes(form)) forms.push(form);
    for (const f of forms) {
      const option = el("option", { value: f }, f === "asis" ? "as in the file" : FORMS[f].option);
      select.append(option);
    }
    select.value = form;
    select.hidden = forms.length < 2;
    root.classList.toggle("param-fixed-only", forms.length < 2);
  }

  function currentValues(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, input] of Object.entries(inputs)) {
      const was = typed.get(input);
      if (was && was.text === input.value) out[k] = was.value;
      else {
        const x = parseTyped(input.value);
        out[k] = x === null ? NaN : inPercent(kind) && inUnits(k) ? x / 100 : x;
      }
    }
    return out;
  }

  /** What is wrong with what was typed, in the field's words; "" when every field reads as a number. */
  function typedProblem(): string {
    const bad = Object.values(inputs).some((input) => !Number.isFinite(parseTyped(input.value) ?? NaN));
    return bad ? `Enter a number, e.g. ${exampleFor(kind)}` : "";
  }

  function read(): unknown {
    if (form === "asis") return original;
    const values = currentValues();
    const keep: Record<string, unknown> = {};
    if (original !== null && typeof original === "object") {
      const o = original as Record<string, unknown>;
      if (o.source !== undefined) keep.source = o.source;
      if (o.note !== undefined) keep.note = o.note;
    }
    switch (form) {
      case "fixed":
        // A plain number stays a plain number; a {value, source} keeps its source.
        return Object.keys(keep).length === 0 && (typeof original === "number" || !uncertain) ? values.value : { value: values.value, ...keep };
      case "range": {
        const dist = original !== null && typeof original === "object" && (original as Record<string, unknown>).dist === "range" ? { dist: "range" } : {};
        return { ...dist, p5: values.p5, p95: values.p95, ...keep };
      }
      default: {
        const ordered: Record<string, unknown> = { dist: form };
        const order = form === "pert" || form === "triangular" ? ["min", "mode", "max"] : FORMS[form].keys;
        for (const k of order) ordered[k] = values[k];
        return { ...ordered, ...keep };
      }
    }
  }

  function refresh(): void {
    const plain = form === "fixed" && (kind === "number" || kind === "count" || kind === "ratio");
    const value = read();
    meaning.textContent = plain ? "" : describeSpec(value, fmt);
    meaning.hidden = meaning.textContent === "";
    spark.replaceChildren(uncertain && form !== "fixed" ? specSparkline(value, { label: `${options.label}: ${meaning.textContent}` }) : "");
    const local = typedProblem();
    if (local) showMessages([local]);
    else if (problem.dataset.local) showMessages(schemaMessages);
  }

  // --- Undo and reset: the scenario's value, and every committed change since ----------------
  const scenarioValue = structuredClone(spec);
  const history: unknown[] = [];
  let committed: { value: unknown; text: string } = { value: structuredClone(spec), text: JSON.stringify(spec) };
  function commit(): void {
    const value = read();
    const text = JSON.stringify(value);
    if (text !== committed.text) {
      history.push(committed.value);
      committed = { value, text };
    }
    updateTools();
  }
  function updateTools(): void {
    undoButton.hidden = history.length === 0;
    resetButton.hidden = committed.text === JSON.stringify(scenarioValue);
    tools.hidden = undoButton.hidden && resetButton.hidden;
  }
  function restore(value: unknown): void {
    set(structuredClone(value));
    committed = { value: structuredClone(value), text: JSON.stringify(value) };
    updateTools();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  }
  undoButton.addEventListener("click", () => {
    if (history.length) restore(history.pop());
  });
  resetButton.addEventListener("click", () => {
    history.push(committed.value);
    restore(scenarioValue);
  });

  function set(spec: unknown): void {
    original = spec;
    form = formOf(spec);
    buildSelect();
    const values = typeof spec === "number" ? { value: spec } : spec !== null && typeof spec === "object" ? (spec as Record<string, unknown>) : { value: NaN };
    if (form === "asis" && (spec === null || typeof spec !== "object")) {
      // A missing or non-numeric entry: offer a fixed value to type.
      form = "fixed";
      buildSelect();
    }
    buildFields(values);
    const src = (spec !== null && typeof spec === "object" && typeof (spec as Record<string, unknown>).source === "string" ? (spec as { source: string }).source : undefined) ?? options.source;
    sourceLine.textContent = src ? `Source: ${src}` : "";
    sourceLine.title = src ?? "";
    sourceLine.hidden = !src;
    refresh();
  }

  select.addEventListener("input", () => {
    const next = select.value as Form;
    const before = read() as Spec;
    const values = next === form ? {} : next === "asis" ? {} : convert(before, form, next, kind);
    form = next;
    buildFields(next === "asis" ? {} : values);
    refresh();
    commit();
    // The select's own "input" event is still bubbling: containers read the new value.
  });
  fields.addEventListener("input", () => refresh());
  fields.addEventListener("change", () => commit());
  sourceLine.addEventListener("click", () => sourceLine.classList.toggle("param-source-open"));

  Object.defineProperty(root, "value", { get: read, set, enumerable: true });
  /** The schema's last messages for this number; what was typed, if unreadable, replaces them. */
  let schemaMessages: string[] = [];
  function showMessages(messages: string[]): void {
    problem.textContent = messages.join("; ");
    problem.hidden = messages.length === 0;
    problem.dataset.local = messages === schemaMessages ? "" : "yes";
    if (!problem.dataset.local) delete problem.dataset.local;
    root.classList.toggle("param-invalid", messages.length > 0);
    for (const input of Object.values(inputs)) input.toggleAttribute("aria-invalid", messages.length > 0);
  }
  root.setProblems = (messages: string[]) => {
    schemaMessages = [...new Set(messages.map((m) => readerMessage(m, kind)))];
    const local = typedProblem();
    // While what was typed is not a number, the schema's messages are about that: say it once, plainly.
    showMessages(local ? [local] : schemaMessages);
  };
  root.readerMessage = (message: string) => (typedProblem() || readerMessage(message, kind));
  root.refresh = refresh;
  set(spec);
  updateTools();
  return root;
}
