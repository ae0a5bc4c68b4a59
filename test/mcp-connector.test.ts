import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/registry.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { latestCode, type SmtpMailbox, startSmtpMailbox } from './mailbox.js';
import { connect, MemoryProvider, REDIRECT } from './mcp-client.js';
import { signInThroughPage } from './oauth-browser.js';
import { CLI, freePort, type ServerProcess, startServerProcess } from './process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The MCP Inspector (devDependency); MCP_INSPECTOR_BIN points at another install of it. */
const INSPECTOR = process.env.MCP_INSPECTOR_BIN ?? path.join(root, 'node_modules', '.bin', 'mcp-inspector');

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely
const json = async (reply: Response): Promise<any> => reply.json();
const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

/**
 * What a person does in an MCP client (Claude, ChatGPT, Cursor): add the URL, sign in on the page
 * that opens, and use the tools. Everything runs against the real server process over HTTP, with
 * the code read from a real SMTP server.
 */
async function authorizeThroughPage(
  mailbox: SmtpMailbox,
  provider: MemoryProvider,
  email: string,
  fetcher: (url: string, init?: RequestInit) => Promise<Response> = fetch,
) {
  expect(provider.authorizationUrl, 'the client should have been sent to /authorize').toBeDefined();
  const { redirect } = await signInThroughPage(fetcher, provider.authorizationUrl!.toString(), {
    email,
    code: async () => latestCode(mailbox.messages, email),
  });
  return redirect;
}

describe.each(DIALECTS)('an MCP client connects by URL alone on %s', (dialect) => {
  let database: TestDatabase;
  let mailbox: SmtpMailbox;
  let server: ServerProcess;
  let base: string;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    database = await createTestDatabase(dialect);
    mailbox = await startSmtpMailbox();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServerProcess({ ...database.env, SMTP_URL: mailbox.url, PUBLIC_URL: base }, port);
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await mailbox?.close();
    await database?.cleanup();
  });

  it('discovers, registers, signs in with the emailed code, uses the tools, refreshes, and is refused once revoked', async () => {
    const provider = new MemoryProvider();
    // 1. The client knows only the URL: the 401 sends it through discovery, registration and /authorize.
    await expect(connect(base, provider)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toMatch(/^ocl_/);
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${base}/authorize`);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(`${base}/mcp`);

    // 2. The person signs in on our page; the browser comes back to the client with a code.
    const redirect = await authorizeThroughPage(mailbox, provider, 'connector@example.com');
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect(redirect.searchParams.get('iss')).toBe(base);
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider });
    await transport.finishAuth(redirect.searchParams.get('code')!);
    expect(provider.saved?.refresh_token).toMatch(/^ckr_/);

    // 3. Tools.
    const client = await connect(base, provider);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['request', 'records_search', 'records_create', 'find_operation']),
    );
    const created = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'Jane Doe', email: 'jane@acme.com', idempotency_key: 'idem_connector_1' },
    });
    expect(created.isError).toBeFalsy();
    const search = await client.callTool({ name: 'contacts_search', arguments: { search: 'jane' } });
    expect((search.structuredContent as { data: { email: string }[] }).data[0]!.email).toBe('jane@acme.com');
    const whoami = await client.callTool({ name: 'request', arguments: { method: 'GET', path: '/whoami' } });
    expect(text(whoami)).toMatch(/^user\/usr_\S+ email=connector@example.com/m);
    expect(text(whoami)).toMatch(/^token\/tok_\S+ name="Test MCP Client" /m);
    // A change that waits for a person: a complete result carrying the proposal to poll.
    const contactId = (created.structuredContent as { data: { id: string } }).data.id;
    const proposed = await client.callTool({
      name: 'contacts_propose_update',
      arguments: {
        contact_id: contactId,
        changes: { phone: '+1 555 0142' },
        idempotency_key: 'idem_connector_2',
      },
    });
    const proposal = proposed.structuredContent as { outcome: string; data: { id: string } };
    expect(proposal.outcome).toBe('proposed');
    const status = await client.callTool({
      name: 'proposals_get_status',
      arguments: { proposal_id: proposal.data.id },
    });
    expect((status.structuredContent as { data: { status: string } }).data.status).toBe('pending');

    // 4. Refresh: a new access token, the same session.
    const before = provider.saved!;
    expect(await auth(provider, { serverUrl: `${base}/mcp` })).toBe('AUTHORIZED');
    expect(provider.saved!.access_token).not.toBe(before.access_token);
    expect(provider.saved!.refresh_token).not.toBe(before.refresh_token);
    const again = await client.callTool({ name: 'contacts_search', arguments: {} });
    expect(again.isError).toBeFalsy();

    // 5. The person revokes the session like any other token: the connector is refused.
    const headers = { authorization: `Bearer ${provider.saved!.access_token}`, accept: 'application/json' };
    const listed = await json(await fetch(`${base}/tokens`, { headers }));
    const session = listed.data.find((token: { current?: boolean }) => token.current);
    expect(session.name).toBe('Test MCP Client');
    const revoked = await fetch(`${base}/tokens/${session.id}`, { method: 'DELETE', headers });
    expect(revoked.status).toBe(200);
    provider.authorizationUrl = undefined;
    await expect(client.callTool({ name: 'contacts_search', arguments: {} })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    // Its refresh failed (invalid_grant), so it asks the person to sign in again.
    expect(provider.authorizationUrl).toBeDefined();
    await client.close();
  });

  it.each([
    ['2026-07-28', 'modern'],
    ['2025-11-25', 'legacy'],
  ])('lists and calls tools with the MCP Inspector CLI on %s and a bearer header', async (_revision, era) => {
    if (!existsSync(INSPECTOR)) {
      throw new Error(
        `the MCP Inspector is not installed at ${INSPECTOR}: run \`npm install\` (devDependency ` +
          '@modelcontextprotocol/inspector) or set MCP_INSPECTOR_BIN',
      );
    }
    const bootstrap = await fetch(`${base}/agent-bootstrap`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: JSON.stringify({ agent_name: `inspector_${era}` }),
    });
    const token = (await json(bootstrap)).data.token;
    const inspect = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          realpathSync(INSPECTOR),
          '--cli',
          `${base}/mcp`,
          '--transport',
          'http',
          '--protocol-era',
          era,
          '--header',
          `Authorization: Bearer ${token}`,
          ...args,
        ],
        { timeout: 60_000 },
      );
      return JSON.parse(stdout);
    };
    const names = (await inspect('--method', 'tools/list')).tools.map((tool: { name: string }) => tool.name);
    // The default list: the record tools and a few typed ones, with a way to every operation.
    expect(names).toContain('records_search');
    expect(names).toContain('call_operation');
    expect(names.length).toBeLessThan(operations.length / 4);
    const found = await inspect(
      '--method',
      'tools/call',
      '--tool-name',
      'find_operation',
      '--tool-arg',
      'query=webhook',
    );
    expect(JSON.stringify(found.structuredContent)).toContain('webhooks.create');
    // Only a 2026-07-28 answer carries the per-result server info: the revision really was spoken.
    expect(found._meta?.['io.modelcontextprotocol/serverInfo']?.name === 'agentcrm').toBe(era === 'modern');
    const created = await inspect(
      '--method',
      'tools/call',
      '--tool-name',
      'records_create',
      '--tool-arg',
      'type=contact',
      `values={"name":"Inspected ${era}"}`,
      `idempotency_key=idem_inspector_${era}`,
    );
    expect(created.structuredContent.data.name).toBe(`Inspected ${era}`);
  });
});

