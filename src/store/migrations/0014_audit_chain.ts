import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Tamper evidence for the audit log (docs/audit.md): every row joins its workspace's hash chain
 * (seq, changes_digest, prev_hash, hash), the rows already there are chained in the order they were
 * written, and triggers make the table append-only except inside a purge (src/store/audit-guard.ts).
 *
 * The hashing is repeated here rather than imported: a migration must keep producing the same rows
 * whatever later code does. It is the encoding of src/audit/chain.ts, version agentcrm-audit-v1.
 */

interface Row {
  workspace_id: string;
  id: string;
  [column: string]: string | number | null;
}

const HASHED = [
  'workspace_id',
  'seq',
  'id',
  'at',
  'actor_type',
  'actor_id',
  'token_id',
  'token_name',
  'operation',
  'tool_name',
  'target',
  'reason',
  'request_id',
  'idempotency_key',
  'policy_decision',
  'reason_code',
  'record_version',
  'operation_id',
  'reverts',
  'changes_digest',
  'prev_hash',
] as const;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** What even a purge may not change: every column but `changes` (an erasure may blank it). */
const GUARDED = [...HASHED, 'hash'];

async function chainExistingRows(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  let after: { workspace_id: string; at: string; id: string } | null = null;
  let previous = { workspace: '', seq: 0, hash: '' };
  for (;;) {
    const cursor: RawBuilder<unknown> = after
      ? sql`where (workspace_id > ${after.workspace_id}) or (workspace_id = ${after.workspace_id} and (at > ${after.at} or (at = ${after.at} and id > ${after.id})))`
      : sql``;
    const rows: Row[] = (
      await sql<Row>`select * from audit_log ${cursor} order by workspace_id, at, id limit 500`.execute(db)
    ).rows;
    if (rows.length === 0) return;
    const updates = rows.map(
      (row): Row & { seq: number; changes_digest: string | null; prev_hash: string; hash: string } => {
        if (row.workspace_id !== previous.workspace)
          previous = { workspace: row.workspace_id, seq: 0, hash: '0'.repeat(64) };
        const linked = {
          ...row,
          seq: previous.seq + 1,
          changes_digest: row.changes === null ? null : sha256(String(row.changes)),
          prev_hash: previous.hash,
        };
        const hash = sha256(
          JSON.stringify(['agentcrm-audit-v1', ...HASHED.map((c) => text((linked as Row)[c]))]),
        );
        previous = { workspace: row.workspace_id, seq: previous.seq + 1, hash };
        return { ...linked, hash };
      },
    );
    const values = sql.join(
      updates.map(
        (u) => sql`(${u.workspace_id}, ${u.id}, ${u.seq}, ${u.changes_digest}, ${u.prev_hash}, ${u.hash})`,
      ),
    );
    const seq = postgres ? sql`cast(v.seq as integer)` : sql`v.seq`;
    await sql`with v(workspace_id, id, seq, digest, prev, hash) as (values ${values})
      update audit_log set seq = ${seq}, changes_digest = v.digest, prev_hash = v.prev, hash = v.hash
      from v where audit_log.workspace_id = v.workspace_id and audit_log.id = v.id`.execute(db);
    const last: Row = rows.at(-1)!;
    after = { workspace_id: last.workspace_id, at: String(last.at), id: last.id };
  }
}

const REFUSAL = 'audit_log is append-only: its rows are changed or deleted only by a purge';

export async function up(db: Kysely<unknown>): Promise<void> {
  const { postgres, text: textType } = columnTypes(db);
  await db.schema.alterTable('audit_log').addColumn('seq', 'integer').execute();
  for (const column of ['changes_digest', 'prev_hash', 'hash']) {
    await db.schema.alterTable('audit_log').addColumn(column, textType).execute();
  }
  await db.schema
    .createTable('audit_chain_anchors')
    .addColumn('workspace_id', textType, (c) => c.notNull().references('workspaces.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', textType, (c) => c.notNull())
    .addColumn('at', textType, (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_chain_anchors_pk', ['workspace_id'])
    .execute();
  await chainExistingRows(db, postgres);
  await db.schema
    .createIndex('audit_log_chain')
    .unique()
    .on('audit_log')
    .columns(['workspace_id', 'seq'])
    .execute();

  if (postgres) {
    for (const column of ['seq', 'prev_hash', 'hash']) {
      await sql`alter table audit_log alter column ${sql.ref(column)} set not null`.execute(db);
    }
    // An erasure may blank `changes` alone (its digest stays in the hash); anything else is refused.
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if current_setting('agentcrm.audit_purge', true) = 'on' then
          if tg_op = 'DELETE' then return old; end if;
          if tg_op = 'UPDATE' and (to_jsonb(new) - 'changes') = (to_jsonb(old) - 'changes') then return new; end if;
        end if;
        raise exception '${sql.raw(REFUSAL)}' using errcode = 'P0001';
      end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
    return;
  }
  // SQLite cannot add NOT NULL columns to a table with rows: a trigger refuses unchained inserts.
  await sql`create trigger audit_log_chained before insert on audit_log
    when new.seq is null or new.prev_hash is null or new.hash is null
    begin select raise(abort, 'audit_log rows must be chained (src/audit/chain.repository.ts)'); end`.execute(
    db,
  );
  await sql`create trigger audit_log_no_delete before delete on audit_log
    when agentcrm_audit_purge() is not 1
    begin select raise(abort, '${sql.raw(REFUSAL)}'); end`.execute(db);
  const changed = sql.join(
    GUARDED.map((c) => sql`new.${sql.ref(c)} is not old.${sql.ref(c)}`),
    sql` or `,
  );
  await sql`create trigger audit_log_no_update before update on audit_log
    when agentcrm_audit_purge() is not 1 or ${changed}
    begin select raise(abort, '${sql.raw(REFUSAL)}'); end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { postgres } = columnTypes(db);
  if (postgres) {
    await sql`drop trigger audit_log_no_truncate on audit_log`.execute(db);
    await sql`drop trigger audit_log_append_only on audit_log`.execute(db);
    await sql`drop function audit_log_append_only()`.execute(db);
  } else {
    for (const name of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_chained']) {
      await sql`drop trigger ${sql.raw(name)}`.execute(db);
    }
  }
  await db.schema.dropIndex('audit_log_chain').execute();
  await db.schema.dropTable('audit_chain_anchors').execute();
  for (const column of ['hash', 'prev_hash', 'changes_digest', 'seq']) {
    await db.schema.alterTable('audit_log').dropColumn(column).execute();
  }
}
