import type { OperationContext, Verdict } from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { isAgent, pendingChanges } from '../policy/rules.js';
import type { RecordKind } from '../records/kind.js';
import { loadRecord } from '../records/loaded.js';
import { fieldChanges } from '../records/records.js';
import { dealKind } from './deal.js';

const CLOSED = ['won', 'lost'];

/**
 * A target-dependent rule (policy approve_deal_close): an agent's deal update that moves the deal
 * to won or lost — its status, or a stage named won/lost — waits for a human; the same update
 * with any other stage move applies at once.
 */
export async function dealCloseRule(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Promise<Verdict | null> {
  if (!isAgent(ctx)) return null;
  const policy = await loadPolicy(ctx.ws);
  if (!policy.approve_deal_close) return null;
  const current = await loadRecord(ctx, 'deals', input.deal_id as string);
  if (!current) return null; // the handler answers not_found
  const changed = pendingChanges(
    ctx,
    dealKind as unknown as RecordKind,
    current,
    fieldChanges(input, 'deal_id'),
  );
  const closes = (field: 'status' | 'stage') =>
    field in changed && CLOSED.includes(String(changed[field]![1] ?? '').toLowerCase());
  if (!closes('status') && !closes('stage')) return null;
  const to = closes('status') ? String(changed.status![1]) : String(changed.stage![1]);
  return {
    decision: 'require_approval',
    reason_code: 'deal.close_requires_approval',
    summary: `move deal/${current.id} (${current.title}) to ${to}`,
    target: `deal/${current.id}`,
    targetVersion: current.version,
    diff: changed,
  };
}
