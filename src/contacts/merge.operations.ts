import { z } from 'zod';
import { textValue } from '../answer/text.js';
import { AppError, notFound } from '../errors.js';
import { defineOperation, type Warning } from '../operations/define.js';
import { releasePlanUsage } from '../plans/usage.js';
import { idRef } from '../records/fields.js';
import { afterWrite, loadRecord } from '../records/loaded.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/query/parse.js';
import { findRecord, updateVersioned } from '../records/records.repository.js';
import { recordView } from '../records/views.js';
import { toContactRecord } from './contact.js';
import { agentMergePolicy } from './contact.rules.js';
import {
  contactReferences,
  DUPLICATE_REASONS,
  type DuplicateReason,
  duplicateGroups,
  findLiveContacts,
  moveContactReferences,
  softDeleteContacts,
} from './merge.repository.js';
import { survivorChanges } from './merge-fields.js';

const contactId = idRef('c');
/** The handle kind of each table a merge moves references in. */
const REFERENCE_KINDS: Record<string, string> = { deals: 'deal', tasks: 'task', activities: 'activity' };
const MAX_IDS_SHOWN = 50;

const badCursor = () =>
  new AppError(
    'invalid_cursor',
    'the cursor is not one GET /contacts/duplicates issued',
    'repeat the request without cursor= and follow "# next:" from there',
  );

function decodeGroupCursor(cursor: string): { reason: DuplicateReason; key: string } {
  try {
    const { r, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      r: unknown;
      k: unknown;
    };
    if (DUPLICATE_REASONS.includes(r as DuplicateReason) && typeof k === 'string' && !k.includes('\u0000')) {
      return { reason: r as DuplicateReason, key: k };
    }
  } catch {}
  throw badCursor();
}

export const findDuplicates = defineOperation({
  name: 'contacts.duplicates',
  summary: 'Groups of contacts that look like the same person, each with its reason.',
  description:
    'Reasons: same_email (lower-cased, +tag dropped, Gmail dots ignored), same_phone (digits only, at least 7), ' +
    "similar_name (same company, names equal ignoring ASCII case, spaces and . , - ' _). Contacts are listed oldest " +
    'first; merge a group with POST /contacts/{oldest}/merge {"from":[the others]}. Pages with limit= and cursor=.',
  http: { method: 'GET', path: '/contacts/duplicates' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    reason: z.enum(DUPLICATE_REASONS as [DuplicateReason, ...DuplicateReason[]]).optional(),
    limit: z.coerce.number().int().min(1, 'limit is at least 1').optional(),
    cursor: z.string().max(2000).optional(),
  }),
  async handler(ctx, input) {
    const warnings: Warning[] = [];
    let limit = input.limit ?? DEFAULT_LIMIT;
    if (limit > MAX_LIMIT) {
      warnings.push({
        code: 'limit_clamped',
        message: `limit ${limit} is above the maximum; returned ${MAX_LIMIT}`,
      });
      limit = MAX_LIMIT;
    }
    const after = input.cursor ? decodeGroupCursor(input.cursor) : null;
    const reasons = input.reason ? [input.reason] : DUPLICATE_REASONS;
    if (after && !reasons.includes(after.reason)) throw badCursor();
    const groups = [];
    for (const reason of reasons) {
      if (after && reasons.indexOf(reason) < reasons.indexOf(after.reason)) continue;
      const afterKey = after?.reason === reason ? after.key : null;
      const rows = await duplicateGroups(ctx.ws, reason, afterKey, limit + 1 - groups.length);
      for (const row of rows) {
        const ids = row.ids.split(',');
        groups.push({
          reason,
          key: row.key,
          count: row.n,
          survivor: `contact/${ids[0]}`,
          contact_ids: ids.slice(0, MAX_IDS_SHOWN),
        });
      }
      if (groups.length > limit) break;
    }
    const more = groups.length > limit;
    if (more) groups.length = limit;
    const last = groups.at(-1);
    const nextCursor =
      more && last
        ? Buffer.from(JSON.stringify({ r: last.reason, k: last.key })).toString('base64url')
        : null;
    const text = groups.map(
      (g) =>
        `duplicates/${g.reason} key=${textValue(g.key)} count=${g.count} contacts=${g.contact_ids.map((id) => `contact/${id}`).join(',')}`,
    );
    return {
      data: groups,
      nextCursor,
      warnings,
      text,
      nextActions: groups.length
        ? [
            {
              tool_name: 'contacts.merge',
              when: 'to merge a group: POST /contacts/{oldest}/merge {"from":[the others]}',
            },
          ]
        : [],
    };
  },
});

