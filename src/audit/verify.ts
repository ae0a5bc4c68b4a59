import type { Kysely } from 'kysely';
import type { Progress } from '../progress.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import { changesDigest, rowHash } from './chain.js';
import {
  type ChainLink,
  chainPage,
  chainStart,
  countAuditRows,
  nextAuditedWorkspace,
} from './chain.repository.js';

/** The first place a chain does not hold, described so an operator can find the row. */
export interface BrokenLink {
  workspaceId: string;
  /** The row where verification failed (for a missing row: the row after the gap). */
  auditId: string;
  seq: number;
  problem: 'missing_rows' | 'prev_hash' | 'changes_digest' | 'hash';
  /** What the chain says should be there, and what the row holds. */
  expected: string;
  found: string;
}

export interface VerifyResult {
  workspaces: number;
  rows: number;
  broken: BrokenLink | null;
}

const PAGE = 1000;

/** The first problem with one row, given the link before it; null when the row holds. */
function checkRow(row: AuditLogTable, before: ChainLink): Omit<BrokenLink, 'workspaceId'> | null {
  const at = { auditId: row.id, seq: Number(row.seq) };
  if (Number(row.seq) !== before.seq + 1) {
    return { ...at, problem: 'missing_rows', expected: `seq ${before.seq + 1}`, found: `seq ${row.seq}` };
  }
  if (row.prev_hash !== before.hash) {
    return { ...at, problem: 'prev_hash', expected: before.hash, found: String(row.prev_hash) };
  }
  // A blanked `changes` (an erasure) is allowed: its digest, in the hash, still stands for it.
  const digest = changesDigest(row.changes);
  if (digest !== null && digest !== row.changes_digest) {
    return { ...at, problem: 'changes_digest', expected: String(row.changes_digest), found: digest };
  }
  const hash = rowHash(row);
  if (hash !== row.hash) return { ...at, problem: 'hash', expected: hash, found: String(row.hash) };
  return null;
}

/**
 * Walks every workspace's audit chain (or one), a page at a time so memory stays bounded however
 * long the log, and stops at the first broken link.
 */
export async function verifyChains(
  db: Kysely<Database>,
  options: {
    workspaceId?: string;
    progress?: Progress;
    /** Each verified workspace's last link, to keep outside the database (see docs/audit.md). */
    onVerified?: (workspaceId: string, head: ChainLink) => void;
  } = {},
): Promise<VerifyResult> {
  const result: VerifyResult = { workspaces: 0, rows: 0, broken: null };
  options.progress?.start('audit', await countAuditRows(db, options.workspaceId));
  try {
    let workspaceId = options.workspaceId ?? (await nextAuditedWorkspace(db, null));
    while (workspaceId !== undefined) {
      let link = await chainStart(db, workspaceId);
      for (;;) {
        const rows = await chainPage(db, workspaceId, link.seq, PAGE);
        for (const row of rows) {
          const broken = checkRow(row, link);
          if (broken) {
            result.broken = { workspaceId, ...broken };
            return result;
          }
          link = { seq: Number(row.seq), hash: row.hash };
          result.rows += 1;
        }
        options.progress?.advance(rows.length);
        if (rows.length < PAGE) break;
      }
      result.workspaces += 1;
      options.onVerified?.(workspaceId, link);
      workspaceId = options.workspaceId ? undefined : await nextAuditedWorkspace(db, workspaceId);
    }
    return result;
  } finally {
    options.progress?.finish();
  }
}
