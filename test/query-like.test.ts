import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * Issue 19, item 6: `like:` with a literal `%` or `_`. `*` is the only wildcard; `%` and `_` match
 * themselves on both databases, and a `%` (SQL habit) is answered with a like_literal warning.
 */

const NAMES = [
  '100% sure',
  '100 percent',
  'snake_case',
  'snakeXcase',
  'Pilot program',
  '%pilot% literal',
  'back\\slash',
];

describe.each(DIALECTS)('like: patterns on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  const list = (query: string) =>
    call(t.app, 'GET', `/contacts?${query}&sort=name`, undefined, { token: agent.token, json: true });
  const names = async (query: string) => {
    const reply = await list(query);
    expect(reply.status, reply.text).toBe(200);
    return (reply.json.data as { name: string }[]).map((c) => c.name);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'like');
    for (const name of NAMES) {
      const reply = await call(
        t.app,
        'POST',
        '/contacts',
        { name, custom: { note: name } },
        { token: agent.token, json: true },
      );
      expect(reply.status, reply.text).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it.each([
    ['name=like:100%25', ['100% sure']],
    ['name=like:100%', ['100% sure']],
    ['name=like:%25', ['%pilot% literal', '100% sure']],
    ['name=like:%', ['%pilot% literal', '100% sure']],
    ['name=like:SURE%25', []],
    ['name=like:0%25%20S', ['100% sure']],
    ['name=like:100%25*', ['100% sure']],
    ['custom.note=like:100%25', ['100% sure']],
  ])('%s: a %% matches itself', async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it.each([
    ['name=like:_', ['snake_case']],
    ['name=like:snake_case', ['snake_case']],
    ['name=like:snake_*', ['snake_case']],
    ['name=like:snake*case', ['snakeXcase', 'snake_case']],
    ['name=like:%5C', ['back\\slash']],
    ['name=like:k%5Cs', ['back\\slash']],
  ])('%s: _ and \\ match themselves, * is the wildcard', async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it('answers an SQL-style %pilot% literally, and says so with the pattern to send instead', async () => {
    const sqlStyle = await list('title=like:%25pilot%25');
    expect(sqlStyle.status).toBe(200);
    expect(sqlStyle.json.warnings.map((w: { code: string }) => w.code)).toEqual(['like_literal']);
    const literal = await list('name=like:%25pilot%25');
    expect(literal.json.data.map((c: { name: string }) => c.name)).toEqual(['%pilot% literal']);
    expect(literal.json.warnings).toEqual([
      {
        code: 'like_literal',
        message:
          'name=like:%pilot% matches "%" as a character, not a wildcard; the wildcard is * (name=like:*pilot*)',
      },
    ]);
    // Following the warning finds what SQL's %pilot% meant.
    expect(await names('name=like:*pilot*')).toEqual(['%pilot% literal', 'Pilot program']);
    expect((await list('name=like:*pilot*')).json.warnings).toEqual([]);
    // In text, the warning is a meta line an agent can grep.
    const text = await call(t.app, 'GET', '/contacts?title=like:%25pilot%25', undefined, {
      token: agent.token,
    });
    expect(text.status).toBe(200);
    expect(text.text).toMatch(
      /^# warning like_literal: title=like:%pilot% matches "%" as a character, not a wildcard; the wildcard is \* \(title=like:\*pilot\*\)$/m,
    );
    // `_` is common in real values: no warning for it.
    expect((await list('name=like:snake_case')).json.warnings).toEqual([]);
  });

  it('/help says what like: matches', async () => {
    const help = await call(t.app, 'GET', '/help', undefined, { token: agent.token });
    expect(help.text).toContain('* is the only wildcard');
    expect(help.text).toContain('% and _');
    expect(help.text).toContain('like:100% finds "100% sure"');
    expect(help.text).toContain('like_literal');
  });
});
