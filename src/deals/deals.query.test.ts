import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

/**
 * One table of queries over the same deals, run on every database: each must return the same
 * deals in the same order on SQLite and PostgreSQL.
 */
const DEALS = [
  {
    title: 'D01',
    amount_cents: 50000,
    currency: 'USD',
    expected_close_at: '2026-04-01T00:00:00Z',
    tags: ['vip'],
    custom: { region: 'emea' },
  },
  {
    title: 'D02',
    amount_cents: 150000,
    currency: 'EUR',
    status: 'won',
    expected_close_at: '2026-03-15T00:00:00Z',
    custom: { region: 'amer' },
  },
  { title: 'D03', tags: ['vip', 'renewal'] },
  {
    title: 'D04',
    amount_cents: 100000,
    currency: 'USD',
    status: 'lost',
    expected_close_at: '2026-05-01T00:00:00Z',
    custom: { region: 'emea' },
  },
  {
    title: 'D05',
    amount_cents: 250000,
    currency: 'GBP',
    expected_close_at: '2026-03-20T00:00:00Z',
    tags: ['renewal'],
  },
  { title: 'D06', amount_cents: 100000, currency: 'EUR', expected_close_at: '2026-06-01T00:00:00Z' },
  { title: 'D07', amount_cents: 0, currency: 'JPY', custom: { region: 'apac' } },
  { title: 'D08', amount_cents: 75000, currency: 'USD', status: 'won' },
];

const QUERIES: [string, string[]][] = [
  ['amount_cents=gte:100000&sort=amount_cents', ['D04', 'D06', 'D02', 'D05']],
  ['status=in:won,lost', ['D02', 'D04', 'D08']],
  ['expected_close_at=lt:2026-04-01T00:00:00Z', ['D02', 'D05']],
  ['expected_close_at=lte:2026-04-01T02:00:00%2B02:00', ['D01', 'D02', 'D05']],
  ['tags=vip', ['D01', 'D03']],
  ['tags=ne:vip', ['D02', 'D04', 'D05', 'D06', 'D07', 'D08']],
  ['custom.region=emea', ['D01', 'D04']],
  ['custom.region=in:apac,amer&sort=-title', ['D07', 'D02']],
  ['sort=-amount_cents', ['D05', 'D02', 'D06', 'D04', 'D08', 'D01', 'D07', 'D03']],
  ['amount_cents=is:null', ['D03']],
  ['status=open&amount_cents=lt:100000', ['D01', 'D07']],
  ['currency=ne:USD', ['D02', 'D03', 'D05', 'D06', 'D07']],
  ['expected_close_at=not:null&sort=expected_close_at', ['D02', 'D05', 'D01', 'D04', 'D06']],
  ['sort=-expected_close_at', ['D06', 'D04', 'D01', 'D05', 'D02', 'D08', 'D07', 'D03']],
  ['search=d0&tags=renewal', ['D03', 'D05']],
  ['title=like:d0*&amount_cents=gt:0&amount_cents=lt:100000', ['D01', 'D08']],
];

describe.each(DIALECTS)('deal queries on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  const titles = (reply: { json: { data: { title: string }[] } }) =>
    reply.json.data.map((deal) => deal.title);
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
    for (const deal of DEALS) {
      t.clock.advance(1000); // time-ordered ids: ties break the same way on both databases
      const reply = await call(t.app, 'POST', '/deals', deal, { token: agent.token, json: true });
      if (reply.status !== 201) throw new Error(reply.text);
    }
  });
  afterAll(async () => t.close());

  it.each(QUERIES)('%s', async (query, expected) => {
    const reply = await call(t.app, 'GET', `/deals?${query}`, undefined, { token: agent.token, json: true });
    expect(reply.status, reply.text).toBe(200);
    expect(titles(reply)).toEqual(expected);
  });

  it.each(QUERIES)('pages through %s two at a time', async (query, expected) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = `/deals?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const reply = await call(t.app, 'GET', page, undefined, { token: agent.token, json: true });
      expect(reply.status, reply.text).toBe(200);
      seen.push(...titles(reply));
      cursor = reply.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('refuses unknown fields, operators and values, listing what is allowed', async () => {
    for (const query of [
      'probability=gt:5',
      'amount_cents=like:5',
      'amount_cents=gt:lots',
      'expected_close_at=lt:soon',
      'sort=contact_id',
    ]) {
      const reply = await call(t.app, 'GET', `/deals?${query}`, undefined, {
        token: agent.token,
        json: true,
      });
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.code).toBe('invalid_query');
    }
  });
});
