import type { Kysely, Transaction } from 'kysely';
import type { Database, UsersTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findUser(db: Db, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Inserts the person unless the email is already known; returns the stored row either way. */
export async function ensureUser(db: Db, row: UsersTable): Promise<{ user: UsersTable; created: boolean }> {
  const result = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  const user = created ? row : await findUserByEmail(db, row.email);
  if (!user) throw new Error(`user ${row.email} vanished during sign-in`);
  return { user, created };
}

export async function setUserName(db: Db, id: string, name: string, now: string): Promise<void> {
  await db.updateTable('users').set({ name, updated_at: now }).where('id', '=', id).execute();
}

/**
 * Takes the person's row lock (PostgreSQL) or the write lock (SQLite) until the transaction ends,
 * so per-person caps (workspaces created) are counted without a race.
 */
export async function lockUser(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('users').set({ updated_at: now }).where('id', '=', id).execute();
}
