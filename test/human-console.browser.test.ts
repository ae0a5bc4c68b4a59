import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserConsoleFixture, CHROMIUM, DOC_SHOTS, OVERFLOW_CHECK } from './fixtures/browser-console.js';
import { DIALECTS } from './harness.js';

/**
 * The human console in Debian's Chromium against the built server, with mail through a real SMTP
 * server: what a person who only has the invite email does. Screenshots of every page go to
 * test-results/screenshots/ (not committed). Runs with the SQLite pass; CI installs Chromium.
 */

const skip = !DIALECTS.includes('sqlite') || (!existsSync(CHROMIUM) && !process.env.CI);

describe.skipIf(skip)('human console in a real browser', () => {
  const fx = browserConsoleFixture();
  const { api, browser, waitForCode, mailsTo, shoot, inviteLink, acceptInvite } = fx;
  let base: string;
  let agent: { token: string; workspaceId: string; agentId: string };
  let owner: Page;
  beforeAll(async () => {
    ({ base, agent } = await fx.setup());
  }, 120_000);
  afterAll(async () => fx.close());

  it('an invited human accepts with the emailed code, sets a budget and reaches the approvals', async () => {
    const link = await inviteLink('alex@example.com', 'Alex');
    owner = await (await browser()).newPage();
    await owner.goto(link);
    expect(await owner.textContent('h1')).toBe('Alex, you are invited');
    expect(await owner.textContent('main')).toContain('sophie_outreach_agent');
    await shoot(owner, '01-invite');
    await acceptInvite(owner, 'alex@example.com', () => shoot(owner, '02-invite-code'));
    expect(await owner.textContent('main')).toContain('Welcome! You are now the billing owner');
    await shoot(owner, '03-budget-welcome');

    const who = await api('GET', '/whoami');
    expect(who.json.data.workspace.billing_owner).toMatch(/^user\/usr_/);

    await owner.fill('#amount', '50');
    await owner.fill('#currency', 'USD');
    await owner.getByRole('button', { name: /budget/i }).click();
    await owner.waitForURL('**/human/approvals**');
    expect(await owner.textContent('main')).toContain('The monthly budget is saved');
    await shoot(owner, '04-approvals');
  }, 120_000);

  it('approves the agent’s upgrade request; the agent sees it applied', async () => {
    const requested = await api(
      'POST',
      '/tools/billing.request_upgrade',
      { reason: 'We need production limits' },
      { 'x-idempotency-key': `idem_${Date.now()}` },
    );
    expect(requested.json.outcome).toBe('proposed');
    const proposalId = requested.json.data.id;
    await owner.goto(`${base}/human/approvals`);
    await shoot(owner, '04b-approvals-pending');
    const card = owner.locator('article', { hasText: proposalId });
    // The console session was opened with an emailed code and the form is CSRF-checked: no second code.
    await card.getByRole('button', { name: 'Approve' }).click();
    await owner.waitForURL('**/human/approvals?notice=approved');
    const status = await api(
      'POST',
      '/tools/proposals.get_status',
      { proposal_id: proposalId },
      { 'x-idempotency-key': `idem_s_${Date.now()}` },
    );
    expect(status.json.data.status).toBe('applied');
  }, 120_000);

  it('shows the overview with a contact named <script> as inert text, and every page', async () => {
    let dialogs = 0;
    owner.on('dialog', async (dialog) => {
      dialogs++;
      await dialog.dismiss();
    });
    await owner.goto(`${base}/human`);
    const main = (await owner.textContent('main')) ?? '';
    expect(main).toContain('<script>alert("pwned")</script>');
    expect(main).toContain('Ask about <b>renewal</b>');
    expect(await owner.locator('script').count()).toBe(0);
    expect(await owner.locator('main b').count()).toBe(0);
    expect(await owner.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    expect(dialogs).toBe(0);
    await shoot(owner, '05-overview');

    const phone = await owner.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/human`);
    await shoot(phone, '05-overview-phone');
    await phone.goto(`${base}/human/approvals`);
    await shoot(phone, '04-approvals-phone');
    await phone.close();

    await owner.goto(`${base}/human/audit`);
    await owner.selectOption('#actor', { label: 'sophie_outreach_agent (agent)' });
    await owner.fill('#operation', 'contacts.*');
    await owner.getByRole('button', { name: 'Filter' }).click();
    await owner.waitForURL('**/human/audit?**');
    expect(await owner.locator('tbody tr').count()).toBe(4);
    expect(await owner.textContent('main')).toContain('<script>alert("pwned")</script>');
    await shoot(owner, '06-audit');
    for (const [name, route] of [
      ['07-activity', '/human/activity'],
      ['08-members', '/human/members'],
      ['09-agents', '/human/agents'],
      ['10-policy', '/human/policy'],
      ['10b-budget', '/human/budget'],
    ]) {
      await owner.goto(`${base}${route}`);
      expect(await owner.locator('h1').count()).toBe(1);
      await shoot(owner, name!);
    }
    expect(dialogs).toBe(0);
  }, 120_000);

  it('fits every page at desktop and phone widths: no sideways scrolling, no clipped text', async () => {
    const pages = [
      ['overview', '/human'],
      ['approvals', '/human/approvals'],
      ['audit', '/human/audit'],
      ['activity', '/human/activity'],
      ['members', '/human/members'],
      ['agents', '/human/agents'],
      ['policy', '/human/policy'],
      ['budget', '/human/budget'],
    ];
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      const page = await owner.context().newPage();
      await page.setViewportSize({ width, height: 900 });
      for (const [name, route] of pages) {
        await page.goto(`${base}${route}`);
        const found: string[] = await page.evaluate(OVERFLOW_CHECK);
        problems.push(...[...new Set(found)].map((problem) => `${route} at ${width}px: ${problem}`));
        await page.screenshot({ path: path.join(DOC_SHOTS, `${name}-${width}.png`), fullPage: true });
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('a member signs in with a code and cannot reach admin actions', async () => {
    await owner.goto(`${base}/human/members`);
    await owner.fill('#invite-email', 'bob@example.com');
    await owner.selectOption('#invite-role', 'member');
    await owner.getByRole('button', { name: 'Send invite' }).click();
    await owner.waitForURL('**/human/members?notice=invite_sent');
    expect(await owner.textContent('main')).toContain('bob@example.com');

    const bob = await (await browser()).newPage();
    await bob.goto(`${base}/human`);
    await shoot(bob, '00-sign-in');
    await bob.fill('#email', 'bob@example.com');
    const before = mailsTo('bob@example.com');
    await bob.getByRole('button', { name: 'Email me a code' }).click();
    await bob.waitForSelector('#code');
    await shoot(bob, '00-sign-in-code');
    await bob.fill('#code', await waitForCode('bob@example.com', before));
    await bob.getByRole('button', { name: 'Sign in' }).click();
    await bob.waitForURL(`${base}/human`);
    expect(await bob.textContent('header')).toContain('bob@example.com');

    await bob.goto(`${base}/human/members`);
    expect(await bob.getByRole('button', { name: 'Send invite' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Change role' }).count()).toBe(0);
    expect(await bob.textContent('main')).toContain('You are a member of this workspace');
    await shoot(bob, '11-member-members');

    // Posting the admin form anyway, with a valid token of his own session, is refused.
    const csrf = await bob.locator('input[name=csrf]').first().inputValue();
    const forged = await bob.request.post(`${base}/human/members/invite`, {
      form: { email: 'eve@example.com', role: 'admin', csrf },
      headers: { origin: base },
    });
    expect(forged.status()).toBe(403);
    const members = await api('GET', `/workspaces/${agent.workspaceId}/members`);
    expect(JSON.stringify(members.json.data)).not.toContain('eve@example.com');
  }, 120_000);

  it('refuses a forged form post without the CSRF token, from a script or another site', async () => {
    const plain = await owner.request.post(`${base}/human/members/invite`, {
      form: { email: 'eve@example.com', role: 'admin' },
      headers: { origin: base },
    });
    expect(plain.status()).toBe(403);

    // Another site (same host, other port: same-site, so the Lax cookie is sent) posts a form.
    const attacker: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><title>Win a prize</title>
        <form method="post" action="${base}/human/members/invite">
          <input name="email" value="eve@example.com"><input name="role" value="admin">
          <button type="submit">Claim your prize</button>
        </form>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = attacker.address() as AddressInfo;
      await owner.goto(`http://127.0.0.1:${port}/`);
      await owner.getByRole('button', { name: 'Claim your prize' }).click();
      await owner.waitForURL(`${base}/human/members/invite`);
      expect(await owner.textContent('h1')).toMatch(/Request refused|Not allowed/);
      await shoot(owner, '12-csrf-refused');
    } finally {
      attacker.closeAllConnections();
      await new Promise((resolve) => attacker.close(resolve));
    }
    const members = await api('GET', `/workspaces/${agent.workspaceId}/members`);
    expect(JSON.stringify(members.json.data)).not.toContain('eve@example.com');
  }, 120_000);
});
