import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Tells every server process on PostgreSQL when what authentication reads has changed, so an
 * in-process cache of it (src/auth/auth-cache.ts) never outlives a revocation: a trigger NOTIFYs
 * in the very transaction that revokes or rotates a token, adds, re-roles or removes a member, or
 * changes or deletes a workspace's plan. The database fires it whatever code made the change, and
 * the notification is delivered only if that transaction commits. The payload is the table's
 * schema, so apps sharing one database in different schemas ignore each other's.
 *
 * A token's idle clock (last_used_at, written at most once a minute per token) is not a change
 * authentication needs to hear of, so it does not notify. SQLite has one server process: nothing
 * to tell, so nothing is created there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!columnTypes(db).postgres) return;
  await sql`
    create function agentcrm_auth_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('agentcrm_auth', tg_table_schema);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger tokens_auth_changed after update on tokens for each row
    when (
      old.token_hash is distinct from new.token_hash or old.revoked_at is distinct from new.revoked_at
      or old.secret_expires_at is distinct from new.secret_expires_at
      or old.expires_at is distinct from new.expires_at or old.scopes is distinct from new.scopes
      or old.workspace_id is distinct from new.workspace_id
      or old.principal_id is distinct from new.principal_id or old.name is distinct from new.name
    )
    execute function agentcrm_auth_changed()`.execute(db);
  await sql`
    create trigger tokens_auth_deleted after delete on tokens for each row
    execute function agentcrm_auth_changed()`.execute(db);
  await sql`
    create trigger memberships_auth_changed after insert or update or delete on memberships
    for each row execute function agentcrm_auth_changed()`.execute(db);
  await sql`
    create trigger workspaces_auth_changed after update on workspaces for each row
    when (old.plan is distinct from new.plan) execute function agentcrm_auth_changed()`.execute(db);
  await sql`
    create trigger workspaces_auth_deleted after delete on workspaces for each row
    execute function agentcrm_auth_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!columnTypes(db).postgres) return;
  for (const [trigger, table] of [
    ['workspaces_auth_deleted', 'workspaces'],
    ['workspaces_auth_changed', 'workspaces'],
    ['memberships_auth_changed', 'memberships'],
    ['tokens_auth_deleted', 'tokens'],
    ['tokens_auth_changed', 'tokens'],
  ] as const)
    await sql`drop trigger ${sql.id(trigger)} on ${sql.id(table)}`.execute(db);
  await sql`drop function agentcrm_auth_changed()`.execute(db);
}
