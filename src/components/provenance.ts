/**
 * Where a page's scenario comes from: a built-in scenario as shipped, one edited from it (and
 * what changed, field by field, by label), or a scenario of the user's own. The parties' pages
 * and Politikerunderlag say "edited from Norrköping 2016" (Swedish: "ändrat från …") so a reader
 * never takes an edited run for the published case. Also a short check code for a run's state,
 * printed on paper where the whole link would not fit.
 */
import { formatNumber } from "../models/format.js";
import { describePath } from "../models/analysis/labels.js";

export interface Change {
  /** JSON path, e.g. `population.cohorts[0].size`. */
  path: string;
  /** The path by labels, e.g. `population › Team Nystart 2016 › size`. */
  label: string;
  from: string;
  to: string;
}

export interface Provenance {
  /** The built-in scenario's name it was matched to, or null for a scenario of the user's own. */
  base: string | null;
  edited: boolean;
  changes: Change[];
}

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

// Fields that document a scenario rather than change its numbers are still compared (an edited
// note is an edit), but these words name a few common fields in Swedish for the briefing.
const SV: Record<string, string> = {
  population: "målgrupp",
  cohorts: "grupp",
  size: "antal",
  startPeriod: "startkvartal",
  contract: "avtal",
  rules: "regel",
  share: "andel",
  cap: "tak",
  totalCap: "totalt tak",
  capital: "kapital",
  amount: "belopp",
  outcomes: "utfall",
  states: "tillstånd",
  costPerDay: "kostnad per dygn",
  intervention: "insats",
  effects: "effekt",
  valuation: "värdering",
  discountRate: "kalkylränta",
  measurement: "mätning",
  name: "namn",
  currency: "valuta",
  simulation: "simulering",
};

/** `costPerDay` → `cost per day`. */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();

function itemName(item: Json, key: string, i: number, lang: "en" | "sv"): string {
  if (isObj(item)) {
    const n = item.label ?? item.name ?? item.id;
    if (typeof n === "string" && n) return n;
  }
  return `${lang === "sv" ? (SV[key] ?? words(key)) : words(key)} ${i + 1}`;
}

function show(v: Json, lang: "en" | "sv"): string {
  const locale = lang === "sv" ? "sv-SE" : "en-GB";
  if (v === undefined) return lang === "sv" ? "(inget)" : "(none)";
  if (typeof v === "number") return formatNumber(v, locale, Number.isInteger(v) ? 0 : Math.min(6, Math.max(1, -Math.floor(Math.log10(Math.abs(v) || 1)) + 2)));
  if (typeof v === "string") return v.length > 40 ? `“${v.slice(0, 37)}…”` : `“${v}”`;
  if (typeof v === "boolean") return lang === "sv" ? (v ? "ja" : "nej") : String(v);
  const text = JSON.stringify(v);
  return text.length > 40 ? text.slice(0, 37) + "…" : text;
}

function diff(a: Json, b: Json, path: string, label: string[], lang: "en" | "sv", out: Change[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = /([A-Za-z]+)$/.exec(path)?.[1] ?? "";
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff(a[i], b[i], `${path}[${i}]`, [...label, itemName(b[i] ?? a[i], key, i, lang)], lang, out);
    return;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (k === "$schema") continue;
      // A list's items are named by their own labels: "Team Nystart 2016", not "cohorts › Team Nystart 2016".
      const named = Array.isArray(b[k] ?? a[k]) && LISTS.includes(k);
      diff(a[k], b[k], path ? `${path}.${k}` : k, named ? label : [...label, SV[k] ?? words(k)], lang, out);
    }
    return;
  }
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return;
  out.push({ path, label: label.join(" › "), from: show(a, lang), to: show(b, lang) });
}

// The lists models/analysis/labels.ts names by their items (its describePath gives the English labels).
const LISTS = ["outcomes", "states", "transitions", "effects", "cohorts", "rules"];

function labelled(changes: Change[], scenario: Json, lang: "en" | "sv"): Change[] {
  if (lang === "sv") return changes;
  return changes.map((c) => {
    let label = c.label;
    try {
      label = describePath(scenario, c.path);
    } catch {
      // A path the edited scenario no longer has (a removed item): keep the chain of keys.
    }
    return { ...c, label: label === c.path ? c.label : label };
  });
}

/**
 * Compares a scenario with the built-in scenarios: the one of the same name is its base (or,
 * when the name was edited too, the one with the fewest differing fields, if fewer than 40).
 */
export function provenance(scenario: Json, builtins: readonly Json[], lang: "en" | "sv" = "en"): Provenance {
  const name = isObj(scenario) ? scenario.name : undefined;
  const changesTo = (b: Json) => {
    const out: Change[] = [];
    diff(b, scenario, "", [], lang, out);
    return labelled(out, scenario, lang);
  };
  const same = builtins.find((b) => isObj(b) && b.name === name);
  if (same) {
    const changes = changesTo(same);
    return { base: String(name), edited: changes.length > 0, changes };
  }
  let best: { base: string; changes: Change[] } | null = null;
  for (const b of builtins) {
    if (!isObj(b)) continue;
    const changes = changesTo(b);
    if (changes.length < 40 && (!best || changes.length < best.changes.length)) best = { base: String(b.name), changes };
  }
  return best ? { base: best.base, edited: true, changes: best.changes } : { base: null, edited: false, changes: [] };
}

/** "size 60 → 200; …", at most `max` changes and how many more. */
export function describeChanges(p: Provenance, lang: "en" | "sv" = "en", max = 6): string {
  const shown = p.changes.slice(0, max).map((c) => `${c.label}: ${c.from} → ${c.to}`);
  const more = p.changes.length - shown.length;
  if (more > 0) shown.push(lang === "sv" ? `och ${more} ändringar till` : `and ${more} more`);
  return shown.join("; ");
}

/**
 * A short code for a run's state (scenario, trials, seed): the first 8 hex digits of the SHA-256
 * of its link fragment, as `3F9A-12BC`. A printout carries it where the link would not fit; the
 * page shows the same code, so a reader can check a link gives the printed figures.
 */
export async function checkCode(fragment: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(fragment)));
  const hex = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/** The scenario's name for a page's heading line: "Norrköping 2016", or "edited from Norrköping 2016" / "ändrat från …". */
export function scenarioTitle(name: string, p: Provenance, lang: "en" | "sv" = "en"): string {
  if (!p.edited || p.base == null) return name;
  const from = lang === "sv" ? `ändrat från ${p.base}` : `edited from ${p.base}`;
  return name === p.base ? from : `${name} (${from})`;
}

/** A notice listing what changed, or null for a built-in scenario as shipped. */
export function editedNotice(p: Provenance, lang: "en" | "sv" = "en"): HTMLElement | null {
  if (!p.edited || p.base == null) return null;
  const box = document.createElement("p");
  box.className = "edited-note";
  const head = document.createElement("b");
  head.textContent = lang === "sv"
    ? `Scenariot är ändrat från ${p.base} (${p.changes.length === 1 ? "en ändring" : `${p.changes.length} ändringar`}): `
    : `This scenario is edited from ${p.base} (${p.changes.length} change${p.changes.length === 1 ? "" : "s"}): `;
  box.append(head, describeChanges(p, lang));
  return box;
}
