// Loads and their references: the batch scenario, the load generator, the ceiling and lean floor, the verdict.

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuSeconds, fetchRaw, fmt, runNodeJson, sampleRss, spawnNode } from './lib.mjs';
import { signInPerson } from './server.mjs';
import { log, root, settings } from './settings.mjs';

/**
 * Batch upsert: 1,000 new contacts per POST /contacts/batch, timed from the POST until
 * GET /operations/{id} reports it finished (the work runs in the server's job runner). A person
 * sends it (an agent's batch above 200 items waits for a human's approval by default), into their
 * own workspace. One warm-up batch, then the median of three.
 */
export async function batchScenario(url, dir) {
  const token = await signInPerson(url, dir, `bench.${randomBytes(3).toString('hex')}@bench.example`);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const tag = randomBytes(4).toString('hex');
  const seconds = [];
  let errors = 0;
  for (let round = 0; round < 4; round++) {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      name: `Batch ${round} ${i}`,
      email: `batch.${tag}.${round}.${i}@bench.example`,
      stage: 'lead',
      tags: ['bench'],
    }));
    const started = performance.now();
    const sent = await fetchRaw(`${url}/contacts/batch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `batch-${tag}-${round}` },
      body: JSON.stringify({ items }),
    });
    if (sent.status !== 202) throw new Error(`POST /contacts/batch answered ${sent.status}: ${sent.body}`);
    const operationId = JSON.parse(sent.body.toString()).data.operation_id;
    let status;
    for (;;) {
      const polled = await fetchRaw(`${url}/operations/${operationId}`, { headers });
      const data = JSON.parse(polled.body.toString()).data;
      status = data.status;
      if (status !== 'queued' && status !== 'running') {
        errors += data.errors?.length ?? 0;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (status !== 'succeeded') throw new Error(`batch ${operationId} ended ${status}`);
    if (round > 0) seconds.push((performance.now() - started) / 1000);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[1];
  return {
    requests: seconds.length,
    rps: 1000 / median,
    p50: median * 1000,
    p95: seconds.at(-1) * 1000,
    p99: seconds.at(-1) * 1000,
    errors,
    timeouts: 0,
    non2xx: 0,
    cpu_us: null,
    rss_mb: null,
  };
}

/**
 * The keyset scenario's two pages: page 1 of a filtered, sorted deal list, and page 200 (or the
 * last page there is, at small scales) reached by following next_cursor.
 */
export async function keysetPaths(url, headers) {
  const first = '/deals?status=open&sort=-updated_at&limit=50';
  let cursor = null;
  let page = 1;
  for (; page < 200; page++) {
    const reply = await fetchRaw(`${url}${first}&format=json${cursor ? `&cursor=${cursor}` : ''}`, {
      headers,
    });
    const next = JSON.parse(reply.body.toString()).next_cursor;
    if (!next) break;
    cursor = next;
  }
  return { first, deep: cursor ? `${first}&cursor=${cursor}` : first, page };
}

export async function sampleIds(url, headers) {
  const ids = [];
  let cursor = '';
  for (let page = 0; page < 5; page++) {
    // Email order is unrelated to insertion order, so the sampled rows lie all over the table.
    const reply = await fetchRaw(
      `${url}/contacts?sort=email&limit=200&format=json${cursor ? `&cursor=${cursor}` : ''}`,
      { headers },
    );
    const envelope = JSON.parse(reply.body.toString());
    ids.push(...envelope.data.map((contact) => contact.id));
    cursor = envelope.next_cursor;
    if (!cursor) break;
  }
  return ids;
}

/**
 * A tool error is still HTTP 200 with a JSON-RPC result, so the load generator cannot tell it from
 * a read: check one answer first, or the scenario could measure an error path.
 */
export async function checkMcpAnswer(url, spec, id) {
  const reply = await fetchRaw(`${url}${spec.path}`, {
    method: 'POST',
    headers: spec.headers,
    body: spec.bodies[0],
  });
  const answer = reply.status === 200 ? JSON.parse(reply.body.toString()) : null;
  if (answer?.result?.isError || answer?.result?.structuredContent?.data?.id !== id) {
    throw new Error(
      `mcp-get: tools/call contacts_get did not answer the contact: ${reply.status} ${reply.body}`,
    );
  }
}

export async function load(url, scenario, options, dir, pid) {
  const { duration = settings.duration, connections = settings.connections } = options;
  const run = async (seconds) => {
    const file = path.join(dir, `load-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify({ url, connections, duration: seconds, warmup: 0, scenario }));
    return runNodeJson(1, [path.join(root, 'bench', 'load.mjs'), file]);
  };
  if (settings.warmup > 0) await run(settings.warmup);
  const before = cpuSeconds(pid);
  const stopSampling = sampleRss(pid);
  const result = await run(duration);
  const peakRss = stopSampling();
  const after = cpuSeconds(pid);
  const cpu =
    before === null || after === null ? null : ((after - before) * 1e6) / Math.max(result.requests, 1);
  return { ...result, cpu_us: cpu, rss_mb: peakRss };
}

