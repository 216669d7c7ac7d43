/**
 * Reads CSV text the way a spreadsheet in a given locale opens a double-clicked .csv file,
 * independently of the export code: a UTF-8 byte-order mark makes it read UTF-8; it splits on
 * the locale's list separator (`;` in Swedish Excel, `,` in British); a cell is a number only if
 * it is an optional ASCII "-", digits and an optional decimal part with the locale's decimal
 * separator (anything else, e.g. a U+2212 minus or a "kr" suffix, stays text).
 */
import { dsvFormat } from "d3-dsv";

export type SheetCell = number | string | null;

export function readAsExcel(text: string, locale: "sv-SE" | "en-GB"): { utf8: boolean; rows: SheetCell[][] } {
  const utf8 = text.startsWith("\ufeff");
  const body = utf8 ? text.slice(1) : text;
  const [separator, decimal] = locale === "sv-SE" ? [";", ","] : [",", "."];
  const number = new RegExp(`^-?\\d+(\\${decimal}\\d+)?$`);
  const rows = dsvFormat(separator)
    .parseRows(body.replace(/\r\n/g, "\n").replace(/\n$/, ""))
    .map((row) => row.map((c): SheetCell => (c === "" ? null : number.test(c) ? Number(c.replace(decimal, ".")) : c)));
  return { utf8, rows };
}

/** Rows under a header as objects keyed by the header's cells. */
export function records(rows: SheetCell[][]): Record<string, SheetCell>[] {
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [String(h), r[i] ?? null])));
}
