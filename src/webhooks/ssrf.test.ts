import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  createTestDatabase,
  DIALECTS,
  type TestApp,
} from '../../test/harness.js';
import { inviteHuman, type Person } from '../../test/mailbox.js';
import { type Receiver, startReceiver } from '../../test/webhook-receiver.js';
import { createApp } from '../app.js';
import { testConfig } from '../config.js';
import { manualClock } from '../ids.js';
import { connectStore, migrateToLatest } from '../store/connect.js';
import type { HostResolver } from './send.js';

/**
 * Issue 19, item 4: every address form that reaches a host the server should not call, refused
 * when it is written in the URL (registration) and when a host name resolves to it (delivery).
 */

/** [URL, what the refusal says]: the forms named in issue 19 first, then the usual bypasses. */
const REFUSED_URLS: [string, string][] = [
  ['https://[::127.0.0.1]/hook', 'IPv4-compatible (deprecated) (embeds 127.0.0.1, loopback)'],
  ['https://[::ffff:0:7f00:1]/hook', 'IPv4-translated (embeds 127.0.0.1, loopback)'],
  ['https://[2002:7f00:1::]/hook', '6to4 (embeds 127.0.0.1, loopback)'],
  ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook', 'Teredo (embeds 127.0.0.1, loopback)'],
  ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', 'Teredo (embeds 192.0.2.45, reserved)'],
  ['https://LOCALHOST./hook', 'loopback'],
  ['https://Api.LocalHost./hook', 'loopback'],
  ['https://localhost../hook', 'loopback'],
  ['https://[64:ff9b::a9fe:a9fe]/hook', 'NAT64 (embeds 169.254.169.254'],
  ['https://[64:ff9b:1::a00:1]/hook', 'NAT64 (embeds 10.0.0.1, private)'],
  ['https://2130706433/hook', 'loopback'],
  ['https://0x7f.1/hook', 'loopback'],
  ['https://017700000001/hook', 'loopback'],
  ['https://127.1/hook', 'loopback'],
  ['https://0/hook', 'unspecified'],
  ['https://[::]/hook', 'unspecified'],
  ['https://[::1]/hook', 'loopback'],
  ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
  ['https://[::ffff:a9fe:a9fe]/hook', 'link-local (cloud metadata)'],
  ['https://[fe80::1%25eth0]/hook', 'not a valid URL'],
  ['https://[fe80::1]/hook', 'link-local'],
  ['https://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
  ['https://[fd00::1]/hook', 'private (ULA)'],
  ['https://[fec0::1]/hook', 'site-local'],
  ['https://[ff02::1]/hook', 'multicast'],
  ['https://[100::1]/hook', 'discard'],
  ['https://[2001:db8::1]/hook', 'reserved'],
  ['https://[5f00::1]/hook', 'segment routing'],
  ['https://[4000::1]/hook', 'reserved'],
  ['https://[1::]/hook', 'reserved'],
  ['https://255.255.255.255/hook', 'broadcast'],
  ['https://192.0.0.8/hook', 'reserved'],
  ['https://198.18.0.1/hook', 'reserved'],
  ['https://192.88.99.1/hook', 'reserved'],
  ['https://100.100.100.200/hook', 'carrier-grade NAT'],
  ['https://10.0.0.1/hook', 'private'],
];

/** [address a name resolves to, what the refusal says]: checked at each delivery. */
const REFUSED_ADDRESSES: [string, string][] = [
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::7f00:1', 'IPv4-compatible'],
  ['::ffff:0:7f00:1', 'IPv4-translated'],
  ['2002:7f00:1::', '6to4'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo'],
  ['64:ff9b::7f00:1', 'NAT64'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['0.0.0.0', 'unspecified'],
  ['fe80::1%eth0', 'link-local'],
  ['169.254.169.254', 'link-local (cloud metadata)'],
  ['fd00::1', 'private (ULA)'],
  ['10.1.2.3', 'private'],
  ['192.168.0.1', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['255.255.255.255', 'broadcast'],
  ['2001:db8::1', 'reserved'],
  ['4000::1', 'reserved'],
];

const waitFor = <T>(check: () => Promise<T> | T) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

describe.each(DIALECTS)('webhook addresses at registration on %s', (dialect) => {
  let strict: TestApp;
  let loose: TestApp;
  let strictAdmin: Person;
  let looseAdmin: Person;
  const register = (t: TestApp, admin: Person, url: string) =>
    call(t.app, 'POST', '/webhooks', { url, events: ['*'] }, { token: admin.token, json: true });

  beforeAll(async () => {
    strict = await createTestApp(dialect);
    loose = await createTestApp(dialect, { WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    strictAdmin = await inviteHuman(strict.app, strict.config.dataDir, await bootstrapAgent(strict.app));
    looseAdmin = await inviteHuman(loose.app, loose.config.dataDir, await bootstrapAgent(loose.app));
  });
  afterAll(async () => {
    await strict.close();
    await loose.close();
  });

  it.each(REFUSED_URLS)('refuses %s (%s)', async (url, why) => {
    const reply = await register(strict, strictAdmin, url);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.json.error.code).toBe('invalid_input');
    expect(reply.json.error.message).toContain(why);
    expect(reply.json.error.hint).toBeTruthy();
  });

  it('keeps refusing embedded loopback forms when the operator allows loopback', async () => {
    for (const url of [
      'https://[::127.0.0.1]/hook',
      'https://[::ffff:0:7f00:1]/hook',
      'https://[2002:7f00:1::]/hook',
      'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
      'https://[64:ff9b::7f00:1]/hook',
      'https://169.254.169.254/hook',
    ]) {
      const reply = await register(loose, looseAdmin, url);
      expect(reply.status, `${url}: ${reply.text}`).toBe(400);
    }
    // The plain loopback forms are what the flag is for.
    for (const url of [
      'http://LOCALHOST.:8080/hook',
      'http://[::ffff:127.0.0.1]:8080/hook',
      'https://[::1]/x',
    ]) {
      const reply = await register(loose, looseAdmin, url);
      expect(reply.status, `${url}: ${reply.text}`).toBe(201);
    }
  });

  it('accepts public addresses and names as before', async () => {
    for (const url of [
      'https://Hooks.Example.COM./crm',
      'https://93.184.215.14/crm',
      'https://[2606:4700:4700::1111]/crm',
      'https://[::ffff:8.8.8.8]/crm',
    ]) {
      const reply = await register(strict, strictAdmin, url);
      expect(reply.status, `${url}: ${reply.text}`).toBe(201);
    }
  });
});

describe.each(DIALECTS)('webhook addresses at delivery on %s', (dialect) => {
  const table = new Map<string, string[]>();
  const resolveHost: HostResolver = async (host) =>
    (table.get(host) ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  let close: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  let agent: Agent;
  let admin: Person;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    const database = await createTestDatabase(dialect);
    const config = testConfig({ ...database.env, WEBHOOKS_ALLOW_LOOPBACK: 'false' });
    const store = connectStore(config);
    await migrateToLatest(store);
    const clock = manualClock(new Date('2026-03-01T09:00:00.000Z'));
    app = createApp({ config, store, clock, jobIntervalMs: 50, webhookIntervalMs: 50, resolveHost });
    app.services.webhooks.start();
    agent = await bootstrapAgent(app);
    admin = await inviteHuman(app, config.dataDir, agent);
    close = async () => {
      await app.services.webhooks.stop();
      await app.services.meter.stop();
      await store.close();
      await database.cleanup();
    };
  });
  afterAll(async () => {
    await close();
    await receiver.close();
  });

  it('refuses, before connecting, every name that resolves to a refused address', async () => {
    const cases: [string[], string][] = [
      ...REFUSED_ADDRESSES.map(([address, why]): [string[], string] => [[address], why]),
      // One bad address among good ones is enough to refuse: the connection could use any.
      [['93.184.215.14', '10.0.0.7'], 'private'],
    ];
    const as = { token: admin.token, json: true };
    // A workspace has at most 20 endpoints: the table goes through in rounds of 10.
    for (let start = 0; start < cases.length; start += 10) {
      const hooks: { id: string; address: string; why: string }[] = [];
      for (const [offset, [addresses, why]] of cases.slice(start, start + 10).entries()) {
        const host = `h${start + offset}.hooks.example`;
        table.set(host, addresses);
        const body = { url: `https://${host}/hook`, events: ['contact.created'] };
        const reply = await call(app, 'POST', '/webhooks', body, as);
        expect(reply.status, reply.text).toBe(201);
        hooks.push({ id: reply.json.data.id, address: addresses.at(-1)!, why });
      }
      await call(app, 'POST', '/contacts', { name: `Probe ${start}` }, { token: agent.token, json: true });
      for (const hook of hooks) {
        await waitFor(async () => {
          const log = await call(app, 'GET', `/webhooks/${hook.id}/deliveries`, undefined, as);
          const [delivery] = log.json.data;
          expect(delivery?.attempts, hook.address).toBe(1);
          expect(delivery.last_status_code).toBeNull();
          expect(delivery.last_error).toMatch(/^refused: h\d+\.hooks\.example resolves to /);
          expect(delivery.last_error, hook.address).toContain(hook.why);
        });
        // The on-demand ping goes through the same resolver and check.
        const ping = await call(app, 'POST', `/webhooks/${hook.id}/test`, {}, as);
        expect(ping.json.data, ping.text).toMatchObject({ ok: false, status_code: null });
        expect(ping.json.data.error, hook.address).toContain(hook.why);
        await call(app, 'DELETE', `/webhooks/${hook.id}`, undefined, as);
      }
    }
    expect(receiver.received).toHaveLength(0);
  });
});
