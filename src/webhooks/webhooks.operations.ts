import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import { defineOperation, type OperationContext, type Warning } from '../operations/define.js';
import { idRef, timestamp } from '../records/fields.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../records/query/cursor.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/query/parse.js';
import type { WebhookDeliveriesTable } from '../store/schema.js';
import { pendingDelivery } from './outbox.js';
import { openWebhookSecret, sealWebhookSecret } from './secret-box.js';
import { postDelivery } from './send.js';
import { checkWebhookUrl } from './ssrf.js';
import {
  eventPattern,
  MAX_ATTEMPTS,
  matchesAny,
  newSecret,
  sign,
  toDeliveryRecord,
  toWebhookRecord,
} from './webhook.js';
import {
  countWebhooks,
  deleteWebhook,
  enableWebhook,
  eventsToReplay,
  findDelivery,
  findWebhook,
  hurryPendingDeliveries,
  insertDeliveries,
  insertWebhook,
  listDeliveries,
  listWebhooks,
} from './webhooks.repository.js';

/** Endpoints per workspace. */
const MAX_WEBHOOKS = 20;
/** Events re-queued by one replay call; the answer says where to continue. */
const MAX_REPLAY = 1000;

const webhookId = idRef('wh');
const deliveryId = idRef('whd');

/** `["contact.*","deal.updated"]` or `"contact.*,deal.updated"`. */
const eventPatterns = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(','))])
  .transform((list) => [...new Set(list.map((item) => item.trim()).filter(Boolean))])
  .pipe(z.array(eventPattern).min(1, 'at least one event type (or * for all)').max(50));

async function existing(ctx: OperationContext, id: string) {
  const row = await findWebhook(ctx.ws, id);
  if (!row) throw notFound(`webhook/${id}`);
  return row;
}

export const createWebhook = defineOperation({
  name: 'webhooks.create',
  summary:
    'Register a webhook endpoint (admins): an https URL and the event types to send; the signing secret is shown once.',
  description:
    'events takes change-feed types (see events.list): exact (contact.created), a prefix (contact.*) or * for all. ' +
    'Each matching change is POSTed at least once as JSON {type, timestamp, data} with Standard Webhooks headers ' +
    '(webhook-id, webhook-timestamp, webhook-signature = v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with ' +
    'the base64 part of the whsec_ secret). Failed deliveries are retried with backoff for about a day. Private, ' +
    'loopback, link-local and metadata addresses are refused.',
  http: { method: 'POST', path: '/webhooks' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject({
    url: z.string().trim().min(1).max(2000),
    events: eventPatterns,
    description: z.string().trim().max(500).optional(),
  }),
  async handler(ctx, input) {
    const url = checkWebhookUrl(input.url, ctx.services.config.webhooksAllowLoopback).toString();
    if ((await countWebhooks(ctx.ws)) >= MAX_WEBHOOKS) {
      throw new AppError(
        'plan_limit_reached',
        `a workspace has at most ${MAX_WEBHOOKS} webhook endpoints`,
        'delete one you no longer use (DELETE /webhooks/{id}), or send several event types to one endpoint',
      );
    }
    const id = ctx.services.ids.next('wh');
    const secret = newSecret();
    const sealed = await sealWebhookSecret(
      ctx.services.keyring,
      { workspace_id: ctx.ws.workspaceId, id },
      secret,
    );
    const row = {
      id,
      url,
      description: input.description ?? null,
      events: JSON.stringify(input.events),
      secret_sealed: sealed,
      status: 'active' as const,
      consecutive_failures: 0,
      failing_since: null,
      created_by: `${ctx.caller!.principalType}/${ctx.caller!.principalId}`,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await insertWebhook(ctx.ws, row);
    ctx.audit({
      target: `webhook/${id}`,
      event: 'webhook.created',
      changes: { url: [null, url], events: [null, input.events] },
    });
    return {
      status: 201,
      data: { ...toWebhookRecord({ ...row, workspace_id: ctx.ws.workspaceId }), secret },
      meta: ['# created', '# save the secret now: it is shown only once; verify each delivery with it'],
    };
  },
});

export const listWebhooksOperation = defineOperation({
  name: 'webhooks.list',
  summary: "The workspace's webhook endpoints with their status (active | failing). Never the secret.",
  http: { method: 'GET', path: '/webhooks' },
  scope: 'admin',
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    return { data: (await listWebhooks(ctx.ws)).map(toWebhookRecord) };
  },
});

export const getWebhook = defineOperation({
  name: 'webhooks.get',
  summary: 'One webhook endpoint: URL, event types, status, failure streak. Never the secret.',
  http: { method: 'GET', path: '/webhooks/:webhook_id' },
  scope: 'admin',
  mutating: false,
  input: z.strictObject({ webhook_id: webhookId }),
  async handler(ctx, input) {
    return { data: toWebhookRecord(await existing(ctx, input.webhook_id)) };
  },
});

export const deleteWebhookOperation = defineOperation({
  name: 'webhooks.delete',
  summary: 'Remove a webhook endpoint and its delivery log; nothing more is sent to it.',
  http: { method: 'DELETE', path: '/webhooks/:webhook_id' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject({ webhook_id: webhookId }),
  async handler(ctx, input) {
    const row = await existing(ctx, input.webhook_id);
    await deleteWebhook(ctx.ws, row.id);
    ctx.audit({ target: `webhook/${row.id}`, event: 'webhook.deleted', changes: { url: [row.url, null] } });
    return { data: { ...toWebhookRecord(row), deleted: true }, meta: ['# deleted'] };
  },
});

export const enableWebhookOperation = defineOperation({
  name: 'webhooks.enable',
  summary: 'Resume a failing webhook endpoint: its waiting deliveries are sent now.',
  description:
    `An endpoint turns failing when a delivery used all ${MAX_ATTEMPTS} attempts with no success in between; ` +
    'while failing, new events still queue for it but nothing is sent. Fix the receiver, then enable it; ' +
    'deliveries that gave up can be sent again with webhooks.replay.',
  http: { method: 'POST', path: '/webhooks/:webhook_id/enable' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject({ webhook_id: webhookId }),
  async handler(ctx, input) {
    const row = await existing(ctx, input.webhook_id);
    await enableWebhook(ctx.ws, row.id, ctx.now);
    await hurryPendingDeliveries(ctx.ws, row.id, ctx.now);
    ctx.audit({
      target: `webhook/${row.id}`,
      event: 'webhook.enabled',
      changes: { status: [row.status, 'active'] },
    });
    ctx.afterCommit(async () => ctx.services.webhooks.wake());
    const after = {
      ...row,
      status: 'active' as const,
      consecutive_failures: 0,
      failing_since: null,
      updated_at: ctx.now,
    };
    return { data: toWebhookRecord(after), meta: ['# updated'] };
  },
});

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
    await existing(ctx, webhook_id);
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
    const webhook = await existing(ctx, input.webhook_id);
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
    const webhook = await existing(ctx, input.webhook_id);
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

export const webhookOperations = [
  createWebhook,
  listWebhooksOperation,
  getWebhook,
  deleteWebhookOperation,
  enableWebhookOperation,
  listDeliveriesOperation,
  replayWebhook,
  testWebhook,
];
