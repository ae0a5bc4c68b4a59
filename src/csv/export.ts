import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Progress } from '../progress.js';
import type { Services } from '../services.js';
import { scopeTo, type WorkspaceDb } from '../store/scoped.js';
import { customCell } from './cells.js';
import { countLive, customPage, type ExportRow, exportPage } from './csv.repository.js';
import { neutraliseCell } from './formula.js';
import { CSV_SPECS, type CsvKind, exportColumns } from './kinds.js';

const PAGE = 1_000;

/**
 * Writes every live record of one kind as CSV: the standard columns, the natural keys of the
 * records it refers to (company_domain, contact_email: what an import elsewhere resolves), then one
 * custom.<key> column per custom key in use. Read in one read-only transaction, so the file is a
 * consistent snapshot even while the server writes.
 */
export async function exportCsv(
  services: Services,
  workspaceId: string,
  kind: CsvKind,
  out: Writable,
  progress: Progress,
  options: { excel?: boolean } = {},
): Promise<number> {
  const { db, dialect } = services.store;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const ws = scopeTo(trx, dialect, workspaceId);
      const keys = await customKeys(ws, kind);
      const total = await countLive(ws, kind);
      const columns = [...exportColumns(CSV_SPECS[kind]), ...keys.map((key) => `custom.${key}`)];
      // For Excel: a byte-order mark, without which it reads UTF-8 as the Windows code page (names
      // with accents arrive garbled), and CRLF line ends.
      const csv = stringify({
        header: true,
        columns,
        eof: true,
        ...(options.excel ? { bom: true, record_delimiter: 'windows' as const } : {}),
      });
      // stdout is never ended: the process may still write to it (and Node refuses to close it).
      const piping = pipeline(csv, out, { end: out !== process.stdout });
      piping.catch(() => {});
      progress.start(kind, total);
      let written = 0;
      for (let after = ''; ; ) {
        const rows = await exportPage(ws, kind, after, PAGE);
        for (const row of rows) {
          if (!csv.write(cells(row, columns).map(neutraliseCell))) await once(csv, 'drain');
        }
        written += rows.length;
        progress.advance(rows.length);
        if (rows.length < PAGE) break;
        after = rows.at(-1)!.id;
      }
      progress.finish();
      csv.end();
      await piping;
      return written;
    });
}

async function customKeys(ws: WorkspaceDb, kind: CsvKind): Promise<string[]> {
  const keys = new Set<string>();
  for (let after = ''; ; ) {
    const rows = await customPage(ws, kind, after, PAGE * 5);
    for (const row of rows) for (const key of Object.keys(JSON.parse(row.custom))) keys.add(key);
    if (rows.length < PAGE * 5) break;
    after = rows.at(-1)!.id;
  }
  return [...keys].sort();
}

function cells(row: ExportRow, columns: readonly string[]): string[] {
  const custom = JSON.parse(row.custom) as Record<string, unknown>;
  const values = row as unknown as Record<string, unknown>;
  return columns.map((column) => {
    if (column.startsWith('custom.')) {
      const key = column.slice('custom.'.length);
      return Object.hasOwn(custom, key) ? customCell(custom[key]) : '';
    }
    const value = values[column];
    if (value === null || value === undefined) return '';
    if (column === 'tags') return (JSON.parse(value as string) as string[]).join(',');
    return String(value);
  });
}
