import { sql } from 'kysely';
import type { StepUpCodesTable } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

/** A new code for this user and action replaces any earlier one still pending. */
export async function replaceStepUpCode(
  ws: WorkspaceDb,
  row: Omit<StepUpCodesTable, 'workspace_id'>,
): Promise<void> {
  await ws
    .deleteFrom('step_up_codes')
    .where('user_id', '=', row.user_id)
    .where('action_hash', '=', row.action_hash)
    .where('used_at', 'is', null)
    .execute();
  await ws.insertInto('step_up_codes', row).execute();
}

/** Spends one try on the pending code for this user and action; undefined when none is left. */
export async function takeStepUpAttempt(
  ws: WorkspaceDb,
  userId: string,
  actionHash: string,
  now: string,
  maxFailures: number,
): Promise<StepUpCodesTable | undefined> {
  return ws
    .updateTable('step_up_codes')
    .set({ failures: sql<number>`failures + 1` })
    .where('user_id', '=', userId)
    .where('action_hash', '=', actionHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('failures', '<', maxFailures)
    .returningAll()
    .executeTakeFirst() as Promise<StepUpCodesTable | undefined>;
}

export async function spendStepUpCode(ws: WorkspaceDb, id: string, now: string): Promise<boolean> {
  const result = await ws
    .updateTable('step_up_codes')
    .set({ used_at: now, failures: 0 })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
