import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { listDeliveriesOperation, replayWebhook, testWebhook } from './deliveries.operations.js';
import { sealWebhookSecret } from './secret-box.js';
import { checkWebhookUrl } from './ssrf.js';
import { eventPattern, MAX_ATTEMPTS, newSecret, toWebhookRecord } from './webhook.js';
import { existingWebhook, webhookId } from './webhooks.lookup.js';
import {
  countWebhooks,
  deleteWebhook,
  enableWebhook,
  hurryPendingDeliveries,
  insertWebhook,
  listWebhooks,
} from './webhooks.repository.js';

/** Endpoints per workspace. */
const MAX_WEBHOOKS = 20;

/** `["contact.*","deal.updated"]` or `"contact.*,deal.updated"`. */
const eventPatterns = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(','))])
  .transform((list) => [...new Set(list.map((item) => item.trim()).filter(Boolean))])
  .pipe(z.array(eventPattern).min(1, 'at least one event type (or * for all)').max(50));

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
    return { data: toWebhookRecord(await existingWebhook(ctx, input.webhook_id)) };
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
    const row = await existingWebhook(ctx, input.webhook_id);
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
    const row = await existingWebhook(ctx, input.webhook_id);
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
