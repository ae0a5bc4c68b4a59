import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import { defineOperation, type Warning } from '../operations/define.js';
import { idRef, timestamp } from '../records/fields.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../records/query/cursor.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/query/parse.js';
import type { WebhookDeliveriesTable } from '../store/schema.js';
import { pendingDelivery } from './outbox.js';
import { openWebhookSecret } from './secret-box.js';
import { postDelivery } from './send.js';
import { matchesAny, sign, toDeliveryRecord } from './webhook.js';
import { existingWebhook, webhookId } from './webhooks.lookup.js';
import { eventsToReplay, findDelivery, insertDeliveries, listDeliveries } from './webhooks.repository.js';

/** Events re-queued by one replay call; the answer says where to continue. */
const MAX_REPLAY = 1000;

const deliveryId = idRef('whd');

export const listDeliveriesOperation = defineOperation({
  name: 'webhooks.list_deliveries',
  summary:
    "A webhook's delivery log, newest first: event, attempts, last status code, error, duration, times.",
  description:
    'status filters by pending | succeeded | failed. A pending delivery shows when it is tried next; last_response ' +
    "holds the first bytes of the receiver's answer.",
  http: { method: 'GET', path: '/webhooks/:webhook_id/deliveries' },
  scope: 'admin',
  mutating: false,
  input: z.strictObject({
    webhook_id: webhookId,
    status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    limit: z.coerce.number().int().min(1, 'limit is at least 1').default(DEFAULT_LIMIT),
    cursor: z.string().max(2000).optional(),
  }),
  async handler(ctx, { webhook_id, status, limit: asked, cursor }) {
    await existingWebhook(ctx, webhook_id);
    const warnings: Warning[] = [];
    const limit = Math.min(asked, MAX_LIMIT);
    if (asked > MAX_LIMIT) {
      warnings.push({
        code: 'limit_clamped',
        message: `limit ${asked} is above the maximum; returned ${MAX_LIMIT}`,
      });
    }
    const fingerprint = queryFingerprint({ deliveries: { webhook_id, status } });
    const rows = await listDeliveries(
      ctx.ws,
      { webhookId: webhook_id, status, before: cursor ? decodeCursor(cursor, fingerprint).id : undefined },
      limit + 1,
    );
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows.at(-1);
    const nextCursor = more && last ? encodeCursor({ value: null, id: last.id }, fingerprint) : null;
    return { data: rows.map(toDeliveryRecord), nextCursor, warnings };
  },
});

export const replayWebhook = defineOperation({
  name: 'webhooks.replay',
  summary:
    'Send again: one delivery (delivery_id), or every matching event after a feed number (since_seq) or time (since).',
  description:
    'A replay queues new deliveries with the same webhook-id as the original event, so a receiver that ' +
    `de-duplicates on it stays correct. since_seq/since queue up to ${MAX_REPLAY} events per call; when more ` +
    'remain, the answer gives next_since_seq to continue with.',
  http: { method: 'POST', path: '/webhooks/:webhook_id/replay' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject({
    webhook_id: webhookId,
    delivery_id: deliveryId.optional(),
    since_seq: z.coerce.number().int().min(0).optional(),
    since: timestamp.optional(),
  }),
  async handler(ctx, input) {
    const chosen = [input.delivery_id, input.since_seq, input.since].filter((v) => v !== undefined).length;
    if (chosen !== 1) {
      throw new AppError(
        'invalid_input',
        'give exactly one of delivery_id, since_seq, since',
        'delivery_id re-sends one delivery (see GET /webhooks/{id}/deliveries); since_seq=<n> re-sends the events after feed number n; since=<RFC3339> those from that time',
      );
    }
    const webhook = await existingWebhook(ctx, input.webhook_id);
    const queued: ReturnType<typeof pendingDelivery>[] = [];
    let nextSinceSeq: number | null = null;
    if (input.delivery_id) {
      const original: WebhookDeliveriesTable | undefined = await findDelivery(
        ctx.ws,
        webhook.id,
        input.delivery_id,
      );
      if (!original) throw notFound(`delivery/${input.delivery_id}`);
      queued.push({
        ...pendingDelivery(ctx, webhook.id, {
          id: original.event_id,
          seq: Number(original.event_seq),
          type: original.event_type,
        }),
        replay_of: original.id,
      });
    } else {
      const patterns = JSON.parse(webhook.events) as string[];
      const events = await eventsToReplay(
        ctx.ws,
        { afterSeq: input.since_seq, since: input.since },
        MAX_REPLAY,
      );
      for (const event of events) {
        if (matchesAny(patterns, event.type)) {
          queued.push(
            pendingDelivery(ctx, webhook.id, { id: event.id, seq: Number(event.seq), type: event.type }),
          );
        }
      }
      if (events.length === MAX_REPLAY) nextSinceSeq = Number(events.at(-1)!.seq);
    }
    await insertDeliveries(ctx.ws, queued);
    ctx.audit({
      target: `webhook/${webhook.id}`,
      event: 'webhook.replayed',
      changes: { queued: [null, queued.length] },
    });
    ctx.afterCommit(async () => ctx.services.webhooks.wake());
    const warnings: Warning[] =
      webhook.status === 'failing'
        ? [
            {
              code: 'webhook_failing',
              message: 'the endpoint is failing: nothing is sent until webhooks.enable',
            },
          ]
        : [];
    return {
      status: 202,
      data: {
        handle: `webhook/${webhook.id}`,
        webhook_id: webhook.id,
        queued: queued.length,
        delivery_ids: queued.map((d) => d.id),
        next_since_seq: nextSinceSeq,
      },
      text: [
        `webhook/${webhook.id} queued=${queued.length}${nextSinceSeq !== null ? ` next_since_seq=${nextSinceSeq}` : ''}`,
      ],
      warnings,
    };
  },
});

export const testWebhook = defineOperation({
  name: 'webhooks.test',
  summary:
    'Send a signed webhook.test ping to the endpoint now and report its answer (status, error, duration).',
  description:
    'The ping goes through the same address checks, signature and timeout as real deliveries, but is not ' +
    'queued, retried or logged: use it to check a receiver and its signature verification.',
  http: { method: 'POST', path: '/webhooks/:webhook_id/test' },
  scope: 'admin',
  mutating: false,
  input: z.strictObject({ webhook_id: webhookId }),
  async handler(ctx, input) {
    const webhook = await existingWebhook(ctx, input.webhook_id);
    const { config } = ctx.services;
    const { keyring, store } = ctx.services;
    const secret = await openWebhookSecret(keyring, store, webhook, webhook.secret_sealed);
    const id = ctx.services.ids.next('evt');
    const timestamp = Math.floor(Date.parse(ctx.now) / 1000);
    const body = JSON.stringify({
      type: 'webhook.test',
      timestamp: ctx.now,
      data: { webhook_id: webhook.id },
    });
    const result = await postDelivery(
      new URL(webhook.url),
      {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(secret, id, timestamp, body),
      },
      body,
      {
        allowLoopback: config.webhooksAllowLoopback,
        timeoutMs: config.webhooksTimeoutSeconds * 1000,
        resolve: ctx.services.resolveHost,
      },
    );
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    return {
      data: {
        handle: `webhook/${webhook.id}`,
        webhook_id: webhook.id,
        ok,
        webhook_message_id: id,
        status_code: result.statusCode,
        error: result.error ?? (ok ? null : `HTTP ${result.statusCode}`),
        duration_ms: result.durationMs,
        response: result.excerpt,
      },
    };
  },
});
