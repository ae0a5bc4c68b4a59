import type { Kysely } from 'kysely';
import { SEARCH_INDEXES } from '../../records/search/indexes.js';
import { recreateSqliteRecordTriggers } from '../search-index.js';
import { columnTypes } from './types.js';

/**
 * SQLite: re-creates the contacts' search triggers so that the stock sqlite3 shell can open the
 * database. 0005 wrote each separator's replace() inside the next, sixty deep, which Debian's
 * sqlite3 (3.40) cannot parse ("malformed database schema (contacts_search_insert) - parser stack
 * overflow"): it then refuses every command, .schema and .recover included. The new triggers
 * compute the same document in shallow steps (src/store/search-document.ts), so stored documents
 * stay valid and nothing is re-indexed. PostgreSQL's document is one regexp_replace(): nothing to do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (columnTypes(db).postgres) return;
  await recreateSqliteRecordTriggers(db, SEARCH_INDEXES.contacts);
}

/** The old triggers computed the same documents, so going back needs no change. */
export async function down(): Promise<void> {}
