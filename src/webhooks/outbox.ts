import type { OperationContext } from '../operations/define.js';
import { matchesAny } from './webhook.js';
import { insertDeliveries, webhookTargets } from './webhooks.repository.js';

export interface OutboxEvent {
  id: string;
  seq: number;
  type: string;
}

/** A delivery row waiting for its first attempt (also used by replay). */
export function pendingDelivery(ctx: OperationContext, webhookId: string, event: OutboxEvent) {
  return {
    id: ctx.services.ids.next('whd'),
    webhook_id: webhookId,
    event_id: event.id,
    event_seq: event.seq,
    event_type: event.type,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: ctx.now,
    locked_by: null,
    locked_until: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    last_duration_ms: null,
    last_response: null,
    delivered_at: null,
    replay_of: null as string | null,
    created_at: ctx.now,
  };
}

/**
 * The transactional outbox: called for each change-feed event inside the operation's
 * transaction, it queues one pending delivery per endpoint whose patterns match. The rows commit
 * or roll back with the change itself, so a committed change is never lost and a rolled-back one
 * (refused, failed, dry run) is never sent. Endpoints are read once per transaction.
 */
export function createOutbox(ctx: OperationContext) {
  let targets: { id: string; patterns: string[] }[] | undefined;
  let queued = 0;
  /** Queues the deliveries of these events with multi-row INSERTs, in their order. */
  const addMany = async (events: OutboxEvent[]): Promise<void> => {
    targets ??= (await webhookTargets(ctx.ws)).map((row) => ({
      id: row.id,
      patterns: JSON.parse(row.events) as string[],
    }));
    const rows = events.flatMap((event) =>
      targets!
        .filter((target) => matchesAny(target.patterns, event.type))
        .map((target) => pendingDelivery(ctx, target.id, event)),
    );
    await insertDeliveries(ctx.ws, rows);
    queued += rows.length;
  };
  return {
    add: (event: OutboxEvent) => addMany([event]),
    /** add for many events at once (a batch chunk). */
    addMany,
    /** How many deliveries were queued: the dispatcher is woken after commit when any were. */
    get queued() {
      return queued;
    },
  };
}
