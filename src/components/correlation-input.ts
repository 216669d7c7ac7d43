/**
 * The explorer's editor of correlated inputs (issue 15 §1): a list of pairs of uncertain inputs,
 * each with a rank correlation from −1 to 1, rows added and removed. Its value is the scenario's
 * `correlations` (undefined when the list is empty, so a scenario without them is unchanged),
 * which it gives the scenario editor through `addExtra`; every change is an "input" event on the
 * editor, so the page re-parses and re-runs as for any other figure. Problems with the pairs
 * (an input with itself, a pair twice, a rank beyond ±1, ranks that cannot hold together) are
 * shown at the row they name; the page's runner keeps the last good result meanwhile.
 */
import { compile, describePath, parseScenario } from "../models/index.js";
import type { ScenarioEditor } from "./explorer-form.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

interface Row {
  readonly box: HTMLElement;
  readonly a: HTMLSelectElement;
  readonly b: HTMLSelectElement;
  readonly rank: HTMLInputElement;
  readonly problem: HTMLElement;
  /** The pair's other fields (source, note), kept as loaded. */
  readonly rest: Obj;
}

export interface CorrelationInputElement extends HTMLElement {
  /** The scenario's `correlations`, or undefined when there are none. */
  readonly value: unknown;
  /** Inputs the selects offer: the scenario's uncertain inputs, by path. */
  readonly choices: readonly string[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The uncertain inputs of a scenario that parses (the engine's own draw of termination timing left out). */
function uncertainPaths(json: unknown): string[] | null {
  const parsed = parseScenario(isObj(json) ? { ...json, correlations: undefined } : json);
  if (!parsed.ok) return null;
  return compile(parsed.scenario).params.filter((p) => p.uncertain && p.path !== "contract.termination.draw").map((p) => p.path);
}

export function correlationInput(editor: ScenarioEditor): CorrelationInputElement {
  const start = editor.value;
  const stated = isObj(start) && Array.isArray(start.correlations) ? start.correlations.filter(isObj) : [];
  let choices = uncertainPaths(start) ?? [];
  const label = (path: string) => describePath(editor.value, path);

  const root = el("fieldset", { class: "correlation-input", "data-path": "correlations" }) as unknown as CorrelationInputElement & HTMLFieldSetElement;
  root.append(
    el("legend", {}, "Correlated inputs"),
    el("p", { class: "param-hint" }, "Uncertain inputs that move together, by rank correlation (Spearman, −1 to 1). Each input keeps its own distribution; pairs not listed are independent."),
  );
  const general = el("div", { class: "param-problem", role: "alert" });
  general.hidden = true;
  const list = el("div", { class: "correlation-rows" });
  const add = el("button", { type: "button", class: "correlation-add" }, "Add a correlation");
  root.append(list, general, add);
  const rows: Row[] = [];

  const fillSelect = (select: HTMLSelectElement, value: string) => {
    const paths = choices.includes(value) || !value ? choices : [value, ...choices];
    select.replaceChildren(...paths.map((p) => el("option", { value: p }, choices.includes(p) ? label(p) : `${p} (not an uncertain input)`)));
    select.value = value;
  };
  const changed = () => editor.dispatchEvent(new Event("input", { bubbles: true }));

  const addRow = (c: Obj) => {
    const n = rows.length + 1;
    const between = Array.isArray(c.between) ? c.between : [];
    const a = el("select", { "aria-label": `Correlation ${n}: first input`, name: "correlation-a" });
    const b = el("select", { "aria-label": `Correlation ${n}: second input`, name: "correlation-b" });
    fillSelect(a, typeof between[0] === "string" ? between[0] : choices[0] ?? "");
    fillSelect(b, typeof between[1] === "string" ? between[1] : choices[1] ?? choices[0] ?? "");
    const rank = el("input", { type: "number", min: "-1", max: "1", step: "0.05", name: "correlation-rank", "aria-label": `Correlation ${n}: rank correlation` });
    rank.value = typeof c.rank === "number" ? String(c.rank) : "0.5";
    const remove = el("button", { type: "button", class: "correlation-remove", "aria-label": `Remove correlation ${n}` }, "Remove");
    const problem = el("div", { class: "param-problem", role: "alert" });
    problem.hidden = true;
    const { between: _b, rank: _r, ...rest } = c;
    const box = el("div", { class: "correlation-row" }, a, el("span", { class: "correlation-with" }, "with"), b, el("span", {}), el("label", { class: "correlation-rank" }, "rank correlation", rank), remove, problem);
    const row: Row = { box, a, b, rank, problem, rest };
    remove.addEventListener("click", () => {
      rows.splice(rows.indexOf(row), 1);
      box.remove();
      changed();
    });
    for (const input of [a, b, rank]) input.addEventListener("input", (e) => (e.stopPropagation(), changed()));
    rows.push(row);
    list.append(box);
  };
  stated.forEach(addRow);
  add.addEventListener("click", () => {
    addRow({});
    changed();
  });

  const readRank = (text: string): unknown => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);
  Object.defineProperty(root, "value", {
    get: () => (rows.length ? rows.map((r) => ({ between: [r.a.value, r.b.value], rank: readRank(r.rank.value), ...r.rest })) : undefined),
    enumerable: true,
  });
  Object.defineProperty(root, "choices", { get: () => choices });
  editor.addExtra({ section: "correlations", segments: ["correlations"], element: root, label: "Correlated inputs" });

  // Problems at their rows, after every change anywhere in the scenario (an input made fixed
  // leaves the list of choices). The figures keep the last good run meanwhile.
  const check = () => {
    const json = editor.value;
    const paths = uncertainPaths(json);
    if (paths && paths.join("\n") !== choices.join("\n")) {
      choices = paths;
      for (const r of rows) (fillSelect(r.a, r.a.value), fillSelect(r.b, r.b.value));
    }
    const parsed = parseScenario(json);
    const problems = parsed.ok ? [] : parsed.problems.filter((p) => p.path === "correlations" || p.path.startsWith("correlations["));
    const at = new Map<number, string[]>();
    const other: string[] = [];
    // The engine names inputs by path; the page by their names.
    const readable = (text: string) => choices.reduce((t, path) => t.split(path).join(`“${label(path)}”`), text);
    for (const p of problems.map((q) => ({ ...q, message: readable(q.message) }))) {
      const m = /^correlations\[(\d+)\](?:\.(\w+))?/.exec(p.path);
      const i = m ? Number(m[1]) : -1;
      if (i >= 0 && i < rows.length) at.set(i, [...(at.get(i) ?? []), m?.[2] === "rank" || !m?.[2] ? p.message : `${m[2]}: ${p.message}`]);
      else other.push(p.message);
    }
    rows.forEach((r, i) => {
      const messages = at.get(i) ?? [];
      r.problem.textContent = messages.join("; ");
      r.problem.hidden = messages.length === 0;
      r.box.classList.toggle("param-invalid", messages.length > 0);
      r.rank.toggleAttribute("aria-invalid", messages.length > 0);
    });
    general.textContent = other.join("; ");
    general.hidden = other.length === 0;
  };
  editor.addEventListener("input", check);
  check();
  return root;
}
