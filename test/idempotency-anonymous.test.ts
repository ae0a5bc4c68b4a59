import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/**
 * A call without a token keeps its idempotency key per client address. The address is personal
 * data: the stored row holds only a keyed hash of it, and the key still replays for that client
 * and only for that client.
 */
describe.each(DIALECTS)('anonymous idempotency keys on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { TRUST_PROXY: 'true' });
  });
  afterAll(async () => t.close());

  const bootstrap = (address: string, key: string, name: string) =>
    call(
      t.app,
      'POST',
      '/agent-bootstrap',
      { agent_name: name },
      { json: true, headers: { 'x-forwarded-for': address, 'x-idempotency-key': key } },
    );

  it('stores no client address, and replays for the same client only', async () => {
    const key = 'idem_anon_7Qx2Lr9TfK3mWz8P';
    const first = await bootstrap('203.0.113.77', key, 'anon_one');
    expect(first.status).toBe(201);
    const again = await bootstrap('203.0.113.77', key, 'anon_one');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.data.token).toBe(first.json.data.token);
    // Another client with the same key is another scope: a new workspace, not the first token.
    const other = await bootstrap('198.51.100.23', key, 'anon_one');
    expect(other.status).toBe(201);
    expect(other.json.data.token).not.toBe(first.json.data.token);

    const rows = await t.store.db.selectFrom('idempotency_keys').selectAll().execute();
    const anonymous = rows.filter((row) => row.principal.startsWith('anon:'));
    expect(anonymous).toHaveLength(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('203.0.113.77');
    expect(stored).not.toContain('198.51.100.23');
  });
});
