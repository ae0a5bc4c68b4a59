import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, type Person, signIn } from '../../test/mailbox.js';

describe.each(DIALECTS)('step-up codes on %s', (dialect) => {
  let t: TestApp;
  let ann: Person; // admin
  let cat: Person; // second admin
  let bob: Person; // member to promote
  let dan: Person; // another member
  let ws: string;
  let catToken: string;

  const req = (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => call(t.app, method, path, body, { token, json: true, ...(headers ? { headers } : {}) });
  const codeFor = async (email: string) => latestCode(await outboxMessages(t.config.dataDir), email);
  const promote = (who: Person, token: string, suffix = '', headers?: Record<string, string>) =>
    req('POST', `/workspaces/${ws}/members/${who.userId}/role${suffix}`, token, { role: 'admin' }, headers);
  const demote = (who: Person) =>
    req('POST', `/workspaces/${ws}/members/${who.userId}/role`, ann.token, { role: 'member' });

  async function join(email: string): Promise<Person> {
    await signIn(t.app, t.config.dataDir, email);
    t.clock.advance(1000);
    expect((await req('POST', `/workspaces/${ws}/invites`, ann.token, { email })).status).toBe(201);
    const person = await signIn(t.app, t.config.dataDir, email);
    return person;
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ann = await signIn(t.app, t.config.dataDir, 'ann@example.com');
    ws = ann.workspaceId;
    bob = await join('bob@example.com');
    dan = await join('dan@example.com');
    cat = await join('cat@example.com');
    const first = await promote(cat, ann.token);
    expect(first.json.error.code).toBe('escalation_required');
    expect(first.json.error.hint).toMatch(/\?code=/);
    expect((await promote(cat, ann.token, `?code=${await codeFor(ann.email)}`)).status).toBe(200);
    catToken = (await req('POST', `/workspaces/${ws}/tokens`, cat.token, {})).json.data.token;
  });
  afterAll(async () => t.close());

  it('emails the code to the caller and accepts it once, by query or by header', async () => {
    const first = await promote(bob, ann.token);
    expect(first.status).toBe(403);
    expect(first.text).toContain('escalation_required');
    const mail = (await outboxMessages(t.config.dataDir)).at(-1)!;
    expect(mail.to).toBe(ann.email);
    expect(mail.text).toContain(`make user/${bob.userId} an admin`);
    const code = await codeFor(ann.email);
    const done = await promote(bob, ann.token, '', { 'x-escalation-code': code });
    expect(done.status).toBe(200);
    expect(done.json.data.role).toBe('admin');

    await demote(bob);
    const reused = await promote(bob, ann.token, `?code=${code}`);
    expect(reused.status).toBe(400);
    expect(reused.json.error.code).toBe('invalid_code');
    await demote(bob);
  });

  it('refuses a code issued for another action', async () => {
    await promote(bob, ann.token); // code for promoting bob
    const bobCode = await codeFor(ann.email);
    const other = await promote(dan, ann.token, `?code=${bobCode}`);
    expect(other.status).toBe(400);
    expect(other.json.error.code).toBe('invalid_code');
    const deleteWithIt = await req('DELETE', `/workspaces/${ws}?code=${bobCode}`, ann.token);
    expect(deleteWithIt.status).toBe(400);
    const roles = (await req('GET', `/workspaces/${ws}/members`, ann.token)).json.data;
    expect(roles.find((m: { id: string }) => m.id === dan.userId).role).toBe('member');
    expect((await req('GET', '/whoami', ann.token)).status).toBe(200);
  });

  it("refuses another user's code for the very same action", async () => {
    await promote(bob, catToken);
    const catCode = await codeFor(cat.email);
    await promote(bob, ann.token); // ann has a pending code of her own, different
    const stolen = await promote(bob, ann.token, `?code=${catCode}`);
    // Codes are random, so ann's and cat's could coincide one time in a million.
    const annCode = await codeFor(ann.email);
    if (annCode !== catCode) {
      expect(stolen.status).toBe(400);
      expect(stolen.json.error.code).toBe('invalid_code');
    }
    // cat's own code still works for cat.
    expect((await promote(bob, catToken, `?code=${catCode}`)).status).toBe(200);
    await demote(bob);
  });

  it('refuses a code after 10 minutes, and a body that differs from the confirmed one', async () => {
    await promote(dan, ann.token);
    const code = await codeFor(ann.email);
    t.clock.advance(10 * 60_000 + 1000);
    expect((await promote(dan, ann.token, `?code=${code}`)).status).toBe(400);

    await req('POST', `/workspaces/${ws}/invites`, ann.token, {
      email: 'new-admin@example.com',
      role: 'admin',
    });
    const inviteCode = await codeFor(ann.email);
    const changed = await req('POST', `/workspaces/${ws}/invites?code=${inviteCode}`, ann.token, {
      email: 'someone-else@example.com',
      role: 'admin',
    });
    expect(changed.status).toBe(400);
    const same = await req('POST', `/workspaces/${ws}/invites?code=${inviteCode}`, ann.token, {
      email: 'new-admin@example.com',
      role: 'admin',
    });
    expect(same.status).toBe(201);
  });

  it('burns a code after five wrong tries', async () => {
    await promote(dan, ann.token);
    const code = await codeFor(ann.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await promote(dan, ann.token, `?code=${wrong}`)).status).toBe(400);
    expect((await promote(dan, ann.token, `?code=${code}`)).status).toBe(400);
  });
});
