import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as identity from './0002_identity.js';
import * as crm from './0003_crm.js';
import * as governance from './0004_governance.js';
import * as search from './0005_search.js';
import * as oauth from './0006_oauth.js';
import * as webhooks from './0007_webhooks.js';
import * as history from './0008_history.js';
import * as approvals from './0009_approvals.js';
import * as perf from './0010_perf.js';
import * as secrets from './0011_secrets.js';
import * as authNotify from './0012_auth_notify.js';
import * as sqliteShell from './0013_sqlite_shell.js';
import * as auditChain from './0014_audit_chain.js';
import * as lifecycle from './0015_lifecycle.js';
import * as secretLookups from './0016_secret_lookups.js';
import * as objects from './0017_objects.js';

/**
 * The migrations, in order. Both databases run the same files; a migration that needs a
 * dialect-specific statement asks `sql` and branches on the adapter inside itself.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_identity': identity,
  '0003_crm': crm,
  '0004_governance': governance,
  '0005_search': search,
  '0006_oauth': oauth,
  '0007_webhooks': webhooks,
  '0008_history': history,
  '0009_approvals': approvals,
  '0010_perf': perf,
  '0011_secrets': secrets,
  '0012_auth_notify': authNotify,
  '0013_sqlite_shell': sqliteShell,
  '0014_audit_chain': auditChain,
  '0015_lifecycle': lifecycle,
  '0016_secret_lookups': secretLookups,
  '0017_objects': objects,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
