import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleSignIn, textOf } from '../../test/console.js';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { latestCode, outboxMessages, signIn } from '../../test/mailbox.js';
import { consoleOperations, operations } from '../operations/registry.js';
import { GOVERNANCE } from './governance.js';

/** Generous per-address limits: in-process requests have no address, so every test shares one bucket. */
const LIMITS = {
  LOGIN_REQUESTS_PER_IP: '1000',
  LOGIN_VERIFIES_PER_IP: '1000',
  RATE_LIMIT_IP_PER_MINUTE: '10000',
};

describe('the console looks its operations up by reference', () => {
  it('calls only operations of the registry, and its own are registered apart', () => {
    for (const operation of Object.values(GOVERNANCE)) expect(operations).toContain(operation);
    const names = consoleOperations.map((operation) => operation.name);
    expect(names).toEqual([
      'console.request_code',
      'console.sign_in',
      'console.accept_invite',
      'console.switch_workspace',
    ]);
    for (const operation of consoleOperations) expect(operations).not.toContain(operation);
  });
});

describe.each(DIALECTS)('one email-code sign-in on %s', (dialect) => {
  let t: TestApp;
  const outbox = () => outboxMessages(t.config.dataDir);
  beforeAll(async () => {
    t = await createTestApp(dialect, LIMITS);
  });
  afterAll(async () => {
    await t.close();
  });

  it('exposes the console operations through no API route, tool or catalog entry', async () => {
    const catalog = await call(t.app, 'GET', '/agentcrm-tools.json?full=true', undefined, { json: true });
    const listed = JSON.stringify(catalog.json);
    for (const operation of consoleOperations) {
      expect(listed).not.toContain(operation.name);
      const tool = await call(t.app, 'POST', `/tools/${operation.name}`, {}, { json: true });
      expect(tool.status).toBe(404);
      expect(tool.json.error.code).toBe('not_found');
    }
  });

  it('counts wrong codes at the console against the API sign-in of the same address', async () => {
    const email = `lock.${dialect}@example.com`;
    await signIn(t.app, t.config.dataDir, email);
    const client = new ConsoleClient(t.app);
    await client.get('/human');
    expect((await client.post('/human/sign-in', { email })).status).toBe(200);
    const code = latestCode(await outbox(), email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await client.post('/human/sign-in/code', { email, code: wrong });

    // The address is locked for every way in, across new codes: the API's verify refuses the right code.
    expect((await call(t.app, 'POST', '/auth/request', { email })).status).toBe(202);
    const fresh = latestCode(await outbox(), email);
    const verified = await call(t.app, 'POST', '/auth/verify', { email, code: fresh }, { json: true });
    expect(verified.status).toBe(429);
    expect(verified.json.error.code).toBe('too_many_attempts');
  });

  it('signs a member in at the console; the session is one of the person’s tokens', async () => {
    const email = `member.${dialect}@example.com`;
    const person = await signIn(t.app, t.config.dataDir, email);
    const client = new ConsoleClient(t.app);
    const overview = await consoleSignIn(client, t.config.dataDir, email);
    expect(overview.status).toBe(200);
    expect(textOf(overview.html)).toContain(email);
    const tokens = await call(t.app, 'GET', '/tokens', undefined, { token: person.token, json: true });
    const names = (tokens.json.data as { name: string }[]).map((token) => token.name);
    expect(names).toContain('human console (browser)');
  });

  it('gives an unknown address no code at the console, while the API sign-in still does', async () => {
    const email = `stranger.${dialect}@example.com`;
    const client = new ConsoleClient(t.app);
    await client.get('/human');
    expect((await client.post('/human/sign-in', { email })).status).toBe(200);
    const mail = (await outbox()).filter((message) => message.to === email).at(-1);
    expect(mail?.subject).toBe('agentcrm: no account for this address');
    const refused = await client.post('/human/sign-in/code', { email, code: '123456' });
    expect(refused.status).toBe(400);
    // The API sign-in is for anyone an agent signs in: the same address gets a code there.
    expect((await call(t.app, 'POST', '/auth/request', { email })).status).toBe(202);
    expect(latestCode(await outbox(), email)).toMatch(/^\d{6}$/);
  });
});
