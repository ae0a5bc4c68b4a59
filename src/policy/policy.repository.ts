import type { WorkspaceDb } from '../store/scoped.js';

export async function findPolicyOverrides(ws: WorkspaceDb): Promise<Record<string, unknown> | undefined> {
  const row = await ws.selectFrom('workspace_policies').select('policy').executeTakeFirst();
  return row ? (JSON.parse(row.policy) as Record<string, unknown>) : undefined;
}

export async function savePolicyOverrides(
  ws: WorkspaceDb,
  overrides: Record<string, unknown>,
  updatedBy: string,
  now: string,
): Promise<void> {
  const values = { policy: JSON.stringify(overrides), updated_by: updatedBy, updated_at: now };
  await ws
    .insertInto('workspace_policies', values)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
    .execute();
}
