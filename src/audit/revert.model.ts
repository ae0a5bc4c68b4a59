import { companyKind } from '../companies/company.js';
import { contactKind } from '../contacts/contact.js';
import { dealKind } from '../deals/deal.js';
import type { RecordKind, RecordTable } from '../records/kind.js';
import type { AuditLogTable } from '../store/schema.js';
import { taskKind } from '../tasks/task.js';

/** The record kinds whose changes can be reverted, by handle kind. Activities only for moved references. */
export const KINDS: Record<string, RecordKind<RecordTable> | 'activity'> = {
  contact: contactKind as unknown as RecordKind<RecordTable>,
  company: companyKind as unknown as RecordKind<RecordTable>,
  deal: dealKind as unknown as RecordKind<RecordTable>,
  task: taskKind as unknown as RecordKind<RecordTable>,
  activity: 'activity',
};

export type RevertAction = 'update' | 'delete' | 'restore' | 'none';

/** One field a revert writes: its value now, and the value it restores. */
export interface FieldRevert {
  field: string;
  now: unknown;
  restore: unknown;
}

/** A field a revert leaves alone because it changed again since the reverted change. */
export interface RevertConflict {
  target: string;
  field: string;
  /** The value now. */
  now: unknown;
  /** The value the reverted change left. */
  left: unknown;
  /** The value the revert would have restored. */
  restore: unknown;
  why: string;
}

export interface RecordRevert {
  target: string;
  id: string;
  kind: RecordKind<RecordTable> | 'activity';
  action: RevertAction;
  current: Record<string, unknown>;
  fields: FieldRevert[];
  conflicts: RevertConflict[];
  /** The audit ids of the changes to this record being undone. */
  auditIds: string[];
}

export interface RevertPlan {
  entries: number;
  records: RecordRevert[];
  skipped: { audit_id: string; target: string | null; why: string }[];
}

export const norm = (value: unknown) => (value === undefined ? null : value);
export const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
export const changesOf = (row: { changes: string | null }) =>
  JSON.parse(row.changes ?? '{}') as Record<string, [unknown, unknown]>;

/** Why an audit row cannot be reverted, or null when it can. */
export function unrevertable(row: AuditLogTable): string | null {
  if (row.policy_decision !== 'allow') return `a ${row.policy_decision} decision changed nothing`;
  const kind = row.target?.split('/')[0] ?? '';
  if (!row.target || !KINDS[kind]) return 'not a change to a contact, company, deal or task';
  if (!row.changes || row.changes === '{}') return 'no field changes';
  if (KINDS[kind] === 'activity' && row.record_version !== null)
    return 'activities are a log: logging one is not undone';
  return null;
}
