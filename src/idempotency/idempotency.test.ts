import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { requestHash } from './idempotency.js';
import { rowScope } from './sealing.js';

describe.each(DIALECTS)('idempotency keys on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  const create = (key: string, body: unknown, headerName = 'x-idempotency-key', token = agent.token) =>
    call(t.app, 'POST', '/contacts', body, { token, json: true, headers: { [headerName]: key } });

  const count = async (table: 'contacts' | 'audit_log', column: string, value: string) => {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where(column as never, '=', value as never)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('20 parallel identical requests make one record and one audit row', async () => {
    const body = { name: 'Parallel Pam' };
    const replies = await Promise.all(Array.from({ length: 20 }, () => create('idem_parallel', body)));
    const ok = replies.filter((r) => r.status === 201);
    // Each answer is either the outcome (first or replayed) or "still in progress" — never a second record.
    for (const reply of replies) expect([201, 409]).toContain(reply.status);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.json.data.id)).size).toBe(1);
    for (const reply of replies.filter((r) => r.status === 409))
      expect(reply.json.error.code).toBe('idempotency_key_in_use');
    expect(await count('contacts', 'name', 'Parallel Pam')).toBe(1);
    expect(await count('audit_log', 'target', `contact/${ok[0]!.json.data.id}`)).toBe(1);
    const retry = await create('idem_parallel', body);
    expect(retry.status).toBe(201);
    expect(retry.json.data.id).toBe(ok[0]!.json.data.id);
  });

  it('replays the stored response, marked as a replay, in either format', async () => {
    const first = await create(
      'idem_replay',
      { name: 'Replay Ray', email: 'ray@replay.dev' },
      'idempotency-key',
    );
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.json.idempotency_key).toBe('idem_replay');
    const second = await create('idem_replay', { name: 'Replay Ray', email: 'ray@replay.dev' });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json.data).toEqual(first.json.data);
    const text = await call(
      t.app,
      'POST',
      '/contacts',
      { email: 'ray@replay.dev', name: 'Replay Ray' },
      {
        token: agent.token,
        headers: { 'x-idempotency-key': 'idem_replay' },
      },
    );
    expect(text.text).toContain('# created');
    expect(text.text).toContain('# idempotent_replay: true');
    expect(await count('contacts', 'email', 'ray@replay.dev')).toBe(1);
  });

  it('the same key with another body is 422 idempotency_key_reused', async () => {
    await create('idem_reuse', { name: 'First Body' });
    const reused = await create('idem_reuse', { name: 'Second Body' });
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('idempotency_key_reused');
    expect(reused.json.error.hint).toContain('new idempotency key');
    expect(await count('contacts', 'name', 'Second Body')).toBe(0);
    const otherRoute = await call(
      t.app,
      'PATCH',
      `/contacts/c_0000000000000000`,
      { name: 'First Body' },
      {
        token: agent.token,
        json: true,
        headers: { 'x-idempotency-key': 'idem_reuse' },
      },
    );
    expect(otherRoute.status).toBe(422);
  });

  it('replays a stored refusal too', async () => {
    const first = await create('idem_refused', { name: 'Bad Company', company_id: 'co_0000000000000000' });
    expect(first.status).toBe(400);
    const again = await create('idem_refused', { name: 'Bad Company', company_id: 'co_0000000000000000' });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.error.message).toBe(first.json.error.message);
  });

  it('a key held by a running attempt is 409 until that attempt is presumed dead', async () => {
    const now = t.clock.now().toISOString();
    const principal = (
      await t.store.db
        .selectFrom('tokens')
        .select('id')
        .where('workspace_id', '=', agent.workspaceId)
        .executeTakeFirstOrThrow()
    ).id;
    // The row a process that died mid-request leaves: addressed by the keyed hash of its key.
    const master = await t.app.services.keyring.current();
    const scope = { workspaceId: agent.workspaceId, principal, key: 'idem_stuck' };
    await t.store.db
      .insertInto('idempotency_keys')
      .values({
        workspace_id: agent.workspaceId,
        principal,
        key_hash: rowScope(master, scope).keyHash,
        key_id: master.id,
        operation: 'contacts.create',
        request_hash: requestHash('contacts.create', { name: 'Stuck Stu' }),
        status: 'in_progress',
        response: null,
        created_at: now,
        locked_at: now,
        expires_at: new Date(Date.parse(now) + 86_400_000).toISOString(),
      })
      .execute();
    const busy = await create('idem_stuck', { name: 'Stuck Stu' });
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('idempotency_key_in_use');
    expect(busy.headers.get('retry-after')).toBe('1');
    t.clock.advance(61_000);
    const taken = await create('idem_stuck', { name: 'Stuck Stu' });
    expect(taken.status).toBe(201);
  });

  it('keys belong to one token: another agent with the same key is independent', async () => {
    const other = await bootstrapAgent(t.app, 'other_agent');
    const mine = await create('idem_shared', { name: 'Mine' });
    const theirs = await create('idem_shared', { name: 'Theirs' }, 'x-idempotency-key', other.token);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.json.data.id).not.toBe(mine.json.data.id);
  });

  it('keys expire after 24 hours', async () => {
    await create('idem_old', { name: 'Old Key' });
    t.clock.advance(24 * 3600 * 1000 + 1000);
    const again = await create('idem_old', { name: 'Old Key' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('contacts', 'name', 'Old Key')).toBe(2);
  });

  it('an expired key is free at once, even between the once-a-minute sweeps', async () => {
    await create('idem_edge', { name: 'Edge Key' });
    // A request just before expiry sweeps (nothing has expired yet) ...
    t.clock.advance(24 * 3600 * 1000 - 10_000);
    expect((await create('idem_other', { name: 'Sweeper' })).status).toBe(201);
    // ... so 20 s later the sweep is not due, yet the expired key must not replay or conflict.
    t.clock.advance(20_000);
    const again = await create('idem_edge', { name: 'Edge Key, another body' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('contacts', 'name', 'Edge Key, another body')).toBe(1);
  });

  it('rejects malformed keys', async () => {
    const reply = await create('has space', { name: 'Spacey' });
    expect(reply.status).toBe(400);
    expect(reply.json.error.hint).toContain('idem_');
  });

  it('a bootstrap retried with its key returns the same agent, and no token is stored in clear', async () => {
    const body = { agent_name: 'retrying_agent' };
    const key = `idem_${randomUUID()}`;
    const headers = { 'x-idempotency-key': key };
    const first = await call(t.app, 'POST', '/agent-bootstrap', body, { json: true, headers });
    const second = await call(t.app, 'POST', '/agent-bootstrap', body, { json: true, headers });
    expect(first.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json.data.agent_id).toBe(first.json.data.agent_id);
    expect(second.json.data.token).toBe(first.json.data.token);
    const rows = await t.store.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(first.json.data.token.slice(3));
    // Neither is the key itself stored: only its keyed hash.
    expect(JSON.stringify(rows)).not.toContain(key.slice(5));
  });

  it('authenticated keys are stored as keyed hashes, never in clear', async () => {
    await create('idem_visible_key_1', { name: 'Hash Harry' });
    const rows = await t.store.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('idem_visible_key_1');
  });

  // Issue 19, item 2: agents behind one address that copy the guide's literal key shared an answer.
  it('two agents copying the guide literally (X-Idempotency-Key: idem_) never share a token', async () => {
    const body = { agent_name: 'copycat_agent' };
    const headers = { 'x-idempotency-key': 'idem_' };
    const first = await call(t.app, 'POST', '/agent-bootstrap', body, { json: true, headers });
    const second = await call(t.app, 'POST', '/agent-bootstrap', body, { json: true, headers });
    for (const reply of [first, second]) {
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_input');
      expect(reply.json.error.hint).toContain('idem_<uuid>');
      expect(reply.json.data).toBeNull();
      expect(reply.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('refuses guessable keys on every call without a token, and accepts random ones', async () => {
    const weak = [
      'idem_',
      'idem_<uuid>',
      '1',
      'key1',
      'idem_1',
      'idem_boot_1',
      `idem_${'a'.repeat(30)}`,
      'idem_0000-0000-0000-0000',
    ];
    for (const key of weak) {
      const headers = { 'x-idempotency-key': key };
      const boot = await call(
        t.app,
        'POST',
        '/agent-bootstrap',
        { agent_name: 'weak_key' },
        { json: true, headers },
      );
      expect(boot.status, key).toBe(400);
      expect(boot.json.error.message).toContain('random');
      const signIn = await call(
        t.app,
        'POST',
        '/auth/request',
        { email: 'weak@example.com' },
        { json: true, headers },
      );
      expect(signIn.status, key).toBe(400);
    }
    for (const key of [`idem_${randomUUID()}`, randomUUID(), 'boot_01JF3Q8ZK4M7W2X9VYB6C5D0RT']) {
      const boot = await call(
        t.app,
        'POST',
        '/agent-bootstrap',
        { agent_name: 'strong_key' },
        {
          json: true,
          headers: { 'x-idempotency-key': key },
        },
      );
      expect(boot.status, key).toBe(201);
    }
  });
});
