import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, LoginCodesTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Stores a new code for the email, replacing the previous one. The failure count is left as it
 * is: asking for a new code must not buy an attacker fresh guesses.
 */
export async function storeLoginCode(
  db: Db,
  email: string,
  codeHash: string,
  expiresAt: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('login_codes')
    .values({
      email,
      code_hash: codeHash,
      expires_at: expiresAt,
      used_at: null,
      failures: 0,
      failures_since: null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('email')
        .doUpdateSet({ code_hash: codeHash, expires_at: expiresAt, used_at: null, updated_at: now }),
    )
    .execute();
}

/**
 * Spends one try before the code is even compared, in one conditional statement: concurrent
 * guesses cannot all slip past the limit. Failures older than the window no longer count.
 * Returns the row as it is after the try was counted, or undefined when no try is left.
 */
export async function takeAttempt(
  db: Db,
  email: string,
  now: string,
  windowStartedBefore: string,
  maxFailures: number,
): Promise<LoginCodesTable | undefined> {
  const stale = sql<boolean>`(failures_since is null or failures_since <= ${windowStartedBefore})`;
  return db
    .updateTable('login_codes')
    .set({
      failures: sql<number>`case when ${stale} then 1 else failures + 1 end`,
      failures_since: sql<string>`case when ${stale} then ${now} else failures_since end`,
      updated_at: now,
    })
    .where('email', '=', email)
    .where((eb) => eb.or([eb('failures', '<', maxFailures), sql<boolean>`${stale}`]))
    .returningAll()
    .executeTakeFirst();
}

export async function findLoginCode(db: Db, email: string): Promise<LoginCodesTable | undefined> {
  return db.selectFrom('login_codes').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Spends the code: it works once, and a success clears the failures. */
export async function consumeStoredCode(
  db: Db,
  email: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('login_codes')
    .set({ used_at: now, code_hash: null, failures: 0, failures_since: null, updated_at: now })
    .where('email', '=', email)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
