import { type Kysely, sql } from 'kysely';
import { SEARCH_INDEXES } from '../../records/search/indexes.js';
import { createSearchIndex, dropSearchIndex } from '../search-index.js';
import { columnTypes } from './types.js';

/**
 * Search: the vocabulary table and the contacts' search index (FTS5 trigram on SQLite, pg_trgm
 * GIN on PostgreSQL), built over the rows already there. Also gives the text columns of contacts
 * and companies the bytewise "C" collation on PostgreSQL (0001 created them with the database
 * default), so sorting, range filters and like: give the same answers as on SQLite.
 */
const TEXT_COLUMNS = {
  contacts: ['name', 'email', 'phone', 'title', 'stage', 'follow_up_at', 'follow_up_note', 'deleted_at'],
  companies: ['name', 'domain', 'industry', 'size', 'website', 'deleted_at'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const { text, postgres } = columnTypes(db);
  if (postgres) {
    for (const [table, columns] of Object.entries(TEXT_COLUMNS)) {
      const changes = columns.map((column) => `alter column ${column} type text collate "C"`).join(', ');
      await sql.raw(`alter table ${table} ${changes}`).execute(db);
    }
  }
  await db.schema
    .createTable('search_words')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('word', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('search_words_pk', ['workspace_id', 'key', 'word'])
    .execute();
  await createSearchIndex(db, postgres ? 'postgres' : 'sqlite', SEARCH_INDEXES.contacts);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { postgres } = columnTypes(db);
  await dropSearchIndex(db, postgres ? 'postgres' : 'sqlite', SEARCH_INDEXES.contacts);
  await db.schema.dropTable('search_words').execute();
}
