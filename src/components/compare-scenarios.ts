/**
 * "Scenarios side by side" on the Negotiation page: saved scenario files read and checked in the
 * page (so a bad file is named at the input at once, before any run), and the key figures table.
 */
import type { Comparison } from "../models/index.js";
import { PARTY_NAMES, type FigureKind } from "../models/analysis/compare.js";
import { formatsFor } from "../models/format.js";
import { parseScenario } from "../models/scenario/parse.js";
import { readScenarioFile } from "./explorer-files.js";
import { h, type PageFormat } from "./negotiation.js";

/**
 * A key figure on this English page: English conventions in each scenario's own currency
 * (`−1.9 MSEK`, `−£1.1M`, `5.9%`, `0.93`), as models/analysis/compare.ts formatKeyFigure writes
 * them for the CLI in the currency's own locale.
 */
export function keyFigure(kind: FigureKind, v: number | null, currency: string): string {
  const en = formatsFor("en", currency);
  return kind === "money" ? en.millions(v) : kind === "multiple" ? en.number(v, 2) : kind === "rate" ? en.percent(v, 1) : en.chance(v);
}

/** The compared figures' names are shared with the CLI ("value at risk (95 %)"); this page writes "95%". */
const englishPercent = (label: string) => label.replace(/(\d) %/g, "$1%");

export interface Named {
  name: string;
  scenario: unknown;
}

/** At most this many problems are listed for one file. */
const SHOWN_PROBLEMS = 3;

/** The chosen files as scenarios, and for each file that is not one, a message naming it and what is wrong. */
export async function readCompareFiles(files: readonly File[] | null): Promise<{ scenarios: Named[]; errors: string[] }> {
  const scenarios: Named[] = [], errors: string[] = [];
  for (const file of files ?? []) {
    const read = await readScenarioFile(file);
    if (!read.ok) {
      errors.push(read.message.replace(/ Nothing was changed\.$/, ""));
      continue;
    }
    const parsed = parseScenario(read.json);
    if (!parsed.ok) {
      const shown = parsed.problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.path}: ${p.message}`).join("; ");
      const more = parsed.problems.length > SHOWN_PROBLEMS ? ` (and ${parsed.problems.length - SHOWN_PROBLEMS} more)` : "";
      errors.push(`${file.name} is not a valid scenario: ${shown}${more}`);
      continue;
    }
    scenarios.push({ name: file.name, scenario: read.json });
  }
  return { scenarios, errors };
}

/** The key figures of each scenario side by side, in each scenario's own currency. */
export function compareTable(c: Comparison, f: PageFormat): HTMLElement {
  return h("div", null,
    h("table", { class: "wide", id: "compare-table" },
      h("thead", null, h("tr", null, h("th", null, "Figure"), c.scenarios.map((s) => h("th", { class: "num" }, s.name)))),
      h("tbody", null, c.rows.map((r) => h("tr", null, h("td", null, `${PARTY_NAMES[r.party]}: ${englishPercent(r.label)}`),
        r.values.map((v, i) => h("td", { class: "num" }, keyFigure(r.kind, v, c.scenarios[i]!.currency))))))),
    h("p", { class: "caption" }, `${f.num(c.scenarios[0]?.trials)} trials each, seed ${c.scenarios[0]?.seed}; money in each scenario's own currency, undiscounted.`));
}
