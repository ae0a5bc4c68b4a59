import { AMOUNT_COLUMN, type CsvKindSpec, exportColumns, type RefColumn } from './kinds.js';

/** Where one CSV column goes. */
export type Target =
  | { type: 'id' }
  | { type: 'field'; name: string }
  | { type: 'ref'; ref: RefColumn }
  | { type: 'custom'; key: string }
  | { type: 'amount' }
  | { type: 'skip' };

export interface HeaderMapping {
  /** One target per column, in column order. */
  targets: Target[];
  /** Columns nobody asked for and no rule matched: left out, with a warning. */
  unknown: string[];
}

/** Columns that exports or reject reports write and imports deliberately leave alone. */
const ALWAYS_SKIPPED = ['handle', 'deleted_refs', 'import_row', 'import_error'];
/** The columns a rejects file adds in front of the original ones. */
export const REJECT_COLUMNS = ['import_row', 'import_error'] as const;
const SKIP_WORDS = ['skip', 'ignore', '-'];
const CUSTOM_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export class HeaderError extends Error {}

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `"Full Name=name,E-mail=email"` (repeatable) → header → column. */
export function parseMap(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    for (const pair of value.split(',')) {
      if (!pair.trim()) continue;
      const at = pair.lastIndexOf('=');
      if (at <= 0 || at === pair.length - 1) {
        throw new HeaderError(
          `--map takes "CSV header=column" pairs separated by commas, not "${pair.trim()}"`,
        );
      }
      map.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  return map;
}

/** The target a column name stands for (a field, id, a reference column, custom.<key>, …), if any. */
function targetNamed(spec: CsvKindSpec, name: string): Target | undefined {
  const customKey = /^custom[._](.+)$/i.exec(name.trim())?.[1];
  if (customKey !== undefined) {
    if (!CUSTOM_KEY.test(customKey)) {
      throw new HeaderError(
        `"${name}": custom field keys are letters, digits, _ and - (at most 64), e.g. custom.lead_source`,
      );
    }
    return { type: 'custom', key: customKey };
  }
  const key = normalise(name);
  if (SKIP_WORDS.includes(name.trim().toLowerCase())) return { type: 'skip' };
  if (key === 'id') return { type: 'id' };
  const field = spec.fields.find((f) => normalise(f) === key);
  if (field) return { type: 'field', name: field };
  const ref = spec.refs.find((r) => normalise(r.column) === key);
  if (ref) return { type: 'ref', ref };
  if (spec.integers.includes('amount_cents') && key === AMOUNT_COLUMN) return { type: 'amount' };
  if ([...spec.readOnly, ...ALWAYS_SKIPPED].some((column) => normalise(column) === key))
    return { type: 'skip' };
  return undefined;
}

/** Every name --map may point a column at, for error messages. */
function mapTargets(spec: CsvKindSpec): string[] {
  const names = exportColumns(spec).filter((c) => !spec.readOnly.includes(c) && c !== 'closed_at');
  if (spec.integers.includes('amount_cents')) names.push(AMOUNT_COLUMN);
  return [...names, 'custom.<key>', 'skip'];
}

/**
 * Maps each CSV header to where its cells go: --map first (its keys match headers exactly or
 * case/space-insensitively), then the column names themselves (`Follow Up At` → follow_up_at),
 * then common spellings (`E-mail`, `Full Name`, `Company Domain`, …).
 */
export function mapHeaders(
  spec: CsvKindSpec,
  headers: readonly string[],
  map: Map<string, string>,
): HeaderMapping {
  const byNormalised = new Map([...map].map(([header, column]) => [normalise(header), column]));
  const unused = new Set(map.keys());
  const targets: Target[] = [];
  const unknown: string[] = [];
  for (const header of headers) {
    const mapped = map.get(header) ?? byNormalised.get(normalise(header));
    let target: Target | undefined;
    if (mapped !== undefined) {
      for (const key of map.keys())
        if (key === header || normalise(key) === normalise(header)) unused.delete(key);
      target = targetNamed(spec, mapped);
      if (!target || (target.type === 'skip' && !SKIP_WORDS.includes(mapped.toLowerCase()))) {
        throw new HeaderError(
          `--map "${header}=${mapped}": "${mapped}" is not a column an import of ${spec.kind.table} sets; ` +
            `use one of ${mapTargets(spec).join(', ')}`,
        );
      }
    } else {
      target = targetNamed(spec, header);
      const alias = spec.aliases[normalise(header)];
      if (!target && alias) target = targetNamed(spec, alias);
    }
    if (!target) {
      unknown.push(header);
      target = { type: 'skip' };
    }
    targets.push(target);
  }
  if (unused.size > 0) {
    throw new HeaderError(
      `--map names ${[...unused].map((h) => `"${h}"`).join(', ')}, which the file's header does not have`,
    );
  }
  const seen = new Map<string, string>();
  targets.forEach((target, i) => {
    if (target.type === 'skip') return;
    const name = describe(target);
    const before = seen.get(name);
    if (before !== undefined) {
      throw new HeaderError(
        `columns "${before}" and "${headers[i]}" both map to ${name}; --map one of them to skip`,
      );
    }
    seen.set(name, headers[i]!);
  });
  return { targets, unknown };
}

export function describe(target: Target): string {
  switch (target.type) {
    case 'field':
      return target.name;
    case 'ref':
      return target.ref.column;
    case 'custom':
      return `custom.${target.key}`;
    default:
      return target.type;
  }
}
