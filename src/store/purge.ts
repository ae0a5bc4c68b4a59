/**
 * What the retention sweeper's purges share (docs/lifecycle.md): each selects at most a batch of
 * rows past their time, then deletes them by key with the condition repeated, so two sweepers
 * racing delete each row once and each counts only what it deleted itself.
 */

/** The query limited to one workspace, or left across all of them (`null`). */
export const scoped = <Q extends { where: (...args: never[]) => Q }>(
  query: Q,
  workspaceId: string | null,
): Q =>
  // biome-ignore lint/suspicious/noExplicitAny: the same predicate on every builder
  workspaceId === null ? query : (query as any).where('workspace_id', '=', workspaceId);

export const deletedCount = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/** Selected keys grouped by workspace, so each delete names its workspace (one shard on Citus). */
export function byWorkspace<K extends { workspace_id: string }, V>(
  keys: K[],
  value: (key: K) => V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const key of keys) {
    const list = groups.get(key.workspace_id);
    if (list) list.push(value(key));
    else groups.set(key.workspace_id, [value(key)]);
  }
  return groups;
}
