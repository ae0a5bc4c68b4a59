import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OperationContext } from '../operations/define.js';
import { derive } from '../secrets/keyring.js';

/** How long a delete confirmation token stays valid. */
export const CONFIRM_TTL_MINUTES = 10;

/**
 * Delete confirmation tokens are HMACs, not stored rows: the first DELETE writes nothing (its
 * transaction may roll back), and every instance can check a token with the server key (keyring).
 * A token is bound to the workspace, the record, the record's version and the caller's token id,
 * and carries its expiry. Deleting bumps the version, so a token works once: after a restore the
 * same token no longer matches.
 */
interface Binding {
  target: string;
  version: number;
}

async function mac(ctx: OperationContext, binding: Binding, expires: number): Promise<string> {
  const key = derive(await ctx.services.keyring.current(), 'delete confirmation');
  const payload = [ctx.ws.workspaceId, binding.target, binding.version, ctx.caller?.tokenId ?? '-', expires];
  return createHmac('sha256', key).update(payload.join('\n')).digest('base64url').slice(0, 32);
}

export async function issueConfirmation(
  ctx: OperationContext,
  binding: Binding,
): Promise<{ token: string; expiresAt: string }> {
  const expires = Math.floor(Date.parse(ctx.now) / 1000) + CONFIRM_TTL_MINUTES * 60;
  const token = `${expires.toString(36)}.${await mac(ctx, binding, expires)}`;
  return { token, expiresAt: new Date(expires * 1000).toISOString() };
}

export type ConfirmationCheck = 'valid' | 'expired' | 'mismatch';

export async function checkConfirmation(
  ctx: OperationContext,
  binding: Binding,
  token: string,
): Promise<ConfirmationCheck> {
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return 'mismatch';
  const expires = Number.parseInt(match[1]!, 36);
  const expected = Buffer.from(await mac(ctx, binding, expires));
  const given = Buffer.from(match[2]!);
  if (!timingSafeEqual(expected, given)) return 'mismatch';
  return expires * 1000 <= Date.parse(ctx.now) ? 'expired' : 'valid';
}
