/**
 * What the CLI prints comes partly from the user's files (a scenario's name, its seed, an id, a
 * file name, a JSON parser's quote of the text): a control character there could move the
 * cursor, clear the screen or retitle the terminal. Every such character is shown escaped.
 */

/** C0 controls except tab and newline, DEL, and the C1 range (U+0080–U+009F). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, "0");

/** Text for a terminal: each control character becomes `\xNN`. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${hex(c)}`);
}

/**
 * CSV text for a terminal or a file: the CRLF line ends the CSV writer puts between rows (for
 * Excel) are kept, every other control character becomes `\xNN`, as in `printable`. A CR from
 * the input is followed by something other than LF (the writer quotes such a cell, so it ends
 * in `"`), so it is escaped; a CRLF inside a quoted cell is kept, as Excel reads it.
 */
export function printableCsv(text: string): string {
  return text.replace(/\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => (c === "\r\n" ? c : `\\x${hex(c)}`));
}

/**
 * JSON text for a terminal: JSON.stringify escapes C0 controls already; DEL and C1 become
 * `\u00NN` escapes, so the JSON still parses to the same strings.
 */
export function printableJson(text: string): string {
  return text.replace(/[\u007f-\u009f]/g, (c) => `\\u00${hex(c)}`);
}
