import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, waitFor, webhooksFixture } from '../../test/fixtures/webhooks.js';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, type Person } from '../../test/mailbox.js';
import { type Receiver, startReceiver, verifySignature } from '../../test/webhook-receiver.js';
import { postDelivery } from './send.js';

describe.each(DIALECTS)('webhooks on %s', (dialect) => {
  const fx = webhooksFixture(dialect);
  const { as, hook, at } = fx;
  let t: TestApp;
  let agent: Agent;
  let admin: Person;
  let receiver: Receiver;
  beforeAll(async () => {
    ({ t, agent, admin, receiver } = await fx.setup());
  });
  afterAll(async () => fx.close());

  it('pings an endpoint on demand (webhooks.test)', async () => {
    const pinged = await hook(['nothing.matches'], '/ping');
    const reply = await as(admin.token).post(`/webhooks/${pinged.id}/test`);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.data).toMatchObject({ ok: true, status_code: 200, error: null, response: 'ok 200' });
    expect(at('/ping')).toHaveLength(1);
    expect(at('/ping')[0]!.json).toMatchObject({ type: 'webhook.test', data: { webhook_id: pinged.id } });
    expect(verifySignature(pinged.secret, at('/ping')[0]!.headers, at('/ping')[0]!.body)).toBe(true);
    expect((await as(admin.token).get(`/webhooks/${pinged.id}/deliveries`)).json.data).toEqual([]);
    await as(admin.token).del(`/webhooks/${pinged.id}`);
  });

  it('pages the delivery log', async () => {
    const paged = await hook(['contact.created'], '/paged');
    for (const name of ['P1', 'P2', 'P3']) await as(agent.token).post('/contacts', { name });
    await waitFor(() => expect(at('/paged')).toHaveLength(3));
    const first = await as(admin.token).get(`/webhooks/${paged.id}/deliveries?limit=2`);
    expect(first.json.data).toHaveLength(2);
    expect(first.json.next_cursor).toBeTruthy();
    const second = await as(admin.token).get(
      `/webhooks/${paged.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.json.next_cursor)}`,
    );
    expect(second.json.data).toHaveLength(1);
    expect(second.json.next_cursor).toBeNull();
    await as(admin.token).del(`/webhooks/${paged.id}`);
  });

  it('does not follow redirects', async () => {
    const redirected = await hook(['contact.created'], '/redirect');
    receiver.respond = (request) =>
      request.path === '/redirect'
        ? { status: 302, headers: { location: `${receiver.url}/landing` } }
        : { status: 200 };
    await as(agent.token).post('/contacts', { name: 'Redirect' });
    await waitFor(async () =>
      expect((await as(admin.token).get(`/webhooks/${redirected.id}/deliveries`)).json.data[0]).toMatchObject(
        {
          attempts: 1,
          last_status_code: 302,
          last_error: 'HTTP 302 (redirects are not followed)',
        },
      ),
    );
    await settle();
    expect(at('/landing')).toHaveLength(0);
    receiver.respond = () => ({ status: 200 });
    await as(admin.token).del(`/webhooks/${redirected.id}`);
  });

  it('is for admins, and keeps workspaces apart', async () => {
    expect(
      (await as(agent.token).post('/webhooks', { url: `${receiver.url}/x`, events: ['*'] })).status,
    ).toBe(403);
    expect((await as(agent.token).get('/webhooks')).status).toBe(403);

    const mine = await hook(['*'], '/mine');
    const other = await bootstrapAgent(t.app, 'other');
    const otherAdmin = await inviteHuman(t.app, t.config.dataDir, other, 'owner@other.dev');
    const theirs = await as(otherAdmin.token).post('/webhooks', {
      url: `${receiver.url}/theirs`,
      events: ['*'],
    });
    expect(theirs.status).toBe(201);
    for (const reply of [
      await as(admin.token).get(`/webhooks/${theirs.json.data.id}`),
      await as(admin.token).get(`/webhooks/${theirs.json.data.id}/deliveries`),
      await as(admin.token).post(`/webhooks/${theirs.json.data.id}/enable`),
      await as(admin.token).post(`/webhooks/${theirs.json.data.id}/replay`, { since_seq: 0 }),
      await as(admin.token).del(`/webhooks/${theirs.json.data.id}`),
    ]) {
      expect(reply.status, reply.text).toBe(404);
    }
    expect((await as(admin.token).get('/webhooks')).json.data.map((w: { id: string }) => w.id)).toEqual([
      mine.id,
    ]);

    await as(other.token).post('/contacts', { name: 'Theirs Only' });
    await as(agent.token).post('/contacts', { name: 'Mine Only' });
    await waitFor(() => expect(at('/theirs').some((r) => r.json.type === 'contact.created')).toBe(true));
    await waitFor(() => expect(at('/mine').some((r) => r.json.type === 'contact.created')).toBe(true));
    await settle();
    const names = (path: string) =>
      at(path)
        .filter((r) => r.json.type === 'contact.created')
        .map((r) => r.json.data.changes.name[1]);
    expect(names('/mine')).toEqual(['Mine Only']);
    expect(names('/theirs')).toEqual(['Theirs Only']);
    expect(at('/mine').every((r) => r.json.data.workspace_id === agent.workspaceId)).toBe(true);
  });
});

describe.each(DIALECTS)('webhook addresses (SSRF) on %s', (dialect) => {
  let t: TestApp;
  let admin: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const agent = await bootstrapAgent(t.app, 'ssrf');
    admin = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@ssrf.dev');
  });
  afterAll(async () => t.close());

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'must use https'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://localhost/hook', 'loopback'],
    ['https://2130706433/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'private'],
    ['https://[::ffff:169.254.169.254]/hook', 'link-local'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://192.168.1.1/hook', 'private'],
    ['https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::]/hook', 'unspecified'],
    ['https://[fd00::1]/hook', 'private (ULA)'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://user:pass@example.com/hook', 'credentials'],
    ['ftp://example.com/hook', 'scheme'],
    ['http://example.com/hook', 'must use https'],
  ])('refuses %s', async (url, why) => {
    const reply = await call(
      t.app,
      'POST',
      '/webhooks',
      { url, events: ['*'] },
      { token: admin.token, json: true },
    );
    expect(reply.status, reply.text).toBe(400);
    expect(reply.json.error.message).toContain(why);
    expect(reply.json.error.hint).toBeTruthy();
  });

  it('accepts a public https URL, and refuses a bad event pattern', async () => {
    const ok = await call(
      t.app,
      'POST',
      '/webhooks',
      { url: 'https://hooks.example.com/crm', events: 'contact.*,deal.updated' },
      { token: admin.token, json: true },
    );
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.data.events).toEqual(['contact.*', 'deal.updated']);
    const bad = await call(
      t.app,
      'POST',
      '/webhooks',
      { url: 'https://hooks.example.com/crm', events: ['contact.**'] },
      { token: admin.token, json: true },
    );
    expect(bad.status).toBe(400);
  });

  it('checks the resolved address at delivery time and never connects to a refused one', async () => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      // localhost resolves to loopback: refused without the operator's flag, before any connection.
      const result = await postDelivery(new URL(`http://localhost:${port}/x`), {}, '{}', {
        allowLoopback: false,
        timeoutMs: 2000,
      });
      expect(result.statusCode).toBeNull();
      expect(result.error).toMatch(/^refused: localhost resolves to .*loopback address$/);
      expect(receiver.received).toHaveLength(0);
      const allowed = await postDelivery(new URL(`http://localhost:${port}/x`), {}, '{}', {
        allowLoopback: true,
        timeoutMs: 2000,
      });
      expect(allowed.statusCode).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});
