import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';

describe.each(DIALECTS)('contacts on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app);
  });
  afterAll(async () => t.close());

  it('creates a contact and answers with its record line', async () => {
    const reply = await call(
      t.app,
      'POST',
      '/contacts',
      { name: 'Jane Doe', email: 'Jane@Acme.com', stage: 'lead', tags: ['vip', 'renewal'] },
      { token: agent.token },
    );
    expect(reply.status).toBe(201);
    expect(reply.text).toMatch(
      /^contact\/c_[0-9a-z]{16} name="Jane Doe" email=jane@acme.com stage=lead tags=vip,renewal /,
    );
    expect(reply.text).toContain('\n# created\n');
  });
});
