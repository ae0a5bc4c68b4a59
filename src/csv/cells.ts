import { CURRENCIES } from '../deals/currency.js';
import { restoreCell } from './formula.js';
import type { Target } from './headers.js';
import type { RefColumn } from './kinds.js';

/** One CSV row as operation input, before references are resolved and the operation is chosen. */
export interface RowInput {
  id?: string;
  fields: Record<string, unknown>;
  refs: { ref: RefColumn; value: string }[];
}

export class CellError extends Error {}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const JSON_LITERAL = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|".*"|\{.*\}|\[.*\])$/s;

/** tags as `a;b`, `a,b` or `a, b`. */
const splitTags = (cell: string) =>
  cell
    .split(/[;,]/)
    .map((tag) => tag.trim())
    .filter(Boolean);

/**
 * A custom value: JSON numbers, true/false/null, quoted strings, objects and arrays are read as
 * JSON (so `42` stays a number and `"42"` a string); anything else is text as written.
 */
function customValue(cell: string): unknown {
  const text = cell.trim();
  if (JSON_LITERAL.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return cell;
    }
  }
  return cell;
}

/** The cell as a custom value is written back: JSON unless plain text reads back as the same text. */
export function customCell(value: unknown): string {
  if (typeof value === 'string')
    return JSON_LITERAL.test(value.trim()) || value.trim() !== value ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * Reads one row's cells. An empty cell means "not given" (the record keeps its value), so a file
 * with fewer columns, or blanks, never clears anything. Values are passed on as text (numbers as
 * numbers) for the operation's own schema to validate and normalise.
 */
export function readRow(
  targets: readonly Target[],
  cells: readonly string[],
  integers: readonly string[],
): RowInput {
  const row: RowInput = { fields: {}, refs: [] };
  let amount: string | undefined;
  targets.forEach((target, i) => {
    // Undo the quote our exports put before formula-like cells (formula.ts): round trips are lossless.
    const cell = restoreCell(cells[i]?.trim() ?? '');
    if (cell === '' || target.type === 'skip') return;
    switch (target.type) {
      case 'id':
        row.id = cell;
        return;
      case 'ref':
        row.refs.push({ ref: target.ref, value: cell });
        return;
      case 'custom':
        row.fields.custom = { ...(row.fields.custom as object), [target.key]: customValue(cell) };
        return;
      case 'amount':
        amount = cell;
        return;
      case 'field':
        row.fields[target.name] = fieldValue(target.name, cell, integers);
    }
  });
  if (amount !== undefined && row.fields.amount_cents === undefined) {
    row.fields.amount_cents = minorUnits(amount, row.fields.currency);
  }
  return row;
}

function fieldValue(name: string, cell: string, integers: readonly string[]): unknown {
  if (name === 'tags') return splitTags(cell);
  if (integers.includes(name)) return /^-?\d+$/.test(cell) ? Number(cell) : cell;
  // Spreadsheets write dates without a time: midnight UTC.
  if (name.endsWith('_at') && DATE_ONLY.test(cell)) return `${cell}T00:00:00Z`;
  return cell;
}

/** `1250.50` USD → 125050; `1000` JPY → 1000. Thousands separators are refused rather than guessed. */
function minorUnits(amount: string, currency: unknown): number {
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : undefined;
  const digits = code === undefined ? undefined : CURRENCIES[code];
  if (digits === undefined) {
    throw new CellError('amount: needs a currency column with an ISO 4217 code to convert it to minor units');
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match || (match[2]?.length ?? 0) > digits) {
    throw new CellError(
      `amount: "${amount}" is not an amount in ${code} (digits, and up to ${digits} decimals)`,
    );
  }
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}
