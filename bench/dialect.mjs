// One database's whole run: seed, start, every scenario against its ceiling, the footprint.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, memory, runNodeJson } from './lib.mjs';
import {
  batchScenario,
  ceiling,
  checkMcpAnswer,
  judge,
  keysetPaths,
  leanFloor,
  load,
  sampleIds,
} from './scenarios.mjs';
import { coldStart, prepareDatabase, seed, startServer } from './server.mjs';
import { env, log, root, SCENARIOS, SEARCH_TERMS, settings, UNLIMITED } from './settings.mjs';

/** The server's memory at the end of each database's run: VmHWM is the peak over the whole run. */
export const footprintRows = [];

export async function benchDialect(dialect) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `agentcrm-bench-${dialect}-`));
  const database = await prepareDatabase(dialect, dir);
  const rows = [];
  try {
    log(`\n== ${dialect}: seeding ${settings.scale} contacts…`);
    const seeded = await seed(database.env, dir);
    const server = await startServer(database.env, dir, dialect);
    try {
      const auth = { authorization: `Bearer ${seeded.token}` };
      const json = { ...auth, accept: 'application/json' };
      const ids = await sampleIds(server.url, auth);
      const paths = ids.map((id) => `/contacts/${id}`);
      const searchPaths = SEARCH_TERMS.map((term) => `/contacts?search=${encodeURIComponent(term)}`);
      const specs = {
        'get-text': { type: 'get', paths, headers: auth },
        'get-json': { type: 'get', paths, headers: json },
        // The same reads through MCP: one stateless JSON-RPC tools/call per POST /mcp.
        'mcp-get': {
          type: 'post',
          path: '/mcp',
          bodies: ids.map((id, i) =>
            JSON.stringify({
              jsonrpc: '2.0',
              id: i + 1,
              method: 'tools/call',
              params: { name: 'contacts_get', arguments: { contact_id: id } },
            }),
          ),
          headers: {
            ...auth,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2025-06-18',
          },
        },
        list: { type: 'get', paths: ['/contacts?limit=50&sort=-updated_at'], headers: auth },
        search: { type: 'get', paths: searchPaths, headers: auth },
        'search-10': { type: 'get', paths: searchPaths, headers: auth },
        post: { type: 'post-contact', headers: { ...auth, 'content-type': 'application/json' } },
        mixed: {
          type: 'mixed',
          shares: [16, 3, 1],
          readPaths: paths,
          searchPaths,
          headers: { ...auth, 'content-type': 'application/json' },
        },
      };
      const record = (scenario, ours, against, extra = {}) => {
        const verdict = judge(scenario, ours, against, extra.lean ?? null, dialect);
        rows.push({
          dialect,
          scenario: scenario.name,
          title: scenario.title,
          compare: scenario.compare,
          ours,
          against,
          ...extra,
          ...verdict,
        });
        log(
          `  ${fmt(ours.rps)} req/s vs ${against ? fmt(against.rps) : '—'} → ${verdict.ratio === null ? '—' : verdict.ratio.toFixed(3)}; ` +
            `p50 ${fmt(ours.p50, 2)} p95 ${fmt(ours.p95, 2)} p99 ${fmt(ours.p99, 2)} ms; errors ${verdict.errors}; ` +
            `CPU ${fmt(ours.cpu_us)} vs ${against ? fmt(against.cpu_us) : '—'} µs/req; ` +
            (extra.lean
              ? `lean floor ${fmt(extra.lean.rps)} req/s → ${verdict.leanRatio.toFixed(3)}, CPU ${fmt(extra.lean.cpu_us)} µs/req; `
              : '') +
            `RSS ${fmt(ours.rss_mb)} MB; ${verdict.pass === null ? 'for reference' : verdict.pass ? 'PASS' : 'MISS'}`,
        );
      };
      for (const scenario of SCENARIOS) {
        if (settings.only && !settings.only.includes(scenario.name)) continue;
        if (scenario.name === 'cold-start') continue; // after the server has stopped, below
        log(`${dialect} ${scenario.name}: ours…`);
        if (scenario.name === 'batch') {
          record(scenario, await batchScenario(server.url, dir), null);
          continue;
        }
        if (scenario.name === 'keyset') {
          const pages = await keysetPaths(server.url, auth);
          const spec = { type: 'get', headers: auth };
          const deep = await load(server.url, { ...spec, paths: [pages.deep] }, {}, dir, server.pid);
          log(`${dialect} ${scenario.name}: page 1…`);
          const first = await load(server.url, { ...spec, paths: [pages.first] }, {}, dir, server.pid);
          record(scenario, deep, first, { page: pages.page });
          continue;
        }
        if (scenario.name === 'mixed-paced') {
          const saturated = rows.find((row) => row.dialect === dialect && row.scenario === 'mixed');
          if (!saturated) continue;
          let best = null;
          for (const share of [0.5, 0.7, 0.85]) {
            const rate = Math.round(saturated.ours.rps * share);
            log(`${dialect} ${scenario.name}: ${rate} req/s offered…`);
            const file = path.join(dir, `paced-${rate}.json`);
            writeFileSync(
              file,
              JSON.stringify({
                url: server.url,
                scenario: specs.mixed,
                connections: 50,
                rate,
                warmup: settings.warmup,
                duration: Math.max(10, settings.mixedDuration / 4),
              }),
            );
            const paced = await runNodeJson(1, [path.join(root, 'bench', 'paced.mjs'), file]);
            log(
              `  p50 ${fmt(paced.p50, 2)} p95 ${fmt(paced.p95, 2)} p99 ${fmt(paced.p99, 2)} ms, ${fmt(paced.rps)} req/s answered; p50/p99 by kind ${JSON.stringify(paced.kinds)}`,
            );
            if (paced.p99 !== null && paced.p99 <= 50 && paced.errors + paced.timeouts + paced.non2xx === 0) {
              best = { ...paced, offered: rate };
            }
          }
          if (best) record(scenario, best, null, { offered: best.offered });
          else log(`${dialect} ${scenario.name}: p99 above 50 ms even at half the saturated rate`);
          continue;
        }
        const spec = specs[scenario.name];
        if (scenario.name === 'mcp-get') await checkMcpAnswer(server.url, spec, ids[0]);
        const options =
          scenario.name === 'mixed'
            ? { duration: settings.mixedDuration, connections: 50 }
            : scenario.name === 'search'
              ? { connections: 1 }
              : {};
        const ours = await load(server.url, spec, options, dir, server.pid);
        let against = null;
        if (scenario.compare === 'rest') {
          log(`${dialect} ${scenario.name}: the same read over REST (JSON)…`);
          against = await load(server.url, specs['get-json'], {}, dir, server.pid);
        } else if (scenario.compare === 'ceiling') {
          log(`${dialect} ${scenario.name}: ceiling…`);
          against = await ceiling(
            server.url,
            spec.paths[0],
            spec.headers,
            { ...spec, paths: [spec.paths[0]] },
            dir,
          );
        } else if (scenario.compare === 'floor') {
          log(`${dialect} ${scenario.name}: in-process floor…`);
          const file = path.join(dir, 'floor.json');
          writeFileSync(
            file,
            JSON.stringify({
              dataDir: dir,
              databaseUrl: database.env.DATABASE_URL,
              token: seeded.token,
              duration: settings.duration,
              concurrency: settings.connections,
            }),
          );
          against = await runNodeJson(0, [path.join(root, 'bench', 'write-floor.mjs'), file]);
        } else if (scenario.compare === 'sql') {
          log(`${dialect} ${scenario.name}: the same SQL in-process…`);
          const file = path.join(dir, 'search-floor.json');
          writeFileSync(
            file,
            JSON.stringify({
              root,
              dataDir: dir,
              databaseUrl: database.env.DATABASE_URL,
              token: seeded.token,
              terms: SEARCH_TERMS,
              // As the server's: the load has used up the token's plan rate long ago (PostgreSQL
              // counts in the database the floor shares).
              planOverrides: JSON.stringify({ production: UNLIMITED, sandbox: UNLIMITED }),
              duration: settings.duration,
              warmup: settings.warmup,
            }),
          );
          against = await runNodeJson(0, [path.join(root, 'bench', 'search-floor.mjs'), file]);
        }
        let lean = null;
        if (scenario.target.lean) {
          log(`${dialect} ${scenario.name}: lean floor…`);
          lean = await leanFloor(server.url, { ...spec, paths: [spec.paths[0]] }, dialect, database.env, dir);
        }
        record(scenario, ours, against, lean ? { lean } : {});
      }
      const footprint = memory(server.pid);
      if (footprint) {
        footprintRows.push({ dialect, hwm_mb: footprint.hwm, rss_mb: footprint.rss });
        log(
          `${dialect} server memory after the run: VmRSS ${fmt(footprint.rss)} MB, VmHWM ${fmt(footprint.hwm)} MB`,
        );
      }
    } finally {
      await server.stop();
    }
    const cold = SCENARIOS.find((scenario) => scenario.name === 'cold-start');
    if (!settings.only || settings.only.includes(cold.name)) {
      log(`${dialect} ${cold.name}…`);
      const ours = await coldStart(database.env, dir, dialect);
      const verdict = judge(cold, ours, null);
      rows.push({
        dialect,
        scenario: cold.name,
        title: cold.title,
        compare: null,
        ours,
        against: null,
        ...verdict,
      });
      log(`  ${fmt(ours.p50)} ms (of ${ours.requests}); ${verdict.pass ? 'PASS' : 'MISS'}`);
    }
    return { rows, seed: { dialect, contacts: settings.scale, ...seeded, token: undefined } };
  } finally {
    await database.drop();
    if (!env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}
