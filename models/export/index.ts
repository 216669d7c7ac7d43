/** Exports: per-trial results and the summary as CSV (in the reader's spreadsheet dialect) and JSON. */
export { csvDialect, csvNumber, csvText, toCsv, type CsvDialect, type Cell } from "./csv.js";
export { trialColumns, trialsCsv, trialsJson, trialUnit, type TrialColumns, type TrialsMeta } from "./trials.js";
export { summaryRows, summaryCsv, type SummaryRow } from "./summary.js";
