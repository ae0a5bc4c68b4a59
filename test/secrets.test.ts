import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import {
  openStoredAnswers,
  openWebhookSecrets,
  readPgDump,
  readSqliteCopy,
  type Tables,
} from './attacker.js';
import {
  bootstrapAgent,
  call,
  createTestApp,
  createTestDatabase,
  DIALECTS,
  type TestApp,
} from './harness.js';
import { inviteHuman, latestCode, outboxMessages } from './mailbox.js';
import { startServerProcess } from './process.js';

/** Every secret the flows below hand out: tokens, sign-in codes, step-up codes, invite links, webhook secrets. */
describe.each(DIALECTS)('no secret is stored in plain text on %s', (dialect) => {
  let t: TestApp;
  const secrets: { kind: string; value: string }[] = [];
  const keep = (kind: string, value: string) => {
    secrets.push({ kind, value });
    return value;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: 'https://crm.example.org' });
    const mails = () => outboxMessages(t.config.dataDir);
    const json = (method: string, p: string, body?: unknown, token?: string) =>
      call(t.app, method, p, body, { json: true, ...(token ? { token } : {}) });

    // An agent signs up and invites its human, who accepts with an emailed code.
    const agent = await bootstrapAgent(t.app, 'keeper');
    keep('agent token', agent.token);
    await json(
      'POST',
      '/agent-invite-human',
      { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: 'owner@example.com' },
      agent.token,
    );
    const link = (await mails()).at(-1)!.text.match(/invite=(\S+)/)![1]!;
    const invite = keep('invite link', decodeURIComponent(link));
    await json('POST', '/human/invites/accept', { invite });
    const acceptCode = keep('sign-in code (invite)', latestCode(await mails(), 'owner@example.com'));
    const accepted = await json('POST', '/human/invites/accept', { invite, code: acceptCode });
    const owner = keep('human token', accepted.json.data.token);

    // A person signs in through email codes; one wrong code first.
    await json('POST', '/auth/request', { email: 'ann@example.com' });
    const loginCode = keep('sign-in code', latestCode(await mails(), 'ann@example.com'));
    await json('POST', '/auth/verify', {
      email: 'ann@example.com',
      code: loginCode === '000000' ? '111111' : '000000',
    });
    const ann = (
      await json('POST', '/auth/verify', { email: 'ann@example.com', code: loginCode, token_name: 'x' })
    ).json.data;
    keep('session token', ann.token);
    keep(
      'minted token',
      (await json('POST', '/tokens', { token_name: 'sub', scopes: ['read'] }, ann.token)).json.data.token,
    );
    const team = (await json('POST', '/workspaces', { name: 'Team' }, ann.token)).json.data.id;
    keep('switched token', (await json('POST', `/workspaces/${team}/tokens`, {}, ann.token)).json.data.token);

    // Step-up: inviting an admin into the owner's workspace.
    const path_ = `/workspaces/${agent.workspaceId}/invites`;
    await json('POST', path_, { email: 'cat@example.com', role: 'admin' }, owner);
    const stepUp = keep('step-up code', latestCode(await mails(), 'owner@example.com'));
    const done = await json(
      'POST',
      `${path_}?code=${stepUp}`,
      { email: 'cat@example.com', role: 'admin' },
      owner,
    );
    expect(done.status).toBe(201);

    // A webhook signing secret is stored sealed (it must stay usable for signing, so not hashed).
    const hook = await json(
      'POST',
      '/webhooks',
      { url: 'https://hooks.example.org/crm', events: ['nothing.matches'] },
      owner,
    );
    expect(hook.status).toBe(201);
    const webhookSecret = keep('webhook secret', hook.json.data.secret);
    keep('webhook secret (base64 part)', webhookSecret.slice('whsec_'.length));
    keep(
      'webhook secret (raw key, hex)',
      Buffer.from(webhookSecret.slice('whsec_'.length), 'base64').toString('hex'),
    );
    expect(secrets.length).toBeGreaterThanOrEqual(12);
  });
  afterAll(async () => t.close());

  function assertAbsent(bytes: Buffer, where: string) {
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret.value)), `${secret.kind} found in ${where}`).toBe(false);
    }
  }

  it('scans the database for every secret issued', async () => {
    if (dialect === 'sqlite') {
      const dir = path.dirname(t.store.sqlitePath!);
      const files = readdirSync(dir).filter((name) => name.startsWith('agentcrm.sqlite'));
      expect(files).toContain('agentcrm.sqlite');
      for (const file of files) assertAbsent(readFileSync(path.join(dir, file)), file);
    } else {
      const url = new URL(t.config.databaseUrl!);
      const schema = url.searchParams.get('options')!.match(/search_path=(\w+)/)![1]!;
      url.searchParams.delete('options');
      const dump = execFileSync('pg_dump', ['--dbname', url.toString(), '-n', schema, '--no-owner'], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(dump.toString()).toContain('CREATE TABLE');
      expect(dump.toString()).toContain('login_codes');
      assertAbsent(dump, 'pg_dump');
    }
  });
});

/**
 * Issue 19, items 1 and 9: not only what is written verbatim, but what someone holding a copy of
 * the database (the SQLite files, or a pg_dump) and the server log can derive from them: open the
 * stored idempotent answers (with the derivation used before the fix too, and by brute force of
 * short keys), open the webhook signing secrets with the keys found in server_keys, and use any
 * token found that way. Real server processes, so the log is the real log.
 */
