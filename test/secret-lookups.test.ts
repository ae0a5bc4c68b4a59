import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/ids.js';
import { migrateToLatest } from '../src/store/connect.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { oauthFixture } from './fixtures/oauth.js';
import { bootstrapAgent, call, DIALECTS, type TestApp } from './harness.js';
import { advanceDays } from './lifecycle-support.js';
import { inviteHuman, latestCode, outboxMessages, signIn } from './mailbox.js';

/**
 * The global secret lookup (migration 0016, docs/scale.md): a token, an invite link, an OAuth code
 * and a refresh token are found through it, and it stays in step with the tenant tables: a row for
 * each live hash (a revoked token's hash leaves), none for a pruned, rotated or deleted secret. It
 * holds hashes only, so a copy of it gives an attacker no secret.
 */
describe.each(DIALECTS)('secret lookups on %s', (dialect) => {
  const fx = oauthFixture(dialect);
  let t: TestApp;
  /** Every secret this test saw, to prove none is stored in the lookup. */
  const secrets: string[] = [];

  beforeAll(async () => {
    ({ t } = await fx.setup());
  });
  afterAll(async () => t.close());

  const lookups = async () =>
    (await t.store.db.selectFrom('secret_lookups').selectAll().execute())
      .map((row) => `${row.kind} ${row.hash} ${row.owner_workspace_id}`)
      .sort();
  const lookupOf = async (kind: string, secret: string) =>
    t.store.db
      .selectFrom('secret_lookups')
      .selectAll()
      .where('kind', '=', kind as 'token')
      .where('hash', '=', hashSecret(secret))
      .executeTakeFirst();

  /** What the lookup must hold, computed from the tenant tables themselves. */
  async function expectInStep() {
    const { db } = t.store;
    const expected = [
      ...(
        await db
          .selectFrom('tokens')
          .select(['token_hash as hash', 'workspace_id'])
          .where('revoked_at', 'is', null)
          .execute()
      ).map((row) => `token ${row.hash} ${row.workspace_id}`),
      ...(
        await db
          .selectFrom('invites')
          .select(['token_hash as hash', 'workspace_id'])
          .where('token_hash', 'is not', null)
          .execute()
      ).map((row) => `invite ${row.hash} ${row.workspace_id}`),
      ...(await db.selectFrom('oauth_codes').select(['code_hash as hash', 'workspace_id']).execute()).map(
        (row) => `oauth_code ${row.hash} ${row.workspace_id}`,
      ),
      ...(
        await db.selectFrom('oauth_refresh_tokens').select(['token_hash as hash', 'workspace_id']).execute()
      ).map((row) => `oauth_refresh ${row.hash} ${row.workspace_id}`),
    ].sort();
    expect(await lookups()).toEqual(expected);
  }

  const whoami = (token: string) => call(t.app, 'GET', '/whoami', undefined, { token });

  it('finds a sign-in token through the lookup; revoking it takes its hash out', async () => {
    const person = await signIn(t.app, t.config.dataDir, 'lookup-ann@example.com');
    secrets.push(person.token);
    expect((await whoami(person.token)).status).toBe(200);
    expect(await lookupOf('token', person.token)).toEqual({
      kind: 'token',
      hash: hashSecret(person.token),
      owner_workspace_id: person.workspaceId,
    });
    const second = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'second' },
      { token: person.token, json: true },
    );
    expect(second.status, second.text).toBe(201);
    secrets.push(second.json.data.token);
    await expectInStep();

    const revoked = await call(t.app, 'DELETE', `/tokens/${second.json.data.id}`, undefined, {
      token: person.token,
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await lookupOf('token', second.json.data.token)).toBeUndefined();
    const refused = await whoami(second.json.data.token);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('unknown or was revoked');
    expect((await whoami(person.token)).status).toBe(200);
    await expectInStep();
  });

  it('finds an invite link through the lookup, and still knows an accepted link for what it is', async () => {
    const agent = await bootstrapAgent(t.app, 'lookup_agent');
    const human = await inviteHuman(t.app, t.config.dataDir, agent, 'lookup-owner@example.com');
    secrets.push(agent.token, human.token);
    const mail = (await outboxMessages(t.config.dataDir)).filter((m) => m.to === 'lookup-owner@example.com');
    const link = decodeURIComponent(
      mail.map((m) => m.text.match(/\/human\?invite=(\S+)/)?.[1]).find(Boolean)!,
    );
    secrets.push(link);
    expect((await lookupOf('invite', link))?.owner_workspace_id).toBe(agent.workspaceId);
    const again = await call(t.app, 'POST', '/human/invites/accept', { invite: link }, { json: true });
    expect(again.status).toBe(410);
    expect(again.json.error.message).toContain('already accepted');
    const unknown = await call(
      t.app,
      'POST',
      '/human/invites/accept',
      { invite: 'hi_not-a-link' },
      { json: true },
    );
    expect(unknown.json.error.message).toContain('not valid');
    await expectInStep();
  });

  it('OAuth: a code and its refresh tokens are found through the lookup; rotation, replay and the sweeper keep it in step', async () => {
    const { client, verifier, code } = await fx.authorized('lookup-oauth@example.com');
    secrets.push(code);
    const codeRow = await lookupOf('oauth_code', code);
    expect(codeRow).toBeDefined();
    const workspaceId = codeRow!.owner_workspace_id;

    const issued = await fx.exchange(client.client_id, code, verifier);
    expect(issued.status).toBe(200);
    const { access_token: access, refresh_token: refresh } = issued.body;
    secrets.push(access, refresh);
    expect((await lookupOf('token', access))?.owner_workspace_id).toBe(workspaceId);
    expect((await lookupOf('oauth_refresh', refresh))?.owner_workspace_id).toBe(workspaceId);
    await expectInStep();

    // Rotation: the old access secret leaves the lookup, the new one enters it.
    const rotated = await fx.token({
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: refresh,
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    secrets.push(rotated.body.access_token, rotated.body.refresh_token);
    expect(await lookupOf('token', access)).toBeUndefined();
    expect((await lookupOf('token', rotated.body.access_token))?.owner_workspace_id).toBe(workspaceId);
    expect((await whoami(access)).status).toBe(401);
    expect((await whoami(rotated.body.access_token)).status).toBe(200);
    await expectInStep();

    // A spent refresh token is still found, so its replay revokes the family (and its access token's hash).
    const replay = await fx.token({
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: refresh,
    });
    expect(replay.body.error).toBe('invalid_grant');
    expect(await lookupOf('token', rotated.body.access_token)).toBeUndefined();
    expect((await whoami(rotated.body.access_token)).status).toBe(401);
    await expectInStep();

    // The sweeper prunes the expired code; its hash goes with it.
    advanceDays(t, 1);
    const admin = await signIn(t.app, t.config.dataDir, 'lookup-oauth@example.com');
    secrets.push(admin.token);
    expect(admin.workspaceId).toBe(workspaceId);
    const swept = await call(t.app, 'POST', '/admin/retention/sweep', undefined, {
      token: admin.token,
      json: true,
    });
    expect(swept.status, swept.text).toBe(200);
    expect(await lookupOf('oauth_code', code)).toBeUndefined();
    await expectInStep();
  });

  it('deleting a workspace removes its lookups', async () => {
    const owner = await signIn(t.app, t.config.dataDir, 'lookup-doomed@example.com');
    secrets.push(owner.token);
    const ws = owner.workspaceId;
    const minted = await call(
      t.app,
      'POST',
      '/tokens',
      { token_name: 'doomed' },
      { token: owner.token, json: true },
    );
    secrets.push(minted.json.data.token);
    const first = await call(t.app, 'DELETE', `/workspaces/${ws}`, undefined, {
      token: owner.token,
      json: true,
    });
    expect(first.json.error.code).toBe('escalation_required');
    const stepUp = latestCode(await outboxMessages(t.config.dataDir), owner.email);
    const deleted = await call(t.app, 'DELETE', `/workspaces/${ws}?code=${stepUp}`, undefined, {
      token: owner.token,
      json: true,
    });
    expect(deleted.status, deleted.text).toBe(200);
    const left = await t.store.db
      .selectFrom('secret_lookups')
      .selectAll()
      .where('owner_workspace_id', '=', ws)
      .execute();
    expect(left).toEqual([]);
    await expectInStep();
  });

  it('holds hashes only: no secret handed out here appears in the lookup table', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const rows = await t.store.db.selectFrom('secret_lookups').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(rows);
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });

  it('migration 0016 backfills the lookup from existing rows, and goes down and up again', async () => {
    const before = await lookups();
    const migrator = new Migrator({ db: t.store.db, provider: migrationProvider });
    const down = await migrator.migrateTo('0015_lifecycle');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)).toMatchObject({ migrationName: '0016_secret_lookups', status: 'Success' });
    await migrateToLatest(t.store);
    expect(await lookups()).toEqual(before);
    await expectInStep();
  });
});
