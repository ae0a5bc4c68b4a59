import type { AuditEntry } from '../operations/define.js';

/**
 * The change-feed type of an audited change: `<kind>.created|updated|deleted|restored` for
 * records (from the target handle and the changes), otherwise the operation's own name.
 */
export function eventType(operation: string, entry: AuditEntry): string {
  if (entry.event) return entry.event;
  const kind = entry.target?.split('/')[0];
  const deleted = entry.changes?.deleted_at;
  if (!kind) return operation;
  if (deleted) return `${kind}.${deleted[1] === null ? 'restored' : 'deleted'}`;
  if (entry.version === 1) return `${kind}.created`;
  if (entry.version !== undefined) return `${kind}.updated`;
  return operation;
}
