import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InsufficientScopeError,
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVISION } from './fixtures/mcp.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { latestCode, type SmtpMailbox, startSmtpMailbox } from './mailbox.js';
import { MemoryProvider, REDIRECT } from './mcp-client.js';
import { signInThroughPage } from './oauth-browser.js';
import { CLI, freePort, type ServerProcess, startServerProcess } from './process.js';

/**
 * A v2 client application that names itself by the URL of its metadata document: the v1 test
 * client's storage (MemoryProvider), plus the document URL and the discovery state the v2 client
 * keeps between the redirect and the callback.
 */
class DocumentProvider extends MemoryProvider implements OAuthClientProvider {
  discovery: OAuthDiscoveryState | undefined;
  constructor(readonly clientMetadataUrl: string) {
    super();
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** A self-signed certificate for 127.0.0.1, made with the machine's openssl. */
function certificate(dir: string) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' }); // biome-ignore format: one command
  return { key: readFileSync(key), cert: readFileSync(cert), certPath: cert };
}

/**
 * The end-to-end: the official clients connect through OAuth to a real server process,
 * the v2 client (2026-07-28) by a Client ID Metadata Document served over https, and step up to
 * admin when a call needs it; the v1 client (2025-11-25, dynamic registration) is refused for
 * scope with a readable result (see docs/mcp.md on why it is not sent the 403 challenge).
 */
describe.each(DIALECTS)('OAuth scopes and step-up with the official clients on %s', (dialect) => {
  let database: TestDatabase;
  let mailbox: SmtpMailbox;
  let server: ServerProcess;
  let documents: Server;
  let dir: string;
  let base: string;
  let documentUrl: string;

  const signIn = async (url: URL, email: string, scopes?: string[]) =>
    signInThroughPage(fetch, url.toString(), {
      email,
      code: async () => latestCode(mailbox.messages, email),
      ...(scopes ? { scopes } : {}),
    });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    dir = mkdtempSync(path.join(tmpdir(), 'agentcrm-cimd-'));
    const tls = certificate(dir);
    documents = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
      if (request.url !== '/connector/client.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          client_id: documentUrl,
          client_name: 'Modern Connector',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      );
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}/connector/client.json`;
    database = await createTestDatabase(dialect);
    mailbox = await startSmtpMailbox();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The server trusts the document host's certificate as an operator adds a private CA.
    server = await startServerProcess(
      {
        ...database.env,
        SMTP_URL: mailbox.url,
        PUBLIC_URL: base,
        OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK: 'true',
        NODE_EXTRA_CA_CERTS: tls.certPath,
      },
      port,
    );
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await mailbox?.close();
    await database?.cleanup();
    await new Promise((resolve) => documents?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('v2 client: signs in by its metadata document, uses the tools, meets a proposal, steps up to admin', async () => {
    const email = 'modern.owner@example.com';
    const provider = new DocumentProvider(documentUrl);
    const transport = () => new ModernTransport(new URL(`${base}/mcp`), { authProvider: provider });
    const opened: string[] = [];
    const newClient = () => {
      const client = new ModernClient(
        { name: 'modern-connector', version: '2.0.0' },
        { versionNegotiation: { mode: { pin: REVISION } }, capabilities: { elicitation: { url: {} } } },
      );
      client.setRequestHandler('elicitation/create', async (request) => {
        if (request.params.mode === 'url') opened.push(request.params.url);
        return { action: 'accept' };
      });
      return client;
    };

    // 1. Knowing only the URL: the 401 sends it to /authorize with its document URL as client_id
    // and the scope the challenge names (read write: least privilege).
    await expect(newClient().connect(transport())).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toBe(documentUrl);
    const first = provider.authorizationUrl!;
    expect(first.searchParams.get('client_id')).toBe(documentUrl);
    expect(first.searchParams.get('scope')).toBe('read write');
    const signedIn = await signIn(first, email);
    expect(signedIn.consentHtml).toContain('Allow Modern Connector?');
    await transport().finishAuth(signedIn.redirect.searchParams);
    expect(provider.saved?.scope).toBe('read write');

    // 2. Tools over 2026-07-28; the client checks every structuredContent against its outputSchema.
    const client = newClient();
    await client.connect(transport());
    expect(client.getNegotiatedProtocolVersion()).toBe(REVISION);
    const { tools } = await client.listTools();
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(40_000);
    const created = await client.callTool({
      name: 'contacts_create',
      arguments: { name: 'Grace Hopper', email: 'grace@navy.example', idempotency_key: 'idem_modern_1' },
    });
    expect(created.isError).toBeFalsy();
    const contact = (created.structuredContent as { data: { id: string } }).data;
    const whoami = await client.callTool({ name: 'request', arguments: { method: 'GET', path: '/whoami' } });
    const whoamiText = whoami.content[0]?.type === 'text' ? whoami.content[0].text : '';
    expect(whoamiText).toMatch(/^token\/tok_\S+ name="Modern Connector" /m);

    // 3. A change that waits for a person: the client is sent to the approval page, then gets
    // the proposal to poll.
    const proposed = await client.callTool({
      name: 'contacts_propose_update',
      arguments: {
        contact_id: contact.id,
        changes: { phone: '+1 555 0100' },
        idempotency_key: 'idem_modern_2',
      },
    });
    const proposal = proposed.structuredContent as { outcome: string; data: { id: string } };
    expect(proposal.outcome).toBe('proposed');
    expect(opened).toEqual([`${base}/human/approvals#proposal-${proposal.data.id}`]);

    // 4. Step-up: an admin call answers 403 insufficient_scope naming "read write admin"; the
    // client re-authorizes for it (the person sees admin on the page), then the call goes through.
    await expect(client.callTool({ name: 'webhooks_list', arguments: {} })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    const wider = provider.authorizationUrl!;
    expect(wider).not.toBe(first);
    expect(wider.searchParams.get('scope')).toBe('read write admin');
    const stepped = await signIn(wider, email);
    expect(stepped.consentHtml).toContain('name="scope" value="admin" checked');
    await transport().finishAuth(stepped.redirect.searchParams);
    expect(provider.saved?.scope).toBe('read write admin');
    const hooks = await client.callTool({ name: 'webhooks_list', arguments: {} });
    expect(hooks.isError).toBeFalsy();
    expect((hooks.structuredContent as { data: unknown[] }).data).toEqual([]);
    await client.close();

    // What a client without an OAuth provider sees (a static read-write token): the 403, the
    // challenge naming what to ask for and where, and the body's code and hint. Nothing ran.
    const seen: Response[] = [];
    const bare = new ModernClient(
      { name: 'bare', version: '2.0.0' },
      { versionNegotiation: { mode: { pin: REVISION } } },
    );
    await bare.connect(
      new ModernTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await narrowToken(email)}` } },
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          seen.push(response.clone());
          return response;
        },
      }),
    );
    await expect(
      bare.callTool({
        name: 'webhooks_create',
        arguments: { url: 'https://hooks.example/x', idempotency_key: 'idem_modern_3' },
      }),
    ).rejects.toBeInstanceOf(InsufficientScopeError);
    const refused = seen.at(-1)!;
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="read write admin", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
    );
    const refusal = (await refused.json()) as { error: { code: string; hint: string } };
    expect(refusal.error.code).toBe('scope_insufficient');
    expect(refusal.error.hint).toMatch(/authorize again with scope "read write admin"/);
    await bare.close();
    const admin = await fetch(`${base}/webhooks`, {
      headers: { authorization: `Bearer ${provider.saved!.access_token}`, accept: 'application/json' },
    });
    expect(((await admin.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('v1 client (dynamic registration, 2025-11-25): least privilege, and a readable refusal for admin', async () => {
    const email = 'legacy.owner@example.com';
    const provider = new MemoryProvider();
    const connect = async () => {
      const client = new Client({ name: 'legacy-connector', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider }),
      );
      return client;
    };
    await expect(connect()).rejects.toThrow(/Unauthorized/);
    expect(provider.client?.client_id).toMatch(/^ocl_/);
    expect(provider.authorizationUrl!.searchParams.get('scope')).toBe('read write');
    const { redirect } = await signIn(provider.authorizationUrl!, email);
    await new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider }).finishAuth(
      redirect.searchParams.get('code')!,
    );
    const client = await connect();
    const refused = await client.callTool({ name: 'webhooks_list', arguments: {} });
    expect(refused.isError).toBe(true);
    const [first] = refused.content as { type: string; text?: string }[];
    const body = first?.text ?? '';
    expect(body).toMatch(
      /^error scope_insufficient: webhooks\.list needs the admin scope; this token has read, write$/m,
    );
    expect(body).toMatch(/^hint: authorize again with scope "read write admin"/m);
    await client.close();
  });

  /** A read-write token of the person, from a sign-in through the metadata document's client. */
  async function narrowToken(email: string): Promise<string> {
    const provider = new DocumentProvider(documentUrl);
    await expect(
      new ModernClient(
        { name: 'narrow', version: '2.0.0' },
        { versionNegotiation: { mode: { pin: REVISION } } },
      ).connect(new ModernTransport(new URL(`${base}/mcp`), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const { redirect } = await signIn(provider.authorizationUrl!, email);
    await new ModernTransport(new URL(`${base}/mcp`), { authProvider: provider }).finishAuth(
      redirect.searchParams,
    );
    return provider.saved!.access_token;
  }
});
