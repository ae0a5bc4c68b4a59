import { agentDeletePolicy } from '../policy/rules.js';
import { lifecycleOperations } from '../records/lifecycle.operations.js';
import {
  createOperation,
  getOperation,
  searchOperation,
  updateOperation,
} from '../records/record.operations.js';
import { contactKind, contactSpec, contactWrite } from './contact.js';
import { directContactWrite } from './contact.rules.js';
import { listContacts } from './contacts.repository.js';
import { getContactContext } from './context.operations.js';
import { proposeContactUpdate } from './propose.operations.js';

const SENSITIVE_NOTE =
  'Agents cannot change the sensitive fields of an existing contact here (default: email, phone, do_not_contact, ' +
  'owner; see GET /policy), not even fill an empty one unless the policy agents_fill_empty_sensitive_fields is on: ' +
  'such a write is denied with reason contact.sensitive_field — use contacts.propose_update. A new contact may ' +
  'carry any field.';

export const contactOperations = [
  createOperation(contactKind, {
    summary:
      'Create a contact, or update the live contact with the same email (upsert; fields you send are merged).',
    description: `Answers "# created" (201) or "# updated" (200). custom is merged key by key; a custom key sent as null is removed. ${SENSITIVE_NOTE}`,
    input: contactWrite.refine((input) => input.name || input.email, {
      message: 'a contact needs at least a name or an email',
      path: ['name'],
    }),
    policy: directContactWrite,
    reasonCodes: ['contact.sensitive_field'],
  }),
  getOperation(contactKind),
  updateOperation(contactKind, contactWrite, {
    description: SENSITIVE_NOTE,
    policy: directContactWrite,
    reasonCodes: ['contact.sensitive_field'],
  }),
  searchOperation(contactKind, contactSpec, listContacts, 'name, email, title and follow_up_note'),
  proposeContactUpdate,
  ...lifecycleOperations(contactKind, { deletePolicy: agentDeletePolicy(contactKind) }),
  getContactContext,
];
