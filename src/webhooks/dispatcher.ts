import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createPoller } from '../poller.js';
import type { Services } from '../services.js';
import type { WebhookDeliveriesTable } from '../store/schema.js';
import { openWebhookSecret } from './secret-box.js';
import { postDelivery } from './send.js';
import type { WebhookDispatcher } from './types.js';
import { eventBody, MAX_ATTEMPTS, retryDelayMs, sign } from './webhook.js';
import {
  claimDueDeliveries,
  findEventBySeq,
  findWebhookById,
  hasDueDeliveries,
  recordAttempt,
} from './webhooks.repository.js';

export type { WebhookDispatcher } from './types.js';

/** Deliveries leased per round; they are sent in parallel. */
const BATCH = 10;

/**
 * Sends queued webhook deliveries. Any number of server processes run one against the same
 * database: each round leases due rows in one statement (SKIP LOCKED on PostgreSQL), so a row is
 * in one process's hands at a time; the lease outlasts the request timeout, and a process that
 * dies loses its leases when they expire, after which another takes the rows over.
 */
export function createWebhookDispatcher(services: Services, intervalMs = 1000): WebhookDispatcher {
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const { config } = services;
  const timeoutMs = config.webhooksTimeoutSeconds * 1000;
  // Long enough to send and record; never shorter than the request can take.
  const leaseMs = timeoutMs + 5000;

  const deliver = async (delivery: WebhookDeliveriesTable) => {
    const { db } = services.store;
    const [webhook, event] = await Promise.all([
      findWebhookById(db, delivery.workspace_id, delivery.webhook_id),
      findEventBySeq(db, delivery.workspace_id, Number(delivery.event_seq)),
    ]);
    if (!webhook || !event) return; // deleted meanwhile: its deliveries went with it
    const secret = await openWebhookSecret(services.keyring, services.store, webhook, webhook.secret_sealed);
    const body = eventBody(event);
    const timestamp = Math.floor(services.clock.now().getTime() / 1000);
    const result = await postDelivery(
      new URL(webhook.url),
      {
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(secret, event.id, timestamp, body),
      },
      body,
      { allowLoopback: config.webhooksAllowLoopback, timeoutMs, resolve: services.resolveHost },
    );
    const now = services.clock.now();
    const attempts = Number(delivery.attempts) + 1;
    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const exhausted = !succeeded && attempts >= MAX_ATTEMPTS;
    const error =
      result.error ??
      (succeeded
        ? null
        : `HTTP ${result.statusCode}${result.statusCode! >= 300 && result.statusCode! < 400 ? ' (redirects are not followed)' : ''}`);
    await recordAttempt(
      db,
      delivery,
      worker,
      {
        status: succeeded ? 'succeeded' : exhausted ? 'failed' : 'pending',
        attempts,
        next_attempt_at:
          succeeded || exhausted
            ? delivery.next_attempt_at
            : new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
        last_attempt_at: now.toISOString(),
        last_status_code: result.statusCode,
        last_error: error,
        last_duration_ms: result.durationMs,
        last_response: result.excerpt,
        delivered_at: succeeded ? now.toISOString() : null,
      },
      { succeeded, failingAfter: exhausted ? MAX_ATTEMPTS : null, now: now.toISOString() },
    );
    services.metrics.webhookAttempt(
      succeeded ? 'succeeded' : exhausted ? 'given_up' : 'retrying',
      (now.getTime() - Date.parse(delivery.next_attempt_at)) / 1000,
    );
    services.logger.info(
      {
        delivery: delivery.id,
        webhook: webhook.id,
        event: event.id,
        attempt: attempts,
        status: result.statusCode,
        ms: result.durationMs,
        error,
      },
      'webhook delivery attempted',
    );
  };

  // A full batch means more may be due: the poller runs another round at once.
  const poller = createPoller(intervalMs, services.logger, 'webhook dispatcher', async () => {
    const now = services.clock.now();
    if (!(await hasDueDeliveries(services.store.db, now.toISOString()))) return false;
    const claimed = await claimDueDeliveries(services.store.db, services.store.dialect, {
      worker,
      now: now.toISOString(),
      until: new Date(now.getTime() + leaseMs).toISOString(),
      limit: BATCH,
    });
    // An event leaves the server only once the change it reports (and the claim) is on disk.
    if (claimed.length > 0) await services.store.durable();
    await Promise.all(
      claimed.map((delivery) =>
        deliver(delivery).catch((error: unknown) =>
          services.logger.error({ err: error, delivery: delivery.id }, 'webhook delivery failed'),
        ),
      ),
    );
    return claimed.length === BATCH;
  });
  return { wake: poller.wake, start: poller.start, stop: poller.stop };
}
