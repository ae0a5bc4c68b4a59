import type {
  DeleteQueryBuilder,
  DeleteResult,
  Insertable,
  InsertQueryBuilder,
  InsertResult,
  Kysely,
  SelectQueryBuilder,
  Transaction,
  UpdateQueryBuilder,
  UpdateResult,
} from 'kysely';
import type { Database, TenantTable } from './schema.js';
import type { DialectCapabilities } from './types.js';

type TenantRow<T extends TenantTable> = Omit<Insertable<Database[T]>, 'workspace_id'>;

/**
 * The only way domain code reaches tenant tables: every query it builds is already restricted to
 * one workspace, and every insert is stamped with it. A query that forgets the tenant cannot be
 * written through this handle.
 */
export interface WorkspaceDb {
  readonly workspaceId: string;
  readonly dialect: DialectCapabilities;
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<Database, T, object>;
  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<Database, T, T, UpdateResult>;
  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult>;
  insertInto<T extends TenantTable>(
    table: T,
    rows: TenantRow<T> | TenantRow<T>[],
  ): InsertQueryBuilder<Database, T, InsertResult>;
}

export function scopeTo(
  db: Kysely<Database> | Transaction<Database>,
  dialect: DialectCapabilities,
  workspaceId: string,
): WorkspaceDb {
  // The generic table parameter defeats Kysely's column inference, hence the casts; the
  // restriction itself is the same single predicate for every table.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const loose = db as any;
  return {
    workspaceId,
    dialect,
    selectFrom: (table) => loose.selectFrom(table).where(`${table}.workspace_id`, '=', workspaceId),
    updateTable: (table) => loose.updateTable(table).where(`${table}.workspace_id`, '=', workspaceId),
    deleteFrom: (table) => loose.deleteFrom(table).where(`${table}.workspace_id`, '=', workspaceId),
    insertInto: (table, rows) => {
      const list = (Array.isArray(rows) ? rows : [rows]).map((row) => ({
        ...row,
        workspace_id: workspaceId,
      }));
      return loose.insertInto(table).values(list);
    },
  };
}
