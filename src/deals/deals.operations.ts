import { agentDeletePolicy } from '../policy/rules.js';
import { lifecycleOperations } from '../records/lifecycle.operations.js';
import {
  createOperation,
  getOperation,
  searchOperation,
  updateOperation,
} from '../records/record.operations.js';
import { dealCreate, dealKind, dealSpec, dealWrite } from './deal.js';
import { dealCloseRule } from './deal.rules.js';
import { listDeals } from './deals.repository.js';

export const dealOperations = [
  createOperation(dealKind, {
    summary: 'Create a deal: title, amount_cents + currency, stage, status, contact_id, company_id, …',
    description:
      "amount_cents is an integer in the currency's minor unit (cents); currency is an ISO 4217 code and is " +
      'required with an amount. status is open, won or lost (closed_at is set when it becomes won or lost). ' +
      'contact_id and company_id must name live records of this workspace.',
    input: dealCreate,
  }),
  getOperation(dealKind),
  updateOperation(dealKind, dealWrite, {
    description:
      'E.g. {"stage":"won","status":"won"}; setting status back to open clears closed_at. Under the policy ' +
      "approve_deal_close an agent's move to won or lost becomes a proposal (deal.close_requires_approval); other stage " +
      'moves apply at once.',
    policy: dealCloseRule,
  }),
  searchOperation(dealKind, dealSpec, listDeals, 'title and follow_up_note'),
  ...lifecycleOperations(dealKind, { deletePolicy: agentDeletePolicy(dealKind) }),
];
