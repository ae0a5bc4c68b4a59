import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { CLI, startServerProcess } from './process.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const body = (reply: Response): Promise<any> => reply.json();

/** The real server process, driven over real HTTP as a newcomer would (npm start runs the same). */
describe.each(DIALECTS)('the server process on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database.cleanup());

  async function bootstrap(url: string): Promise<string> {
    const reply = await fetch(`${url}/agent-bootstrap`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: JSON.stringify({ agent_name: 'process_agent' }),
    });
    expect(reply.status).toBe(201);
    return (await body(reply)).data.token;
  }

  it('starts on an empty data dir and runs the manual curl example in text and JSON', async () => {
    const server = await startServerProcess(database.env);
    try {
      expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const token = await bootstrap(server.url);
      // curl -s -X POST …/contacts -H 'Authorization: Bearer ck_...' -d '{…}' (curl -d sends a form type)
      const created = await fetch(`${server.url}/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: '{"name":"Jane Doe","email":"jane@acme.com","stage":"lead"}',
      });
      expect(created.status).toBe(201);
      const text = await created.text();
      expect(text).toMatch(/^contact\/c_\S+ name="Jane Doe" email=jane@acme.com stage=lead /);
      const json = await fetch(`${server.url}/contacts?search=jane`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      const envelope = await body(json);
      expect(envelope.outcome).toBe('applied');
      expect(envelope.data[0]).toMatchObject({
        name: 'Jane Doe',
        email: 'jane@acme.com',
        handle: expect.stringMatching(/^contact\//),
      });
      // Request lines are buffered and written at least once a second (src/server.ts).
      await expect
        .poll(() => server.output(), { timeout: 3000 })
        .toMatch(/"method":"POST","path":"\/contacts","status":201/);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('keeps every acknowledged write across kill -9', async () => {
    const server = await startServerProcess(database.env);
    const token = await bootstrap(server.url);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const burst = async (i: number) => {
      const reply = await fetch(`${server.url}/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        body: JSON.stringify({ name: `Durable ${i}`, email: `durable${i}@kill.dev` }),
      });
      if (reply.status === 201) acknowledged.push((await body(reply)).data.id);
      else refused.push(`${reply.status} ${await reply.text()}`);
    };
    for (let round = 0; round < 10; round++)
      await Promise.all(Array.from({ length: 20 }, (_, i) => burst(round * 20 + i)));
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    expect(refused).toEqual([]);
    expect(acknowledged).toHaveLength(200);

    const restarted = await startServerProcess(database.env);
    try {
      const seen = new Set<string>();
      let cursor = '';
      do {
        const reply = await fetch(
          `${restarted.url}/contacts?email=like:@kill.dev&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          {
            headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          },
        );
        const page = await body(reply);
        for (const contact of page.data) seen.add(contact.id);
        cursor = page.next_cursor ?? '';
      } while (cursor);
      for (const id of acknowledged) expect(seen.has(id)).toBe(true);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });

  it('finishes in-flight requests on SIGTERM and exits cleanly', async () => {
    const server = await startServerProcess(database.env);
    const token = await bootstrap(server.url);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => {
        if (i === 5) server.child.kill('SIGTERM');
        const reply = await fetch(`${server.url}/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          body: JSON.stringify({ name: `Graceful ${i}`, email: `graceful${i}@term.dev` }),
        });
        return { status: reply.status, id: (await body(reply)).data?.id as string | undefined };
      }),
    );
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // Requests the server accepted were answered in full; none got a server error.
    for (const reply of answered) expect(reply.status).toBe(201);

    const restarted = await startServerProcess(database.env);
    try {
      for (const { id } of answered) {
        const reply = await fetch(`${restarted.url}/contacts/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(reply.status).toBe(200);
      }
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });

  it('caps request bodies over a real socket, declared or chunked, and reads those within the cap', async () => {
    const server = await startServerProcess({ ...database.env, MAX_BODY_BYTES: '2000' });
    try {
      const token = await bootstrap(server.url);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      /** A POST whose body goes out in the given chunks (Transfer-Encoding: chunked, no length). */
      const chunked = (path: string, chunks: string[]) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const sent = request(`${server.url}${path}`, { method: 'POST', headers }, (reply) => {
            let text = '';
            reply.on('data', (chunk) => {
              text += chunk;
            });
            reply.on('end', () => resolve({ status: reply.statusCode!, text }));
          });
          sent.on('error', reject);
          for (const chunk of chunks) sent.write(chunk);
          sent.end();
        });
      const big = JSON.stringify({ name: 'x'.repeat(3000) });
      const declared = await fetch(`${server.url}/contacts`, { method: 'POST', headers, body: big });
      expect(declared.status).toBe(413);
      expect(await declared.text()).toContain('payload_too_large');
      const streamed = await chunked('/contacts', [big.slice(0, 1500), big.slice(1500)]);
      expect(streamed.status).toBe(413);
      expect(streamed.text).toContain('payload_too_large');
      const small = await chunked('/contacts', ['{"name":"Chunked', ' Person"}']);
      expect(small.status).toBe(201);
      const id = /^contact\/(c_\S+)/.exec(small.text)![1];
      // A typed MCP tool call read from the socket answers the same record.
      const mcp = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...headers, accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'contacts_get', arguments: { contact_id: id } },
        }),
      });
      expect(mcp.status).toBe(200);
      expect(mcp.headers.get('access-control-allow-origin')).toBe('*');
      const answer = await body(mcp);
      expect(answer.result.isError).toBeUndefined();
      expect(answer.result.structuredContent.data).toMatchObject({ id, name: 'Chunked Person' });
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('counts unauthenticated requests per client address, read from the socket', async () => {
    // Every 127.x.y.z address is this machine: clients bound to different ones are different peers.
    const server = await startServerProcess({ ...database.env, RATE_LIMIT_IP_PER_MINUTE: '2' });
    const signUpFrom = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const sent = request(
          `${server.url}/agent-bootstrap`,
          { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
          (reply) => {
            reply.resume();
            reply.on('end', () => resolve(reply.statusCode!));
          },
        );
        sent.on('error', reject);
        sent.end(JSON.stringify({ agent_name: 'ip_agent' }));
      });
    try {
      expect(await signUpFrom('127.0.0.2')).toBe(201);
      expect(await signUpFrom('127.0.0.2')).toBe(201);
      expect(await signUpFrom('127.0.0.2')).toBe(429);
      // Another address has its own allowance: one noisy client cannot lock everyone out.
      expect(await signUpFrom('127.0.0.3')).toBe(201);
      await expect.poll(() => server.output(), { timeout: 3000 }).toMatch(/"status":429/);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('refuses invalid configuration with a message naming the variable', async () => {
    await expect(startServerProcess({ ...database.env, SQLITE_SYNCHRONOUS: 'OFF' })).rejects.toThrow(
      /SQLITE_SYNCHRONOUS/,
    );
  });
});