describe.each(DIALECTS.filter((dialect) => dialect === 'postgres'))(
  'two server processes behind one URL on %s',
  (dialect) => {
    let database: TestDatabase;
    let mailbox: SmtpMailbox;
    let first: ServerProcess;
    let second: ServerProcess;
    let publicUrl: string;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      mailbox = await startSmtpMailbox();
      const port = await freePort();
      // Both processes answer for one public URL, as behind a load balancer.
      publicUrl = `http://127.0.0.1:${port}`;
      const env = { ...database.env, SMTP_URL: mailbox.url, PUBLIC_URL: publicUrl };
      first = await startServerProcess(env, port);
      second = await startServerProcess(env);
    });
    afterAll(async () => {
      for (const server of [first, second]) {
        server?.child.kill('SIGTERM');
        await server?.exited;
      }
      await mailbox?.close();
      await database?.cleanup();
    });

    it('a client authorized on one process calls tools on the other, every step on alternating processes', async () => {
      const provider = new MemoryProvider();
      await expect(connect(first.url, provider)).rejects.toBeInstanceOf(UnauthorizedError);
      // The sign-in page's steps land on alternating processes: its state lives in the database.
      let turn = 0;
      const alternating = (url: string, init?: RequestInit) =>
        fetch(turn++ % 2 ? url.replace(first.url, second.url) : url, init);
      const redirect = await authorizeThroughPage(mailbox, provider, 'lb@example.com', alternating);
      expect(turn).toBe(4);
      const transport = new StreamableHTTPClientTransport(new URL(`${first.url}/mcp`), {
        authProvider: provider,
      });
      await transport.finishAuth(redirect.searchParams.get('code')!);

      const onSecond = await connect(second.url, provider);
      const created = await onSecond.callTool({
        name: 'contacts_create',
        arguments: { name: 'Across Processes', idempotency_key: 'idem_lb_1' },
      });
      expect(created.isError).toBeFalsy();
      const onFirst = await connect(first.url, provider);
      const found = await onFirst.callTool({ name: 'contacts_search', arguments: { search: 'across' } });
      expect((found.structuredContent as { data: unknown[] }).data).toHaveLength(1);

      // The refresh family lives in the database too: refresh on the second process.
      const refreshed = await fetch(`${second.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: provider.client!.client_id,
          refresh_token: provider.saved!.refresh_token!,
        }),
      });
      expect(refreshed.status).toBe(200);
      provider.saveTokens(await json(refreshed));
      const afterRefresh = await onFirst.callTool({
        name: 'request',
        arguments: { method: 'GET', path: '/contacts' },
      });
      expect(text(afterRefresh)).toContain('name="Across Processes"');
      await onFirst.close();
      await onSecond.close();
    });
  },
);