describe.each(DIALECTS)(
  'what a copy of the data and the log gives an attacker on %s',
  { timeout: 120_000 },
  (dialect) => {
    interface Loot {
      tables: Tables;
      log: string;
      tokens: string[];
      webhookSecret: string;
      key: string;
    }
    const keyDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-key-'));
    const keyText = randomBytes(32).toString('base64');
    const keyFile = path.join(keyDir, 'secrets.key');
    writeFileSync(keyFile, `${keyText}\n`, { mode: 0o600 });
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    });

    /** Runs the flows that hand out secrets on a server, stops it, and takes the copy. */
    async function steal(
      env: Record<string, string>,
    ): Promise<Loot & { whoami(token: string): Promise<number> }> {
      const database = await createTestDatabase(dialect);
      cleanups.push(() => database.cleanup());
      const dataDir = database.env.DATA_DIR!;
      const server = await startServerProcess({ ...database.env, ...env });
      const app = { request: (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init) } as App;
      const json = (method: string, p: string, body: unknown, key: string, token?: string) =>
        call(app, method, p, body, {
          json: true,
          ...(token ? { token } : {}),
          headers: { 'x-idempotency-key': key },
        });
      const tokens: string[] = [];
      // Signup with a random key (the rule for calls without a token).
      const boot = await json('POST', '/agent-bootstrap', { agent_name: 'victim' }, `idem_${randomUUID()}`);
      expect(boot.status).toBe(201);
      const agent = {
        token: boot.json.data.token,
        workspaceId: boot.json.data.workspace_id,
        agentId: boot.json.data.agent_id,
      };
      tokens.push(agent.token);
      // Tokens minted with the short keys the guide's readers use.
      for (const key of ['idem_', '1', 'key1']) {
        const minted = await json(
          'POST',
          '/tokens',
          { token_name: `t${key}`, scopes: ['read'] },
          key,
          agent.token,
        );
        expect(minted.status, minted.text).toBe(201);
        tokens.push(minted.json.data.token);
      }
      const owner = await inviteHuman(app, dataDir, agent, 'owner@victim.dev');
      tokens.push(owner.token);
      const hook = await json(
        'POST',
        '/webhooks',
        { url: 'https://hooks.example.org/x', events: ['none.matches'] },
        '1',
        owner.token,
      );
      expect(hook.status, hook.text).toBe(201);
      server.child.kill('SIGTERM');
      await server.exited;
      const tables = dialect === 'sqlite' ? readSqliteCopy(dataDir) : readPgDump(database.env.DATABASE_URL!);
      // The attacker may also run their own server on the stolen data, but here we use the victim's.
      const again = await startServerProcess({ ...database.env, ...env });
      cleanups.push(async () => {
        again.child.kill('SIGTERM');
        await again.exited;
      });
      return {
        tables,
        log: server.output(),
        tokens,
        webhookSecret: hook.json.data.secret,
        key: keyText,
        whoami: async (token) =>
          (await fetch(`${again.url}/whoami`, { headers: { authorization: `Bearer ${token}` } })).status,
      };
    }

    const foundTokens = (plaintexts: string[]) =>
      plaintexts.flatMap((text) => text.match(/ck_[A-Za-z0-9_-]{20,}/g) ?? []);

    it('with SECRETS_KEY_FILE: no stored answer, webhook secret or token can be derived', async () => {
      const loot = await steal({ SECRETS_KEY_FILE: keyFile });
      expect(loot.tables.idempotency_keys.filter((row) => row.response).length).toBeGreaterThanOrEqual(5);
      const answers = openStoredAnswers(loot.tables);
      expect(answers).toEqual([]);
      expect(openWebhookSecrets(loot.tables)).toEqual([]);
      expect(loot.log).not.toContain('no SECRETS_KEY');
      // The database holds no key at all, and neither the log nor the copy holds the key or a secret.
      expect(loot.tables.server_keys).toEqual([]);
      for (const secret of [
        loot.key,
        Buffer.from(loot.key, 'base64').toString('hex'),
        loot.webhookSecret,
        ...loot.tokens,
      ]) {
        expect(loot.log.includes(secret)).toBe(false);
        expect(JSON.stringify(loot.tables).includes(secret)).toBe(false);
      }
      for (const token of foundTokens(answers)) expect(await loot.whoami(token)).toBe(401);
      // The victim's own tokens still work: the copy was taken from a live system.
      expect(await loot.whoami(loot.tokens[0]!)).toBe(200);
    });

    it('zero-config: answers under random keys stay closed; short keys and webhook secrets do not (documented)', async () => {
      const loot = await steal({});
      // The attack works (so the test above can fail): with the database's own key in the copy, a
      // brute force of short keys opens their answers, and the webhook secret opens. The attacker
      // also tries every idempotency key the audit log names (it keeps fingerprints, not keys).
      const audited = loot.tables.audit_log.map((row) => row.idempotency_key).filter((k): k is string => !!k);
      expect(audited.length).toBeGreaterThanOrEqual(3);
      for (const key of audited) expect(key).toMatch(/^idk_[A-Za-z0-9_-]{22}$/);
      const answers = openStoredAnswers(loot.tables, audited);
      const tokens = foundTokens(answers);
      expect(tokens.sort()).toEqual(loot.tokens.slice(1, 4).sort());
      for (const token of tokens) expect(await loot.whoami(token)).toBe(200);
      expect(openWebhookSecrets(loot.tables)).toEqual([loot.webhookSecret]);
      // On PostgreSQL (a production-like setting) the start says so; SQLite on http stays quiet.
      expect(loot.log.includes('no SECRETS_KEY or SECRETS_KEY_FILE')).toBe(dialect === 'postgres');
      // The signup answer (a random key) and the invite acceptance stay closed.
      expect(tokens).not.toContain(loot.tokens[0]);
      expect(tokens).not.toContain(loot.tokens[4]);
    });
  },
);
