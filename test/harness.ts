import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type App, createApp } from '../src/app.js';
import { type Config, testConfig } from '../src/config.js';
import { manualClock } from '../src/ids.js';
import { connectStore, migrateToLatest, type Store } from '../src/store/connect.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * SQLite always, PostgreSQL too when DATABASE_URL is set (CI sets it). TEST_DIALECTS=postgres
 * narrows a run to one database (CI's second pass uses it so SQLite does not run twice).
 */
export const DIALECTS: Dialect[] = (() => {
  const available: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const wanted = process.env.TEST_DIALECTS?.split(',').map((d) => d.trim());
  return wanted ? available.filter((d) => wanted.includes(d)) : available;
})();

export interface TestDatabase {
  /** Environment for a server process or createApp pointing at this database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of its own: a temp dir for SQLite, a new schema on PostgreSQL. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-test-'));
  if (dialect === 'sqlite') {
    return {
      env: { DATA_DIR: dataDir },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const base = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: App;
  store: Store;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  database: TestDatabase;
  close(): Promise<void>;
}

/** An in-process app on its own fresh database, with a clock the test can move. */
export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = testConfig({ ...database.env, ...env });
  const store = connectStore(config);
  await migrateToLatest(store);
  const clock = manualClock(new Date('2026-03-01T09:00:00.000Z'));
  const app = createApp({ config, store, clock, jobIntervalMs: 50, webhookIntervalMs: 50 });
  app.services.jobs.start();
  app.services.webhooks.start();
  return {
    app,
    store,
    config,
    clock,
    database,
    close: async () => {
      await app.services.jobs.stop();
      await app.services.webhooks.stop();
      await app.services.meter.stop();
      await store.close();
      await database.cleanup();
    },
  };
}

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read envelopes freely
  json: any;
}

export interface CallOptions {
  token?: string;
  json?: boolean;
  headers?: Record<string, string>;
  /** A raw body string, sent as is (for malformed-JSON tests). */
  raw?: string;
}

/** One in-process HTTP call; `json: true` asks for the envelope and parses it. */
export async function call(
  app: App,
  method: string,
  target: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json) headers.accept = 'application/json';
  const init: RequestInit = { method, headers };
  if (options.raw !== undefined) init.body = options.raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const response = await app.request(target, init);
  const text = await response.text();
  let json: unknown;
  if (options.json) json = JSON.parse(text);
  return { status: response.status, text, headers: response.headers, json };
}

export interface Agent {
  token: string;
  workspaceId: string;
  agentId: string;
}

/** Signs a new agent up, as an agent would: its own sandbox workspace and token. */
export async function bootstrapAgent(app: App, name = 'test_agent'): Promise<Agent> {
  const reply = await call(app, 'POST', '/agent-bootstrap', { agent_name: name }, { json: true });
  if (reply.status !== 201) throw new Error(`bootstrap failed: ${reply.text}`);
  return {
    token: reply.json.data.token,
    workspaceId: reply.json.data.workspace_id,
    agentId: reply.json.data.agent_id,
  };
}
