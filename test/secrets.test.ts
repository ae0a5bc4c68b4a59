import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgent, call, createTestApp, DIALECTS, type TestApp } from './harness.js';
import { latestCode, outboxMessages } from './mailbox.js';

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
