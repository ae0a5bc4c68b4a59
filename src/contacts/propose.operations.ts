import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { heldResult, updateWithHolds } from '../records/holds.js';
import { withRefs } from '../records/refs.js';
import { recordView } from '../records/views.js';
import { contactKind, contactWrite } from './contact.js';
import { proposedContactChange } from './contact.rules.js';

export const proposeContactUpdate = defineOperation({
  name: 'contacts.propose_update',
  view: recordView('contacts'),
  summary:
    'Propose a change to a contact: changes to sensitive fields wait for a human (outcome "proposed", 202); others apply at once.',
  description:
    'Input: contact_id, changes (the fields to change, as for contacts.update), and reason (shown to the human). ' +
    'On "proposed", poll proposals.get_status with data.id until the status is applied, rejected, stale or failed. ' +
    'The change is applied to the contact as it is when approved; if a proposed field changed meanwhile the proposal ' +
    'becomes stale instead.',
  http: { method: 'POST', path: '/contacts/:contact_id/proposals' },
  scope: 'write',
  mutating: true,
  approval: 'sometimes',
  // Its purpose is to propose; changes to fields that are not sensitive apply at once.
  kind: 'propose',
  reasonCodes: ['contact.sensitive_field'],
  input: z.strictObject({ contact_id: idRef('c'), changes: contactWrite }),
  policy: proposedContactChange,
  async handler(ctx, input) {
    if (Object.keys(input.changes).length === 0) {
      throw new AppError(
        'invalid_input',
        'changes: no fields to change',
        `send changes with one or more of: ${contactKind.writable.join(', ')}`,
      );
    }
    const update = await updateWithHolds(ctx, contactKind, input.contact_id, input.changes);
    const [record] = await withRefs(ctx.ws, 'contacts', [update.row], contactKind.toRecord);
    return heldResult(update, record!, [update.changed ? '# updated' : '# unchanged']);
  },
});
