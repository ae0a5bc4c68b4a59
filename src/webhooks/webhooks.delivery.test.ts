import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, waitFor, webhooksFixture } from '../../test/fixtures/webhooks.js';
import { type Agent, DIALECTS, type TestApp } from '../../test/harness.js';
import type { Person } from '../../test/mailbox.js';
import { type Receiver, verifySignature } from '../../test/webhook-receiver.js';
import { MAX_ATTEMPTS, MAX_DELAY_MS } from './webhook.js';

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
});
