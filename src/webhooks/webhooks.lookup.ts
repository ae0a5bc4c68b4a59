import { notFound } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { findWebhook } from './webhooks.repository.js';

/** A webhook id in an operation's input (`wh_…`). */
export const webhookId = idRef('wh');

/** The workspace's webhook with this id, or a not_found error naming it. */
export async function existingWebhook(ctx: OperationContext, id: string) {
  const row = await findWebhook(ctx.ws, id);
  if (!row) throw notFound(`webhook/${id}`);
  return row;
}
