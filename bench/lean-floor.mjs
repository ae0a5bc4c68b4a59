// The lean floor of our own stack: a minimal server on the same libraries as agentcrm (Hono on
// @hono/node-server, better-sqlite3 or pg) over the same seeded database, doing only what a read
// must: look the bearer token's hash up (cached, as ours is), read the contact by (workspace, id)
// or the workspace's newest 50, and render the same answer with our own text renderer
// (dist/answer/text.js). No governance, no rate limit, no audit, no projection. A read scenario's
// ratio to this floor is what our governance and plumbing cost; its ratio to the bare node:http
// ceiling is the physical limit. Usage: node bench/lean-floor.mjs <config.json>, where the file
// holds {"sqlitePath": "…"} or {"databaseUrl": "…"}; prints its port once listening.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import SqliteDatabase from 'better-sqlite3';
import { Hono } from 'hono';
import pg from 'pg';
import { dataLines } from '../dist/answer/text.js';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const CONTACT_COLUMNS =
  'id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, ' +
  'do_not_contact, owner, version, created_at, updated_at';

/** The three statements the floor runs, on either database, each prepared once. */
function connect() {
  if (config.sqlitePath) {
    const db = new SqliteDatabase(config.sqlitePath, { readonly: true });
    db.pragma('busy_timeout = 5000');
    const token = db.prepare(
      'select workspace_id from tokens where token_hash = ? and revoked_at is null and expires_at > ?',
    );
    const one = db.prepare(
      `select ${CONTACT_COLUMNS} from contacts where workspace_id = ? and id = ? and deleted_at is null`,
    );
    const newest = db.prepare(
      `select ${CONTACT_COLUMNS} from contacts where workspace_id = ? and deleted_at is null ` +
        'order by updated_at desc, id desc limit 51',
    );
    return {
      token: async (hash, now) => token.get(hash, now)?.workspace_id,
      one: async (workspace, id) => one.get(workspace, id),
      newest: async (workspace) => newest.all(workspace),
    };
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  const query = async (name, text, values) => (await pool.query({ name, text, values })).rows;
  return {
    token: async (hash, now) =>
      (
        await query(
          'floor_token',
          'select workspace_id from tokens where token_hash = $1 and revoked_at is null and expires_at > $2',
          [hash, now],
        )
      )[0]?.workspace_id,
    one: async (workspace, id) =>
      (
        await query(
          'floor_one',
          `select ${CONTACT_COLUMNS} from contacts where workspace_id = $1 and id = $2 and deleted_at is null`,
          [workspace, id],
        )
      )[0],
    newest: (workspace) =>
      query(
        'floor_newest',
        `select ${CONTACT_COLUMNS} from contacts where workspace_id = $1 and deleted_at is null ` +
          'order by updated_at desc, id desc limit 51',
        [workspace],
      ),
  };
}

const db = connect();
const tokens = new Map();

async function workspaceOf(c) {
  const bearer = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (!bearer) return undefined;
  const hash = createHash('sha256').update(bearer).digest('hex');
  let workspace = tokens.get(hash);
  if (workspace === undefined) {
    workspace = await db.token(hash, new Date().toISOString());
    if (workspace) tokens.set(hash, workspace);
  }
  return workspace;
}

/** The record as agentcrm answers it: the same fields in the same order. */
function contactView(row) {
  return {
    handle: `contact/${row.id}`,
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    stage: row.stage,
    company_id: row.company_id,
    tags: JSON.parse(row.tags),
    custom: JSON.parse(row.custom),
    follow_up_at: row.follow_up_at,
    follow_up_note: row.follow_up_note,
    do_not_contact: Boolean(row.do_not_contact),
    owner: row.owner,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted_refs: [],
  };
}

const requestId = () => `req_${randomBytes(8).toString('hex').slice(0, 16)}`;
const wantsJson = (c) => c.req.query('format') === 'json' || (c.req.header('accept') ?? '').includes('json');

function answer(c, data, summary, nextCursor) {
  const id = requestId();
  c.header('cache-control', 'no-store');
  c.header('ratelimit', '"token";r=5999;t=60');
  c.header('ratelimit-policy', '"token";q=6000;w=60');
  c.header('x-content-type-options', 'nosniff');
  c.header('x-request-id', id);
  if (wantsJson(c)) {
    return c.json({
      outcome: 'applied',
      data,
      policy: { decision: 'allow', reason_code: 'policy.allowed' },
      explanation: { summary, reason_codes: ['policy.allowed'] },
      next_actions: [],
      warnings: [],
      request_id: id,
      idempotency_key: null,
      operation_id: null,
      ...(nextCursor ? { next_cursor: nextCursor } : {}),
    });
  }
  const lines = dataLines(data);
  if (nextCursor) lines.push(`# next: ${nextCursor}`);
  lines.push(`# request_id: ${id}`);
  return c.text(`${lines.join('\n')}\n`);
}

const app = new Hono();
app.get('/contacts/:id', async (c) => {
  const workspace = await workspaceOf(c);
  if (!workspace) return c.text('error invalid_token\n', 401);
  const row = await db.one(workspace, c.req.param('id'));
  if (!row) return c.text('error not_found\n', 404);
  return answer(c, contactView(row), 'contacts.get: applied');
});
app.get('/contacts', async (c) => {
  const workspace = await workspaceOf(c);
  if (!workspace) return c.text('error invalid_token\n', 401);
  const rows = await db.newest(workspace);
  const page = rows.slice(0, 50).map(contactView);
  const last = page.at(-1);
  const cursor =
    rows.length > 50
      ? Buffer.from(JSON.stringify({ v: last.updated_at, i: last.id, q: 'floor' })).toString('base64url')
      : null;
  return answer(c, page, 'contacts.search: applied', cursor);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  process.stdout.write(`${info.port}\n`),
);
server.keepAliveTimeout = 5_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
