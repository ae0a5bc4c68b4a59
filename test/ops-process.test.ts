import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { runCli } from './cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './harness.js';
import { inviteHuman, outboxMessages, signIn } from './mailbox.js';
import { startServerProcess } from './process.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
const json = async (reply: Response): Promise<any> => JSON.parse(await reply.text());

/** The harness's helpers (signIn, inviteHuman) call `app.request`; this sends them over the network. */
const remote = (url: string) =>
  ({ request: (path: string, init?: RequestInit) => fetch(`${url}${path}`, init) }) as unknown as App;

async function bootstrap(url: string) {
  const reply = await fetch(`${url}/agent-bootstrap`, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: JSON.stringify({ agent_name: 'ops_agent' }),
  });
  expect(reply.status).toBe(201);
  const { data } = await json(reply);
  return {
    token: data.token as string,
    workspaceId: data.workspace_id as string,
    agentId: data.agent_id as string,
  };
}

/** Waits until the server's output matches (log lines are flushed at least once a second). */
async function waitFor(output: () => string, pattern: RegExp, ms = 5000): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const match = pattern.exec(output());
    if (match) return match[0];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in the output:\n${output()}`);
}

const lines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.each(DIALECTS)('running the server process on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('drains on SIGTERM: /readyz turns 503 first while requests are still served, then it stops', async () => {
    const server = await startServerProcess({ ...database.env, DRAIN_SECONDS: '2' });
    const agent = await bootstrap(server.url);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    let ready = 200;
    while (ready === 200 && Date.now() - signalled < 1500) {
      const reply = await fetch(`${server.url}/readyz`);
      ready = reply.status;
      await reply.text();
    }
    expect(ready).toBe(503);
    // New requests, on new connections, are still answered during the drain.
    const created = await fetch(`${server.url}/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}` },
      body: JSON.stringify({ name: 'During the drain' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('connection')).toBe('close');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    const output = server.output();
    expect(output.indexOf('draining')).toBeGreaterThan(-1);
    expect(output.indexOf('draining')).toBeLessThan(output.indexOf('shutting down'));
  });

  it('logs a client that hangs up mid-body as aborted (499), not as a server error', async () => {
    const server = await startServerProcess(database.env);
    try {
      const agent = await bootstrap(server.url);
      // A declared length, and a chunked body (which the size cap reads itself): both cut short.
      const framings = [
        'Content-Length: 1000\r\n\r\n{"name":"Half a bo',
        'Transfer-Encoding: chunked\r\n\r\n12\r\n{"name":"Half a bo\r\n',
      ];
      for (const framing of framings) {
        const socket = connect(server.port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(
          'POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            `Authorization: Bearer ${agent.token}\r\nContent-Type: application/json\r\n${framing}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        socket.destroy();
      }
      await waitFor(server.output, /("path":"\/contacts"[^\n]*\n[\s\S]*){2}/);
      const logged = lines(server.output()).filter((line) => line.path === '/contacts');
      expect(logged).toHaveLength(2);
      for (const line of logged) {
        expect(line).toMatchObject({ status: 499, aborted: true, msg: 'request aborted by the client' });
      }
      expect(server.output()).not.toContain('"status":500');
      expect(server.output()).not.toContain('unexpected error');
      // The server is fine afterwards.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('never logs an email address, code or token; request lines name the workspace and actor', async () => {
    const server = await startServerProcess(database.env);
    const app = remote(server.url);
    const dataDir = database.env.DATA_DIR!;
    const secrets: string[] = [];
    try {
      const agent = await bootstrap(server.url);
      secrets.push(agent.token);
      const owner = await inviteHuman(app, dataDir, agent, 'owner.logs@example.com');
      secrets.push(owner.token);
      const person = await signIn(app, dataDir, 'person.logs@example.com');
      secrets.push(person.token);
      const minted = await fetch(`${server.url}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, accept: 'application/json' },
        body: JSON.stringify({ token_name: 'sub_agent', scopes: ['read'] }),
      });
      expect(minted.status).toBe(201);
      secrets.push((await json(minted)).data.token);
      const invited = await fetch(`${server.url}/workspaces/${agent.workspaceId}/invites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ email: 'member.logs@example.com' }),
      });
      expect(invited.status).toBe(201);
      const wrong = await fetch(`${server.url}/auth/verify`, {
        method: 'POST',
        body: JSON.stringify({ email: 'person.logs@example.com', code: '999999' }),
      });
      expect(wrong.status).toBe(400);
      // A token in a query string is refused, and must not reach the log either.
      const inQuery = await fetch(`${server.url}/whoami?access_token=${agent.token}`);
      expect(inQuery.status).toBe(400);
      const who = await fetch(`${server.url}/whoami`, {
        headers: { authorization: `Bearer ${agent.token}` },
      });
      expect(who.status).toBe(200);

      const mails = await outboxMessages(dataDir);
      expect(mails.length).toBeGreaterThanOrEqual(4);
      for (const mail of mails) {
        secrets.push(mail.to);
        for (const match of mail.text.matchAll(/(?<!\d)\d{6}(?!\d)/g)) secrets.push(match[0]);
        for (const match of mail.text.matchAll(/invite=([^\s&]+)/g)) secrets.push(match[1]!);
      }
      secrets.push('owner.logs@example.com', 'person.logs@example.com', 'Person.Logs@Example.com');
      secrets.push('member.logs@example.com', 'example.com');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const output = server.output();
    expect(output).toContain('mail written to');
    for (const secret of secrets) {
      // Codes are matched as whole numbers: a timestamp may hold the same six digits inside it.
      const pattern = /^\d{6}$/.test(secret)
        ? new RegExp(`(?<!\\d)${secret}(?!\\d)`)
        : new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      expect(pattern.test(output), `the log holds ${secret}`).toBe(false);
    }
    const whoami = lines(output).find((line) => line.path === '/whoami' && line.status === 200);
    expect(whoami).toMatchObject({ operation: 'account.whoami' });
    expect(whoami?.workspace_id).toMatch(/^wrk_/);
    expect(whoami?.actor_id).toMatch(/^agt_/);
  });

  it('serves /metrics on METRICS_PORT, and not on the public port without the token', async () => {
    const server = await startServerProcess({ ...database.env, METRICS_PORT: '0' });
    try {
      const port = Number(/"metrics_port":(\d+)/.exec(server.output())?.[1]);
      expect(port).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      await fetch(`${server.url}/healthz`);
      const reply = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(reply.status).toBe(200);
      const families = parsePrometheusText(await reply.text());
      expect(sampleValue(families, 'agentcrm_http_requests_total', { surface: 'probe', status: '200' })).toBe(
        1,
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('exits with one line and code 5 when the port is in use', async () => {
    const server = await startServerProcess(database.env);
    try {
      const second = await runCli(['serve'], {
        ...database.env,
        PORT: String(server.port),
        HOST: '127.0.0.1',
      });
      expect(second.code).toBe(5);
      expect(second.stderr.trim().split('\n')).toEqual([
        `agentcrm: 127.0.0.1:${server.port} is already in use (another agentcrm, or another program); stop it or set PORT to a free port`,
      ]);
      expect(second.stderr).not.toContain('    at ');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
