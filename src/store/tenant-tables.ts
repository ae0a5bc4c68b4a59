import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { forgetWorkspaceSecrets, SECRET_TABLES } from './secret-lookups.repository.js';
import type { DialectCapabilities } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TenantTableInfo {
  name: string;
  /** Soft-deleted rows (deleted_at set) do not count as live. */
  hasDeletedAt: boolean;
}

/**
 * Every table holding a workspace_id column, read from the database catalog, ordered so that a
 * table comes before the tables its foreign keys point at: deleting in this order never trips a
 * constraint. Reading the catalog (instead of a list in code) means tables added by later
 * migrations are covered by workspace deletion without anyone remembering to register them.
 */
export async function tenantTables(db: Db, dialect: DialectCapabilities): Promise<TenantTableInfo[]> {
  const columns =
    dialect.name === 'sqlite'
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and p.name in ('workspace_id', 'deleted_at')`.execute(db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select table_name, column_name from information_schema.columns
            where table_schema = current_schema() and column_name in ('workspace_id', 'deleted_at')`.execute(
            db,
          )
        ).rows;
  const references =
    dialect.name === 'sqlite'
      ? (
          await sql<{ child: string; parent: string }>`
            select m.name as child, f."table" as parent
            from sqlite_master m join pragma_foreign_key_list(m.name) f
            where m.type = 'table'`.execute(db)
        ).rows
      : (
          await sql<{ child: string; parent: string }>`
            select c.relname as child, p.relname as parent
            from pg_constraint k
            join pg_class c on c.oid = k.conrelid
            join pg_class p on p.oid = k.confrelid
            where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(db)
        ).rows;

  const tenant = new Map<string, TenantTableInfo>();
  for (const row of columns) {
    if (row.column_name === 'workspace_id')
      tenant.set(row.table_name, { name: row.table_name, hasDeletedAt: false });
  }
  for (const row of columns) {
    const table = tenant.get(row.table_name);
    if (table && row.column_name === 'deleted_at') table.hasDeletedAt = true;
  }

  // Depth-first: a table is emitted after every tenant table that references it.
  const referencedBy = new Map<string, string[]>();
  for (const { child, parent } of references) {
    if (child === parent || !tenant.has(child) || !tenant.has(parent)) continue;
    referencedBy.set(parent, [...(referencedBy.get(parent) ?? []), child]);
  }
  const ordered: TenantTableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const child of referencedBy.get(name) ?? []) visit(child);
    ordered.push(tenant.get(name)!);
  };
  for (const name of [...tenant.keys()].sort()) visit(name);
  return ordered;
}

/** Live rows of one tenant table in one workspace (table names come from the catalog, never input). */
export async function countTenantRows(db: Db, table: TenantTableInfo, workspaceId: string): Promise<number> {
  const live = table.hasDeletedAt ? sql` and deleted_at is null` : sql``;
  const result = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(table.name)} where workspace_id = ${workspaceId}${live}`.execute(
    db,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Deletes every row of one tenant table in one workspace; for a table holding secrets (tokens,
 * invites, OAuth codes and refresh tokens), their hashes leave the global secret lookup too.
 */
export async function deleteTenantRows(db: Db, table: TenantTableInfo, workspaceId: string): Promise<number> {
  const secretKind = SECRET_TABLES[table.name];
  if (secretKind) await forgetWorkspaceSecrets(db, secretKind, workspaceId);
  const result = await sql`delete from ${sql.table(table.name)} where workspace_id = ${workspaceId}`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
