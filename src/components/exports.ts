/**
 * Download buttons for a page's run: the summary and the per-trial results as CSV (in the
 * spreadsheet dialect of the scenario's currency: semicolons and decimal comma for kronor) and
 * JSON, the scenario file, and a link that reproduces the view. The files come from the same
 * models/export code as `utfall run --csv` and `--out`, so they hold the same numbers.
 */
import { csvDialect, summaryCsv, trialsCsv, trialsJson } from "../models/export/index.js";
import { localeOf } from "../models/format.js";
import { fileStem, scenarioBlob } from "./explorer-files.js";
import type { PageRun } from "./scenario-run.js";
import { encodeState } from "./state.js";

const LABELS = {
  en: {
    heading: "Download",
    summaryCsv: "Summary (CSV for Excel)",
    summaryJson: "Summary (JSON)",
    trialsCsv: "Every trial (CSV for Excel)",
    trialsJson: "Every trial (JSON)",
    scenario: "Scenario file",
    link: "Link to this view",
    copy: "Copy the link",
    copied: "Link copied",
    suffix: { summary: "summary", trials: "trials" },
  },
  sv: {
    heading: "Ladda ner",
    summaryCsv: "Sammanfattning (CSV för Excel)",
    summaryJson: "Sammanfattning (JSON)",
    trialsCsv: "Alla simuleringar (CSV för Excel)",
    trialsJson: "Alla simuleringar (JSON)",
    scenario: "Scenariofil",
    link: "Länk till den här vyn",
    copy: "Kopiera länken",
    copied: "Länken är kopierad",
    suffix: { summary: "sammanfattning", trials: "simuleringar" },
  },
};

function save(filename: string, content: string | Blob, type: string): void {
  const url = URL.createObjectURL(typeof content === "string" ? new Blob([content], { type }) : content);
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The page's URL carrying this run's scenario, trials and seed (`#s=…`). */
export async function linkToRun(pageRun: PageRun): Promise<string> {
  const fragment = await encodeState({ scenario: pageRun.raw, trials: pageRun.trials, seed: pageRun.seed });
  return location.origin + location.pathname + "#" + fragment;
}

/** A row of download buttons; hidden when printed. */
export function exportBar(pageRun: PageRun, lang: "en" | "sv" = "en"): HTMLElement {
  const t = LABELS[lang];
  const { result } = pageRun;
  const s = result.summary;
  const dialect = csvDialect(localeOf(s.currency));
  const stem = fileStem(s.scenario);
  const csv = "text/csv;charset=utf-8", json = "application/json";
  const button = (label: string, name: string, onclick: () => void) => {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: label, onclick });
    b.dataset.export = name;
    return b;
  };
  const status = Object.assign(document.createElement("span"), { className: "export-status" });
  status.setAttribute("role", "status");
  const link = Object.assign(document.createElement("a"), { className: "export-link", href: "#", textContent: t.link });
  void linkToRun(pageRun).then((url) => (link.href = url));
  const bar = document.createElement("div");
  bar.className = "export-bar no-print";
  bar.append(
    Object.assign(document.createElement("span"), { className: "export-heading", textContent: `${t.heading}:` }),
    button(t.summaryCsv, "summary-csv", () => save(`${stem}-${t.suffix.summary}.csv`, summaryCsv(s, dialect), csv)),
    button(t.summaryJson, "summary-json", () => save(`${stem}-${t.suffix.summary}.json`, JSON.stringify(s, null, 2) + "\n", json)),
    button(t.trialsCsv, "trials-csv", () => save(`${stem}-${t.suffix.trials}.csv`, trialsCsv(result.columns, dialect), csv)),
    button(t.trialsJson, "trials-json", () => save(`${stem}-${t.suffix.trials}.json`, trialsJson(result.columns, s) + "\n", json)),
    button(t.scenario, "scenario", () => save(`${stem}.json`, scenarioBlob(pageRun.raw), json)),
    link,
    // Words, not a ⧉ glyph: the system fonts a municipal PC has may not draw it.
    button(t.copy, "copy-link", () => {
      void navigator.clipboard?.writeText(link.href).then(() => (status.textContent = t.copied), () => undefined);
    }),
    status,
  );
  return bar;
}
