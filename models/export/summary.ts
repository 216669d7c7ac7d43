/**
 * The run summary as a flat table, one figure a row: a spreadsheet-friendly form of the JSON
 * `utfall run --json` prints. A distribution fills mean…p95; a single number fills `value`.
 */
import type { Dist } from "../summary/dist.js";
import type { Summary } from "../summary/summarize.js";
import { currencySymbol } from "../format.js";
import { toCsv, type CsvDialect } from "./csv.js";

export interface SummaryRow {
  /** Dotted path into the summary JSON; array entries by name: `contract.paymentsByRule[savings].payments`, years from 1. */
  figure: string;
  /** The currency's symbol (kr, £), "share", "per year", "multiple", "relative change", "trials" or "period". */
  unit: string;
  value: number | null;
  dist: Dist | null;
}

const DIST_KEYS = ["mean", "p5", "p25", "p50", "p75", "p95"] as const;

function isDist(x: unknown): x is Dist {
  return typeof x === "object" && x !== null && DIST_KEYS.every((k) => typeof (x as Record<string, unknown>)[k] === "number");
}

function unitOf(path: string, currency: string): string {
  const leaf = path.slice(path.lastIndexOf(".") + 1);
  if (/^(prob|chance)|irrDefined/.test(leaf)) return "share";
  if (leaf === "irr" || leaf === "mirr" || leaf === "irrOfExpectedFlows" || /Rate$/.test(leaf) || /lendingRate\./.test(path)) return "per year";
  if (leaf === "trialsWithoutIrr") return "trials";
  if (leaf === "repayPeriod") return "period";
  if (leaf === "multiple") return "multiple";
  if (/Effect$/.test(leaf)) return "relative change";
  return currencySymbol(currency);
}

/** Every figure of the summary, in the summary's own order. */
export function summaryRows(s: Summary): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const visit = (x: unknown, path: string) => {
    if (x === null || isDist(x)) {
      rows.push({ figure: path, unit: unitOf(path, s.currency), value: null, dist: x });
    } else if (typeof x === "number") {
      rows.push({ figure: path, unit: unitOf(path, s.currency), value: x, dist: null });
    } else if (Array.isArray(x)) {
      x.forEach((item, i) => {
        // Rules and effects are named by their id; years are counted from 1.
        if (typeof item === "object" && item !== null && !isDist(item)) {
          const named = item as { rule?: string; measure?: string; perspective?: string };
          const name = named.rule ?? named.measure ?? named.perspective ?? String(i);
          for (const [k, v] of Object.entries(item)) if (k !== "rule" && k !== "measure" && k !== "kind" && k !== "perspective") visit(v, `${path}[${name}].${k}`);
        } else visit(item, `${path}[${i + 1}]`);
      });
    } else if (typeof x === "object") {
      for (const [k, v] of Object.entries(x)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  const { scenario: _name, seed: _seed, currency: _currency, trials: _trials, ...figures } = s;
  visit(figures, "");
  return rows;
}

/**
 * The table `figure;unit;value;mean;p5;p25;p50;p75;p95` (with commas in a decimal-point locale),
 * starting with four rows that name the run: scenario, trials, seed, currency.
 */
export function summaryCsv(s: Summary, dialect: CsvDialect): string {
  const rows = summaryRows(s).map((r) => [r.figure, r.unit, r.value, ...DIST_KEYS.map((k) => r.dist?.[k])]);
  return toCsv(["figure", "unit", "value", ...DIST_KEYS], [
    ["scenario", "", s.scenario],
    ["trials", "", s.trials],
    ["seed", "", s.seed],
    ["currency", "", s.currency],
    ...rows,
  ], dialect);
}
