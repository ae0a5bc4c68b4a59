import { z } from 'zod';
import { issueToken } from '../auth/tokens.js';
import { crossDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { scopeTo } from '../store/scoped.js';
import { insertWorkspace } from '../workspaces/workspaces.repository.js';
import { insertAgent } from './agents.repository.js';
import { countSignup } from './signup-cap.js';

const slug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, spaces, dots, dashes and underscores only');

export const PRODUCTION_DENIED = 'billing.human_owner_required_for_production';

export const bootstrapAgent = defineOperation({
  name: 'account.bootstrap',
  summary: 'Sign an agent up: creates a sandbox workspace, the agent, and its bearer token. No auth needed.',
  description:
    'Persist data.workspace_id, data.agent_id and data.token. Only the sandbox plan can be requested; ' +
    'production needs a human billing owner (invite one with humans.invite_billing_owner).',
  http: { method: 'POST', path: '/agent-bootstrap', aliases: ['/functions/v1/agent-bootstrap'] },
  auth: 'none',
  scope: 'write',
  crossWorkspace: true,
  mutating: true,
  requiresIdempotencyKey: false,
  reasonCodes: [PRODUCTION_DENIED],
  input: z.strictObject({
    agent_name: slug,
    agent_kind: slug.default('llm_agent'),
    intended_use: z.string().trim().max(500).optional(),
    requested_plan: z.string().trim().min(1).max(40).default('sandbox'),
    workspace_name: slug.optional(),
  }),
  async handler(ctx, input) {
    if (input.requested_plan !== 'sandbox') {
      return {
        status: 403,
        outcome: 'denied',
        data: null,
        policy: { decision: 'deny', reason_code: PRODUCTION_DENIED },
        summary: `plan "${input.requested_plan}" needs a human billing owner; agents can only sign up for sandbox`,
        nextActions: [
          { tool_name: 'account.bootstrap', when: 'now, with requested_plan "sandbox"' },
          { tool_name: 'humans.invite_billing_owner', when: 'after bootstrap, to unlock production' },
        ],
      };
    }
    const { ids, config } = ctx.services;
    await countSignup(crossDb(ctx), new Date(ctx.now), ctx.clientIp, config.signupDailyLimitPerIp);
    const workspaceId = ids.next('wrk');
    const agentId = ids.next('agt');
    await insertWorkspace(crossDb(ctx), {
      id: workspaceId,
      name: input.workspace_name ?? `${input.agent_name} sandbox`,
      plan: 'sandbox',
      billing_owner_id: null,
      monthly_budget_cents: null,
      budget_currency: null,
      created_by: agentId,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    const ws = scopeTo(crossDb(ctx), ctx.services.store.dialect, workspaceId);
    await insertAgent(ws, {
      id: agentId,
      name: input.agent_name,
      kind: input.agent_kind,
      intended_use: input.intended_use ?? null,
      created_at: ctx.now,
    });
    const token = await issueToken(ctx.services, crossDb(ctx), {
      workspaceId,
      principalType: 'agent',
      principalId: agentId,
      name: input.agent_name,
      scopes: ['read', 'write'],
      now: ctx.now,
    });
    ctx.audit({
      target: `agent/${agentId}`,
      actor: { type: 'agent', id: agentId, workspaceId },
      changes: { workspace: [null, workspaceId], plan: [null, 'sandbox'] },
    });
    return {
      status: 201,
      meta: ['# created', '# save the token now: it is shown only once'],
      data: {
        handle: `agent/${agentId}`,
        id: agentId,
        agent_id: agentId,
        workspace_id: workspaceId,
        plan: 'sandbox',
        token: token.secret,
        bootstrap_token: token.secret,
        token_id: token.id,
        token_expires_at: token.expiresAt,
        scopes: token.scopes,
      },
      nextActions: [
        { tool_name: 'contacts.create', when: 'to start recording relationships' },
        {
          tool_name: 'humans.invite_billing_owner',
          when: 'when your human should approve work or unlock production',
        },
      ],
    };
  },
});
