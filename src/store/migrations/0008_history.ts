import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Field history and undo (docs/undo.md). The audit log gains the background operation a change
 * belongs to (`operation_id`, op_…: every item a batch, bulk change or CSV import wrote) and, on
 * the rows a revert writes, the audit ids it undid (`reverts`, JSON). The indexes serve a record's
 * history (target, newest first) and what undo selects by: one request, one background operation,
 * one token's time window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema.alterTable('audit_log').addColumn('operation_id', text).execute();
  await db.schema.alterTable('audit_log').addColumn('reverts', text).execute();
  const indexes: [string, string[]][] = [
    ['audit_log_target_at', ['target', 'at']],
    ['audit_log_request', ['request_id', 'id']],
    ['audit_log_operation_id', ['operation_id', 'id']],
    ['audit_log_token_at', ['token_id', 'at', 'id']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema
      .createIndex(name)
      .on('audit_log')
      .columns(['workspace_id', ...columns])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'audit_log_target_at',
    'audit_log_request',
    'audit_log_operation_id',
    'audit_log_token_at',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
  await db.schema.alterTable('audit_log').dropColumn('reverts').execute();
  await db.schema.alterTable('audit_log').dropColumn('operation_id').execute();
}