export const mergeContacts = defineOperation({
  name: 'contacts.merge',
  view: recordView('contacts'),
  summary: 'Merge contacts into this one: references move here, the others are soft-deleted.',
  description:
    'The survivor (this contact) keeps its own values; each of its empty fields takes the first non-empty value ' +
    'among the merged contacts, in the order of "from". Tags are united; custom keys the survivor lacks are added ' +
    '(first one wins). Deals, tasks and activities of the merged contacts move to the survivor. Every merged ' +
    "contact gets an audit row naming the survivor. An agent's merge that would change a sensitive field of the " +
    "survivor (see GET /policy) waits for a human's approval (outcome proposed, contact.sensitive_field).",
  http: { method: 'POST', path: '/contacts/:contact_id/merge' },
  scope: 'write',
  mutating: true,
  approval: 'sometimes',
  reasonCodes: ['contact.sensitive_field'],
  policy: agentMergePolicy,
  input: z.strictObject({
    contact_id: contactId,
    from: z.array(contactId).min(1).max(50),
  }),
  async handler(ctx, input) {
    // The policy (agentMergePolicy) loaded the survivor already: the same row, read once.
    const survivor = await loadRecord(ctx, 'contacts', input.contact_id);
    if (!survivor) throw notFound(`contact/${input.contact_id}`);
    const from = [...new Set(input.from)];
    if (from.includes(survivor.id)) {
      throw new AppError(
        'invalid_input',
        `from: contact/${survivor.id} is the survivor itself`,
        'list only the contacts to merge into it',
      );
    }
    const found = new Map((await findLiveContacts(ctx.ws, from)).map((row) => [row.id, row]));
    const missing = from.find((id) => !found.has(id));
    if (missing) throw notFound(`contact/${missing}`);
    const merged = from.map((id) => found.get(id)!);

    const warnings: Warning[] = [];
    const isLiveCompany = async (id: string) => (await findRecord(ctx.ws, 'companies', id)) !== undefined;
    const set = await survivorChanges(isLiveCompany, survivor, merged, warnings);

    // The merged contacts go first: the survivor may take an email that only they held.
    const deleted = await softDeleteContacts(ctx.ws, from, ctx.now);
    afterWrite(ctx, 'contacts');
    if (deleted.length !== from.length) {
      throw new AppError('conflict', 'a contact changed during the merge', 'retry the merge');
    }
    const { counts: moved, rows: movedRows } = await moveContactReferences(
      ctx.ws,
      contactReferences(),
      from,
      survivor.id,
      ctx.now,
    );
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [key, value] of Object.entries(set)) {
      changes[key] = [(survivor as unknown as Record<string, unknown>)[key] ?? null, value];
    }
    await releasePlanUsage(ctx, 'contacts', from.length);
    const updated = Object.keys(set).length
      ? await updateVersioned(
          ctx.ws,
          'contacts',
          survivor.id,
          { ...set, updated_at: ctx.now },
          survivor.version,
        )
      : survivor;
    afterWrite(ctx, 'contacts');
    if (!updated)
      throw new AppError('conflict', `contact/${survivor.id} changed during the merge`, 'retry the merge');
    const row = updated;

    const handle = `contact/${survivor.id}`;
    ctx.audit({
      target: handle,
      changes: { ...changes, merged_from: [null, from.map((id) => `contact/${id}`)] },
      version: row.version,
    });
    for (const { id, version } of deleted) {
      ctx.audit({
        target: `contact/${id}`,
        changes: { deleted_at: [null, ctx.now], merged_into: [null, handle] },
        version,
      });
    }
    // Each moved reference is a change of its own record, so history shows it and undo can move it back.
    for (const moved of movedRows) {
      ctx.audit({
        target: `${REFERENCE_KINDS[moved.table]}/${moved.id}`,
        changes: { contact_id: [moved.before, survivor.id] },
        ...(moved.version === null ? {} : { version: moved.version }),
      });
    }
    const movedTotal = Object.values(moved).reduce((sum, n) => sum + n, 0);
    return {
      data: toContactRecord(row),
      warnings,
      meta: [
        `# merged ${from.length} contact${from.length === 1 ? '' : 's'} into ${handle}`,
        `# moved ${movedTotal} reference${movedTotal === 1 ? '' : 's'}`,
      ],
    };
  },
});

export const contactMergeOperations = [findDuplicates, mergeContacts];
