/**
 * The sourcing rule every scenario in data/scenarios must meet, as a function that lists what
 * breaks it (so a test can show the rule catches a figure without a source).
 *
 * 1. Every number the engine draws (every parameter slot of the compiled model) carries its
 *    own `source`: a citation, "derived: …" or "assumption: …". A `{ref}` to the parameter
 *    tables counts: it resolves to the row's source.
 * 2. Every other number (contract terms, cohort sizes, shares, baselines) lies inside an object
 *    with a `source` or a `note`, or is a `{ref}`. Simulation settings are exempt.
 * 3. A bare "assumption" or "derived" (no words after it) needs a `note` on an enclosing object
 *    that says what was assumed.
 * 4. A table row a source names (`placement-cost/sis-acute-2020`) must exist.
 */
import { compile, parseScenario } from "../../models/index.js";
import { figureIndex } from "../../models/figures/resolve.js";

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => x !== null && typeof x === "object" && !Array.isArray(x);
const EXEMPT = new Set(["$schema", "periodsPerYear", "simulation"]);

export function sourcingProblems(raw: Json): string[] {
  const problems: string[] = [];
  const parsed = parseScenario(raw);
  if (!parsed.ok) return parsed.problems.map((p) => `${p.path}: ${p.message}`);

  for (const slot of compile(parsed.scenario).params) {
    const spec = slot.spec;
    const src = isObject(spec) && typeof spec.source === "string" ? spec.source.trim() : "";
    if (!src) problems.push(`${slot.path}: a figure the model draws has no source`);
  }

  const index = figureIndex();
  const tables = new Set([...index.rows.keys()].map((k) => k.split("/")[0]!));
  const rowRefs = (text: string) =>
    [...text.matchAll(/\b([a-z][a-z-]*)\/([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])/g)].filter((m) => tables.has(m[1]!)).map((m) => m[0]);

  const visit = (node: unknown, path: string, covered: boolean, note: string): void => {
    if (typeof node === "number") {
      if (!covered) problems.push(`${path}: the number ${node} has no source or note around it`);
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${path}[${i}]`, covered, note));
    if (!isObject(node)) return;
    const source = typeof node.source === "string" ? node.source.trim() : "";
    const ownNote = typeof node.note === "string" ? node.note.trim() : "";
    const nearNote = ownNote || note;
    if (/^(assumption|derived)\s*:?\s*$/i.test(source) && !nearNote) problems.push(`${path}.source: "${source}" says what kind, not what: add a note`);
    for (const text of [source, ownNote]) for (const ref of rowRefs(text)) if (!index.rows.has(ref)) problems.push(`${path}: names ${ref}, which is not a table row`);
    const isRef = "ref" in node;
    for (const [k, v] of Object.entries(node)) {
      if (!path && EXEMPT.has(k)) continue;
      if (isRef && k !== "note") continue; // a reference's own fields are not figures
      visit(v, path ? `${path}.${k}` : k, covered || !!source || !!ownNote || isRef, nearNote);
    }
  };
  visit(raw, "", false, "");
  return [...new Set(problems)]; // a slot can appear twice (a state's cost doubles as its full cost)
}
