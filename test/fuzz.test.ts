import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { allowedFields } from '../src/operations/validation.js';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { inviteHuman, type Person } from './mailbox.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

/** Inputs shaped like the operation's own (its field names) but with any values, plus strays. */
function inputsFor(fields: string[]) {
  const key = fc.oneof(
    fc.constantFrom(...(fields.length ? fields : ['x'])),
    fc.constantFrom('workspace_id', 'role', 'plan', 'created_by', 'version', '__proto__', 'constructor'),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      'c_0000000000000000',
      'contact/c_0000000000000000',
      '',
      '   ',
      '\u0000',
      'like:%',
      'in:',
      'is:nope',
      '9'.repeat(40),
    ),
    fc.integer(),
    fc.double(),
  );
  return fc.oneof(
    fc.dictionary(key, value, { maxKeys: 6 }),
    fc.jsonValue({ maxDepth: 2 }).map((anything) => ({ anything })),
  );
}

describe.each(DIALECTS)('every operation under generated input on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let human: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      // Generated billing calls may move the workspace to production: lift both plans' rates.
      PLAN_OVERRIDES:
        '{"sandbox":{"requests_per_minute":1000000},"production":{"requests_per_minute":1000000}}',
    });
    agent = await bootstrapAgent(t.app, 'fuzzed_agent');
    human = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@fuzz.dev');
  });
  afterAll(async () => t.close());

  const auditCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('workspace_id', '=', agent.workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  let key = 0;
  it.each(operations.map((operation) => operation.name))(
    '%s never answers 5xx, and every refusal has a code and a hint',
    async (name) => {
      const operation = operations.find((candidate) => candidate.name === name)!;
      const fields = allowedFields(operation.input);
      await fc.assert(
        fc.asyncProperty(inputsFor(fields), fc.boolean(), async (input, asHuman) => {
          const before = await auditCount();
          const reply = await call(t.app, 'POST', `/tools/${name}`, input, {
            token: asHuman ? human.token : agent.token,
            json: true,
            headers: { 'x-idempotency-key': `idem_fuzz_${dialect}_${++key}` },
          });
          expect(reply.status, JSON.stringify({ input, body: reply.json })).toBeLessThan(500);
          if (reply.json.outcome === 'error') {
            expect(reply.json.error.code).toMatch(/^[a-z_]+$/);
            expect(reply.json.error.hint.length).toBeGreaterThan(5);
            // A refused request leaves no trace but what the refusal itself records (a spent code).
            if (
              !['escalation_required', 'invalid_code', 'too_many_attempts'].includes(reply.json.error.code)
            ) {
              expect(await auditCount()).toBe(before);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('malformed bodies, odd headers and huge inputs are refused cleanly', async () => {
    const bodies = [
      '{',
      '[]',
      'null',
      '"text"',
      '{"a":',
      '\u0000\u0001',
      '{"name":"x"}'.repeat(1000),
      `{"name":"${'x'.repeat(100_000)}"}`,
    ];
    for (const raw of bodies) {
      const reply = await call(t.app, 'POST', '/contacts', undefined, {
        token: agent.token,
        raw,
        json: true,
      });
      expect(reply.status, raw.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.json.error.hint).toBeTruthy();
    }
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = await call(t.app, 'POST', '/contacts', undefined, {
      token: agent.token,
      raw: `{"custom":{"a":${deep}}}`,
      json: true,
    });
    expect(nested.status).toBe(400);
    for (const accept of ['*/*', 'application/json;q=0', 'text/html', '']) {
      const reply = await call(t.app, 'GET', '/contacts', undefined, {
        token: agent.token,
        headers: { accept },
      });
      expect(reply.status).toBe(200);
    }
    const nul = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Nul\u0000Byte', custom: { 'k\u0000': 1 } },
      { token: agent.token, json: true },
    );
    expect(nul.status).toBe(400);
    expect(nul.json.error.message).toContain('NUL');
    const badCursor = await call(t.app, 'GET', `/contacts?cursor=${'A'.repeat(1500)}`, undefined, {
      token: agent.token,
      json: true,
    });
    expect(badCursor.status).toBe(400);
  });
});
