import { bootstrapAgent } from '../agents/bootstrap.operations.js';
import { setWorkspacePlan } from '../billing/billing.repository.js';
import { callOperation } from '../operations/call.js';
import type { Progress } from '../progress.js';
import type { Services } from '../services.js';
import { scopeTo } from '../store/scoped.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { type SeedCounts, type SeedOptions, type SeedTable, seedPhases } from './generate.js';
import {
  firstAgentId,
  insertAuditRow,
  insertSeedRows,
  refreshStatistics,
  widenPageCache,
} from './seed.repository.js';

interface SeedReport {
  workspaceId: string;
  tables: { table: SeedTable; rows: number; ms: number }[];
  rows: number;
  ms: number;
}

interface NewWorkspace {
  workspaceId: string;
  agentId: string;
  token: string;
}

/**
 * A workspace with an agent and its token, made by the same operation as POST /agent-bootstrap,
 * then moved to the production plan: seeded volumes are far past the sandbox caps.
 */
export async function createSeedWorkspace(services: Services, agentName: string): Promise<NewWorkspace> {
  const result = await callOperation(
    services,
    bootstrapAgent,
    { agent_name: agentName, workspace_name: `${agentName} sandbox` },
    {
      credentials: { caller: null },
      // The operator's own command: no request rate limit, as the CLI import.
      rateLimit: 'surface',
      requestId: services.ids.next('req'),
      idempotencyKey: null,
      toolName: null,
      reason: 'agentcrm seed',
      clientIp: 'cli',
    },
  );
  const data = result.data as { workspace_id: string; agent_id: string; token: string };
  // Seeded data is far past the sandbox caps; an operator's seed workspace is on production.
  await setWorkspacePlan(
    services.store.db,
    data.workspace_id,
    'production',
    services.clock.now().toISOString(),
  );
  return { workspaceId: data.workspace_id, agentId: data.agent_id, token: data.token };
}

export class SeedError extends Error {
  /** True when the request itself is wrong (an unknown workspace), not the seeding. */
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

// SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535; 500 rows of ≤19 columns fit both.
const ROWS_PER_STATEMENT = 500;
// Few, large transactions: each commit writes every index page it touched to the WAL (and a
// checkpoint writes it again), so fewer commits mean far fewer page writes for the same rows.
const ROWS_PER_TRANSACTION = 50_000;

/**
 * Fills one workspace with the seed data set, table by table, in multi-row inserts and large
 * transactions, then records one audit row (actor `system`/`cli`) that says what was seeded.
 * A failure leaves the tables committed so far; the error says which table stopped.
 */
export async function seedWorkspace(
  services: Services,
  workspaceId: string,
  counts: SeedCounts & { seed: number; now: Date },
  progress: Progress,
): Promise<SeedReport> {
  const { db, dialect } = services.store;
  if (!(await findWorkspace(db, workspaceId))) {
    throw new SeedError(`workspace ${workspaceId} does not exist`, true);
  }
  const ws = scopeTo(db, dialect, workspaceId);
  if (counts.activities > 0 && counts.contacts === 0) {
    throw new SeedError('activities belong to contacts: seed at least one contact, or --activities 0', true);
  }
  const options: SeedOptions = { ...counts, createdBy: (await firstAgentId(ws)) ?? 'system' };
  await widenPageCache(db, dialect);
  const started = performance.now();
  const tables: SeedReport['tables'] = [];
  for (const phase of seedPhases(options)) {
    const phaseStarted = performance.now();
    progress.start(phase.table, phase.total);
    const batches = phase.batches(ROWS_PER_STATEMENT);
    let done = false;
    while (!done) {
      try {
        await db.transaction().execute(async (trx) => {
          const scoped = scopeTo(trx, dialect, workspaceId);
          for (let rows = 0; rows < ROWS_PER_TRANSACTION; ) {
            const next = batches.next();
            if (next.done) {
              done = true;
              return;
            }
            await insertSeedRows(scoped, phase.table, next.value);
            rows += next.value.length;
            progress.advance(next.value.length);
          }
        });
      } catch (error) {
        progress.finish();
        throw explain(error, phase.table, workspaceId);
      }
    }
    progress.finish();
    tables.push({ table: phase.table, rows: phase.total, ms: performance.now() - phaseStarted });
  }
  await refreshStatistics(
    db,
    dialect,
    tables.map(({ table }) => table),
  );
  const now = services.clock.now().toISOString();
  await insertAuditRow(db, dialect, {
    workspace_id: workspaceId,
    id: services.ids.next('aud'),
    at: now,
    actor_type: 'system',
    actor_id: 'cli',
    token_id: null,
    token_name: null,
    operation: 'seed.run',
    tool_name: null,
    target: `workspace/${workspaceId}`,
    changes: JSON.stringify(Object.fromEntries(tables.map(({ table, rows }) => [table, [null, rows]]))),
    reason: `agentcrm seed --seed ${counts.seed} --now ${counts.now.toISOString()}`,
    request_id: services.ids.next('req'),
    idempotency_key: null,
    policy_decision: 'allow',
    reason_code: 'policy.allowed',
    record_version: null,
    operation_id: null,
    reverts: null,
  });
  const rows = tables.reduce((sum, table) => sum + table.rows, 0);
  return { workspaceId, tables, rows, ms: performance.now() - started };
}

function explain(error: unknown, table: SeedTable, workspaceId: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/UNIQUE constraint|duplicate key/i.test(message)) {
    return new SeedError(
      `seeding ${table} collided with records already in ${workspaceId} (${message}); ` +
        'seed a new workspace (leave out --workspace) or use another --seed',
    );
  }
  return new SeedError(`seeding ${table} failed: ${message}`);
}
