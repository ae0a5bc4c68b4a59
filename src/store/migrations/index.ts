import type { Migration, MigrationProvider } from 'kysely/migration';
import * as foundation from './0001_foundation.js';
import * as search from './0005_search.js';

/**
 * The migrations, in order. Both databases run the same files; a migration that needs a
 * dialect-specific statement asks `sql` and branches on the adapter inside itself.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0005_search': search,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
