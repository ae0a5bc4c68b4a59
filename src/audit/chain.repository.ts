import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AuditLogTable, Database } from '../store/schema.js';
import { slices } from '../store/slices.js';
import type { DialectCapabilities } from '../store/types.js';
import { chainRows, GENESIS_HASH, type UnchainedAuditRow } from './chain.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ChainLink {
  seq: number;
  hash: string;
}

/** Where a workspace's chain starts: after its purge anchor, or at the genesis hash. */
export async function chainStart(db: Db, workspaceId: string): Promise<ChainLink> {
  const anchor = await db
    .selectFrom('audit_chain_anchors')
    .select(['seq', 'hash'])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return anchor ? { seq: Number(anchor.seq), hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** The last link of a workspace's chain: its newest row, or where the chain starts. */
async function chainHead(db: Db, workspaceId: string): Promise<ChainLink> {
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? { seq: Number(last.seq), hash: last.hash } : chainStart(db, workspaceId);
}

/**
 * Appends audit rows to the end of their workspaces' chains, in the order given. Every writer of
 * audit rows goes through here. On PostgreSQL two transactions appending to one workspace would
 * both read the same head and fork the chain, so each takes the workspace's chain lock first and
 * holds it until it commits; the unique (workspace_id, seq) index refuses a fork should anything
 * slip past. Outside a transaction it opens one, as the lock lasts only as long as one.
 */
export async function appendAuditRows(
  db: Db,
  dialect: DialectCapabilities,
  rows: UnchainedAuditRow[],
): Promise<void> {
  if (rows.length === 0) return;
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAuditRows(trx, dialect, rows));
    return;
  }
  const byWorkspace = new Map<string, UnchainedAuditRow[]>();
  for (const row of rows) {
    const list = byWorkspace.get(row.workspace_id);
    if (list) list.push(row);
    else byWorkspace.set(row.workspace_id, [row]);
  }
  // Locks taken in one order by everyone cannot deadlock each other.
  for (const workspaceId of [...byWorkspace.keys()].sort()) {
    const lock = dialect.transactionLock(`agentcrm:audit_chain:${workspaceId}`);
    if (lock) await lock.execute(db);
    // SQLite has one writer, but another process may write too (the CLI's seed or import beside a
    // running server): a transaction that read the head before writing could not take the write
    // lock once another had written (SQLITE_BUSY at once, without waiting). A write that changes
    // nothing, before the read, takes the lock first, waiting busy_timeout like any write.
    if (dialect.name === 'sqlite') await sql`delete from audit_chain_anchors where 1 = 0`.execute(db);
    const chained = chainRows(await chainHead(db, workspaceId), byWorkspace.get(workspaceId)!);
    for (const slice of slices(chained)) await db.insertInto('audit_log').values(slice).execute();
  }
}

/** The first workspace after `after` (in byte order) that has audit rows; a seek on the primary key. */
export async function nextAuditedWorkspace(db: Db, after: string | null): Promise<string | undefined> {
  let query = db.selectFrom('audit_log').select((eb) => eb.fn.min('workspace_id').as('workspace_id'));
  if (after !== null) query = query.where('workspace_id', '>', after);
  const row = await query.executeTakeFirst();
  return row?.workspace_id ?? undefined;
}

/** One page of a workspace's chain after `afterSeq`, in chain order. */
export async function chainPage(
  db: Db,
  workspaceId: string,
  afterSeq: number,
  limit: number,
): Promise<AuditLogTable[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** How many audit rows a verification will read (for its progress). */
export async function countAuditRows(db: Db, workspaceId?: string): Promise<number> {
  let query = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
