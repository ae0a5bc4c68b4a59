import { contactKind } from '../contacts/contact.js';
import { findContact } from '../contacts/contacts.repository.js';
import { findLiveContacts } from '../contacts/merge.repository.js';
import { survivorChanges } from '../contacts/merge-fields.js';
import { dealKind } from '../deals/deal.js';
import { bulkPolicy } from '../jobs/jobs.operations.js';
import type { OperationContext, Verdict } from '../operations/define.js';
import { checkConfirmation } from '../records/confirm.js';
import type { RecordKind, RecordTable } from '../records/kind.js';
import { handleOf } from '../records/kind.js';
import { columnsFor, diff, type FieldChanges, fieldChanges } from '../records/records.js';
import { findLiveBy, findRecord } from '../records/records.repository.js';
import { loadPolicy, type Policy } from './policy.js';

/** Field → [current, proposed] for the fields a change would really alter on a record. */
function pendingChanges(
  ctx: OperationContext,
  kind: RecordKind,
  current: { custom: string } | undefined,
  changes: Record<string, unknown>,
): FieldChanges {
  let columns = columnsFor(changes, current);
  if (kind.derive) columns = kind.derive(current as never, columns, ctx.now);
  return diff(current, columns);
}

const isAgent = (ctx: OperationContext) => ctx.caller?.principalType === 'agent';

/** A stored value that says something: filling an empty field is adding, not changing. */
const isSet = (value: unknown) =>
  value !== null && value !== undefined && value !== '' && value !== '[]' && value !== '{}';

/**
 * Whether an agent's change of one contact field, from `before`, must go through a human: every
 * change of a sensitive field does (the guide: "sensitive contact field updates always go through
 * contacts.propose_update"), except filling an empty one where the workspace allows it
 * (agents_fill_empty_sensitive_fields). do_not_contact is a flag that always holds a value.
 */
function needsHuman(policy: Policy, field: string, before: unknown): boolean {
  if (!policy.sensitive_contact_fields.includes(field as never)) return false;
  const fillsEmpty = field !== 'do_not_contact' && !isSet(before);
  return !(fillsEmpty && policy.agents_fill_empty_sensitive_fields);
}

/** The sensitive fields of a change that must go through a human (see needsHuman). */
function sensitiveOf(changed: FieldChanges, policy: Policy): string[] {
  return Object.entries(changed)
    .filter(([field, [before]]) => needsHuman(policy, field, before))
    .map(([field]) => field);
}

const proposeAction = (fields: string[]) => ({
  tool_name: 'contacts.propose_update',
  when: `now, to ask a human to approve the change of ${fields.join(', ')}`,
});

