import { normaliseDomain } from '../companies/company.js';
import { AppError } from '../errors.js';
import { handleOf } from '../records/kind.js';
import { findLiveBy, findRecord } from '../records/records.repository.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { RowInput } from './cells.js';
import type { CsvKindSpec } from './kinds.js';

/** The record a row updates: the live one its id names, else the one holding its email or domain. */
export async function findTarget(
  ws: WorkspaceDb,
  spec: CsvKindSpec,
  input: RowInput,
): Promise<string | undefined> {
  const { kind } = spec;
  let target: string | undefined;
  if (input.id) {
    const existing = await findRecord(ws, kind.table, input.id, 'any');
    if (existing?.deleted_at) {
      throw new AppError(
        'conflict',
        `${handleOf(kind, input.id)} was deleted`,
        `restore it (POST ${kind.path}/${input.id}/restore) or empty the id cell to create a new record`,
      );
    }
    target = existing?.id;
  }
  if (!target && kind.unique) target = await uniqueHolder(ws, spec, input.fields[kind.unique]);
  return target;
}

/** The live record already holding this row's email (contacts) or domain (companies). */
async function uniqueHolder(ws: WorkspaceDb, spec: CsvKindSpec, value: unknown): Promise<string | undefined> {
  if (typeof value !== 'string') return undefined;
  const key = spec.kind.unique === 'domain' ? normaliseDomain(value) : value.trim().toLowerCase();
  return (await findLiveBy(ws, spec.kind.table, spec.kind.unique!, key))?.id;
}
