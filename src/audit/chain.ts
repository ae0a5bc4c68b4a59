import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../store/schema.js';

/**
 * The hash chain over each workspace's audit log (docs/audit.md, "Tamper evidence"). Every row
 * carries its place in its workspace's chain (`seq`, 1, 2, 3, …), the hash of the row before it
 * (`prev_hash`) and its own hash over a canonical encoding of its content. Editing, inserting or
 * deleting a row breaks the link after it, which `agentcrm audit verify` reports.
 *
 * The changes enter the hash only through their digest (`changes_digest`, a column of its own):
 * an erasure that must remove personal data can blank the `changes` text and the chain still
 * verifies, since the digest it was hashed with stays.
 */

/** The previous hash of a workspace's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the encoding below ever changes (old rows keep verifying under their own version). */
const ENCODING = 'agentcrm-audit-v1';

/** An audit row before it is chained: everything but its place in the chain. */
export type UnchainedAuditRow = Omit<AuditLogTable, 'seq' | 'changes_digest' | 'prev_hash' | 'hash'>;

/** The columns the hash covers (all but `changes`, covered by its digest, and `hash` itself). */
export type HashedAuditRow = Omit<AuditLogTable, 'changes' | 'hash'>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The digest of a row's changes text; null changes have a null digest. */
export function changesDigest(changes: string | null): string | null {
  return changes === null ? null : sha256(changes);
}

/** Text, or null: numbers (seq, record_version) as decimal text, whichever driver read them. */
const field = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : String(value);

/**
 * The row's hash: SHA-256 of a JSON array of its fields in a fixed order. A JSON array of strings
 * and nulls is unambiguous (no value can run into the next) and encodes the same on every runtime.
 */
export function rowHash(row: HashedAuditRow): string {
  return sha256(
    JSON.stringify([
      ENCODING,
      field(row.workspace_id),
      field(row.seq),
      field(row.id),
      field(row.at),
      field(row.actor_type),
      field(row.actor_id),
      field(row.token_id),
      field(row.token_name),
      field(row.operation),
      field(row.tool_name),
      field(row.target),
      field(row.reason),
      field(row.request_id),
      field(row.idempotency_key),
      field(row.policy_decision),
      field(row.reason_code),
      field(row.record_version),
      field(row.operation_id),
      field(row.reverts),
      field(row.changes_digest),
      field(row.prev_hash),
    ]),
  );
}

/** Links rows (in the order given) after the chain's head: their seq, prev_hash, digest and hash. */
export function chainRows(head: { seq: number; hash: string }, rows: UnchainedAuditRow[]): AuditLogTable[] {
  let { seq, hash } = head;
  return rows.map((row) => {
    seq += 1;
    const linked = { ...row, seq, changes_digest: changesDigest(row.changes), prev_hash: hash };
    hash = rowHash(linked);
    return { ...linked, hash };
  });
}
