import type { Kysely } from 'kysely';

/**
 * Indexes for keyset paging of deal lists. `GET /deals?status=open&sort=-updated_at` ("open deals,
 * most recently touched first") had no index that gives that order, so every page read all the
 * workspace's matching deals and sorted them (SQLite: USE TEMP B-TREE; PostgreSQL: a Sort node).
 * With (status, updated_at, id) after workspace_id the index serves both the filter and the order,
 * and a cursor is a seek into it; (updated_at, id) does the same for the unfiltered list
 * (test/keyset-plan.test.ts checks the plans).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('deals_status_updated_at')
    .on('deals')
    .columns(['workspace_id', 'status', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('deals_updated_at')
    .on('deals')
    .columns(['workspace_id', 'updated_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deals_updated_at').execute();
  await db.schema.dropIndex('deals_status_updated_at').execute();
}
