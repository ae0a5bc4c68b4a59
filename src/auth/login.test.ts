import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import {
  latestCode,
  outboxMessages,
  type SmtpMailbox,
  signIn,
  startSmtpMailbox,
} from '../../test/mailbox.js';

const MINUTE = 60_000;

describe.each(DIALECTS)('email sign-in on %s', (dialect) => {
  let t: TestApp;
  let smtp: SmtpMailbox;
  beforeAll(async () => {
    smtp = await startSmtpMailbox();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const request = (email: string) => call(t.app, 'POST', '/auth/request', { email });
  const verify = (email: string, code: string, token_name?: string) =>
    call(
      t.app,
      'POST',
      '/auth/verify',
      { email, code, ...(token_name ? { token_name } : {}) },
      { json: true },
    );

  it('signs a new person in through a real SMTP server, creating them and a personal sandbox', async () => {
    const requested = await request('Ann@Example.com');
    expect(requested.status).toBe(202);
    expect(requested.text).toContain('code_sent email=ann@example.com');
    const mail = smtp.messages.at(-1)!;
    expect(mail.to).toBe('ann@example.com');
    expect(mail.subject).toMatch(/sign-in code/);
    const code = latestCode(smtp.messages, 'ann@example.com');

    const verified = await verify('ann@example.com', code, 'Claude');
    expect(verified.status).toBe(201);
    const data = verified.json.data;
    expect(data.token).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(data.handle).toBe(`token/${data.id}`);
    expect(data.role).toBe('admin');
    expect(data.scopes).toEqual(['read', 'write', 'admin']);

    const who = await call(t.app, 'GET', '/whoami', undefined, { token: data.token });
    expect(who.status).toBe(200);
    expect(who.text).toMatch(/^user\/usr_\w+ email=ann@example.com/m);
    expect(who.text).toMatch(/^workspace\/wrk_\w+ .*plan=sandbox .*role=admin/m);
    expect(who.text).toMatch(/^token\/tok_\w+ name=Claude /m);
    expect(who.text).toContain('\ncontacts: 0 / 1000\n');

    const tokens = await call(t.app, 'GET', '/tokens', undefined, { token: data.token });
    expect(tokens.text).toMatch(/^token\/tok_\w+ name=Claude workspace_id=wrk_\w+ principal=user\/usr_\w+ /m);
    expect(tokens.text).not.toContain(data.token);
  });

  it('a second sign-in of the same person reuses their account and workspace', async () => {
    await request('bob@example.com');
    const first = await verify('bob@example.com', latestCode(smtp.messages, 'bob@example.com'));
    await request('bob@example.com');
    const second = await verify('bob@example.com', latestCode(smtp.messages, 'bob@example.com'));
    expect(second.json.data.user_id).toBe(first.json.data.user_id);
    expect(second.json.data.workspace_id).toBe(first.json.data.workspace_id);
    expect(second.json.data.name).toBe('default');
  });

  it('answers the same way for known and unknown addresses', async () => {
    const known = await request('bob@example.com');
    const unknown = await request('nobody-yet@example.com');
    const strip = (text: string) => text.replace(/\S+@example.com/g, 'X').replace(/req_\w+/, 'R');
    expect(known.status).toBe(unknown.status);
    expect(strip(known.text)).toBe(strip(unknown.text));
  });

  it('refuses a sixth try even with the right code, and a new code does not reset the count', async () => {
    const email = 'brute@example.com';
    await request(email);
    for (let i = 0; i < 3; i++) {
      const wrong = await verify(email, '000000');
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.code).toBe('invalid_code');
    }
    await request(email); // a new code: the three failures carry over
    const code = latestCode(smtp.messages, email);
    const wrongCode = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 2; i++) expect((await verify(email, wrongCode)).status).toBe(400);
    const sixth = await verify(email, code);
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.code).toBe('too_many_attempts');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    // After the failure window the address can sign in again with a fresh code.
    t.clock.advance(16 * MINUTE);
    await request(email);
    const ok = await verify(email, latestCode(smtp.messages, email));
    expect(ok.status).toBe(201);
  });

  it('refuses an expired code and a used code', async () => {
    const email = 'expiry@example.com';
    await request(email);
    const code = latestCode(smtp.messages, email);
    t.clock.advance(10 * MINUTE + 1000);
    const expired = await verify(email, code);
    expect(expired.status).toBe(400);
    expect(expired.json.error.message).toMatch(/expired/);

    await request(email);
    const fresh = latestCode(smtp.messages, email);
    expect((await verify(email, fresh)).status).toBe(201);
    const reused = await verify(email, fresh);
    expect(reused.status).toBe(400);
    expect(reused.json.error.code).toBe('invalid_code');
  });

  it('an older code stops working once a newer one is sent', async () => {
    const email = 'twice@example.com';
    await request(email);
    const older = latestCode(smtp.messages, email);
    await request(email);
    const newer = latestCode(smtp.messages, email);
    if (older !== newer) expect((await verify(email, older)).status).toBe(400);
    expect((await verify(email, newer)).status).toBe(201);
  });

  it('throttles code requests per address', async () => {
    const email = 'throttle@example.com';
    for (let i = 0; i < 5; i++) expect((await request(email)).status).toBe(202);
    const sixth = await call(t.app, 'POST', '/auth/request', { email }, { json: true });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.code).toBe('rate_limited');
    expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);
    t.clock.advance(15 * MINUTE);
    expect((await request(email)).status).toBe(202);
  });

  it('throttles code requests per client address', async () => {
    const limited = await createTestApp(dialect, { SMTP_URL: smtp.url, TRUST_PROXY: 'true' });
    try {
      const from = (ip: string, email: string) =>
        call(limited.app, 'POST', '/auth/request', { email }, { headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 20; i++) expect((await from('203.0.113.7', `p${i}@example.com`)).status).toBe(202);
      expect((await from('203.0.113.7', 'p21@example.com')).status).toBe(429);
      expect((await from('203.0.113.8', 'p21@example.com')).status).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it('validates input with a hint', async () => {
    const bad = await call(t.app, 'POST', '/auth/request', { email: 'not-an-email' }, { json: true });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_input');
  });
});

describe.each(DIALECTS)('email sign-in through the outbox on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('writes the code to DATA_DIR/outbox/ and signs in with it', async () => {
    const person = await signIn(t.app, t.config.dataDir, 'outbox@example.com', 'Cursor');
    expect(person.token).toMatch(/^ck_/);
    const mails = await outboxMessages(t.config.dataDir);
    expect(mails.at(-1)!.to).toBe('outbox@example.com');
    expect(mails.at(-1)!.text).toMatch(/sign-in code is:\s+\d{6}/);
  });
});
