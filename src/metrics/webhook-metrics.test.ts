import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { inviteHuman } from '../../test/mailbox.js';
import { parsePrometheusText, sampleValue } from '../../test/prometheus-text.js';
import { type Receiver, startReceiver } from '../../test/webhook-receiver.js';

const TOKEN = 'metrics-token-0123456789';

describe.each(DIALECTS)('webhook delivery metrics on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await createTestApp(dialect, { METRICS_TOKEN: TOKEN, WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const attempts = async (outcome: string) => {
    const reply = await call(t.app, 'GET', '/metrics', undefined, { token: TOKEN });
    return sampleValue(parsePrometheusText(reply.text), 'agentcrm_webhook_delivery_attempts_total', {
      outcome,
    });
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('counts attempts that succeed and attempts that fail, and how late they were', async () => {
    const agent = await bootstrapAgent(t.app, 'hooked');
    const admin = await inviteHuman(t.app, t.config.dataDir, agent, 'owner@metrics-hooks.dev');
    receiver.respond = (request) => ({ status: request.path === '/down' ? 500 : 200 });
    for (const path of ['/up', '/down']) {
      const hook = await call(
        t.app,
        'POST',
        '/webhooks',
        { url: `${receiver.url}${path}`, events: ['contact.*'] },
        { token: admin.token },
      );
      expect(hook.status, hook.text).toBe(201);
    }
    const contact = await call(t.app, 'POST', '/contacts', { name: 'Ada Hook' }, { token: agent.token });
    expect(contact.status).toBe(201);
    await until(async () => (await attempts('succeeded')) >= 1 && (await attempts('retrying')) >= 1);
    expect(await attempts('succeeded')).toBe(1);
    expect(await attempts('retrying')).toBe(1);
    expect(await attempts('given_up')).toBe(0);
    const reply = await call(t.app, 'GET', '/metrics', undefined, { token: TOKEN });
    expect(sampleValue(parsePrometheusText(reply.text), 'agentcrm_webhook_delivery_lag_seconds_count')).toBe(
      2,
    );
  });
});
