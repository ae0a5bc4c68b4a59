import { z } from 'zod';
import { findAgent } from '../agents/agents.repository.js';
import { recordLine } from '../answer/text.js';
import { toTokenRecord } from '../auth/token-record.js';
import { findToken } from '../auth/tokens.repository.js';
import { crossDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { planNamed } from '../plans/plans.js';
import { planUsage } from '../plans/usage.js';
import { toWorkspaceRecord } from '../workspaces/workspaces.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { findUser } from './users.repository.js';

export const whoami = defineOperation({
  name: 'account.whoami',
  summary:
    'Who you are, the workspace behind this token, your role and scopes, the plan, and usage against its caps.',
  description:
    'Usage lines read "contacts: 12 / 1000": check them before bulk-creating; past a cap creates fail.',
  http: { method: 'GET', path: '/whoami' },
  scope: 'read',
  crossWorkspace: true,
  mutating: false,
  input: z.strictObject({}),
  async handler(ctx) {
    const caller = ctx.caller!;
    const { config } = ctx.services;
    const workspace = (await findWorkspace(crossDb(ctx), caller.workspaceId))!;
    const principal =
      caller.principalType === 'user'
        ? await findUser(crossDb(ctx), caller.principalId).then((user) => ({
            handle: `user/${caller.principalId}`,
            id: caller.principalId,
            email: user?.email ?? null,
            name: user?.name ?? null,
          }))
        : await findAgent(ctx.ws, caller.principalId).then((agent) => ({
            handle: `agent/${caller.principalId}`,
            id: caller.principalId,
            name: agent?.name ?? null,
            kind: agent?.kind ?? null,
          }));
    const tokenRow = (await findToken(crossDb(ctx), caller.workspaceId, caller.tokenId))!;
    const token = toTokenRecord(tokenRow, config.tokenIdleTtlSeconds);
    const plan = planNamed(config.plans, workspace.plan);
    const usage = await planUsage(crossDb(ctx), ctx.services, workspace, caller.principalId, ctx.now);
    const usageLines = usage.map((line) => `${line.resource}: ${line.used} / ${line.cap}`);
    const rate = `rate_limit: ${plan.requestsPerMinute} requests / 60s per token`;
    const workspaceRecord = { ...toWorkspaceRecord(workspace), role: caller.role };
    const tokenRecord = { ...token, scopes: [...caller.scopes] };
    return {
      data: {
        ...principal,
        principal_type: caller.principalType,
        role: caller.role,
        scopes: caller.scopes,
        workspace: workspaceRecord,
        token: tokenRecord,
        plan: { name: plan.name, caps: plan.caps, requests_per_minute: plan.requestsPerMinute },
        usage: Object.fromEntries(usage.map((line) => [line.resource, { used: line.used, cap: line.cap }])),
        usage_lines: usageLines,
      },
      text: [
        recordLine(principal),
        recordLine(workspaceRecord),
        recordLine(tokenRecord),
        ...usageLines,
        rate,
        ...(workspace.billing_owner_id
          ? []
          : [
              '# no billing owner yet: invite your human with humans.invite_billing_owner to unlock production',
            ]),
      ],
    };
  },
});
