import { lifecycleOperations } from '../crm/lifecycle.operations.js';
import { createOperation, getOperation, searchOperation, updateOperation } from '../crm/record.operations.js';
import { contactKind, contactSpec, contactWrite } from './contact.js';
import { listContacts } from './contacts.repository.js';
import { getContactContext } from './context.operations.js';

export const contactOperations = [
  createOperation(contactKind, {
    summary:
      'Create a contact, or update the live contact with the same email (upsert; fields you send are merged).',
    description:
      'Answers "# created" (201) or "# updated" (200). custom is merged key by key; a custom key sent as null is removed.',
    input: contactWrite.refine((input) => input.name || input.email, {
      message: 'a contact needs at least a name or an email',
      path: ['name'],
    }),
  }),
  getOperation(contactKind),
  updateOperation(contactKind, contactWrite),
  searchOperation(contactKind, contactSpec, listContacts, 'name, email, title and follow_up_note'),
  ...lifecycleOperations(contactKind),
  getContactContext,
];
