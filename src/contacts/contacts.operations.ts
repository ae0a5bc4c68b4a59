import { z } from 'zod';
import { idRef } from '../crm/fields.js';
import { lifecycleOperations } from '../crm/lifecycle.operations.js';
import { expectedVersion, fieldChanges, recordResult, versionInput } from '../crm/records.js';
import { withRefs } from '../crm/refs.js';
import { missing, updateRecord, upsertRecord } from '../crm/write.js';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { listInput } from '../query/input.js';
import { contactKind, contactWrite, toContactRecord } from './contact.js';
import { findContact, listContacts } from './contacts.repository.js';

const contactId = idRef('c');

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
    const { row, created } = await upsertRecord(ctx, contactKind, input);
    const [record] = await withRefs(ctx.ws, 'contacts', [row], toContactRecord);
    return recordResult(record!, created ? { status: 201, meta: ['# created'] } : { meta: ['# updated'] });
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
    if (!row) throw await missing(ctx, contactKind, input.contact_id);
    const [record] = await withRefs(ctx.ws, 'contacts', [row], toContactRecord);
    return recordResult(record!);
  },
});

export const updateContactOperation = defineOperation({
  name: 'contacts.update',
  summary: 'Change some fields of a contact; omitted fields are kept, null clears a field.',
  description:
    'Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to refuse the change ' +
    'with 409 version_conflict if someone changed the contact since.',
  http: { method: 'PATCH', path: '/contacts/:contact_id' },
  scope: 'write',
  mutating: true,
  input: z.strictObject({ contact_id: contactId, ...contactWrite.shape, ...versionInput }),
  async handler(ctx, input) {
    const changes = fieldChanges(input, 'contact_id');
    if (Object.keys(changes).length === 0) {
      throw new AppError(
        'invalid_input',
        'no fields to change',
        `send one or more of: ${contactKind.writable.join(', ')}`,
      );
    }
    const { row, changed } = await updateRecord(
      ctx,
      contactKind,
      input.contact_id,
      changes,
      expectedVersion(input),
    );
    const [record] = await withRefs(ctx.ws, 'contacts', [row], toContactRecord);
    return recordResult(record!, { meta: [changed ? '# updated' : '# unchanged'] });
  },
});

export const searchContacts = defineOperation({
  name: 'contacts.search',
  summary: 'List or query contacts: filters field=[op:]value, search=, sort=, limit=, cursor=.',
  description:
    'Filters: name email phone title stage company_id tags follow_up_at follow_up_note version created_at updated_at ' +
    'custom.<key>. Operators: eq ne gt gte lt lte like in is not. When more rows remain the answer carries a cursor ' +
    '("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.',
  http: { method: 'GET', path: '/contacts', queryFilters: true },
  scope: 'read',
  mutating: false,
  input: listInput,
  async handler(ctx, input) {
    const page = await listContacts(ctx.ws, input);
    const data = await withRefs(ctx.ws, 'contacts', page.rows, toContactRecord);
    return { data, nextCursor: page.nextCursor, warnings: page.warnings };
  },
});

export const contactOperations = [
  createContact,
  getContact,
  updateContactOperation,
  searchContacts,
  ...lifecycleOperations(contactKind),
];
