import { agentDeletePolicy } from '../policy/rules.js';
import { lifecycleOperations } from '../records/lifecycle.operations.js';
import {
  createOperation,
  getOperation,
  searchOperation,
  updateOperation,
} from '../records/record.operations.js';
import { listCompanies } from './companies.repository.js';
import { companyKind, companySpec, companyWrite } from './company.js';

export const companyOperations = [
  createOperation(companyKind, {
    summary:
      'Create a company, or update the live company with the same domain (upsert; fields you send are merged).',
    description:
      'The domain is normalised (https://www.Acme.com/about → acme.com) before matching. Answers "# created" (201) ' +
      'or "# updated" (200). custom is merged key by key; a custom key sent as null is removed.',
    input: companyWrite.refine((input) => input.name || input.domain, {
      message: 'a company needs at least a name or a domain',
      path: ['name'],
    }),
  }),
  getOperation(companyKind),
  updateOperation(companyKind, companyWrite),
  searchOperation(companyKind, companySpec, listCompanies, 'name, domain and industry'),
  ...lifecycleOperations(companyKind, { deletePolicy: agentDeletePolicy(companyKind) }),
];
