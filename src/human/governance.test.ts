import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConsoleClient, consoleSignIn, inviteLink, textOf } from '../../test/console.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { latestCode, outboxMessages } from '../../test/mailbox.js';
import { requireStepUp } from '../auth/stepup.js';
import { AppError, notFound } from '../errors.js';
import { type AnyOperation, defineOperation } from '../operations/define.js';
import { operations } from '../operations/registry.js';
import { GOVERNANCE, has } from './governance.js';

/**
 * The console against the governance contract it assumes (docs/human-console.md), with stand-in
 * operations registered for this file only. Once the real proposals/billing/policy operations are
 * in the registry this file steps aside, and the browser test exercises the real ones.
 */

type Proposal = Record<string, unknown> & { id: string; status: string };
const proposals = new Map<string, Proposal[]>();
const budgets = new Map<string, { monthly_budget_cents: number; currency: string }>();
const policies = new Map<string, Record<string, unknown>>();
const patches: Record<string, unknown>[] = [];

const defaultPolicy = () => ({
  handle: 'policy/current',
  sensitive_fields: ['email', 'phone'],
  bulk_thresholds: { 'contacts.delete': 10, 'contacts.update': 50 },
  require_approval_for_deletes: true,
  updated_at: '2026-03-01T09:00:00.000Z',
});

const adminOnly = (caller: { principalType: string; role: string } | null) => {
  if (caller?.principalType !== 'user' || caller.role !== 'admin') {
    throw new AppError('forbidden', 'only admins decide', 'ask an admin');
  }
};

