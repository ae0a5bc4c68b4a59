import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { connectStore, migrateToLatest, type Store } from '../src/store/connect.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';

/**
 * Citus readiness, read from the PostgreSQL catalog: a distributed PostgreSQL shards every
 * tenant table by workspace_id, and it can enforce a primary key, a unique index or a foreign key
 * between distributed tables only when it includes that column (we require it to come first, so
 * the same index also serves per-workspace scans). Tables without the column must be reference
 * tables (copied to every node), listed in docs/scale.md so an operator knows what to distribute.
 *
 * PostgreSQL only: SQLite is never sharded, and its catalog names constraints differently.
 */
const postgres = DIALECTS.includes('postgres');
const REASON = 'PostgreSQL only (set DATABASE_URL): the check reads the PostgreSQL catalog';

/** The tables docs/scale.md lists under its "Reference tables" heading, one "- `name`" a line. */
function documentedReferenceTables(): string[] {
  const doc = readFileSync(path.join(import.meta.dirname, '..', 'docs', 'scale.md'), 'utf8');
  const section = /^## Reference tables\n([\s\S]*?)(?=^## )/m.exec(doc);
  if (!section) throw new Error('docs/scale.md has no "## Reference tables" section');
  return [...section[1]!.matchAll(/^- `([a-z_]+)`/gm)].map((m) => m[1]!).sort();
}

describe.skipIf(!postgres)(`Citus-ready keys (${postgres ? 'postgres' : REASON})`, () => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    store = connectStore(testConfig({ ...database.env, LOG_LEVEL: 'error' }));
    await migrateToLatest(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
  });

  const tables = async () =>
    (
      await sql<{ table_name: string; tenant: boolean }>`
        select c.relname as table_name,
               exists (select 1 from pg_attribute a
                       where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped) as tenant
        from pg_class c
        where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
          and c.relname not like 'kysely_%'
        order by 1`.execute(store.db)
    ).rows;

  /** Each key's columns in key order: primary keys, unique indexes (constraints or not) and foreign keys. */
  const keys = async () =>
    (
      await sql<{
        table_name: string;
        key_name: string;
        kind: string;
        columns: string[];
        target: string | null;
      }>`
        select t.relname as table_name, i.relname as key_name,
               case when x.indisprimary then 'primary key' else 'unique index' end as kind,
               array(select a.attname from unnest(x.indkey) with ordinality k(attnum, n)
                     join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                     order by k.n)::text[] as columns,
               null as target
        from pg_index x
        join pg_class t on t.oid = x.indrelid
        join pg_class i on i.oid = x.indexrelid
        where t.relnamespace = current_schema()::regnamespace and (x.indisunique or x.indisprimary)
        union all
        select t.relname, k.conname, 'foreign key',
               array(select a.attname from unnest(k.conkey) with ordinality c(attnum, n)
                     join pg_attribute a on a.attrelid = t.oid and a.attnum = c.attnum
                     order by c.n)::text[],
               p.relname
        from pg_constraint k
        join pg_class t on t.oid = k.conrelid
        join pg_class p on p.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(store.db)
    ).rows;

  it('every primary key, unique index and tenant-to-tenant foreign key of a tenant table begins with workspace_id', async () => {
    const tenant = new Set((await tables()).filter((t) => t.tenant).map((t) => t.table_name));
    expect(tenant.size).toBeGreaterThan(10);
    const offending = (await keys())
      .filter((k) => tenant.has(k.table_name))
      .filter((k) => k.kind !== 'foreign key' || tenant.has(k.target!))
      .filter((k) => k.columns[0] !== 'workspace_id')
      .map((k) => `${k.table_name}: ${k.kind} ${k.key_name} (${k.columns.join(', ')})`);
    expect(offending, 'keys Citus could not enforce on a table sharded by workspace_id').toEqual([]);
  });

  it('every tenant table has a primary key (Citus needs one to route updates and moves)', async () => {
    const withPrimary = new Set(
      (await keys()).filter((k) => k.kind === 'primary key').map((k) => k.table_name),
    );
    const missing = (await tables())
      .filter((t) => t.tenant && !withPrimary.has(t.table_name))
      .map((t) => t.table_name);
    expect(missing).toEqual([]);
  });

  it('docs/scale.md lists exactly the tables without workspace_id as reference tables', async () => {
    const reference = (await tables()).filter((t) => !t.tenant).map((t) => t.table_name);
    expect(documentedReferenceTables()).toEqual(reference);
  });
});
