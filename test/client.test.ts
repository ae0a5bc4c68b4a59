import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDocument, schemaSource } from '../clients/typescript/generate.js';
import { AgentCrmError, createAgentCrmClient } from '../clients/typescript/src/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { type ServerProcess, startServerProcess } from './process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the typed client (clients/typescript)', () => {
  it('is generated from the document this code serves: the committed schema.ts is current', async () => {
    const committed = readFileSync(path.join(root, 'clients/typescript/src/schema.ts'), 'utf8');
    const fresh = await schemaSource(await localDocument());
    // If this fails: npx tsx clients/typescript/generate.ts, and commit the result.
    expect(
      committed === fresh,
      'clients/typescript/src/schema.ts is stale: run npx tsx clients/typescript/generate.ts',
    ).toBe(true);
  });
});

/** The real server (built, `agentcrm serve`), and a proxy in front that answers 503 when told to. */
describe.each(DIALECTS)('the typed client against the server on %s', (dialect) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let proxy: Server;
  let proxyUrl: string;
  /** Requests the proxy refuses with 503 before passing the next ones on; what it saw. */
  const refuse = { next: 0, inUse: false };
  const seen: { method: string; key: string | null; status: number }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startServerProcess(database.env);
    proxy = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const key = (request.headers['x-idempotency-key'] as string | undefined) ?? null;
      if (refuse.next > 0) {
        refuse.next--;
        // As a restart can answer: the instance is unavailable, or an earlier attempt holds the key.
        const inUse = refuse.inUse;
        seen.push({ method: request.method!, key, status: inUse ? 409 : 503 });
        response.writeHead(inUse ? 409 : 503, { 'retry-after': '0', 'content-type': 'application/json' });
        response.end(inUse ? '{"outcome":"error","error":{"code":"idempotency_key_in_use"}}' : '{}');
        return;
      }
      const upstream = await fetch(`${server.url}${request.url}`, {
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(
            ([name]) => !['host', 'connection', 'content-length'].includes(name),
          ),
        ) as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      seen.push({ method: request.method!, key, status: upstream.status });
      response.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      response.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    server?.child.kill('SIGTERM');
    if (server) await server.exited;
    await database?.cleanup();
  });

  it('signs an agent up, writes and reads typed records, and walks a list page by page', async () => {
    const anonymous = createAgentCrmClient({ baseUrl: server.url });
    const signup = await anonymous.POST('/agent-bootstrap', { body: { agent_name: 'typed_client' } });
    expect(signup.error).toBeUndefined();
    const token = (signup.data!.data as { token: string }).token;
    const crm = createAgentCrmClient({ baseUrl: server.url, token });

    const company = await crm.POST('/companies', { body: { name: 'Typed Co', domain: 'typed.dev' } });
    const companyId = (company.data!.data as { id: string }).id;
    for (let i = 0; i < 7; i++) {
      const made = await crm.POST('/contacts', {
        body: {
          name: `Typed ${i}`,
          email: `typed${i}@typed.dev`,
          stage: i % 2 ? 'lead' : 'customer',
          company_id: companyId,
        },
      });
      expect(made.response.status).toBe(201);
    }
    const one = await crm.GET('/contacts', { params: { query: { limit: 1, filters: { stage: 'lead' } } } });
    expect(one.data!.data).toHaveLength(1);
    expect(one.data!.data![0]!.stage).toBe('lead');

    const all = [];
    for await (const contact of crm.paginate('/contacts', { limit: 3 })) all.push(contact.email);
    expect(all.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `typed${i}@typed.dev`).sort());
    const leads = [];
    for await (const contact of crm.paginate('/contacts', { limit: 2, stage: 'lead' }))
      leads.push(contact.name);
    expect(leads).toHaveLength(3);

    const missing = await crm.GET('/contacts/{contact_id}', {
      params: { path: { contact_id: 'c_0000000000000000' } },
    });
    expect(missing.error?.error.code).toBe('not_found');
    await expect(async () => {
      for await (const _ of crm.paginate('/contacts', { no_such_field: 'x' })) break;
    }).rejects.toSatisfy((error) => error instanceof AgentCrmError && error.hint.length > 0);
  });

  it('retries a 503 after its Retry-After with the same idempotency key, so the write lands once', async () => {
    const anonymous = createAgentCrmClient({ baseUrl: proxyUrl });
    const signup = await anonymous.POST('/agent-bootstrap', { body: { agent_name: 'retry_client' } });
    const token = (signup.data!.data as { token: string }).token;
    const crm = createAgentCrmClient({ baseUrl: proxyUrl, token });
    seen.length = 0;
    refuse.next = 2;
    const made = await crm.POST('/contacts', { body: { name: 'Once Only', email: 'once@typed.dev' } });
    expect(made.response.status).toBe(201);
    expect(seen.map((entry) => entry.status)).toEqual([503, 503, 201]);
    expect(new Set(seen.map((entry) => entry.key)).size).toBe(1);
    expect(seen[0]!.key).toMatch(/^idem_/);
    const listed = await crm.GET('/contacts', {
      params: { query: { filters: { email: 'once@typed.dev' } } },
    });
    expect(listed.data!.data).toHaveLength(1);

    // A write whose earlier attempt still holds its key waits for it, with the same key.
    seen.length = 0;
    refuse.next = 1;
    refuse.inUse = true;
    const waited = await crm.POST('/contacts', { body: { name: 'Waited For', email: 'waited@typed.dev' } });
    refuse.inUse = false;
    expect(waited.response.status).toBe(201);
    expect(seen.map((entry) => entry.status)).toEqual([409, 201]);
    expect(seen[0]!.key).toBe(seen[1]!.key);

    // Past its retries, the client hands the 503 over instead of waiting forever.
    refuse.next = 5;
    const impatient = createAgentCrmClient({ baseUrl: proxyUrl, token, maxRetries: 1 });
    const refused = await impatient.GET('/contacts');
    expect(refused.response.status).toBe(503);
    refuse.next = 0;
  });
});
