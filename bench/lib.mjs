// Helpers shared by the benchmark scripts: pinned processes, ports, HTTP probes, formatting.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import os from 'node:os';

/** `taskset -c <core>` when it exists and there are at least two cores; otherwise unpinned. */
export const canPin = (() => {
  if (os.availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
})();

/** Spawns `node …args` pinned to one core (when possible). */
export function spawnNode(core, args, options = {}) {
  const [command, argv] = canPin
    ? ['taskset', ['-c', String(core), process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Runs a node script to completion and returns its stdout parsed as JSON. */
export async function runNodeJson(core, args, options = {}) {
  const child = spawnNode(core, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}:\n${stderr}`);
  return JSON.parse(stdout);
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) a process has used so far, from /proc; null where there is none.
 * CPU per request is the figure other work on a shared machine distorts least.
 */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The process's resident set now and its peak so far (VmRSS, VmHWM), in MB; null where there is no /proc. */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's VmRSS every `ms` until stopped; resolves with the largest sample (MB). */
export function sampleRss(pid, ms = 200) {
  let peak = memory(pid)?.rss ?? null;
  const timer = setInterval(() => {
    const now = memory(pid)?.rss;
    if (now !== undefined && (peak === null || now > peak)) peak = now;
  }, ms);
  return () => {
    clearInterval(timer);
    const now = memory(pid)?.rss;
    if (now !== undefined && (peak === null || now > peak)) peak = now;
    return peak;
  };
}

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** One HTTP request; resolves with status, raw header pairs and the body bytes. */
export function fetchRaw(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function waitForReady(url, timeoutMs = 30_000, pollMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const reply = await fetchRaw(`${url}/readyz`);
      if (reply.status === 200) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export function machine({ sqliteVersion, postgresVersion }) {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  let kernel = os.release();
  try {
    kernel = execFileSync('uname', ['-sr']).toString().trim();
  } catch {}
  return {
    nproc: os.availableParallelism(),
    cpu,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    kernel,
    node: process.version,
    sqlite: sqliteVersion,
    postgres: postgresVersion ?? null,
    pinned: canPin,
  };
}

export const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? '—'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
