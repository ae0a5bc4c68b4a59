import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { latestCode, type SmtpMailbox, startSmtpMailbox } from './mailbox.js';
import { freePort, type ServerProcess, startServerProcess } from './process.js';

/**
 * The human console in Debian's Chromium against the built server, with mail through a real SMTP
 * server: what a person who only has the invite email does. Screenshots of every page go to
 * test-results/screenshots/ (not committed). Runs with the SQLite pass; CI installs Chromium.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const SHOTS = path.resolve('test-results/screenshots');
/**
 * Every console page at 1366 and 390 px. UPDATE_SCREENSHOTS=1 writes them into the docs
 * (docs/screenshots/console/, shown by docs/human-console.md) instead of test-results/.
 */
const DOC_SHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve('docs/screenshots/console')
  : path.join(SHOTS, 'console');

/**
 * Runs in the page (as source text: the test has no DOM types): the page must not scroll sideways,
 * and no element may clip its text or reach past the right edge.
 */
const OVERFLOW_CHECK = `(() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push('page is ' + root.scrollWidth + 'px wide in ' + root.clientWidth + 'px');
  // Text for screen readers only is clipped on purpose; a wide table may scroll inside its own box.
  const hidden = (el) => el.closest('.visually-hidden') !== null;
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll('main *, header *, nav *')) {
    if (hidden(element)) continue;
    const style = getComputedStyle(element);
    const clips = style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis';
    const text = (element.textContent || '').trim();
    const name = '<' + element.tagName.toLowerCase() + '> "' + text.slice(0, 40) + '"';
    if (clips && text && element.scrollWidth > element.clientWidth + 1) out.push(name + ' is clipped');
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > root.clientWidth + 1 && style.position !== 'fixed' && !scrolls(element)) {
      out.push(name + ' ends at ' + Math.round(box.right) + 'px');
    }
  }
  return out;
})()`;

const skip = !DIALECTS.includes('sqlite') || (!existsSync(CHROMIUM) && !process.env.CI);

describe.skipIf(skip)('human console in a real browser', () => {
  let mailbox: SmtpMailbox;
  let database: TestDatabase;
  let server: ServerProcess;
  let base: string;
  const contexts: BrowserContext[] = [];
  const profiles: string[] = [];
  let owner: Page;
  let agent: { token: string; workspaceId: string; agentId: string };

  /** The agent's side: plain JSON HTTP calls. */
  async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(agent ? { authorization: `Bearer ${agent.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: envelopes are read freely in tests
    return { status: response.status, json: (await response.json()) as any };
  }

  async function browser(): Promise<BrowserContext> {
    const profile = mkdtempSync(path.join(tmpdir(), 'agentcrm-chromium-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
    });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context;
  }

  async function waitForCode(to: string, after: number): Promise<string> {
    for (let i = 0; i < 50; i++) {
      if (mailbox.messages.filter((m) => m.to === to).length > after) return latestCode(mailbox.messages, to);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no new mail to ${to}`);
  }
  const mailsTo = (to: string) => mailbox.messages.filter((m) => m.to === to).length;

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(DOC_SHOTS, { recursive: true });
    mailbox = await startSmtpMailbox();
    database = await createTestDatabase('sqlite');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServerProcess({ ...database.env, SMTP_URL: mailbox.url, PUBLIC_URL: base }, port);
    const boot = await api('POST', '/agent-bootstrap', { agent_name: 'sophie_outreach_agent' });
    agent = {
      token: boot.json.data.token,
      workspaceId: boot.json.data.workspace_id,
      agentId: boot.json.data.agent_id,
    };

    // What the agent has been doing: contacts (one named like an attack), deals, activities, a task.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();
    const xss = await api('POST', '/contacts', {
      name: '<script>alert("pwned")</script>',
      email: 'mallory@example.com',
      follow_up_at: day(-1),
      follow_up_note: 'Ask about <b>renewal</b>',
    });
    expect(xss.status).toBe(201);
    const contacts = [xss.json.data.id];
    for (const [name, email] of [
      ['Jane Doe', 'jane@acme.com'],
      ['Omar Haddad', 'omar@globex.com'],
      ['Li Wei', 'li@initech.com'],
    ]) {
      contacts.push((await api('POST', '/contacts', { name, email, stage: 'lead' })).json.data.id);
    }
    for (const [title, stage, amount] of [
      ['ACME renewal', 'proposal', 1_250_000],
      ['Globex pilot', 'qualified', 480_000],
      ['Initech expansion', 'negotiation', 2_100_000],
      ['Small add-on', 'qualified', 90_000],
    ] as const) {
      await api('POST', '/deals', { title, stage, amount_cents: amount, currency: 'USD' });
    }
    for (let i = 0; i < 14; i++) {
      await api('POST', `/contacts/${contacts[(i % 3) + 1]}/activities`, {
        kind: i % 2 ? 'call' : 'email',
        body: `Follow-up ${i + 1}`,
        occurred_at: day(-((i * 2) % 27)),
      });
    }
    await api('POST', '/tasks', { title: 'Send the ACME quote', due_at: day(-0.2), contact_id: contacts[1] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await mailbox?.close();
    await database?.cleanup();
  });

  it('an invited human accepts with the emailed code, sets a budget and reaches the approvals', async () => {
    const invited = await api('POST', '/agent-invite-human', {
      workspace_id: agent.workspaceId,
      agent_id: agent.agentId,
      human_email: 'alex@example.com',
      human_name: 'Alex',
    });
    expect(invited.status).toBe(201);
    const mail = mailbox.messages.filter((m) => m.to === 'alex@example.com').at(-1)!;
    const link = mail.text.match(/http:\/\/\S+\/human\?invite=\S+/)![0];

    owner = await (await browser()).newPage();
    await owner.goto(link);
    expect(await owner.textContent('h1')).toBe('Alex, you are invited');
    expect(await owner.textContent('main')).toContain('sophie_outreach_agent');
    await shoot(owner, '01-invite');

    const before = mailsTo('alex@example.com');
    await owner.getByRole('button', { name: 'Email me a code to accept' }).click();
    await owner.waitForSelector('#code');
    await shoot(owner, '02-invite-code');
    await owner.fill('#code', await waitForCode('alex@example.com', before));
    await owner.getByRole('button', { name: 'Accept and continue' }).click();
    await owner.waitForURL('**/human/budget?notice=welcome');
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
