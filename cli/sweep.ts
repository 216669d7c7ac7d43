/** Output of `utfall sweep`: a readable grid, or CSV with one row per cell. */
import { toCsv, type CsvDialect } from "../models/export/csv.js";
import { formatMoney, formatNumber, formatPercent, localeOf } from "../models/format.js";
import type { Cell, SweepResult } from "../models/index.js";
import { align } from "./table.js";

/** Flat columns: the varied paths, then each party's figures. */
function flat(cell: Cell): Record<string, number | null> {
  const row: Record<string, number | null> = { ...cell.at };
  for (const [party, figures] of Object.entries({ financier: cell.financier, payer: cell.payer, contract: cell.contract, society: cell.society })) {
    for (const [k, v] of Object.entries(figures)) row[`${party}.${k}`] = v;
  }
  return row;
}

/**
 * CSV with a header row, in the project's dialect (models/export/csv.ts: the locale's delimiter
 * and decimal mark, 15 significant digits, a byte-order mark, CRLF); missing values empty.
 */
export function sweepCsv(r: SweepResult, dialect: CsvDialect): string {
  const rows = r.cells.map(flat);
  const header = Object.keys(rows[0] ?? {});
  return toCsv(header, rows.map((row) => header.map((k) => row[k])), dialect);
}

export function renderSweep(r: SweepResult): string {
  const currency = r.currency;
  const locale = localeOf(currency);
  const pct = (x: number | null) => formatPercent(x, locale);
  const header = [
    ...r.vary.map((v) => v.path),
    "IRR of E[flows]/yr",
    "median IRR/yr",
    "E[NPV] financier",
    "P(loss)",
    "payer pays (mean)",
    "payer net (mean)",
    "P(pay for nothing)",
    "P(missed success)",
  ];
  const rows = r.cells.map((c) => [
    ...r.vary.map((v) => formatNumber(c.at[v.path], locale, 3)),
    pct(c.financier.irrOfExpectedFlows),
    pct(c.financier.medianIrr),
    formatMoney(c.financier.expectedNpv, currency, locale),
    pct(c.financier.probLoss),
    formatMoney(c.payer.meanPayments, currency, locale),
    formatMoney(c.payer.meanNet, currency, locale),
    pct(c.payer.probPayForNothing),
    pct(c.contract.probMissedSuccess),
  ]);
  const how = r.commonOutcomes ? "every cell evaluated on the same simulated outcomes" : "each cell simulated from the same seed";
  return [`${r.scenario}: sweep of ${r.cells.length} cells, ${formatNumber(r.trials, locale)} trials, seed ${r.seed}; amounts in ${currency}; ${how}`, "", align([header, ...rows], 0, "  ")].join("\n");
}
