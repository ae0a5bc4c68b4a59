import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { runCli } from './cli.js';
import { call, createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { inviteHuman } from './mailbox.js';
import { type ServerProcess, startServerProcess } from './process.js';
import { type Receiver, startReceiver, verifySignature } from './webhook-receiver.js';

/**
 * Issue 19, item 9: the server key comes from outside the data, and it can be rotated. Real server
 * processes on one database, restarted with each setting of the procedure in docs/secrets.md.
 */
describe.each(DIALECTS)('the server key on %s', { timeout: 180_000 }, (dialect) => {
  let database: TestDatabase;
  let receiver: Receiver;
  const keyA = randomBytes(32).toString('hex');
  const keyB = randomBytes(48).toString('base64');
  const outside = mkdtempSync(path.join(tmpdir(), 'agentcrm-keys-'));
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await database.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>) =>
    startServerProcess({ ...database.env, WEBHOOKS_ALLOW_LOOPBACK: 'true', ...env });
  const stop = async (server: ServerProcess) => {
    server.child.kill('SIGTERM');
    await server.exited;
  };
  const appOf = (server: ServerProcess) =>
    ({ request: (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init) }) as App;

  it('refuses a short key, a malformed one, and a key file inside DATA_DIR, naming the setting', async () => {
    const inside = path.join(database.env.DATA_DIR!, 'secrets.key');
    writeFileSync(inside, keyA);
    const cases: [Record<string, string>, string][] = [
      [{ SECRETS_KEY: randomBytes(16).toString('hex') }, 'SECRETS_KEY: must decode to at least 32 bytes'],
      [{ SECRETS_KEY: 'not a key!' }, 'SECRETS_KEY: must be hex or base64'],
      [{ SECRETS_KEY_FILE: inside }, 'SECRETS_KEY_FILE: must lie outside DATA_DIR'],
      [{ SECRETS_KEY_FILE: path.join(outside, 'missing.key') }, 'SECRETS_KEY_FILE: cannot be read (ENOENT)'],
      [{ SECRETS_KEY: keyA, SECRETS_KEY_FILE: path.join(outside, 'x') }, 'not both'],
      [{ SECRETS_KEY_PREVIOUS: keyA }, 'SECRETS_KEY_PREVIOUS: needs SECRETS_KEY'],
    ];
    for (const [env, message] of cases) {
      const result = await runCli(['migrate'], { ...database.env, ...env });
      expect(result.code, message).toBe(2);
      expect(result.stderr).toContain(message);
    }
    rmSync(inside);
  });

  it('re-seals at start, keeps answering retries across a rotation, refuses a key it cannot open with', async () => {
    const keyFileA = path.join(outside, 'a.key');
    writeFileSync(keyFileA, `${keyA}\n`, { mode: 0o600 });
    // 1. Zero-config: a webhook, and a write whose answer a retry will ask for.
    let server = await start({});
    const boot = await call(
      appOf(server),
      'POST',
      '/agent-bootstrap',
      { agent_name: 'rotator' },
      { json: true },
    );
    const agent = {
      token: boot.json.data.token,
      workspaceId: boot.json.data.workspace_id,
      agentId: boot.json.data.agent_id,
    };
    const owner = await inviteHuman(appOf(server), database.env.DATA_DIR!, agent, 'owner@rotate.dev');
    const hook = await call(
      appOf(server),
      'POST',
      '/webhooks',
      { url: `${receiver.url}/rotate`, events: ['none.matches'] },
      { token: owner.token, json: true },
    );
    expect(hook.status, hook.text).toBe(201);
    const secret: string = hook.json.data.secret;
    const write = () =>
      call(
        appOf(server),
        'POST',
        '/contacts',
        { name: 'Retry Rita' },
        { token: agent.token, json: true, headers: { 'x-idempotency-key': 'idem_rotate_1' } },
      );
    const first = await write();
    expect(first.status).toBe(201);
    /** Pings the webhook; the receiver checks the signature with the secret shown at creation. */
    const pingVerifies = async () => {
      const before = receiver.received.length;
      const ping = await call(
        appOf(server),
        'POST',
        `/webhooks/${hook.json.data.id}/test`,
        {},
        { token: owner.token, json: true },
      );
      expect(ping.json.data?.ok, ping.text).toBe(true);
      const got = receiver.received[before]!;
      return verifySignature(secret, got.headers, got.body);
    };
    expect(await pingVerifies()).toBe(true);
    await stop(server);

    // 2. An external key is configured: the secret is re-sealed under it at start.
    server = await start({ SECRETS_KEY_FILE: keyFileA });
    expect(server.output()).toMatch(/"key_source":"SECRETS_KEY","resealed":1[,}]/);
    expect(await pingVerifies()).toBe(true);
    const retried = await write();
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.json.data.id).toBe(first.json.data.id);
    await stop(server);

    // 3. A new key without the old one: the secret cannot be opened, so the server does not start.
    await expect(start({ SECRETS_KEY: keyB })).rejects.toThrow(
      /sealed under server key [0-9a-f]{16}.*SECRETS_KEY_PREVIOUS/,
    );

    // 4. The rotation: the new key seals, the previous one still opens; the start re-seals.
    server = await start({ SECRETS_KEY: keyB, SECRETS_KEY_PREVIOUS: keyA });
    expect(server.output()).toMatch(/"resealed":1[,}]/);
    expect(await pingVerifies()).toBe(true);
    expect((await write()).json.data.id).toBe(first.json.data.id);
    await stop(server);

    // 5. The previous key dropped: everything is under the new key.
    server = await start({ SECRETS_KEY: keyB });
    expect(server.output()).toMatch(/"resealed":0[,}]/);
    expect(await pingVerifies()).toBe(true);
    await stop(server);
  });
});
