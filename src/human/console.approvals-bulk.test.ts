import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleClient, textOf } from '../../test/console.js';
import { consoleFixture } from '../../test/fixtures/human-console.js';
import { type Agent, call, DIALECTS, type TestApp } from '../../test/harness.js';

/**
 * The approvals page decides a selection at once through proposals.decide_many (each proposal
 * on its own, with its own result), and names records by their name in headlines and tables.
 */
describe.each(DIALECTS)('human console: bulk decisions and record names on %s', (dialect) => {
  const fx = consoleFixture(dialect);
  const { outbox, ownedWorkspace } = fx;
  let t: TestApp;
  let owner: ConsoleClient;
  let agent: Agent;
  const api = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, { token: agent.token, json: true });

  /** A contact the agent made, and a pending proposal to change its email. */
  async function proposeFor(name: string) {
    const slug = name.toLowerCase().replace(/\W+/g, '.');
    const contact = (await api('POST', '/contacts', { name, email: `${slug}@old.example` })).json.data;
    const proposed = await api('POST', `/contacts/${contact.id}/proposals`, {
      changes: { email: `${slug}@new.example` },
    });
    expect(proposed.json.outcome).toBe('proposed');
    return { contact, id: proposed.json.data.id as string };
  }
  const status = async (id: string) => (await api('GET', `/proposals/${id}`)).json.data.status;
  const picks = (ids: string[]) => Object.fromEntries(ids.map((id) => [`pick.${id}`, '1']));

  beforeAll(async () => {
    ({ t } = await fx.setup());
    ({ owner, agent } = await ownedWorkspace('bulk-owner@example.com', 'bulk_agent'));
  });
  afterAll(async () => t.close());

  it('names the record of a proposal in its headline, the decided table, the audit log and the feed', async () => {
    const ada = await proposeFor('Ada Lovelace');
    const deal = (await api('POST', '/deals', { title: 'Analytical Engine' })).json.data;
    const page = await owner.get('/human/approvals');
    expect(page.status).toBe(200);
    const headline = page.html.match(new RegExp(`<h3 id="proposal-${ada.id}">([\\s\\S]*?)</h3>`))?.[1];
    expect(textOf(headline ?? '')).toContain('Ada Lovelace (contact)');
    expect(headline).not.toContain(`>contact/${ada.contact.id}<`);

    await owner.get('/human/approvals');
    expect((await owner.post(`/human/approvals/${ada.id}`, { decision: 'reject' })).status).toBe(303);
    const decided = await owner.get('/human/approvals');
    const table = decided.html.slice(decided.html.indexOf('id="decided-h"'));
    expect(textOf(table)).toContain('Ada Lovelace (contact)');

    for (const path of ['/human/audit', '/human/activity']) {
      const log = await owner.get(path);
      expect(log.status).toBe(200);
      expect(textOf(log.html)).toContain('Ada Lovelace (contact)');
      expect(textOf(log.html)).toContain('Analytical Engine (deal)');
      // The handle stays at hand on hover, but is no longer the text.
      expect(log.html).toContain(`title="deal/${deal.id}"`);
      expect(log.html).not.toContain(`<code>deal/${deal.id}</code>`);
    }
  });

  it('approves three selected, rejects two, and reports a stale one and a decided one on their own', async () => {
    const [a, b, c, d, e] = [
      await proposeFor('Grace Hopper'),
      await proposeFor('Alan Turing'),
      await proposeFor('Edsger Dijkstra'),
      await proposeFor('Barbara Liskov'),
      await proposeFor('Donald Knuth'),
    ];
    // Dijkstra's email changes after the proposal (another one, approved first): approving it must not overwrite.
    const moved = await api('POST', `/contacts/${c!.contact.id}/proposals`, {
      changes: { email: 'ewd@moved.example' },
    });
    await owner.get('/human/approvals');
    expect((await owner.post(`/human/approvals/${moved.json.data.id}`, { decision: 'approve' })).status).toBe(
      303,
    );
    const left = await proposeFor('Niklaus Wirth');

    const page = await owner.get('/human/approvals');
    expect(page.html).toContain('action="/human/approvals"');
    for (const p of [a, b, c, d, e, left]) expect(page.html).toContain(`name="pick.${p!.id}"`);
    expect(page.html).toContain('form="bulk-decide"');

    const mailsBefore = (await outbox()).length;
    const approved = await owner.post('/human/approvals', {
      decision: 'approve',
      ...picks([a!.id, b!.id, c!.id]),
    });
    expect(approved.status).toBe(200);
    const text = textOf(approved.html);
    expect(text).toContain('Approved 2 of 3 selected');
    expect(text).toMatch(/applied Update a contact Grace Hopper \(contact\)/i);
    expect(text).toMatch(/applied Update a contact Alan Turing \(contact\)/i);
    expect(text).toMatch(/stale Update a contact Edsger Dijkstra \(contact\) — the record changed/i);
    expect(await status(a!.id)).toBe('applied');
    expect(await status(b!.id)).toBe('applied');
    expect(await status(c!.id)).toBe('stale');
    expect((await api('GET', `/contacts/${a!.contact.id}`)).json.data.email).toBe('grace.hopper@new.example');
    expect((await api('GET', `/contacts/${c!.contact.id}`)).json.data.email).toBe('ewd@moved.example');
    // Like a single decision in the console, no second code is emailed: the session is interactive.
    expect(approved.html).not.toContain('Confirm with the emailed code');
    expect((await outbox()).length).toBe(mailsBefore);

    const rejected = await owner.post('/human/approvals', {
      decision: 'reject',
      note: 'not now',
      ...picks([d!.id, e!.id]),
    });
    expect(rejected.status).toBe(200);
    expect(textOf(rejected.html)).toContain('Rejected 2 of 2 selected');
    for (const p of [d, e]) {
      expect((await api('GET', `/proposals/${p!.id}`)).json.data).toMatchObject({
        status: 'rejected',
        decision_note: 'not now',
      });
    }
    expect(await status(left.id)).toBe('pending');

    // A proposal decided meanwhile gets its own result; the others of the selection still apply.
    const late = await proposeFor('Frances Allen');
    await owner.get('/human/approvals');
    const mixed = await owner.post('/human/approvals', {
      decision: 'approve',
      ...picks([a!.id, late.id]),
    });
    expect(mixed.status).toBe(200);
    expect(textOf(mixed.html)).toContain('Approved 1 of 2 selected');
    expect(textOf(mixed.html)).toMatch(/not decided Update a contact Grace Hopper \(contact\)/i);
    expect(await status(late.id)).toBe('applied');
  });

  it('asks to select something, and refuses a post without the form token', async () => {
    const p = await proposeFor('Ken Thompson');
    await owner.get('/human/approvals');
    const none = await owner.post('/human/approvals', { decision: 'approve' });
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('No proposal was selected');

    const forged = await owner.post(
      '/human/approvals',
      { decision: 'approve', ...picks([p.id]) },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    const foreign = await owner.post(
      '/human/approvals',
      { decision: 'approve', ...picks([p.id]) },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(await status(p.id)).toBe('pending');
  });

  it('shows the selection only to those who decide; a member posting it anyway changes nothing', async () => {
    const p = await proposeFor('Dennis Ritchie');
    await owner.get('/human/members');
    expect(
      (await owner.post('/human/members/invite', { email: 'bulk-member@example.com', role: 'member' }))
        .status,
    ).toBe(303);
    const { ConsoleClient, consoleSignIn } = await import('../../test/console.js');
    const member = new ConsoleClient(t.app);
    await consoleSignIn(member, t.config.dataDir, 'bulk-member@example.com');
    const page = await member.get('/human/approvals');
    expect(page.html).not.toContain('action="/human/approvals"');
    expect(page.html).not.toContain('name="pick.');
    const refused = await member.post('/human/approvals', { decision: 'approve', ...picks([p.id]) });
    expect(refused.status).toBe(403);
    expect(await status(p.id)).toBe('pending');
  });
});
