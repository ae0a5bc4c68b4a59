import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EventsTable, WebhookDeliveriesTable, WebhooksTable } from '../store/schema.js';

/** An event-type pattern: `*`, `contact.*`, or an exact type such as `contact.created`. */
export const eventPattern = z
  .string()
  .trim()
  .regex(
    /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/,
    'an event type such as contact.created, a prefix such as contact.*, or * for every event',
  );

export function matchesAny(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the decoded secret. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The JSON body sent for an event: the same bytes on every attempt and replay. */
export function eventBody(event: EventsTable): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.at,
    data: {
      id: event.id,
      seq: Number(event.seq),
      workspace_id: event.workspace_id,
      target: event.target,
      operation: event.operation,
      actor: event.actor,
      changes: event.changes ? JSON.parse(event.changes) : null,
      request_id: event.request_id,
    },
  });
}

export function toWebhookRecord(row: WebhooksTable) {
  return {
    handle: `webhook/${row.id}`,
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    status: row.status,
    consecutive_failures: Number(row.consecutive_failures),
    failing_since: row.failing_since,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toDeliveryRecord(row: WebhookDeliveriesTable) {
  return {
    handle: `delivery/${row.id}`,
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_seq: Number(row.event_seq),
    event_type: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    last_attempt_at: row.last_attempt_at,
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    last_error: row.last_error,
    last_duration_ms: row.last_duration_ms === null ? null : Number(row.last_duration_ms),
    last_response: row.last_response,
    delivered_at: row.delivered_at,
    replay_of: row.replay_of,
    created_at: row.created_at,
  };
}

/** Attempts per delivery, and the retry delay ceiling: full jitter over 15 s × 4ⁿ, capped at 12 h. */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 15_000;
export const MAX_DELAY_MS = 12 * 3600 * 1000;

/** The delay before attempt `attempts + 1`, after `attempts` failed ones (full jitter). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 4 ** (attempts - 1));
  // A floor of one second keeps a burst of failures from spinning.
  return Math.max(1000, Math.floor(random() * ceiling));
}
