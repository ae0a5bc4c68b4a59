import { z } from 'zod';
import { crossDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { email } from '../records/fields.js';
import { issueSignInToken, proveSignInCode, requestSignInCode } from './signin.js';
import { issuedToken } from './token-record.js';

export const tokenName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, 'printable text only');

export const requestCode = defineOperation({
  name: 'auth.request_code',
  summary: 'Email a 6-digit sign-in code to an address (step 1 of sign-in). No auth needed.',
  description:
    'Always answers the same way, whether or not the address is known. The code works once, for 10 minutes; ' +
    'ask the person for it, then call auth.verify. Throttled per address and per client.',
  http: { method: 'POST', path: '/auth/request' },
  auth: 'none',
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({ email }),
  async handler(ctx, input) {
    const message = await requestSignInCode(crossDb(ctx), ctx.services, {
      email: input.email,
      clientIp: ctx.clientIp,
      now: new Date(ctx.now),
      audience: 'anyone',
    });
    ctx.afterCommit(() => ctx.services.mailer.send(message));
    const ttl = ctx.services.config.loginCodeTtlSeconds;
    return {
      status: 202,
      data: { email: input.email, code_sent: true, expires_in_seconds: ttl },
      text: [
        `code_sent email=${input.email} expires_in_seconds=${ttl}`,
        '# a 6-digit code was emailed to that address; ask the person for it',
        `# next: POST /auth/verify {"email":"${input.email}","code":"<code>","token_name":"<who you are>"}`,
      ],
      nextActions: [{ tool_name: 'auth.verify', when: 'once the person gives you the emailed code' }],
    };
  },
});

export const verifyCode = defineOperation({
  name: 'auth.verify',
  summary:
    'Exchange the emailed code for a bearer token labelled token_name (step 2 of sign-in). No auth needed.',
  description:
    'Returns data.token once: save it and send it as Authorization: Bearer <token>. The first sign-in of an ' +
    'address creates the person and a personal sandbox workspace; pending invites are joined. Five wrong codes ' +
    'lock the address for 15 minutes, across new codes.',
  http: { method: 'POST', path: '/auth/verify' },
  auth: 'none',
  scope: 'read',
  crossWorkspace: true,
  mutating: true,
  requiresIdempotencyKey: false,
  input: z.strictObject({
    email,
    code: z.string().trim().min(1).max(20),
    token_name: tokenName.default('default'),
  }),
  async handler(ctx, input) {
    const proven = await proveSignInCode(crossDb(ctx), ctx.services, {
      email: input.email,
      code: input.code,
      clientIp: ctx.clientIp,
      now: new Date(ctx.now),
      audience: 'anyone',
    });
    if ('error' in proven) return { data: null, error: proven.error };
    const { signIn } = proven;
    const { token, target } = await issueSignInToken(ctx, signIn, { name: input.token_name });
    const others = signIn.workspaces.filter((workspace) => workspace.id !== target.id);
    return {
      status: 201,
      data: {
        ...issuedToken(token, input.token_name),
        user_id: signIn.user.id,
        email: signIn.user.email,
        workspace_id: target.id,
        workspace_name: target.name,
        role: target.role,
        scopes: token.scopes,
        expires_at: token.expiresAt,
        idle_timeout_seconds: ctx.services.config.tokenIdleTtlSeconds,
        workspaces: signIn.workspaces.map((workspace) => `workspace/${workspace.id}`),
      },
      meta: [
        signIn.created ? '# signed up: a personal sandbox workspace was created' : '# signed in',
        ...signIn.joined.map((id) => `# joined workspace/${id} (invite)`),
        '# save the token now: it is shown only once; send it as Authorization: Bearer <token>',
        ...(others.length
          ? [
              `# ${others.length} other workspace(s): switch with POST /workspaces/{id}/tokens (GET /workspaces)`,
            ]
          : []),
      ],
      nextActions: [
        { tool_name: 'account.whoami', when: 'to see your workspace, role, plan and usage' },
        { tool_name: 'workspaces.list', when: 'to see every workspace you belong to' },
      ],
    };
  },
});

export const authOperations = [requestCode, verifyCode];
