// An open-loop load: the mixed scenario's requests sent at a fixed rate, evenly spaced, over a pool
// of keep-alive connections, whatever the server's speed. Each latency is measured from the moment
// the request was due, so time spent waiting for a free connection counts (no coordinated
// omission). autocannon's overallRate sends each second's quota in a burst at the top of the
// second, which measures the burst, not the rate.
// Prints one JSON line: { requests, rps, p50, p95, p99, max, errors, timeouts, non2xx, late }.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { latencySummary } from './stats.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { scenario } = config;
const url = new URL(config.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
const tag = randomBytes(4).toString('hex');
let written = 0;

const read = (paths, kind) => {
  let i = Math.floor(Math.random() * paths.length);
  return () => {
    i = (i + 1) % paths.length;
    return { kind, method: 'GET', path: paths[i], headers: scenario.headers };
  };
};
const create = () => {
  const n = ++written;
  return {
    kind: 'create',
    method: 'POST',
    path: '/contacts',
    headers: { ...scenario.headers, 'idempotency-key': `paced-${tag}-${n}` },
    body: JSON.stringify({
      name: `Paced Writer ${n}`,
      email: `paced.${tag}.${n}@bench.example`,
      tags: ['bench'],
    }),
  };
};
// The same 80/15/5 cycle as the closed-loop mixed scenario.
const [reads, writes, searches] = scenario.shares;
const nextRead = read(scenario.readPaths, 'read');
const nextSearch = read(scenario.searchPaths, 'search');
const cycle = [
  ...Array(reads).fill(nextRead),
  ...Array(writes).fill(create),
  ...Array(searches).fill(nextSearch),
];
for (let i = cycle.length - 1; i > 0; i--) {
  const j = (i * 7919) % (i + 1);
  [cycle[i], cycle[j]] = [cycle[j], cycle[i]];
}

function send(request, due, results) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.body
          ? { ...request.headers, 'content-length': Buffer.byteLength(request.body) }
          : request.headers,
        agent,
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - due;
          results.latencies.push(ms);
          results.byKind[request.kind] ??= [];
          results.byKind[request.kind].push(ms);
          if (res.statusCode >= 300) results.non2xx++;
          resolve();
        });
      },
    );
    req.on('timeout', () => {
      results.timeouts++;
      req.destroy();
    });
    req.on('error', () => {
      results.errors++;
      resolve();
    });
    req.end(request.body);
  });
}

async function run(seconds, results) {
  const interval = 1000 / config.rate;
  const started = performance.now();
  const total = Math.floor(seconds * config.rate);
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (wait < -interval * 10) results.late++;
    pending.push(send(cycle[i % cycle.length](), due, results));
  }
  await Promise.all(pending);
  return (performance.now() - started) / 1000;
}

const blank = () => ({ latencies: [], byKind: {}, errors: 0, timeouts: 0, non2xx: 0, late: 0 });
if (config.warmup > 0) await run(config.warmup, blank());
const results = blank();
const seconds = await run(config.duration, results);
agent.destroy();
process.stdout.write(
  `${JSON.stringify({
    requests: results.latencies.length,
    rps: results.latencies.length / seconds,
    ...latencySummary(results.latencies),
    errors: results.errors,
    timeouts: results.timeouts,
    non2xx: results.non2xx,
    late: results.late,
    // p50 / p99 per kind of request
    kinds: Object.fromEntries(
      Object.entries(results.byKind).map(([kind, list]) => {
        const { p50, p99 } = latencySummary(list);
        return [kind, [p50, p99]];
      }),
    ),
  })}\n`,
);
