/**
 * CSV that a spreadsheet opens as numbers in its reader's locale. Swedish Excel (and German,
 * Norwegian, Danish) splits on semicolons and reads a decimal comma; British and American Excel
 * split on commas and read a decimal point. Pure: the CLI, the pages and the tests share it.
 */
import { dsvFormat } from "d3-dsv";
import { formatLocale } from "d3-format";

export interface CsvDialect {
  /** The BCP 47 locale the dialect was chosen for, e.g. "sv-SE". */
  readonly locale: string;
  readonly delimiter: ";" | ",";
  readonly decimal: "," | ".";
}

/** The dialect of a locale: a decimal comma goes with semicolons (Excel's list separator there). */
export function csvDialect(locale: string): CsvDialect {
  // Throws a RangeError for a malformed tag; the CLI reports it as bad input.
  const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
  const decimal = parts.find((p) => p.type === "decimal")?.value === "," ? "," : ".";
  return { locale, decimal, delimiter: decimal === "," ? ";" : "," };
}

const numberFormats = new Map<string, (x: number) => string>();

/**
 * A number as a spreadsheet reads it: 15 significant digits (all Excel keeps), plain decimal
 * notation (no exponent, no grouping), ASCII minus (Intl and d3 write U+2212, which Excel takes
 * for text). Not finite (a trial without an IRR) → an empty cell.
 */
export function csvNumber(x: number | null | undefined, dialect: CsvDialect): string {
  if (x == null || !Number.isFinite(x)) return "";
  let f = numberFormats.get(dialect.decimal);
  if (!f) {
    f = formatLocale({ decimal: dialect.decimal, thousands: "", grouping: [3], currency: ["", ""], minus: "-" }).format(".15~r");
    numberFormats.set(dialect.decimal, f);
  }
  return f(x === 0 ? 0 : x); // no "-0"
}

/** Text a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe. */
export function csvText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export type Cell = number | string | null | undefined;

/**
 * A header and rows as CSV text in the dialect, with a UTF-8 byte-order mark so that Excel
 * reads å, ä, ö and £ as UTF-8 rather than the system code page. Lines end in CRLF, as RFC 4180.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[], dialect: CsvDialect): string {
  const cell = (c: Cell) => (typeof c === "string" ? csvText(c) : csvNumber(c, dialect));
  const text = dsvFormat(dialect.delimiter).formatRows([header.map(csvText), ...rows.map((r) => r.map(cell))]);
  return "\ufeff" + text.replace(/\n/g, "\r\n") + "\r\n";
}
