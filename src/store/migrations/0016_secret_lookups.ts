import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Citus-ready keys for the four tables looked up by a secret's hash (docs/scale.md).
 *
 * A bearer token, an invite link, an OAuth code and an OAuth refresh token arrive before their
 * workspace is known, so each table had a unique index on the hash alone (and tokens a primary key
 * on its id alone): keys a database sharded by workspace_id cannot enforce. Now `secret_lookups`,
 * a small global table (a reference table on Citus), maps (kind, hash) to the owning workspace; a
 * lookup reads the workspace there first, then the tenant row by (workspace_id, hash), which on
 * Citus goes to one shard. The tenant tables' keys all begin with workspace_id. The lookup holds
 * hashes only, never a secret, and its workspace column is deliberately not named workspace_id: the
 * row is global, not a tenant's (tenant tables are recognised by that column).
 *
 * SQLite cannot drop a column's UNIQUE or change a primary key in place, so there the four tables
 * are rebuilt (same columns, same rows, same indexes) from their own CREATE statements.
 */

const KINDS = [
  { kind: 'token', table: 'tokens', column: 'token_hash' },
  { kind: 'invite', table: 'invites', column: 'token_hash' },
  { kind: 'oauth_code', table: 'oauth_codes', column: 'code_hash' },
  { kind: 'oauth_refresh', table: 'oauth_refresh_tokens', column: 'token_hash' },
] as const;

/**
 * SQLite: how each table's CREATE statement (as 0001–0006 wrote it, with columns added since)
 * changes: column clauses that lose their UNIQUE or PRIMARY KEY, and table constraints added at the
 * end. The down migration applies the same edits backwards.
 */
const SQLITE_SHAPES: Record<string, { columns: [before: string, after: string][]; constraints?: string }> = {
  tokens: {
    columns: [
      ['"id" text primary key', '"id" text not null'],
      ['"token_hash" text not null unique', '"token_hash" text not null'],
    ],
    constraints:
      'constraint "tokens_pk" primary key ("workspace_id", "id"), constraint "tokens_token_hash" unique ("workspace_id", "token_hash")',
  },
  invites: {
    columns: [['"token_hash" text unique', '"token_hash" text']],
    constraints: 'constraint "invites_token_hash" unique ("workspace_id", "token_hash")',
  },
  oauth_codes: { columns: [['"code_hash" text not null unique', '"code_hash" text not null']] },
  oauth_refresh_tokens: { columns: [['"token_hash" text not null unique', '"token_hash" text not null']] },
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const { text, postgres } = columnTypes(db);
  await db.schema
    .createTable('secret_lookups')
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('hash', text, (c) => c.notNull())
    .addColumn('owner_workspace_id', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_lookups_pk', ['kind', 'hash'])
    .execute();
  // Workspace deletion removes a workspace's lookups by this column.
  await db.schema
    .createIndex('secret_lookups_by_workspace')
    .on('secret_lookups')
    .columns(['owner_workspace_id'])
    .execute();
  for (const { kind, table, column } of KINDS) {
    await sql`
      insert into secret_lookups (kind, hash, owner_workspace_id)
      select ${kind}, ${sql.ref(column)}, workspace_id from ${sql.table(table)}
      where ${sql.ref(column)} is not null`.execute(db);
  }
  // A revoked token's secret is of no use to anyone: it is not looked up (its row keeps its hash).
  await sql`
    delete from secret_lookups where kind = 'token'
    and hash in (select token_hash from tokens where revoked_at is not null)`.execute(db);

  if (postgres) {
    await sql`alter table tokens drop constraint tokens_pkey`.execute(db);
    await sql`alter table tokens drop constraint tokens_token_hash_key`.execute(db);
    await sql`alter table tokens add constraint tokens_pk primary key (workspace_id, id)`.execute(db);
    await sql`alter table tokens add constraint tokens_token_hash unique (workspace_id, token_hash)`.execute(
      db,
    );
    await sql`alter table invites drop constraint invites_token_hash_key`.execute(db);
    await sql`alter table invites add constraint invites_token_hash unique (workspace_id, token_hash)`.execute(
      db,
    );
    // Both primary keys are already (workspace_id, hash): the hash-only index just goes.
    await sql`alter table oauth_codes drop constraint oauth_codes_code_hash_key`.execute(db);
    await sql`alter table oauth_refresh_tokens drop constraint oauth_refresh_tokens_token_hash_key`.execute(
      db,
    );
    return;
  }
  for (const [table, shape] of Object.entries(SQLITE_SHAPES)) {
    await rebuildSqliteTable(db, table, (definition) => {
      const next = edit(table, definition, shape.columns);
      return shape.constraints ? edit(table, next, [[/\)\s*$/, `, ${shape.constraints})`]]) : next;
    });
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { postgres } = columnTypes(db);
  if (postgres) {
    await sql`alter table oauth_refresh_tokens add constraint oauth_refresh_tokens_token_hash_key unique (token_hash)`.execute(
      db,
    );
    await sql`alter table oauth_codes add constraint oauth_codes_code_hash_key unique (code_hash)`.execute(
      db,
    );
    await sql`alter table invites drop constraint invites_token_hash`.execute(db);
    await sql`alter table invites add constraint invites_token_hash_key unique (token_hash)`.execute(db);
    await sql`alter table tokens drop constraint tokens_token_hash`.execute(db);
    await sql`alter table tokens drop constraint tokens_pk`.execute(db);
    await sql`alter table tokens add constraint tokens_pkey primary key (id)`.execute(db);
    await sql`alter table tokens add constraint tokens_token_hash_key unique (token_hash)`.execute(db);
  } else {
    for (const [table, shape] of Object.entries(SQLITE_SHAPES)) {
      await rebuildSqliteTable(db, table, (definition) => {
        let next = definition;
        if (shape.constraints) next = edit(table, next, [[`, ${shape.constraints})`, ')']]);
        return edit(
          table,
          next,
          shape.columns.map(([before, after]) => [after, before]),
        );
      });
    }
  }
  await db.schema.dropTable('secret_lookups').execute();
}

/**
 * SQLite's documented way to change a table's constraints: create the new shape under a new name,
 * copy the rows, drop the old table, rename, re-create its indexes. Nothing references these four
 * tables by foreign key and no trigger sits on them in SQLite, so nothing else has to follow.
 */
async function rebuildSqliteTable(
  db: Kysely<unknown>,
  table: string,
  reshape: (definition: string) => string,
): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string }>`
    select type, name, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = rows.find((row) => row.type === 'table');
  if (!create) throw new Error(`migration 0016: table ${table} not found`);
  const rebuilt = `${table}_rebuilt`;
  const definition = reshape(create.sql).replace(/^create table "?[a-z_]+"?/i, `create table "${rebuilt}"`);
  await sql.raw(definition).execute(db);
  await sql`insert into ${sql.table(rebuilt)} select * from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(rebuilt)} rename to ${sql.table(table)}`.execute(db);
  for (const index of rows.filter((row) => row.type === 'index')) await sql.raw(index.sql).execute(db);
}

/** Applies each edit once; a table not in the expected shape stops the migration with what was found. */
function edit(table: string, definition: string, edits: [before: string | RegExp, after: string][]): string {
  let next = definition;
  for (const [before, after] of edits) {
    const found = typeof before === 'string' ? next.includes(before) : before.test(next);
    if (!found) {
      throw new Error(
        `migration 0016: ${table} does not have the expected shape (no ${before} in ${definition})`,
      );
    }
    next = next.replace(before, after);
  }
  return next;
}
