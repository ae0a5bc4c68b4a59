import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSpec } from '../src/contacts/contact.js';
import { AppError } from '../src/errors.js';
import { OPERATORS, parseFilters, parseSort } from '../src/records/query/parse.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/** Field names: real ones, near misses, relation and custom forms, and noise. */
const fieldName = fc.oneof(
  fc.constantFrom(
    ...Object.keys(contactSpec.fields),
    'company.domain',
    'company.name',
    'company.tags',
    'company.custom.tier',
    'company.owner.name',
    'company.',
    'custom.tier',
    'custom.score',
    'custom.',
    'custom.a.b',
    'search',
    'sort',
    'limit',
    'cursor',
    'where',
    'format',
  ),
  fc.string({ maxLength: 12 }),
);

/** Values: operator prefixes (real and invented) before interesting or arbitrary text. */
const value = fc
  .tuple(
    fc.option(fc.constantFrom(...OPERATORS, 'foo', 'IS', 'in ', ''), { nil: undefined }),
    fc.oneof(
      fc.constantFrom(
        'null',
        'lead',
        'a,b',
        ',',
        '',
        '2026-01-01T00:00:00Z',
        '2026-13-01',
        '1e309',
        '-0',
        '0x10',
        '9'.repeat(40),
        'vip',
        '%',
        '_',
        '\\',
        '*',
        "'",
        '"',
        '\u0000',
        'acme.com',
        'co_0000000000000000',
        'company/co_0000000000000000',
      ),
      fc.string({ maxLength: 40, unit: 'binary' }),
    ),
  )
  .map(([op, text]) => (op === undefined ? text : `${op}:${text}`));

const expectQueryError = (error: unknown) => {
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('invalid_query');
  expect((error as AppError).hint.length).toBeGreaterThan(0);
};

describe('the query parser', () => {
  it('accepts or refuses with invalid_query and a hint, never anything else', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fieldName, fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 }))),
        fc.option(
          fc.oneof(
            fc.constantFrom('name', '-name', 'created_at', '-follow_up_at', '+id', '--name'),
            fc.string(),
          ),
          {
            nil: undefined,
          },
        ),
        (where, sort) => {
          try {
            parseFilters(contactSpec, where);
          } catch (error) {
            expectQueryError(error);
          }
          try {
            parseSort(contactSpec, sort);
          } catch (error) {
            expectQueryError(error);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe.each(DIALECTS)('GET /contacts with arbitrary query strings on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'fuzzer');
    for (const [i, name] of ['Ann Lee', 'Bo', 'Émile Zola', 'Zed'].entries()) {
      t.clock.advance(1000);
      await call(
        t.app,
        'POST',
        '/contacts',
        {
          name,
          email: `p${i}@acme.com`,
          stage: i % 2 ? 'lead' : null,
          tags: i % 2 ? ['vip'] : [],
          custom: { tier: 'gold', score: i },
        },
        { token: agent.token },
      );
    }
  });
  afterAll(async () => t.close());

  /** A query string: well-formed pairs, list parameters, or raw noise (bad escapes included). */
  const queryString = fc.oneof(
    fc
      .array(
        fc.tuple(
          fc.oneof(fieldName, fc.constantFrom('search', 'sort', 'limit', 'cursor')),
          fc.oneof(value, fc.constantFrom('1', '0', '-1', '201', '1.5', 'abc', 'eyJ2IjoxfQ', 'jonhson')),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
    fc.string({ maxLength: 60 }).map((raw) => raw.replace(/[#\s]/g, '')),
  );

  it('never answers 5xx, and every 4xx carries a code and a hint', async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(queryString, async (query) => {
        const reply = await call(t.app, 'GET', `/contacts?${query}`, undefined, {
          token: agent.token,
          json: true,
        });
        statuses.push(reply.status);
        expect(reply.status, `${query} → ${reply.text.slice(0, 300)}`).toBeLessThan(500);
        if (reply.status >= 400) {
          expect(reply.json.error.code, query).toMatch(/^[a-z_]+$/);
          expect(reply.json.error.hint.length, query).toBeGreaterThan(0);
        }
      }),
      // A fixed seed keeps the mix of valid and invalid queries the same from run to run.
      { numRuns: dialect === 'postgres' ? 400 : 600, seed: 20261122 },
    );
    // Both answers must be common, or the property says little.
    const share = (status: number) => statuses.filter((s) => s === status).length / statuses.length;
    expect(share(200)).toBeGreaterThan(0.1);
    expect(share(400)).toBeGreaterThan(0.1);
  });
});
