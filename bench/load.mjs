// The load generator: one autocannon run in its own process (pinned to its own core by scenarios.mjs),
// described by a JSON file, answering one JSON line: req/s, latency percentiles, errors.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { latencySummary } from './stats.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tag = randomBytes(4).toString('hex');
let counter = 0;

/** A POST /contacts that creates a new contact, with a fresh idempotency key. */
function postContact(headers) {
  return {
    method: 'POST',
    path: '/contacts',
    setupRequest(request) {
      const n = ++counter;
      request.headers = { ...headers, 'idempotency-key': `bench-${tag}-${n}` };
      request.body = JSON.stringify({
        name: `Bench Writer ${n}`,
        email: `bench.${tag}.${n}@bench.example`,
        stage: 'lead',
        tags: ['bench'],
      });
      return request;
    },
  };
}

/** A GET that walks through `paths` (each connection starts at its own offset). */
function getFrom(paths, headers) {
  return {
    method: 'GET',
    setupRequest(request, context) {
      context.i = ((context.i ?? Math.floor(Math.random() * paths.length)) + 1) % paths.length;
      request.path = paths[context.i];
      request.headers = headers;
      return request;
    },
  };
}

/** A POST of one of `bodies` to `path` (each connection walks them from its own offset). */
function postFrom(path, bodies, headers) {
  return {
    method: 'POST',
    path,
    setupRequest(request, context) {
      context.i = ((context.i ?? Math.floor(Math.random() * bodies.length)) + 1) % bodies.length;
      request.headers = headers;
      request.body = bodies[context.i];
      return request;
    },
  };
}

function requestsFor(scenario) {
  const { headers } = scenario;
  if (scenario.type === 'get') return [getFrom(scenario.paths, headers)];
  if (scenario.type === 'post') return [postFrom(scenario.path, scenario.bodies, headers)];
  if (scenario.type === 'post-contact') return [postContact(headers)];
  // mixed: a fixed, shuffled cycle of 20 requests with the asked-for shares.
  const cycle = [];
  const [reads, writes, searches] = scenario.shares;
  for (let i = 0; i < reads; i++) cycle.push(getFrom(scenario.readPaths, headers));
  for (let i = 0; i < writes; i++) cycle.push(postContact(headers));
  for (let i = 0; i < searches; i++) cycle.push(getFrom(scenario.searchPaths, headers));
  for (let i = cycle.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [cycle[i], cycle[j]] = [cycle[j], cycle[i]];
  }
  return cycle;
}

function run(seconds, collect) {
  const latencies = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: config.url,
        connections: config.connections,
        duration: seconds,
        requests: requestsFor(config.scenario),
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies })),
    );
    if (collect) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

if (config.warmup > 0) await run(config.warmup, false);
const { result, latencies } = await run(config.duration, true);
const seconds = result.duration;
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    ...latencySummary(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    seconds,
  })}\n`,
);
