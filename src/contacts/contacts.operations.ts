import { z } from 'zod';
import { idRef, mergeCustom } from '../crm/fields.js';
import { AppError, notFound } from '../errors.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { listInput } from '../query/input.js';
import type { ContactsTable } from '../store/schema.js';
import { type ContactChanges, contactWrite, toContactRecord } from './contact.js';
import {
  findContact,
  findContactByEmail,
  insertContact,
  listContacts,
  liveCompanyExists,
  updateContact,
} from './contacts.repository.js';

const contactId = idRef('c');

/** The column values a set of changes writes, with JSON fields serialised and merged. */
function columnsFor(changes: ContactChanges, current: ContactsTable | undefined) {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (key === 'tags') columns.tags = JSON.stringify(value ?? []);
    else if (key === 'custom') {
      const before = current ? (JSON.parse(current.custom) as Record<string, unknown>) : {};
      columns.custom = JSON.stringify(
        value === null ? {} : mergeCustom(before, value as Record<string, unknown>),
      );
    } else columns[key] = value;
  }
  return columns;
}

/** Field → [before, after] for the fields whose stored value actually changes. */
function diff(before: ContactsTable | undefined, columns: Record<string, unknown>) {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, after] of Object.entries(columns)) {
    const previous = before ? (before as unknown as Record<string, unknown>)[key] : null;
    if (previous !== after) changes[key] = [previous ?? null, after ?? null];
  }
  return changes;
}

async function checkCompany(ctx: OperationContext, companyId: string | null | undefined) {
  if (companyId && !(await liveCompanyExists(ctx.ws, companyId))) {
    throw new AppError(
      'invalid_input',
      `company_id: company/${companyId} does not exist in this workspace`,
      'create the company first (POST /companies) or send company_id: null',
    );
  }
}

async function applyUpdate(ctx: OperationContext, current: ContactsTable, changes: ContactChanges) {
  if (changes.email && changes.email !== current.email) {
    const holder = await findContactByEmail(ctx.ws, changes.email);
    if (holder && holder.id !== current.id) {
      throw new AppError(
        'conflict',
        `email ${changes.email} already belongs to contact/${holder.id}`,
        `update contact/${holder.id} instead, or merge the two contacts`,
      );
    }
  }
  const columns = diff(current, columnsFor(changes, current));
  if (Object.keys(columns).length === 0) return { row: current, changed: false };
  const set = Object.fromEntries(Object.entries(columns).map(([key, [, after]]) => [key, after]));
  const row = await updateContact(ctx.ws, current.id, { ...set, updated_at: ctx.now });
  ctx.audit({ target: `contact/${current.id}`, changes: columns });
  return { row, changed: true };
}

export const createContact = defineOperation({
  name: 'contacts.create',
  summary:
    'Create a contact, or update the live contact with the same email (upsert; fields you send are merged).',
  description:
    'Answers "# created" (201) or "# updated" (200). custom is merged key by key; a custom key sent as null is removed.',
  http: { method: 'POST', path: '/contacts' },
  scope: 'write',
  mutating: true,
  input: contactWrite.refine((input) => input.name || input.email, {
    message: 'a contact needs at least a name or an email',
    path: ['name'],
  }),
  async handler(ctx, input) {
    await checkCompany(ctx, input.company_id);
    const existing = input.email ? await findContactByEmail(ctx.ws, input.email) : undefined;
    if (!existing) {
      const id = ctx.services.ids.next('c');
      const columns = columnsFor(input, undefined);
      const row: ContactsTable = {
        workspace_id: ctx.ws.workspaceId,
        id,
        name: null,
        email: null,
        phone: null,
        title: null,
        stage: null,
        company_id: null,
        tags: '[]',
        custom: '{}',
        follow_up_at: null,
        follow_up_note: null,
        ...columns,
        version: 1,
        created_at: ctx.now,
        updated_at: ctx.now,
        deleted_at: null,
      };
      const { workspace_id: _, ...values } = row;
      if (await insertContact(ctx.ws, values)) {
        ctx.audit({ target: `contact/${id}`, changes: diff(undefined, columns) });
        return { status: 201, data: toContactRecord(row), meta: ['# created'] };
      }
    }
    // Either the email was known, or a concurrent request created it between our read and insert.
    const current = existing ?? (await findContactByEmail(ctx.ws, input.email!));
    if (!current)
      throw new AppError('conflict', 'the contact changed during the request', 'retry the request');
    const { row } = await applyUpdate(ctx, current, input);
    return { status: 200, data: toContactRecord(row), meta: ['# updated'] };
  },
});

export const getContact = defineOperation({
  name: 'contacts.get',
  summary: 'Fetch one contact by id or handle.',
  http: { method: 'GET', path: '/contacts/:contact_id' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({ contact_id: contactId }),
  async handler(ctx, input) {
    const row = await findContact(ctx.ws, input.contact_id);
    if (!row) throw notFound(`contact/${input.contact_id}`);
    return { data: toContactRecord(row) };
  },
});

export const updateContactOperation = defineOperation({
  name: 'contacts.update',
  summary: 'Change some fields of a contact; omitted fields are kept, null clears a field.',
  http: { method: 'PATCH', path: '/contacts/:contact_id' },
  scope: 'write',
  mutating: true,
  input: z.strictObject({ contact_id: contactId, ...contactWrite.shape }),
  async handler(ctx, { contact_id, ...changes }) {
    if (Object.keys(changes).length === 0) {
      throw new AppError(
        'invalid_input',
        'no fields to change',
        `send one or more of: ${Object.keys(contactWrite.shape).join(', ')}`,
      );
    }
    const current = await findContact(ctx.ws, contact_id);
    if (!current) throw notFound(`contact/${contact_id}`);
    await checkCompany(ctx, changes.company_id);
    const { row, changed } = await applyUpdate(ctx, current, changes);
    return { data: toContactRecord(row), meta: [changed ? '# updated' : '# unchanged'] };
  },
});

export const searchContacts = defineOperation({
  name: 'contacts.search',
  summary: 'List or query contacts: filters field=[op:]value, search=, sort=, limit=, cursor=.',
  description:
    'Filters: name email phone title stage company_id tags follow_up_at follow_up_note version created_at updated_at ' +
    'custom.<key> company.<name|domain|industry|size|website|tags|custom.<key>>. Operators: eq ne gt gte lt lte like ' +
    'in is not. search= is fuzzy over name, email, title, phone and notes, best matches first. ' +
    'When more rows remain the answer carries a cursor ' +
    '("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.',
  http: { method: 'GET', path: '/contacts', queryFilters: true },
  scope: 'read',
  mutating: false,
  input: listInput,
  async handler(ctx, input) {
    const page = await listContacts(ctx.ws, input);
    return { data: page.rows.map(toContactRecord), nextCursor: page.nextCursor, warnings: page.warnings };
  },
});

export const contactOperations = [createContact, getContact, updateContactOperation, searchContacts];
