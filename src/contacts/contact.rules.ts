import type { OperationContext, Verdict } from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { isAgent, pendingChanges } from '../policy/rules.js';
import type { RecordKind } from '../records/kind.js';
import { loadLiveBy, loadRecord } from '../records/loaded.js';
import type { FieldChanges } from '../records/records.js';
import { fieldChanges } from '../records/records.js';
import { findRecord } from '../records/records.repository.js';
import { contactKind } from './contact.js';
import { findLiveContacts } from './merge.repository.js';
import { survivorChanges } from './merge-fields.js';
import { sensitiveOf } from './sensitive.js';

// A contact's policy rules: its sensitive fields (src/contacts/sensitive.ts) change through a human.

const proposeAction = (fields: string[]) => ({
  tool_name: 'contacts.propose_update',
  when: `now, to ask a human to approve the change of ${fields.join(', ')}`,
});

/**
 * The live contact a write would change: by id (update) or by email (upsert). Loaded into the run,
 * so the handler that follows works on this row without reading it again.
 */
async function contactTarget(ctx: OperationContext, input: Record<string, unknown>) {
  if (typeof input.contact_id === 'string') return loadRecord(ctx, 'contacts', input.contact_id);
  if (typeof input.email === 'string') return loadLiveBy(ctx, 'contacts', 'email', input.email);
  return undefined;
}

/**
 * Direct writes by an agent (contacts.update, and contacts.create when it updates by email, on
 * every surface and in every batch, import or bulk update, which run these one item at a time) may
 * not change a sensitive field of an existing contact: they are denied with a pointer to
 * contacts.propose_update. People write directly; a new contact may carry any field, since
 * nothing a person wrote is replaced.
 */
export async function directContactWrite(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const current = await contactTarget(ctx, input);
  if (!current) return null;
  const policy = await loadPolicy(ctx.ws);
  const changed = pendingChanges(
    ctx,
    contactKind as unknown as RecordKind,
    current,
    fieldChanges(input, 'contact_id'),
  );
  const sensitive = sensitiveOf(changed, policy);
  if (sensitive.length === 0) return null;
  return {
    decision: 'deny',
    reason_code: 'contact.sensitive_field',
    summary: `${sensitive.join(', ')} of contact/${current.id} can only change through contacts.propose_update`,
    target: `contact/${current.id}`,
    targetVersion: current.version,
    diff: Object.fromEntries(sensitive.map((field) => [field, changed[field]!])),
    nextActions: [proposeAction(sensitive)],
  };
}

/**
 * contacts.propose_update: a change that touches a sensitive field waits for a human; any other
 * change applies at once, as contacts.update would.
 */
export async function proposedContactChange(
  ctx: OperationContext,
  input: { contact_id: string; changes: Record<string, unknown> },
): Promise<Verdict | null> {
  const current = await loadRecord(ctx, 'contacts', input.contact_id);
  if (!current) return null; // the handler answers not_found
  const policy = await loadPolicy(ctx.ws);
  const changed = pendingChanges(ctx, contactKind as unknown as RecordKind, current, input.changes);
  const sensitive = sensitiveOf(changed, policy);
  if (sensitive.length === 0) return null;
  return {
    decision: 'require_approval',
    reason_code: 'contact.sensitive_field',
    summary: `change ${sensitive.join(', ')} of contact/${current.id} (${current.name ?? current.email ?? 'unnamed'})`,
    target: `contact/${current.id}`,
    targetVersion: current.version,
    diff: changed,
  };
}

/**
 * contacts.merge by an agent: the survivor takes the merged contacts' values where its own are
 * empty, and their tags and custom keys. When that would change a sensitive field, the merge waits
 * for a human (a proposal of the whole merge), as contacts.propose_update would; otherwise a new
 * contact made with a phone and merged in would write the phone of an existing one.
 */
export async function agentMergePolicy(
  ctx: OperationContext,
  input: { contact_id: string; from: string[] },
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const survivor = await loadRecord(ctx, 'contacts', input.contact_id);
  if (!survivor) return null; // the handler answers not_found
  const from = [...new Set(input.from)].filter((id) => id !== survivor.id);
  const found = new Map((await findLiveContacts(ctx.ws, from)).map((row) => [row.id, row]));
  if (from.some((id) => !found.has(id))) return null; // the handler answers not_found
  const set = await survivorChanges(
    async (id) => (await findRecord(ctx.ws, 'companies', id)) !== undefined,
    survivor,
    from.map((id) => found.get(id)!),
    [],
  );
  const current = survivor as unknown as Record<string, unknown>;
  const changed: FieldChanges = Object.fromEntries(
    Object.entries(set).map(([field, value]) => [field, [current[field] ?? null, value]]),
  );
  const policy = await loadPolicy(ctx.ws);
  const sensitive = sensitiveOf(changed, policy);
  if (sensitive.length === 0) return null;
  return {
    decision: 'require_approval',
    reason_code: 'contact.sensitive_field',
    summary: `merge ${from.map((id) => `contact/${id}`).join(', ')} into contact/${survivor.id}, which changes its ${sensitive.join(', ')}`,
    target: `contact/${survivor.id}`,
    targetVersion: survivor.version,
    diff: changed,
  };
}
