import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type Reply,
  type TestApp,
} from './harness.js';

/**
 * The response schemas of /openapi.json hold for real answers: every JSON answer below is checked
 * against the schema the document gives for its route, status and content type.
 */
describe.each(DIALECTS)('OpenAPI response schemas on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  // biome-ignore lint/suspicious/noExplicitAny: the document is read as data
  let doc: any;
  let ajv: InstanceType<typeof Ajv2020>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'schema_agent');
    doc = JSON.parse((await call(t.app, 'GET', '/openapi.json')).text);
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc, 'openapi');
  });
  afterAll(async () => t.close());

  const pointer = (...parts: string[]) =>
    parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

  /** Checks a reply against the document: the 2XX schema for a success, `default` for a failure. */
  function expectValid(route: string, method: string, reply: Reply) {
    const status = reply.status < 300 ? '2XX' : 'default';
    const at = `openapi#/${pointer('paths', route, method, 'responses', status, 'content', 'application/json', 'schema')}`;
    const validate = ajv.compile({ $ref: at });
    expect(
      validate(reply.json),
      `${method} ${route} ${reply.status}: ${ajv.errorsText(validate.errors)}`,
    ).toBe(true);
    return reply.json;
  }
  const send = (method: string, path: string, body?: unknown) =>
    call(t.app, method, path, body, {
      token: agent.token,
      json: true,
      headers:
        method === 'GET' ? {} : { 'x-idempotency-key': `idem_schema_${Math.random().toString(36).slice(2)}` },
    });

  it('describes the records of every kind as they are answered: create, get, list, update', async () => {
    const company = expectValid(
      '/companies',
      'post',
      await send('POST', '/companies', { name: 'Schema Co', domain: 'schema.dev' }),
    );
    const companyId = company.data.id;
    const contact = expectValid(
      '/contacts',
      'post',
      await send('POST', '/contacts', {
        name: 'Ada Schema',
        email: 'ada@schema.dev',
        company_id: companyId,
        tags: ['vip'],
        custom: { seats: 12, tiers: ['gold', { level: 2 }] },
      }),
    );
    const contactId = contact.data.id;
    expect(contact.data.custom.seats).toBe(12);
    const deal = expectValid(
      '/deals',
      'post',
      await send('POST', '/deals', {
        title: 'Schema deal',
        contact_id: contactId,
        amount_cents: 5000,
        currency: 'EUR',
      }),
    );
    const task = expectValid(
      '/tasks',
      'post',
      await send('POST', '/tasks', { title: 'Call Ada', contact_id: contactId }),
    );
    expectValid(
      '/contacts/{contact_id}/activities',
      'post',
      await send('POST', `/contacts/${contactId}/activities`, { kind: 'note', body: 'Met Ada' }),
    );

    expectValid('/contacts/{contact_id}', 'get', await send('GET', `/contacts/${contactId}`));
    expectValid('/companies/{company_id}', 'get', await send('GET', `/companies/${companyId}`));
    expectValid('/deals/{deal_id}', 'get', await send('GET', `/deals/${deal.data.id}`));
    expectValid('/tasks/{task_id}', 'get', await send('GET', `/tasks/${task.data.id}`));
    for (const route of ['/contacts', '/companies', '/deals', '/tasks', '/activities']) {
      const list = expectValid(route, 'get', await send('GET', `${route}?limit=1`));
      expect(list.data.length).toBe(1);
      expect(list).toHaveProperty('next_cursor');
    }
    // fields= and expand= answers fit the same schema.
    expectValid(
      '/contacts/{contact_id}',
      'get',
      await send('GET', `/contacts/${contactId}?fields=name,company.name&expand=open_deals`),
    );
    expectValid(
      '/contacts/{contact_id}',
      'patch',
      await send('PATCH', `/contacts/${contactId}`, { title: 'CTO' }),
    );
  });

  it('describes failures with the error envelope and its closed list of codes', async () => {
    const made = await send('POST', '/contacts', { name: 'Gone Soon' });
    const absent = `${made.json.data.id.slice(0, -1)}${made.json.data.id.endsWith('0') ? '1' : '0'}`;
    const missing = expectValid('/contacts/{contact_id}', 'get', await send('GET', `/contacts/${absent}`));
    expect(missing.error.code).toBe('not_found');
    const invalid = expectValid(
      '/contacts',
      'post',
      await send('POST', '/contacts', { email: 'not an email' }),
    );
    expect(invalid.error.code).toBe('invalid_input');
    // A schema that could not fail would prove nothing: a wrong answer is refused.
    const validate = ajv.compile({ $ref: `openapi#/${pointer('components', 'schemas', 'ContactRecord')}` });
    expect(validate({ handle: 'contact/c_1', id: 'c_1', tags: 'vip' })).toBe(false);
    expect(validate({ name: 'No handle' })).toBe(false);
  });
});
