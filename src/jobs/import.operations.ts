import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { normaliseDomain } from '../companies/company.js';
import { CellError, readRow } from '../csv/cells.js';
import { HeaderError, mapHeaders } from '../csv/headers.js';
import { CSV_SPECS, type CsvKind } from '../csv/kinds.js';
import { AppError } from '../errors.js';
import { type AnyOperation, defineOperation } from '../operations/define.js';
import { findLiveBy } from '../records/records.repository.js';
import { bulkPolicy, enqueue } from './jobs.operations.js';

/** Rows one API import may carry; the CLI (`agentcrm import`) streams files of any size. */
export const MAX_IMPORT_ROWS = 10_000;

interface Parsed {
  items: Record<string, unknown>[];
  /** The file row (header = row 1) of each item, so item errors can be traced back. */
  rows: number[];
  rejected: { row: number; error: string }[];
  unknown_columns: string[];
}

function parseCsv(kind: CsvKind, csv: string, map: Record<string, string>): Parsed {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    throw new AppError(
      'invalid_input',
      `csv: not valid CSV (${(error as Error).message})`,
      'send the file as text with a header row',
    );
  }
  const [header, ...body] = records;
  if (!header)
    throw new AppError('invalid_input', 'csv: empty', 'send a header row and at least one data row');
  if (body.length > MAX_IMPORT_ROWS) {
    throw new AppError(
      'invalid_input',
      `csv: ${body.length} rows; one call takes at most ${MAX_IMPORT_ROWS}`,
      'split the file, or use the CLI (agentcrm import) which streams any size',
    );
  }
  const spec = CSV_SPECS[kind];
  let mapping: ReturnType<typeof mapHeaders>;
  try {
    mapping = mapHeaders(
      spec,
      header.map((cell) => cell.trim()),
      new Map(Object.entries(map)),
    );
  } catch (error) {
    if (error instanceof HeaderError)
      throw new AppError('invalid_input', `map: ${error.message}`, 'map each header to a field name');
    throw error;
  }
  const parsed: Parsed = { items: [], rows: [], rejected: [], unknown_columns: mapping.unknown };
  body.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return;
    try {
      const input = readRow(mapping.targets, cells, spec.integers);
      parsed.items.push({
        ...input.fields,
        ...Object.fromEntries(input.refs.map((ref) => [`@${ref.ref.column}`, ref.value])),
      });
      parsed.rows.push(row);
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      parsed.rejected.push({ row, error: error.message });
    }
  });
  return parsed;
}

/** `<kind>.import_csv`: a CSV file sent as text, upserted row by row in the background. */
function importOperation(kind: CsvKind): AnyOperation {
  const spec = CSV_SPECS[kind];
  const unique = spec.kind.unique;
  return defineOperation({
    name: `${kind}.import_csv`,
    summary: `Import ${kind} from CSV text (a header row, up to ${MAX_IMPORT_ROWS} rows); runs in the background.`,
    description:
      `Headers are matched to fields automatically (case and spacing ignored, common spellings such as "E-mail" or ` +
      `"Full Name") or by map {"header": "field"}; custom.<key> columns fill custom; tags as "a;b". ` +
      `${unique ? `Rows upsert by ${unique}. ` : ''}${spec.refs.map((ref) => `${ref.column} links to the ${ref.kind} with that ${ref.key}. `).join('')}` +
      'Rows that cannot be read come back at once in data.rejected; each accepted row then runs as ' +
      `${kind}.create would, and operations.get_status reports per-row errors by index (data.rows gives each index's file row).`,
    http: { method: 'POST', path: `${spec.kind.path}/import` },
    scope: 'write',
    mutating: true,
    approval: 'sometimes',
    reasonCodes: ['bulk.requires_approval', 'bulk.too_large'],
    input: z.strictObject({
      csv: z
        .string()
        .min(1)
        .max(4 * 1024 * 1024),
      map: z.record(z.string().max(200), z.string().max(100)).optional(),
    }),
    async policy(ctx, input) {
      return bulkPolicy(ctx, { items: parseCsv(kind, input.csv, input.map ?? {}).items });
    },
    async handler(ctx, input) {
      const parsed = parseCsv(kind, input.csv, input.map ?? {});
      // Reference columns name records by natural key; resolve them to ids of this workspace now.
      const items = [];
      for (const item of parsed.items) {
        const fields: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(item)) {
          const ref = key.startsWith('@')
            ? spec.refs.find((candidate) => candidate.column === key.slice(1))
            : undefined;
          if (!ref) {
            fields[key] = value;
            continue;
          }
          const natural =
            ref.key === 'domain' ? normaliseDomain(String(value)) : String(value).trim().toLowerCase();
          const target = await findLiveBy(ctx.ws, ref.table, ref.key, natural);
          // An unknown reference is left for the row's own validation to report.
          fields[ref.field] = target ? target.id : `${ref.kind}/${natural}`;
        }
        items.push(fields);
      }
      if (items.length === 0) {
        throw new AppError('invalid_input', 'csv: no row could be read', 'see the rejected rows', {
          data: { rejected: parsed.rejected },
        });
      }
      const result = await enqueue(ctx, `${kind}.import_csv`, `${kind}.create`, items);
      return {
        ...result,
        data: {
          ...(result.data as object),
          rows: parsed.rows,
          rejected: parsed.rejected,
          unknown_columns: parsed.unknown_columns,
        },
        warnings: parsed.unknown_columns.length
          ? [{ code: 'columns_ignored', message: `no field for: ${parsed.unknown_columns.join(', ')}` }]
          : [],
      };
    },
  });
}

export const importOperations = (['contacts', 'companies', 'deals'] as const).map(importOperation);