/** The live contact a write would change: by id (update) or by email (upsert). */
async function contactTarget(ctx: OperationContext, input: Record<string, unknown>) {
  if (typeof input.contact_id === 'string') return findRecord(ctx.ws, 'contacts', input.contact_id);
  if (typeof input.email === 'string') return findLiveBy(ctx.ws, 'contacts', 'email', input.email);
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
  const changed = pendingChanges(ctx, contactKind, current, fieldChanges(input, 'contact_id'));
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
  const current = await findRecord(ctx.ws, 'contacts', input.contact_id);
  if (!current) return null; // the handler answers not_found
  const policy = await loadPolicy(ctx.ws);
  const changed = pendingChanges(ctx, contactKind, current, input.changes);
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
  const survivor = await findContact(ctx.ws, input.contact_id);
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

/**
 * Deletes by agents follow the policy's agent_deletes (allow, require_approval or deny). The
 * policy speaks once the agent has confirmed (a valid ?confirm= token): the first call still
 * answers confirmation_required with the reference counts, as for anyone.
 */
export function agentDeletePolicy(kind: RecordKind<RecordTable>) {
  return async (ctx: OperationContext, input: Record<string, unknown>): Promise<Verdict | null> => {
    if (!isAgent(ctx) || typeof input.confirm !== 'string') return null;
    const policy = await loadPolicy(ctx.ws);
    if (policy.agent_deletes === 'allow') return null;
    const id = input[kind.idField] as string;
    const current = await findRecord(ctx.ws, kind.table, id);
    if (!current) return null; // the handler answers not_found
    const target = handleOf(kind, id);
    const check = await checkConfirmation(ctx, { target, version: current.version }, input.confirm);
    if (check !== 'valid') return null; // the handler explains the bad token
    if (policy.agent_deletes === 'deny') {
      return {
        decision: 'deny',
        reason_code: 'delete.agent_denied',
        summary: `this workspace's policy does not let agents delete ${kind.table}`,
        target,
      };
    }
    return {
      decision: 'require_approval',
      reason_code: 'delete.requires_approval',
      summary: `delete ${target}`,
      target,
      targetVersion: current.version,
      diff: { deleted_at: [null, 'on approval'] },
    };
  };
}

/** What the revert policy needs to know of a planned revert, record by record. */
export interface RevertImpact {
  target: string;
  action: 'update' | 'delete' | 'restore' | 'none';
  fields: { field: string; now: unknown; restore: unknown }[];
}

/**
 * An agent's revert meets the rules its writes would meet one by one: deleting records (undoing a
 * create or a restore) follows agent_deletes; overwriting or clearing a sensitive contact field
 * (or filling one, unless agents_fill_empty_sensitive_fields) needs a human's approval, as
 * contacts.propose_update does; a revert touching more records than
 * the bulk thresholds is approved or denied as a batch of that size would be.
 */
export async function agentRevertPolicy(
  ctx: OperationContext,
  records: readonly RevertImpact[],
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const touched = records.filter((record) => record.fields.length > 0);
  if (touched.length === 0) return null;
  const policy = await loadPolicy(ctx.ws);
  const single = touched.length === 1 ? touched[0]!.target : null;
  const diff = Object.fromEntries(
    touched
      .flatMap((record) =>
        record.fields.map(
          ({ field, now, restore }) =>
            [single ? field : `${record.target}.${field}`, [now, restore]] as [string, [unknown, unknown]],
        ),
      )
      .slice(0, 200),
  );
  const deletes = touched.filter((record) => record.action === 'delete');
  if (deletes.length && policy.agent_deletes === 'deny') {
    return {
      decision: 'deny',
      reason_code: 'delete.agent_denied',
      summary: `this revert deletes ${deletes.map((record) => record.target).join(', ')}, and this workspace's policy does not let agents delete`,
      target: single,
    };
  }
  const bulk = await bulkPolicy(ctx, { items: touched });
  if (bulk) return { ...bulk, target: single, diff };
  const approval = (reason_code: Verdict['reason_code'], summary: string): Verdict => ({
    decision: 'require_approval',
    reason_code,
    summary,
    target: single,
    diff,
  });
  if (deletes.length && policy.agent_deletes === 'require_approval') {
    return approval(
      'delete.requires_approval',
      `revert, deleting ${deletes.map((r) => r.target).join(', ')}`,
    );
  }
  const sensitive = touched.flatMap((record) =>
    record.target.startsWith('contact/')
      ? record.fields
          .filter(({ field, now }) => needsHuman(policy, field, now))
          .map(({ field }) => `${record.target}.${field}`)
      : [],
  );
  if (sensitive.length) return approval('contact.sensitive_field', `revert ${sensitive.join(', ')}`);
  return null;
}

const CLOSED = ['won', 'lost'];

/**
 * A target-dependent rule (policy approve_deal_close): an agent's deal update that moves the deal
 * to won or lost — its status, or a stage named won/lost — waits for a human; the same update
 * with any other stage move applies at once.
 */
export async function dealCloseRule(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const policy = await loadPolicy(ctx.ws);
  if (!policy.approve_deal_close) return null;
  const current = await findRecord(ctx.ws, 'deals', input.deal_id as string);
  if (!current) return null; // the handler answers not_found
  const changed = pendingChanges(ctx, dealKind, current, fieldChanges(input, 'deal_id'));
  const closes = (field: 'status' | 'stage') =>
    field in changed && CLOSED.includes(String(changed[field]![1] ?? '').toLowerCase());
  if (!closes('status') && !closes('stage')) return null;
  const to = closes('status') ? String(changed.status![1]) : String(changed.stage![1]);
  return {
    decision: 'require_approval',
    reason_code: 'deal.close_requires_approval',
    summary: `move deal/${current.id} (${current.title}) to ${to}`,
    target: `deal/${current.id}`,
    targetVersion: current.version,
    diff: changed,
  };
}