export async function ceiling(url, path_, headers, loadScenario, dir) {
  const recorded = await fetchRaw(`${url}${path_}`, { headers });
  const file = path.join(dir, `ceiling-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      status: recorded.status,
      rawHeaders: recorded.rawHeaders,
      body: recorded.body.toString('base64'),
    }),
  );
  const child = spawnNode(0, [path.join(root, 'bench', 'ceiling.mjs'), file]);
  const [chunk] = await once(child.stdout, 'data');
  const ceilingUrl = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  try {
    return { ...(await load(ceilingUrl, loadScenario, {}, dir, child.pid)), bytes: recorded.body.length };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/**
 * The lean floor (bench/lean-floor.mjs): the same read on the same libraries and database with no
 * governance, loaded like ours. Returns its figures, or null when it did not answer the same bytes.
 */
export async function leanFloor(url, spec, dialect, databaseEnv, dir) {
  const file = path.join(dir, `lean-floor-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      dialect === 'sqlite'
        ? { sqlitePath: path.join(databaseEnv.DATA_DIR, 'agentcrm.sqlite') }
        : { databaseUrl: databaseEnv.DATABASE_URL },
    ),
  );
  const child = spawnNode(0, [path.join(root, 'bench', 'lean-floor.mjs'), file]);
  const [chunk] = await once(child.stdout, 'data');
  const floorUrl = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  try {
    // The floor must answer what we answer (request ids and the cursor's digest aside).
    const mask = (body) =>
      body
        .toString()
        .replace(/req_[0-9a-z]+/g, 'req_')
        .replace(/(next: |"next_cursor":")[A-Za-z0-9_-]+/g, '$1');
    const [ours, floor] = await Promise.all(
      [url, floorUrl].map((base) => fetchRaw(`${base}${spec.paths[0]}`, { headers: spec.headers })),
    );
    if (mask(ours.body) !== mask(floor.body)) {
      log(`  lean floor answered other bytes than ours for ${spec.paths[0]}: not compared`);
      return null;
    }
    return await load(floorUrl, spec, {}, dir, child.pid);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

export function judge(scenario, ours, against, lean = null, dialect = null) {
  const { target } = scenario;
  const ratio =
    target.costRatio !== undefined
      ? ours.cpu_us / against.cpu_us
      : target.sqlRatio !== undefined
        ? ours.p95 / against.p95
        : against && scenario.compare !== null
          ? ours.rps / against.rps
          : null;
  const checks = [];
  const leanRatio = lean ? ours.rps / lean.rps : null;
  const leanTarget = target.lean?.[dialect];
  if (leanTarget !== undefined) checks.push(leanRatio !== null && leanRatio >= leanTarget);
  if (target.ratio !== undefined) checks.push(ratio !== null && ratio >= target.ratio);
  if (target.costRatio !== undefined) checks.push(ratio !== null && ratio <= target.costRatio);
  if (target.sqlRatio !== undefined) checks.push(ratio !== null && ratio <= target.sqlRatio);
  if (target.recordsPerSecond !== undefined) checks.push(ours.rps >= target.recordsPerSecond);
  if (target.ms !== undefined) checks.push(ours.p50 !== null && ours.p50 <= target.ms);
  if (target.p95 !== undefined) checks.push(ours.p95 !== null && ours.p95 <= target.p95);
  if (target.p99 !== undefined) checks.push(ours.p99 !== null && ours.p99 <= target.p99);
  const errors = ours.errors + ours.timeouts + ours.non2xx;
  if (target.errors !== undefined) checks.push(errors <= target.errors);
  const wanted = [
    leanTarget !== undefined ? `≥ ${leanTarget} of the lean floor` : null,
    target.ratio !== undefined ? `ratio ≥ ${target.ratio}` : null,
    target.costRatio !== undefined ? `cost ratio ≤ ${target.costRatio}` : null,
    target.sqlRatio !== undefined ? `p95 ≤ ${target.sqlRatio}× the SQL's` : null,
    target.recordsPerSecond !== undefined ? `≥ ${fmt(target.recordsPerSecond)} records/s` : null,
    target.ms !== undefined ? `≤ ${fmt(target.ms)} ms` : null,
    target.p95 !== undefined ? `p95 ≤ ${target.p95} ms` : null,
    target.p99 !== undefined ? `p99 ≤ ${target.p99} ms` : null,
    target.errors !== undefined ? 'errors = 0' : null,
  ].filter(Boolean);
  // A row for reference has no target: neither PASS nor MISS.
  return {
    ratio,
    leanRatio,
    errors,
    target: wanted.join(', ') || '—',
    pass: checks.length ? checks.every(Boolean) : null,
  };
}
