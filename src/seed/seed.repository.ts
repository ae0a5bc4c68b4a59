import { type Kysely, sql } from 'kysely';
import type { UnchainedAuditRow } from '../audit/chain.js';
import { appendAuditRows } from '../audit/chain.repository.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';
import type { DialectCapabilities } from '../store/types.js';
import type { SeedRow, SeedTable } from './generate.js';

/**
 * Multi-row inserts into the base tables: every index, constraint and trigger (the search index
 * included) runs exactly as for a single insert through the API.
 */
export async function insertSeedRows<T extends SeedTable>(
  ws: WorkspaceDb,
  table: T,
  rows: SeedRow<T>[],
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the row type follows the table parameter
  await ws.insertInto(table, rows as any).execute();
}

/**
 * A bulk load touches index pages all over the file; SQLite's default 2 MB page cache would make it
 * re-read and re-write them constantly. The setting lasts for this connection (the seeding process).
 */
export async function widenPageCache(db: Kysely<Database>, dialect: DialectCapabilities): Promise<void> {
  if (dialect.name === 'sqlite') await sql`pragma cache_size = -262144`.execute(db);
}

/**
 * PostgreSQL plans from statistics, which a bulk load leaves stale until autovacuum comes round:
 * right after seeding, a 50-row list sorted by an indexed column was planned as a full scan and a
 * sort (300 ms instead of 0.1 ms). SQLite plans these queries from the schema alone, and the server
 * never analyses it, so it is left as a server would find it.
 */
export async function refreshStatistics(
  db: Kysely<Database>,
  dialect: DialectCapabilities,
  tables: readonly SeedTable[],
): Promise<void> {
  if (dialect.name !== 'postgres') return;
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db);
  // The search documents and the vocabulary are filled by triggers as the rows go in: without
  // their statistics a search scanned every document of the workspace instead of using the
  // trigram index (95 ms instead of 8 ms for a rare name at 100k contacts).
  if (tables.includes('contacts')) {
    for (const table of ['contacts_search', 'search_words'])
      await sql`analyze ${sql.table(table)}`.execute(db);
  }
}

/** An agent of the workspace to log the seeded activities, oldest first. */
export async function firstAgentId(ws: WorkspaceDb): Promise<string | undefined> {
  const row = await ws
    .selectFrom('agents')
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** The seed's own audit row, at the end of the workspace's audit chain. */
export async function insertAuditRow(
  db: Kysely<Database>,
  dialect: DialectCapabilities,
  row: UnchainedAuditRow,
): Promise<void> {
  await appendAuditRows(db, dialect, [row]);
}
