import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';

/** Operation answers get these headers when rendered, the other routes from the middleware. */
describe.each(DIALECTS)('response headers on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = (await bootstrapAgent(t.app)).token;
  });
  afterAll(async () => t.close());

  it('every answer carries x-request-id and nosniff, exactly once', async () => {
    const replies = [
      await call(t.app, 'GET', '/contacts?limit=1', undefined, { token }),
      await call(t.app, 'POST', '/contacts', { name: 'Header Check' }, { token }),
      await call(t.app, 'GET', '/contacts/c_0000000000000000', undefined, { token }),
      await call(t.app, 'GET', '/contacts', undefined, {}),
      await call(t.app, 'GET', '/healthz'),
      await call(t.app, 'GET', '/no-such-route'),
    ];
    for (const reply of replies) {
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]+$/);
    }
    expect(replies[1]!.text).toContain(`# request_id: ${replies[1]!.headers.get('x-request-id')}`);
  });

  it('still refuses a POST body over the cap (the limit is skipped only for GET and HEAD)', async () => {
    const big = await call(t.app, 'POST', '/contacts', undefined, {
      token,
      raw: JSON.stringify({ name: 'x'.repeat(t.config.maxBodyBytes) }),
    });
    expect(big.status).toBe(413);
  });
});