const standIns: AnyOperation[] = [
  defineOperation({
    name: 'proposals.list',
    summary: 'stand-in',
    http: { method: 'GET', path: '/proposals' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({}),
    async handler(ctx) {
      return { data: [...(proposals.get(ctx.ws.workspaceId) ?? [])].reverse() };
    },
  }),
  defineOperation({
    name: 'proposals.get_status',
    summary: 'stand-in',
    http: { method: 'GET', path: '/proposals/:proposal_id' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({ proposal_id: z.string() }),
    async handler(ctx, input) {
      const found = proposals.get(ctx.ws.workspaceId)?.find((p) => p.id === input.proposal_id);
      if (!found) throw notFound(`proposal/${input.proposal_id}`);
      return { data: found };
    },
  }),
  defineOperation({
    name: 'proposals.decide',
    summary: 'stand-in',
    http: { method: 'POST', path: '/proposals/:proposal_id/decide' },
    scope: 'write',
    mutating: true,
    input: z.strictObject({
      proposal_id: z.string(),
      decision: z.enum(['approve', 'reject']),
      note: z.string().max(1000).optional(),
    }),
    async handler(ctx, input) {
      adminOnly(ctx.caller);
      const found = proposals.get(ctx.ws.workspaceId)?.find((p) => p.id === input.proposal_id);
      if (!found) throw notFound(`proposal/${input.proposal_id}`);
      if (input.decision === 'approve') {
        const confirm = await requireStepUp(ctx, {
          operation: 'proposals.decide',
          input,
          description: `approve proposal/${input.proposal_id}`,
        });
        if (confirm) return confirm;
      }
      Object.assign(found, {
        status: input.decision === 'approve' ? 'applied' : 'rejected',
        decided_by: `user/${ctx.caller!.principalId}`,
        decided_at: ctx.now,
        decision_note: input.note ?? null,
      });
      return { data: found };
    },
  }),
  defineOperation({
    name: 'billing.get_budget',
    summary: 'stand-in',
    http: { method: 'GET', path: '/billing/budget' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({}),
    async handler(ctx) {
      const budget = budgets.get(ctx.ws.workspaceId);
      return {
        data: budget ? { ...budget, spent_cents: 1250 } : { monthly_budget_cents: null, currency: null },
      };
    },
  }),
  defineOperation({
    name: 'billing.set_budget',
    summary: 'stand-in',
    http: { method: 'PUT', path: '/billing/budget' },
    scope: 'admin',
    mutating: true,
    input: z.strictObject({ monthly_budget_cents: z.number().int().min(0), currency: z.string().length(3) }),
    async handler(ctx, input) {
      budgets.set(ctx.ws.workspaceId, input);
      return { data: input };
    },
  }),
  defineOperation({
    name: 'policy.get',
    summary: 'stand-in',
    http: { method: 'GET', path: '/policy' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({}),
    async handler(ctx) {
      return { data: policies.get(ctx.ws.workspaceId) ?? defaultPolicy() };
    },
  }),
  defineOperation({
    name: 'policy.update',
    summary: 'stand-in',
    http: { method: 'PATCH', path: '/policy' },
    scope: 'admin',
    mutating: true,
    input: z.strictObject({
      sensitive_fields: z.array(z.string()).optional(),
      bulk_thresholds: z.record(z.string(), z.number()).optional(),
      require_approval_for_deletes: z.boolean().optional(),
    }),
    async handler(ctx, input) {
      patches.push(input);
      const next = { ...(policies.get(ctx.ws.workspaceId) ?? defaultPolicy()), ...input };
      policies.set(ctx.ws.workspaceId, next);
      return { data: next };
    },
  }),
];

const LIMITS = {
  LOGIN_REQUESTS_PER_IP: '1000',
  LOGIN_VERIFIES_PER_IP: '1000',
  RATE_LIMIT_IP_PER_MINUTE: '10000',
};

describe.skipIf(has(GOVERNANCE.listProposals)).each(DIALECTS)(
  'console against the governance contract on %s',
  (dialect) => {
    let t: TestApp;
    let agent: Agent;
    let owner: ConsoleClient;
    const outbox = () => outboxMessages(t.config.dataDir);

    beforeAll(async () => {
      if (!has('proposals.list')) (operations as AnyOperation[]).push(...standIns);
      t = await createTestApp(dialect, LIMITS);
      agent = await bootstrapAgent(t.app, 'sophie_outreach_agent');
      await call(
        t.app,
        'POST',
        '/agent-invite-human',
        { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: 'gov@example.com' },
        { token: agent.token },
      );
      owner = new ConsoleClient(t.app);
      const link = new URL(inviteLink(await outbox(), 'gov@example.com'));
      await owner.get(`${link.pathname}${link.search}`);
      const secret = link.searchParams.get('invite')!;
      await owner.post('/human/accept', { invite: secret });
      await owner.post('/human/accept', {
        invite: secret,
        code: latestCode(await outbox(), 'gov@example.com'),
      });
      proposals.set(agent.workspaceId, [
        {
          id: 'p_old',
          status: 'rejected',
          operation: 'contacts.update',
          target: 'contact/c_old',
          proposed_by: `agent/${agent.agentId}`,
          changes: { stage: { before: 'lead', after: 'customer' } },
          decided_by: 'user/usr_gone',
          decided_at: '2026-02-27T10:00:00.000Z',
          decision_note: 'not yet',
        },
        {
          id: 'p_email',
          status: 'pending',
          operation: 'contacts.propose_update',
          target: 'contact/c_jane',
          proposed_by: `agent/${agent.agentId}`,
          reason_code: 'contact.sensitive_field',
          explanation: { summary: 'email is a sensitive field in this workspace' },
          reason: 'Jane wrote from her new address <jane@new.example>',
          changes: { email: { before: 'jane@old.example', after: 'jane@new.example' } },
          target_changed: true,
          created_at: '2026-03-01T08:00:00.000Z',
        },
        {
          id: 'p_upgrade',
          status: 'pending',
          operation: 'billing.request_upgrade',
          target: `workspace/${agent.workspaceId}`,
          proposed_by: { type: 'agent', id: agent.agentId },
          reason_code: 'billing.upgrade_requires_owner',
          explanation: 'Moving to production needs the billing owner',
          changes: { plan: ['sandbox', 'production'] },
          created_at: '2026-03-01T08:30:00.000Z',
        },
      ]);
    });
    afterAll(async () => {
      await t.close();
    });

    it('lists pending proposals with proposer, reason code, explanation, a before → after diff and the stale flag', async () => {
      const page = await owner.get('/human/approvals');
      const text = textOf(page.html);
      expect(text).toContain('Waiting for a decision (2)');
      expect(text).toContain('Update a contact contact/c_jane');
      expect(text).toContain('proposed by sophie_outreach_agent (agent)');
      expect(text).toContain('contact.sensitive_field');
      expect(text).toContain('Email is a sensitive field in this workspace.');
      expect(text).toContain('The agent says: Jane wrote from her new address <jane@new.example>');
      expect(page.html).toContain('&lt;jane@new.example&gt;');
      expect(text).toMatch(/email jane@old\.example → jane@new\.example/);
      expect(text).toContain('The record changed since this was proposed');
      expect(text).toContain('Upgrade the plan');
      expect(text).toMatch(/plan sandbox → production/);
      expect(text).toContain('not yet');
      expect(page.html.match(/name="decision" value="approve"/g)).toHaveLength(2);
      const overview = await owner.get('/human');
      expect(textOf(overview.html)).toContain('2 proposals waiting for your decision');
    });

    it('approves after the emailed confirmation code; the agent sees the proposal applied', async () => {
      await owner.get('/human/approvals');
      const asked = await owner.post('/human/approvals/p_upgrade', { decision: 'approve', note: 'go ahead' });
      expect(asked.status).toBe(200);
      expect(textOf(asked.html)).toContain('Confirm with the emailed code');
      expect(asked.html).toContain('name="note" value="go ahead"');
      const code = latestCode(await outbox(), 'gov@example.com');
      const done = await owner.post('/human/approvals/p_upgrade', {
        decision: 'approve',
        note: 'go ahead',
        stepup_code: code,
      });
      expect(done.status).toBe(303);
      expect(textOf((await owner.follow(done)).html)).toContain('Approved.');
      const status = await call(t.app, 'GET', '/proposals/p_upgrade', undefined, {
        token: agent.token,
        json: true,
      });
      expect(status.json.data.status).toBe('applied');
      expect(status.json.data.decision_note).toBe('go ahead');
    });

    it('rejects with a note, listed with who decided and when', async () => {
      await owner.get('/human/approvals');
      const done = await owner.post('/human/approvals/p_email', {
        decision: 'reject',
        note: 'keep the old one',
      });
      expect(done.status).toBe(303);
      const page = await owner.follow(done);
      const text = textOf(page.html);
      expect(text).toContain('Rejected.');
      expect(text).toContain('Waiting for a decision (0)');
      expect(text).toContain('keep the old one');
      expect(text).toContain('gov@example.com');
    });

    it('shows members the proposals without forms, and refuses their decisions', async () => {
      proposals.get(agent.workspaceId)!.push({
        id: 'p_member',
        status: 'pending',
        operation: 'deals.update',
        target: 'deal/d_1',
        changes: { amount_cents: { before: 100, after: 200 } },
      });
      await owner.get('/human/members');
      await owner.post('/human/members/invite', { email: 'gov-member@example.com', role: 'member' });
      const member = new ConsoleClient(t.app);
      await consoleSignIn(member, t.config.dataDir, 'gov-member@example.com');
      const page = await member.get('/human/approvals');
      expect(textOf(page.html)).toContain('Only admins and the billing owner decide');
      expect(page.html).not.toContain('name="decision"');
      const forged = await member.post('/human/approvals/p_member', { decision: 'approve' });
      expect(forged.status).toBe(403);
      expect(proposals.get(agent.workspaceId)!.find((p) => p.id === 'p_member')!.status).toBe('pending');
    });

    it('sets the monthly budget in the currency minor units, and refuses what is not an amount', async () => {
      await owner.get('/human/budget');
      const bad = await owner.post('/human/budget', { amount: '12,5.0.1', currency: 'USD' });
      expect(bad.status).toBe(400);
      const saved = await owner.post('/human/budget', { amount: '1,049.99', currency: 'usd' });
      expect(saved.status).toBe(303);
      expect(budgets.get(agent.workspaceId)).toEqual({ monthly_budget_cents: 104999, currency: 'USD' });
      const overview = textOf((await owner.get('/human')).html);
      expect(overview).toContain('USD 1,049.99 per month');
      expect(overview).toContain('Spent this month USD 12.50');
      await owner.get('/human/budget');
      await owner.post('/human/budget', { amount: '5000', currency: 'JPY' });
      expect(budgets.get(agent.workspaceId)).toEqual({ monthly_budget_cents: 5000, currency: 'JPY' });
    });

    it('edits the policy from whatever GET /policy returns, sending only what changed', async () => {
      const page = await owner.get('/human/policy');
      const text = textOf(page.html);
      expect(text).toContain('Sensitive fields');
      expect(text).toContain('Bulk thresholds');
      expect(page.html).not.toContain('policy/current');
      const fingerprint = page.html.match(/name="fingerprint" value="([^"]+)"/)![1]!;
      const fields = { fingerprint };
      const saved = await owner.post('/human/policy', {
        ...fields,
        f0: 'email\nphone\ntitle',
        f1: '5',
        f2: '50',
        f3: 'on',
      });
      expect(saved.status).toBe(303);
      expect(patches.at(-1)).toEqual({
        sensitive_fields: ['email', 'phone', 'title'],
        bulk_thresholds: { 'contacts.delete': 5, 'contacts.update': 50 },
      });
      const stale = await owner.post('/human/policy', { ...fields, fingerprint: 'other' });
      expect(stale.status).toBe(409);
    });
  },
);
