/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet that opens our CSV runs a cell
 * beginning with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), and tab
 * or carriage return can smuggle one past a first-character check. Every such cell we write gets a
 * leading `'`, which spreadsheets read as "this is text".
 *
 * Two exceptions keep data intact:
 * - A plain number (`-5`, `+15550100`, `-1.5e3`) stays as it is: it cannot hold a formula, and the
 *   quote would turn a number into text.
 * - Cells that already begin with quotes before a trigger (`'=x`) get one more, so the import can
 *   remove exactly one and an export → import round trip gives back every value unchanged.
 */
const TRIGGER = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The cell as written to a CSV file: quoted when a spreadsheet would run it. */
export function neutraliseCell(cell: string): string {
  return TRIGGER.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The inverse, for cells read from a CSV file: one protective quote before a trigger is dropped. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && TRIGGER.test(cell.slice(1)) ? cell.slice(1) : cell;
}
