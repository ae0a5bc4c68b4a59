// The server under test: build, database, seed, start, cold start, and signing a person in.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { fetchRaw, freePort, spawnNode, waitForReady } from './lib.mjs';

import { CLI, env, log, RESULTS, root, SERVER_FLAGS, settings, UNLIMITED } from './settings.mjs';

export function build() {
  log('building (npm run build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

export async function prepareDatabase(dialect, dir) {
  if (dialect === 'sqlite') return { env: { DATA_DIR: dir }, drop: async () => {} };
  const base = new URL(env.DATABASE_URL);
  const name = `agentcrm_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dir, DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function seed(databaseEnv, dir) {
  const tokenFile = path.join(dir, 'bench.token');
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [CLI, 'seed', '--contacts', settings.scale, '--seed', '1', '--token-file', tokenFile],
    { env: { PATH: env.PATH, ...databaseEnv }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`seed failed:\n${result.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const summary = result.stdout.split('\n').find((line) => line.startsWith('# seeded')) ?? '';
  const rows = Number(/— ([\d,]+) rows/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
  const insertRate = Number(/\(([\d,]+) rows\/s\)/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
  const token = readFileSync(tokenFile, 'utf8').trim();
  log(summary);
  return { token, rows, seconds, insertRate, summary };
}

export async function startServer(
  databaseEnv,
  dir,
  dialect,
  { profile = settings.profile, pollMs = 100 } = {},
) {
  const port = await freePort();
  const logFd = openSync(path.join(dir, 'server.log'), 'a');
  const profileDir = path.join(RESULTS, 'profiles', dialect);
  if (profile) mkdirSync(profileDir, { recursive: true });
  const spawned = performance.now();
  const child = spawnNode(
    0,
    [...SERVER_FLAGS, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), CLI, 'serve'],
    {
      env: {
        PATH: env.PATH,
        ...databaseEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        // No load balancer to drain for: stop at once between scenarios.
        DRAIN_SECONDS: '0',
        PLAN_OVERRIDES: JSON.stringify({ production: UNLIMITED, sandbox: UNLIMITED }),
        RATE_LIMIT_IP_PER_MINUTE: '100000000',
        ...(env.BENCH_SQLITE_SYNC ? { SQLITE_SYNCHRONOUS: env.BENCH_SQLITE_SYNC } : {}),
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, 30_000, pollMs);
  const readyMs = performance.now() - spawned;
  return {
    readyMs,
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Cold start: the server spawned on the existing database, until /readyz first answers 200; 3 runs. */
export async function coldStart(databaseEnv, dir, dialect) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const server = await startServer(databaseEnv, dir, dialect, { profile: false, pollMs: 5 });
    times.push(server.readyMs);
    await server.stop();
  }
  times.sort((a, b) => a - b);
  return {
    requests: 3,
    rps: null,
    p50: times[1],
    p95: times[2],
    p99: times[2],
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    cpu_us: null,
    rss_mb: null,
  };
}

/** Signs a person in through the outbox (DATA_DIR/outbox), as a person's agent would; their token. */
export async function signInPerson(url, dir, email) {
  const post = (route, body) =>
    fetchRaw(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  const requested = await post('/auth/request', { email });
  if (requested.status !== 202) throw new Error(`auth/request: ${requested.body}`);
  let code;
  for (let attempt = 0; attempt < 50 && !code; attempt++) {
    const outbox = path.join(dir, 'outbox');
    const files = readdirSync(outbox)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    for (const file of files.reverse()) {
      const mail = await simpleParser(readFileSync(path.join(outbox, file)));
      if (mail.to?.text?.includes(email)) {
        code = /^\s+(\d{6})\s*$/m.exec(mail.text ?? '')?.[1];
        break;
      }
    }
    if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!code) throw new Error(`no sign-in code mailed to ${email}`);
  const verified = await post('/auth/verify', { email, code, token_name: 'bench' });
  if (verified.status !== 201) throw new Error(`auth/verify: ${verified.body}`);
  return JSON.parse(verified.body.toString()).data.token;
}
