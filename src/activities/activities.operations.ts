import { z } from 'zod';
import { contactKind } from '../contacts/contact.js';
import { findContact } from '../contacts/contacts.repository.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { listInput } from '../records/query/input.js';
import { columnsFor, diff, recordResult } from '../records/records.js';
import { checkReferences, withRefs } from '../records/refs.js';
import { recordView } from '../records/views.js';
import { missing } from '../records/write.js';
import type { ActivitiesTable } from '../store/schema.js';
import { insertActivity, listActivities } from './activities.repository.js';
import { activityWrite, toActivityRecord } from './activity.js';

async function liveContact(ctx: OperationContext, id: string) {
  const contact = await findContact(ctx.ws, id);
  if (!contact) throw await missing(ctx, contactKind, id);
  return contact;
}

export const createActivity = defineOperation({
  name: 'activities.create',
  view: recordView('activities'),
  summary: 'Log an activity on a contact: {"kind":"call|email|meeting|note|task","body":...}.',
  description: 'occurred_at defaults to now; deal_id optionally ties it to a live deal.',
  http: { method: 'POST', path: '/contacts/:contact_id/activities' },
  scope: 'write',
  mutating: true,
  input: z.strictObject({ contact_id: idRef('c'), ...activityWrite }),
  async handler(ctx, input) {
    await liveContact(ctx, input.contact_id);
    const columns = columnsFor({ ...input, occurred_at: input.occurred_at ?? ctx.now }, undefined);
    await checkReferences(ctx.ws, 'activities', columns);
    const row: ActivitiesTable = {
      workspace_id: ctx.ws.workspaceId,
      id: ctx.services.ids.next('a'),
      contact_id: input.contact_id,
      deal_id: input.deal_id ?? null,
      kind: input.kind,
      body: input.body,
      occurred_at: input.occurred_at ?? ctx.now,
      created_by: ctx.caller?.principalId ?? 'system',
      version: 1,
      created_at: ctx.now,
    };
    const { workspace_id: _, ...values } = row;
    await insertActivity(ctx.ws, values);
    ctx.audit({ target: `activity/${row.id}`, changes: diff(undefined, columns), version: 1 });
    const [record] = await withRefs(ctx.ws, 'activities', [row], toActivityRecord);
    return recordResult(record!, { status: 201, meta: ['# created'] });
  },
});

export const listActivitiesOperation = defineOperation({
  name: 'activities.list',
  view: recordView('activities'),
  summary:
    'Recent activities, newest first: ?contact=&deal=&limit=&cursor= (also GET /contacts/{id}/activities).',
  description:
    'Other filters use the query language: kind, occurred_at, created_at, created_by, body; sort= defaults to ' +
    '-occurred_at. Activities of a deleted contact are hidden until it is restored.',
  http: {
    method: 'GET',
    path: '/activities',
    aliases: ['/contacts/:contact_id/activities'],
    queryFilters: true,
  },
  scope: 'read',
  mutating: false,
  input: listInput.extend({
    contact: idRef('c').optional(),
    contact_id: idRef('c').optional(),
    deal: idRef('d').optional(),
  }),
  async handler(ctx, { contact, contact_id, deal, ...params }) {
    const contactId = contact_id ?? contact;
    if (contactId) await liveContact(ctx, contactId);
    const where = { ...params.where };
    if (contactId) where.contact_id = contactId;
    if (deal) where.deal_id = deal;
    const page = await listActivities(ctx.ws, { ...params, where });
    const data = await withRefs(ctx.ws, 'activities', page.rows, toActivityRecord);
    return { data, nextCursor: page.nextCursor, warnings: page.warnings };
  },
});

export const activityOperations = [createActivity, listActivitiesOperation];
