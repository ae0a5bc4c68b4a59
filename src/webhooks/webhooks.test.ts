import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
import { MAX_ATTEMPTS, MAX_DELAY_MS } from './webhook.js';

const waitFor = <T>(check: () => Promise<T> | T) => vi.waitFor(check, { timeout: 10_000, interval: 20 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.each(DIALECTS)('webhooks on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let admin: Person;
  let receiver: Receiver;
  const as = (token: string) => ({
    get: (path: string) => call(t.app, 'GET', path, undefined, { token, json: true }),
    post: (path: string, body?: unknown) => call(t.app, 'POST', path, body ?? {}, { token, json: true }),
    patch: (path: string, body: unknown) => call(t.app, 'PATCH', path, body, { token, json: true }),
    del: (path: string) => call(t.app, 'DELETE', path, undefined, { token, json: true }),
  });
  const hook = async (events: string[], path = '/hook') => {
    const reply = await as(admin.token).post('/webhooks', { url: `${receiver.url}${path}`, events });
    expect(reply.status, reply.text).toBe(201);
    return reply.json.data as { id: string; secret: string };
  };
  const at = (path: string) => receiver.received.filter((r) => r.path === path);

  beforeAll(async () => {
    t = await createTestApp(dialect, { WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    agent = await bootstrapAgent(t.app, 'hooked');
    admin = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@hooks.dev');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('delivers a change, signed by the Standard Webhooks scheme, with the secret shown once', async () => {
    const created = await hook(['contact.*'], '/signed');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await as(admin.token).get(`/webhooks/${created.id}`);
    expect(shown.json.data).toMatchObject({ id: created.id, status: 'active', events: ['contact.*'] });
    expect(shown.text).not.toContain(created.secret);
    expect((await as(admin.token).get('/webhooks')).text).not.toContain(created.secret);

    const contact = await as(agent.token).post('/contacts', { name: 'Ada Hook', email: 'ada@hooks.dev' });
    expect(contact.status).toBe(201);
    await waitFor(() => expect(at('/signed')).toHaveLength(1));
    const [delivery] = at('/signed');
    expect(verifySignature(created.secret, delivery!.headers, delivery!.body)).toBe(true);
    expect(
      verifySignature(`whsec_${Buffer.alloc(32).toString('base64')}`, delivery!.headers, delivery!.body),
    ).toBe(false);
    const events = await as(agent.token).get('/events?types=contact.created');
    const event = events.json.data.at(-1);
    expect(delivery!.headers['webhook-id']).toBe(event.id);
    expect(Number(delivery!.headers['webhook-timestamp'])).toBe(Math.floor(t.clock.now().getTime() / 1000));
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.json).toMatchObject({
      type: 'contact.created',
      timestamp: event.at,
      data: {
        id: event.id,
        seq: event.seq,
        target: `contact/${contact.json.data.id}`,
        operation: 'contacts.create',
      },
    });

    // The receiver may have the request before the dispatcher has recorded its answer.
    const deliveries = () => as(admin.token).get(`/webhooks/${created.id}/deliveries`);
    await waitFor(async () => expect((await deliveries()).json.data[0].status).toBe('succeeded'));
    const log = await deliveries();
    expect(log.status).toBe(200);
    expect(log.json.data[0]).toMatchObject({
      event_id: event.id,
      event_type: 'contact.created',
      status: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
      last_response: 'ok 200',
    });
    expect(log.json.data[0].last_duration_ms).toBeGreaterThanOrEqual(0);
    expect(log.json.data[0].delivered_at).toBeTruthy();
    await as(admin.token).del(`/webhooks/${created.id}`);
  });

  it('sends only the event types asked for (wildcards), and nothing after delete', async () => {
    const deals = await hook(['deal.*', 'task.created'], '/deals');
    const contact = await as(agent.token).post('/contacts', { name: 'Filter Me' });
    await as(agent.token).post('/deals', { title: 'Big one', contact_id: contact.json.data.id });
    await as(agent.token).post('/tasks', { title: 'Call', contact_id: contact.json.data.id });
    await waitFor(() =>
      expect(at('/deals').map((r) => r.json.type)).toEqual(['deal.created', 'task.created']),
    );

    expect((await as(admin.token).del(`/webhooks/${deals.id}`)).status).toBe(200);
    await as(agent.token).post('/deals', { title: 'After delete', contact_id: contact.json.data.id });
    await settle();
    expect(at('/deals')).toHaveLength(2);
    expect((await as(admin.token).get(`/webhooks/${deals.id}`)).status).toBe(404);
  });

  it('sends nothing for a change that rolled back: dry run, conflict, invalid input', async () => {
    const all = await hook(['*'], '/rollback');
    // The endpoint's own webhook.created event comes first; contacts are what this test watches.
    const contacts = () => at('/rollback').filter((r) => r.json.type.startsWith('contact.'));
    const contact = await as(agent.token).post('/contacts', { name: 'Stable' });
    await waitFor(() => expect(contacts()).toHaveLength(1));
    const dry = await as(agent.token).post('/contacts?dry_run=true', { name: 'Dry' });
    expect(dry.status).toBeLessThan(300);
    const conflict = await as(agent.token).patch(`/contacts/${contact.json.data.id}`, {
      title: 'x',
      version: 99,
    });
    expect(conflict.status).toBe(409);
    expect((await as(agent.token).post('/contacts', { name: '' })).status).toBe(400);
    // Refused by the workspace policy: the refusal is audited, but no change happened, so nothing is sent.
    expect((await as(admin.token).patch('/policy', { agent_deletes: 'deny' })).status).toBe(200);
    const asked = await as(agent.token).del(`/contacts/${contact.json.data.id}`);
    const denied = await as(agent.token).del(asked.json.data.confirm_url);
    expect(denied.json.outcome, denied.text).toBe('denied');
    expect((await as(admin.token).patch('/policy', { agent_deletes: null })).status).toBe(200);
    // A committed change afterwards is the barrier: once it arrived, anything earlier would have too.
    await as(agent.token).post('/contacts', { name: 'Barrier' });
    await waitFor(() => expect(contacts()).toHaveLength(2));
    await settle();
    expect(contacts().map((r) => r.json.data.changes?.name?.[1])).toEqual(['Stable', 'Barrier']);
    await as(admin.token).del(`/webhooks/${all.id}`);
  });

  it('retries with backoff, marks the endpoint failing, resumes when enabled, and replays', async () => {
    const flaky = await hook(['contact.created'], '/flaky');
    let failures = 2;
    receiver.respond = (request) =>
      request.path === '/flaky' && failures-- > 0 ? { status: 500 } : { status: 200 };
    await as(agent.token).post('/contacts', { name: 'Retry Me' });
    const log = async () => (await as(admin.token).get(`/webhooks/${flaky.id}/deliveries`)).json.data;
    await waitFor(async () => expect((await log())[0]).toMatchObject({ attempts: 1, status: 'pending' }));
    const first = (await log())[0];
    expect(first.last_status_code).toBe(500);
    expect(first.last_error).toBe('HTTP 500');
    expect(first.next_attempt_at > t.clock.now().toISOString()).toBe(true);
    await settle();
    expect(at('/flaky')).toHaveLength(1); // not before its time
    for (const attempt of [2, 3]) {
      t.clock.advance(MAX_DELAY_MS);
      await waitFor(async () => expect((await log())[0].attempts).toBe(attempt));
    }
    // The receiver may have the request before the dispatcher has recorded its answer.
    await waitFor(async () =>
      expect((await log())[0]).toMatchObject({ status: 'succeeded', last_status_code: 200 }),
    );
    const ids = new Set(at('/flaky').map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // the same webhook-id on every attempt
    expect(new Set(at('/flaky').map((r) => r.body)).size).toBe(1);

    // Now it fails for good: after the last attempt the endpoint is failing.
    receiver.respond = (request) => (request.path === '/flaky' ? { status: 503 } : { status: 200 });
    await as(agent.token).post('/contacts', { name: 'Doomed' });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await waitFor(async () => expect((await log())[0].attempts).toBe(attempt));
      t.clock.advance(MAX_DELAY_MS);
    }
    await waitFor(async () =>
      expect((await as(admin.token).get(`/webhooks/${flaky.id}`)).json.data.status).toBe('failing'),
    );
    const doomed = (await log())[0];
    expect(doomed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_status_code: 503 });

    // While failing, new events queue but are not sent.
    receiver.respond = () => ({ status: 200 });
    const sent = at('/flaky').length;
    await as(agent.token).post('/contacts', { name: 'Queued While Failing' });
    await settle();
    expect(at('/flaky')).toHaveLength(sent);
    expect(
      (await as(admin.token).get(`/webhooks/${flaky.id}/deliveries?status=pending`)).json.data,
    ).toHaveLength(1);

    const enabled = await as(admin.token).post(`/webhooks/${flaky.id}/enable`);
    expect(enabled.json.data.status).toBe('active');
    await waitFor(() => expect(at('/flaky')).toHaveLength(sent + 1));
    expect(at('/flaky').at(-1)!.json.data.changes.name[1]).toBe('Queued While Failing');

    // The delivery that gave up is sent again on replay, with its original webhook-id.
    const replay = await as(admin.token).post(`/webhooks/${flaky.id}/replay`, { delivery_id: doomed.id });
    expect(replay.status, replay.text).toBe(202);
    expect(replay.json.data.queued).toBe(1);
    await waitFor(() => expect(at('/flaky')).toHaveLength(sent + 2));
    expect(at('/flaky').at(-1)!.headers['webhook-id']).toBe(doomed.event_id);
    expect(verifySignature(flaky.secret, at('/flaky').at(-1)!.headers, at('/flaky').at(-1)!.body)).toBe(true);
    // Ids made within one millisecond of the test's frozen clock do not sort by creation: find it.
    await waitFor(async () => {
      const replayed = (await log()).find((d: { replay_of: string | null }) => d.replay_of);
      expect(replayed).toMatchObject({ replay_of: doomed.id, status: 'succeeded' });
    });

    // Replay by feed number: every matching event after it.
    const replaySince = await as(admin.token).post(`/webhooks/${flaky.id}/replay`, { since_seq: 0 });
    const createdEvents = (await as(agent.token).get('/events?types=contact.created&limit=500')).json.data;
    expect(replaySince.json.data.queued).toBe(createdEvents.length);
    await waitFor(() => expect(at('/flaky')).toHaveLength(sent + 2 + createdEvents.length));
    expect((await as(admin.token).post(`/webhooks/${flaky.id}/replay`, {})).status).toBe(400);
    await as(admin.token).del(`/webhooks/${flaky.id}`);
  });

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
