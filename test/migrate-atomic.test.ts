import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { connectStore, migratorFor, type Store } from '../src/store/connect.js';
import { runCli } from './cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';

/** The migration made to fail; every pending migration after it runs in the same transaction. */
const UNDER_TEST = '0016_secret_lookups';

/** The database as the release before UNDER_TEST left it: every migration up to the one before. */
async function migrateToBefore(store: Store) {
  const { error } = await (await migratorFor(store)).migrateTo('0015_lifecycle');
  if (error) throw error;
}

async function applied(store: Store): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
  return rows.rows.map((row) => row.name);
}

async function tableExists(store: Store, table: string): Promise<boolean> {
  try {
    await sql`select count(*) from ${sql.table(table)}`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

describe.each(DIALECTS)('migrations are all or nothing (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.cleanup();
    database = undefined;
  });

  it('leaves nothing of a migration that fails half-way, and applies it whole once the cause is gone', async () => {
    database = await createTestDatabase(dialect);
    const env = database.env;
    let store = connectStore(testConfig(env));
    await migrateToBefore(store);
    // The migration's first statement creates secret_lookups; its second creates an index whose
    // name is taken here, so it fails after the first has run.
    await sql`create index secret_lookups_by_workspace on contacts (id)`.execute(store.db);
    await store.close();

    const failed = await runCli(['migrate'], env);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(
      new RegExp(
        `^agentcrm: migration ${UNDER_TEST} failed: .+\\. Nothing was applied: the database is as it was before`,
      ),
    );
    expect(failed.stderr).not.toMatch(/\n\s+at /);

    store = connectStore(testConfig(env));
    try {
      expect(await tableExists(store, 'secret_lookups')).toBe(false);
      expect(await applied(store)).not.toContain(UNDER_TEST);
      await sql`drop index secret_lookups_by_workspace`.execute(store.db);
    } finally {
      await store.close();
    }

    // Before migrations ran in one transaction, this failed on "table secret_lookups already exists".
    const retried = await runCli(['migrate'], env);
    expect(retried.stderr).toBe('');
    // It and the migrations after it, in order.
    expect(retried.stdout).toMatch(new RegExp(`^applied: ${UNDER_TEST}(, \\d{4}_\\w+)*\n$`));
    store = connectStore(testConfig(env));
    try {
      expect(await tableExists(store, 'secret_lookups')).toBe(true);
      expect(await applied(store)).toContain(UNDER_TEST);
    } finally {
      await store.close();
    }
  });
});
