import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Richer approvals: proposals expire, keep the human's edits; and the last writer of every field
 * of a record (field_writers), so a workspace can hold an agent's change to a field a person
 * wrote last. The table is filled from the audit log here and kept by every audited change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema.alterTable('proposals').addColumn('expires_at', text).execute();
  await db.schema.alterTable('proposals').addColumn('edits', text).execute();
  // Bundles pick one agent's pending proposals.
  await db.schema
    .createIndex('proposals_proposer')
    .on('proposals')
    .columns(['workspace_id', 'proposer_id', 'status', 'id'])
    .execute();

  await db.schema
    .createTable('field_writers')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('target', text, (c) => c.notNull())
    .addColumn('field', text, (c) => c.notNull())
    .addColumn('actor_type', text, (c) => c.notNull())
    .addColumn('actor_id', text, (c) => c.notNull())
    .addColumn('audit_id', text, (c) => c.notNull())
    .addColumn('at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('field_writers_pk', ['workspace_id', 'target', 'field'])
    .execute();

  // Backfill from the audit log, oldest first, a page at a time: later writers replace earlier.
  interface AuditRow {
    workspace_id: string;
    id: string;
    at: string;
    actor_type: string;
    actor_id: string;
    target: string;
    changes: string;
  }
  let after: { workspace_id: string; id: string } | null = null;
  for (;;) {
    const cursor: { workspace_id: string; id: string } | null = after;
    const page: AuditRow[] = (
      await sql<AuditRow>`select workspace_id, id, at, actor_type, actor_id, target, changes from audit_log
          where record_version is not null and changes is not null and target is not null
          ${cursor ? sql`and (workspace_id > ${cursor.workspace_id} or (workspace_id = ${cursor.workspace_id} and id > ${cursor.id}))` : sql``}
          order by workspace_id, id limit 500`.execute(db)
    ).rows;
    if (page.length === 0) break;
    const latest = new Map<string, Record<string, unknown>>();
    for (const row of page) {
      for (const field of Object.keys(JSON.parse(row.changes) as object)) {
        latest.set(`${row.workspace_id}\n${row.target}\n${field}`, {
          workspace_id: row.workspace_id,
          target: row.target,
          field,
          actor_type: row.actor_type,
          actor_id: row.actor_id,
          audit_id: row.id,
          at: row.at,
        });
      }
    }
    for (const values of latest.values()) {
      await (db as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('field_writers')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'target', 'field']).doUpdateSet({
            actor_type: values.actor_type,
            actor_id: values.actor_id,
            audit_id: values.audit_id,
            at: values.at,
          }),
        )
        .execute();
    }
    const last: AuditRow = page.at(-1)!;
    after = { workspace_id: last.workspace_id, id: last.id };
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('field_writers').execute();
  await db.schema.dropIndex('proposals_proposer').execute();
  await db.schema.alterTable('proposals').dropColumn('edits').execute();
  await db.schema.alterTable('proposals').dropColumn('expires_at').execute();
}
