import { z } from 'zod';
import { listCompanies } from '../companies/companies.repository.js';
import { companyKind, companyWrite } from '../companies/company.js';
import { contactKind, contactWrite } from '../contacts/contact.js';
import { listContacts } from '../contacts/contacts.repository.js';
import { dealKind, dealWrite } from '../deals/deal.js';
import { listDeals } from '../deals/deals.repository.js';
import { AppError } from '../errors.js';
import {
  type AnyOperation,
  defineOperation,
  type OperationContext,
  type Verdict,
} from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { checkConfirmation, issueConfirmation } from '../records/confirm.js';
import type { RecordKind } from '../records/kind.js';
import type { ListPage, ListParams } from '../records/query/apply.js';
import { queryFingerprint } from '../records/query/cursor.js';
import { listInput } from '../records/query/input.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { bulkPolicy, enqueue } from './jobs.operations.js';

/** The most records one bulk change by query may touch; narrow the query for more. */
export const MAX_BULK = 10_000;

type Lister = (ws: WorkspaceDb, params: ListParams) => Promise<ListPage<{ id: string }>>;

const queryInput = {
  where: listInput.shape.where,
  search: listInput.shape.search,
};

/** The ids a query matches, in its order, up to MAX_BULK (more is refused, not truncated). */
async function matchingIds(
  ctx: OperationContext,
  list: Lister,
  query: { where?: ListParams['where']; search?: string },
) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(ctx.ws, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    ids.push(...page.rows.map((row) => row.id));
    cursor = page.nextCursor ?? undefined;
    if (ids.length > MAX_BULK) {
      throw new AppError(
        'invalid_query',
        `the query matches more than ${MAX_BULK} records`,
        'narrow it with more filters (e.g. created_at=lt:…) and run several bulk changes',
      );
    }
  } while (cursor);
  return ids;
}

function bulkUpdate(kind: RecordKind, list: Lister, write: z.ZodObject): AnyOperation {
  const idsFor = (ctx: OperationContext, input: { where?: ListParams['where']; search?: string }) =>
    matchingIds(ctx, list, input);
  return defineOperation({
    name: `${kind.table}.bulk_update`,
    summary: `Apply the same field changes to every ${kind.kind} a query matches (up to ${MAX_BULK}); runs in the background.`,
    description:
      `where and search are the list query (as in GET ${kind.path}); changes are the fields, as for ${kind.table}.update. ` +
      `Each record is updated exactly as ${kind.table}.update would (policy, audit); answers with an operation_id.`,
    http: { method: 'POST', path: `${kind.path}/bulk-update` },
    scope: 'write',
    mutating: true,
    approval: 'sometimes',
    reasonCodes: ['bulk.requires_approval', 'bulk.too_large', 'invalid_query'],
    input: z.strictObject({ ...queryInput, changes: write }),
    async policy(ctx, input) {
      return bulkPolicy(ctx, { items: await idsFor(ctx, input) });
    },
    async handler(ctx, input) {
      if (Object.keys(input.changes).length === 0) {
        throw new AppError(
          'invalid_input',
          'changes: no fields to change',
          `send one or more of: ${kind.writable.join(', ')}`,
        );
      }
      const ids = await idsFor(ctx, input);
      const items = ids.map((id) => ({ [kind.idField]: id, ...input.changes }));
      return enqueue(ctx, `${kind.table}.bulk_update`, `${kind.table}.update`, items);
    },
  });
}

function bulkDelete(kind: RecordKind, list: Lister): AnyOperation {
  const target = (input: object) => `bulk_delete:${kind.table}:${queryFingerprint(input)}`;
  return defineOperation({
    name: `${kind.table}.bulk_delete`,
    summary: `Delete every ${kind.kind} a query matches (up to ${MAX_BULK}), in two steps like a single delete; runs in the background.`,
    description:
      'The first call answers confirmation_required with the number of matches and a token bound to this query, ' +
      'its match count and your token; repeat with confirm. Deleted records stay restorable for 30 days. ' +
      "An agent's confirmed bulk delete follows the policy's agent_deletes and bulk thresholds.",
    http: { method: 'POST', path: `${kind.path}/bulk-delete` },
    scope: 'write',
    mutating: true,
    approval: 'sometimes',
    reasonCodes: [
      'confirmation_required',
      'delete.requires_approval',
      'delete.agent_denied',
      'bulk.requires_approval',
      'bulk.too_large',
    ],
    input: z.strictObject({ ...queryInput, confirm: z.string().max(200).optional() }),
    async policy(ctx, input): Promise<Verdict | null> {
      if (ctx.caller?.principalType !== 'agent' || !input.confirm) return null;
      const { confirm, ...query } = input;
      const ids = await matchingIds(ctx, list, query);
      if ((await checkConfirmation(ctx, { target: target(query), version: ids.length }, confirm)) !== 'valid')
        return null;
      const policy = await loadPolicy(ctx.ws);
      if (policy.agent_deletes === 'deny') {
        return {
          decision: 'deny',
          reason_code: 'delete.agent_denied',
          summary: `this workspace's policy does not let agents delete ${kind.table}`,
        };
      }
      const bulk = await bulkPolicy(ctx, { items: ids });
      if (bulk?.decision === 'deny' || policy.agent_deletes === 'allow') return bulk;
      return {
        decision: 'require_approval',
        reason_code: 'delete.requires_approval',
        summary: `delete ${ids.length} ${kind.table} matching ${JSON.stringify(query)}`,
        diff: { deleted: [null, ids.length] },
      };
    },
    async handler(ctx, input) {
      const { confirm, ...query } = input;
      const ids = await matchingIds(ctx, list, query);
      const binding = { target: target(query), version: ids.length };
      const confirmed =
        ctx.approval !== null ||
        (confirm !== undefined && (await checkConfirmation(ctx, binding, confirm)) === 'valid');
      if (!confirmed) {
        const { token, expiresAt } = await issueConfirmation(ctx, binding);
        throw new AppError(
          'confirmation_required',
          `${confirm ? 'the confirm token does not match this query and its current matches; ' : ''}this deletes ${ids.length} ${kind.table}`,
          `confirm with your user, then repeat the same request with "confirm":"${token}" (until ${expiresAt})`,
          { data: { matches: ids.length, confirm_token: token, expires_at: expiresAt } },
        );
      }
      // The items carry the bulk's confirmation: each runs as an already-confirmed delete.
      return enqueue(
        ctx,
        `${kind.table}.bulk_delete`,
        `${kind.table}.delete`,
        ids.map((id) => ({ [kind.idField]: id })),
        true,
      );
    },
  });
}

export const bulkOperations = [
  bulkUpdate(contactKind, listContacts, contactWrite),
  bulkDelete(contactKind, listContacts),
  bulkUpdate(companyKind, listCompanies, companyWrite),
  bulkDelete(companyKind, listCompanies),
  bulkUpdate(dealKind, listDeals, dealWrite),
  bulkDelete(dealKind, listDeals),
];
