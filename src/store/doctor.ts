import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { connectStore, sqliteFile } from './connect.js';
import {
  amcheckIndexes,
  amcheckInstalled,
  foreignKeyProblems,
  integrityCheck,
  parseSchema,
  postgresMigrations,
  postgresVersion,
  sqliteMigrations,
  unvalidatedConstraints,
} from './integrity.repository.js';
import { migrationProvider } from './migrations/index.js';
import { sqliteHeaderProblems } from './sqlite-header.js';

/** One line of agentcrm doctor. `damage` says a failure means the data is damaged, not only unreachable or behind. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
  damage: boolean;
  ms: number;
}

type Outcome = Pick<DoctorCheck, 'status' | 'detail'>;
const ok = (detail: string): Outcome => ({ status: 'ok', detail });
const failed = (detail: string): Outcome => ({ status: 'failed', detail });
const listed = (problems: string[]) =>
  problems.slice(0, 5).join('; ') + (problems.length > 5 ? ` (+${problems.length - 5} more)` : '');

async function run(
  name: string,
  damage: boolean,
  check: () => Outcome | Promise<Outcome>,
): Promise<DoctorCheck> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await check();
  } catch (error) {
    outcome = failed((error as Error).message);
  }
  return { name, damage, ...outcome, ms: Math.round(performance.now() - started) };
}

async function migrationsOutcome(applied: string[] | null): Promise<Outcome> {
  const known = Object.keys(await migrationProvider.getMigrations());
  if (applied === null) return failed('no migrations recorded: not an agentcrm database, or never started');
  const pending = known.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !known.includes(name));
  if (pending.length) return failed(`pending: ${pending.join(', ')} (agentcrm migrate applies them)`);
  const newer = unknown.length ? `; also ${unknown.join(', ')}, from a newer agentcrm` : '';
  return ok(`${applied.length} applied, latest ${applied.at(-1)}${newer}`);
}

/** SQLite: the file, its header and schema, integrity_check, the foreign keys, the migrations. */
async function sqliteChecks(file: string): Promise<DoctorCheck[]> {
  if (!existsSync(file)) {
    return [await run('file', false, () => failed(`there is no database at ${file} (check DATA_DIR)`))];
  }
  const checks = [
    await run('header', true, () => {
      const problems = sqliteHeaderProblems(file);
      return problems.length ? failed(listed(problems)) : ok(file);
    }),
  ];
  if (checks[0]!.status === 'failed') return checks;
  // Opened without the store: no journal-mode change, no migration, nothing written. Opening
  // reads the first page, so a file that cannot be opened fails the schema check.
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(file, { fileMustExist: true });
  } catch (error) {
    return [...checks, await run('schema', true, () => failed((error as Error).message))];
  }
  try {
    db.pragma('busy_timeout = 5000');
    checks.push(await run('schema', true, () => ok(`${parseSchema(db)} definitions parse`)));
    if (checks.at(-1)!.status === 'failed') return checks;
    checks.push(
      await run('integrity_check', true, () => {
        const problems = integrityCheck(db);
        return problems.length ? failed(listed(problems)) : ok('every page and index entry is sound');
      }),
      await run('foreign_key_check', true, () => {
        const problems = foreignKeyProblems(db);
        return problems.length
          ? failed(`references to missing rows: ${listed(problems)}`)
          : ok('every reference resolves');
      }),
      await run('migrations', false, () => migrationsOutcome(sqliteMigrations(db))),
    );
  } finally {
    db.close();
  }
  return checks;
}

/** PostgreSQL: connectivity, the migrations, constraints left unvalidated, amcheck when installed. */
async function postgresChecks(config: Config): Promise<DoctorCheck[]> {
  const store = connectStore(config);
  const db = store.db as Kysely<unknown>;
  try {
    const checks = [await run('connect', false, async () => ok(`PostgreSQL ${await postgresVersion(db)}`))];
    if (checks[0]!.status === 'failed') return checks;
    checks.push(
      await run('migrations', false, async () => migrationsOutcome(await postgresMigrations(db))),
      await run('constraints', true, async () => {
        const names = await unvalidatedConstraints(db);
        return names.length ? failed(`not validated: ${listed(names)}`) : ok('every constraint is validated');
      }),
      await run('amcheck', true, async () => {
        if (!(await amcheckInstalled(db))) {
          return {
            status: 'skipped',
            detail:
              'the amcheck extension is not installed (CREATE EXTENSION amcheck, as a superuser, enables this check)',
          };
        }
        const { checked, problems } = await amcheckIndexes(db);
        return problems.length
          ? failed(listed(problems))
          : ok(`${checked} B-tree indexes pass bt_index_check`);
      }),
    );
    return checks;
  } finally {
    await store.close();
  }
}

/** Every check agentcrm doctor runs, on the database the configuration names. */
export function runDoctor(config: Config): Promise<DoctorCheck[]> {
  return config.databaseUrl ? postgresChecks(config) : sqliteChecks(sqliteFile(config.dataDir));
}
