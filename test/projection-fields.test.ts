import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionFixture } from './fixtures/projection.js';
import { type Agent, call, DIALECTS, type TestApp } from './harness.js';

describe.each(DIALECTS)('fields= and expand= on %s', (dialect) => {
  const fx = projectionFixture(dialect);
  const { ids, get, getText } = fx;
  let t: TestApp;
  let a: Agent;
  beforeAll(async () => {
    ({ t, a } = await fx.setup());
  });
  afterAll(async () => t.close());

  it('relation fields on a get, in JSON and text', async () => {
    const json = await get(`/contacts/${ids.jane}?fields=name,email,company.name,company.custom.tier`);
    expect(json.status).toBe(200);
    expect(json.json.data).toEqual({
      handle: `contact/${ids.jane}`,
      id: ids.jane,
      name: 'Jane Doe',
      email: 'jane@acme.com',
      company: { name: 'ACME Corp' },
    });
    const text = await getText(`/contacts/${ids.jane}?fields=name,company.name,company.domain`);
    expect(text.text.split('\n')[0]).toBe(
      `contact/${ids.jane} name="Jane Doe" company.name="ACME Corp" company.domain=acme.com`,
    );
  });

  it('relation fields on lists of every kind', async () => {
    const contacts = await get('/contacts?fields=name,company.domain&sort=name');
    expect(contacts.json.data).toEqual([
      { handle: `contact/${ids.jane}`, id: ids.jane, name: 'Jane Doe', company: { domain: 'acme.com' } },
      { handle: `contact/${ids.sam}`, id: ids.sam, name: 'Sam Lee', company: null },
    ]);
    const text = await getText('/contacts?fields=name,company.domain&sort=name');
    expect(text.text.split('\n').slice(0, 2)).toEqual([
      `contact/${ids.jane} name="Jane Doe" company.domain=acme.com`,
      `contact/${ids.sam} name="Sam Lee"`,
    ]);
    const deals = await get(`/deals?status=won&fields=title,contact.email,company.name`);
    expect(deals.json.data).toEqual([
      {
        handle: `deal/${ids.won}`,
        id: ids.won,
        title: 'Won deal',
        contact: { email: 'jane@acme.com' },
        company: null,
      },
    ]);
    const tasks = await get(`/tasks?status=open&fields=title,contact.name,deal.title,company.name`);
    expect(tasks.json.data).toEqual([
      {
        handle: `task/${ids.task}`,
        id: ids.task,
        title: 'Send the quote',
        contact: { name: 'Jane Doe' },
        deal: { title: 'Deal 1' },
        company: null,
      },
    ]);
    const activities = await getText(`/activities?fields=kind,contact.email,deal.title`);
    expect(activities.text.split('\n')[0]).toBe(
      `activity/${ids.call} kind=call contact.email=jane@acme.com deal.title="Deal 1"`,
    );
    const companies = await get('/companies?fields=name');
    expect(companies.json.data).toEqual([{ handle: `company/${ids.acme}`, id: ids.acme, name: 'ACME Corp' }]);
  });

  it('expand on a get: the company whole, bounded lists with where to read the rest', async () => {
    const reply = await get(`/contacts/${ids.jane}?expand=company,open_deals,open_tasks,recent_activities`);
    const data = reply.json.data;
    expect(data.name).toBe('Jane Doe');
    expect(data.company).toMatchObject({
      handle: `company/${ids.acme}`,
      name: 'ACME Corp',
      domain: 'acme.com',
    });
    expect(data.company.version).toBeUndefined();
    // Deals 1..7 close in months 3..8, 2 (deal 7 first); five shown, soonest first.
    expect(data.open_deals.map((deal: { title: string }) => deal.title)).toEqual([
      'Deal 7',
      'Deal 1',
      'Deal 2',
      'Deal 3',
      'Deal 4',
    ]);
    expect(data.open_deals[0].contact_id).toBeUndefined();
    expect(data.more).toEqual({ open_deals: `GET /deals?contact_id=${ids.jane}&status=open` });
    expect(data.open_tasks.map((task: { id: string }) => task.id)).toEqual([ids.task]);
    expect(data.recent_activities).toEqual([
      expect.objectContaining({ handle: `activity/${ids.call}`, kind: 'call', body: 'Intro call' }),
    ]);

    const text = await getText(`/contacts/${ids.jane}?fields=name&expand=open_tasks,open_deals`);
    const lines = text.text.split('\n');
    expect(lines[0]).toBe(
      `contact/${ids.jane} name="Jane Doe" more.open_deals="GET /deals?contact_id=${ids.jane}&status=open"`,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^  open_tasks task/${ids.task} title="Send the quote" .*status=open`),
    );
    expect(lines.filter((line) => line.startsWith('  open_deals deal/'))).toHaveLength(5);
  });

  it('expand on lists, combined with fields; companies and deals expand too', async () => {
    const contacts = await get('/contacts?fields=name,company.name&expand=open_deals&sort=name');
    expect(contacts.json.data[0]).toMatchObject({ name: 'Jane Doe', company: { name: 'ACME Corp' } });
    expect(contacts.json.data[0].open_deals).toHaveLength(5);
    expect(contacts.json.data[1]).toEqual({
      handle: `contact/${ids.sam}`,
      id: ids.sam,
      name: 'Sam Lee',
      company: null,
      open_deals: [],
    });
    const company = await get(`/companies/${ids.acme}?fields=name&expand=contacts,open_deals`);
    expect(company.json.data.contacts).toEqual([expect.objectContaining({ handle: `contact/${ids.jane}` })]);
    expect(company.json.data.open_deals).toHaveLength(5);
    expect(company.json.data.more.open_deals).toBe(`GET /deals?company_id=${ids.acme}&status=open`);
    const deal = await get(
      `/deals/${ids.deal1}?fields=title&expand=contact,company,open_tasks,recent_activities`,
    );
    expect(deal.json.data).toMatchObject({
      title: 'Deal 1',
      contact: { handle: `contact/${ids.jane}`, name: 'Jane Doe' },
      company: { handle: `company/${ids.acme}` },
      open_tasks: [expect.objectContaining({ id: ids.task })],
      recent_activities: [expect.objectContaining({ id: ids.call })],
    });
    const tasks = await getText(`/tasks/${ids.task}?fields=title&expand=deal`);
    expect(tasks.text.split('\n')[0]).toMatch(
      new RegExp(
        `^task/${ids.task} title="Send the quote" deal.handle=deal/${ids.deal1} deal.id=${ids.deal1} deal.title="Deal 1"`,
      ),
    );
  });

  it('tool calls take fields and expand as input; writes answer with them too', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/tools/contacts.search',
      { where: { email: 'jane@acme.com' }, fields: ['name', 'company.name'], expand: 'open_tasks' },
      { token: a.token, json: true },
    );
    expect(reply.json.data).toEqual([
      {
        handle: `contact/${ids.jane}`,
        id: ids.jane,
        name: 'Jane Doe',
        company: { name: 'ACME Corp' },
        open_tasks: [expect.objectContaining({ id: ids.task })],
      },
    ]);
    const created = await call(
      t.app,
      'POST',
      '/deals?fields=title,contact.name',
      { title: 'Fresh', contact_id: ids.sam },
      { token: a.token, json: true },
    );
    expect(created.status).toBe(201);
    expect(created.json.data).toEqual({
      handle: expect.stringMatching(/^deal\//),
      id: expect.any(String),
      title: 'Fresh',
      contact: { name: 'Sam Lee' },
    });
  });

  it('unknown fields and expansions are refused with the valid names, before anything is written', async () => {
    const unknown = await get(`/contacts/${ids.jane}?fields=name,shoe_size`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('invalid_input');
    expect(unknown.json.error.message).toContain('shoe_size');
    expect(unknown.json.error.hint).toContain('email');
    expect(unknown.json.error.hint).toContain('company.<field>');
    const relation = await getText(`/contacts?fields=company.shoe_size`);
    expect(relation.status).toBe(400);
    expect(relation.text).toMatch(/^error invalid_input: fields: unknown for contacts: company.shoe_size$/m);
    expect(relation.text).toMatch(/^hint: .*company\.<field> with a field of a company: id, name, domain/m);
    const whole = await get(`/contacts?fields=company`);
    expect(whole.json.error.hint).toContain('expand=company');
    const expansion = await get(`/contacts?expand=deals`);
    expect(expansion.status).toBe(400);
    expect(expansion.json.error).toMatchObject({
      code: 'invalid_input',
      hint: 'expand one or more of: company, open_deals, open_tasks, recent_activities',
    });
    const nothing = await get('/whoami?expand=company');
    expect(nothing.json.error.code).toBe('invalid_input');
    const malformed = await get('/contacts?fields=na me');
    expect(malformed.json.error.code).toBe('invalid_input');
    const write = await call(
      t.app,
      'POST',
      '/deals?fields=title,colour',
      { title: 'Never written' },
      { token: a.token, json: true },
    );
    expect(write.status).toBe(400);
    expect((await get('/deals?title=Never%20written')).json.data).toEqual([]);
  });
});
