// Bytes an agent reads for a page of 50 contacts: full records vs fields= and expand=.
//   node --import tsx bench/projection-bytes.mjs
// Not part of npm test. Fresh SQLite database; 50 contacts shaped like a real CRM's (name, email,
// phone, title, stage, two tags, two custom keys, a company, a follow-up), each with an open deal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { connectStore, migrateToLatest } from '../src/store/connect.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-bytes-'));
const config = testConfig({
  DATA_DIR: dataDir,
  PLAN_OVERRIDES: '{"sandbox":{"requests_per_minute":100000}}',
});
const store = connectStore(config);
await migrateToLatest(store);
const app = createApp({ config, store });

let key = 0;
const request = async (method, url, body, token, json = false) => {
  const response = await app.request(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json ? { accept: 'application/json' } : {}),
      'x-idempotency-key': `idem_bytes_${++key}`,
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.text();
};
const boot = JSON.parse(await request('POST', '/agent-bootstrap', { agent_name: 'bytes' }, null, true));
const token = boot.data.token;
const FIRST = ['Jane', 'Sam', 'Maria', 'Robert', 'Aisha', 'Chen', 'Lukas', 'Priya', 'Omar', 'Sofia'];
const LAST = ['Doe', 'Lee', 'Garcia', 'Smith', 'Khan', 'Wang', 'Muller', 'Patel', 'Haddad', 'Rossi'];
for (let i = 0; i < 50; i++) {
  const first = FIRST[i % 10];
  const last = LAST[Math.floor(i / 5) % 10];
  const company = JSON.parse(
    await request(
      'POST',
      '/companies',
      { name: `${last} Industries ${i}`, domain: `${last.toLowerCase()}${i}.example` },
      token,
      true,
    ),
  ).data.id;
  const contact = JSON.parse(
    await request(
      'POST',
      '/contacts',
      {
        name: `${first} ${last}`,
        email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@${last.toLowerCase()}${i}.example`,
        phone: `+1 555 010 ${String(1000 + i)}`,
        title: i % 2 ? 'VP Sales' : 'Head of Procurement',
        stage: i % 3 ? 'lead' : 'qualified',
        tags: ['inbound', i % 2 ? 'enterprise' : 'smb'],
        custom: { source: 'webinar', seats: 10 + i },
        company_id: company,
        follow_up_at: '2026-04-01T09:00:00Z',
        follow_up_note: 'Send the pricing sheet',
      },
      token,
      true,
    ),
  ).data.id;
  await request(
    'POST',
    '/deals',
    { title: `Renewal ${i}`, amount_cents: 120000, currency: 'USD', contact_id: contact },
    token,
  );
}

const rows = [];
const measure = async (label, url) => {
  const text = Buffer.byteLength(await request('GET', url, null, token));
  const json = Buffer.byteLength(await request('GET', url, null, token, true));
  rows.push({ label, url, text, json });
};
await measure('full records', '/contacts?limit=50');
await measure('fields=name,email', '/contacts?limit=50&fields=name,email');
await measure('fields=name,email,company.name', '/contacts?limit=50&fields=name,email,company.name');
await measure('full + expand=company,open_deals', '/contacts?limit=50&expand=company,open_deals');
await measure(
  'fields=name,email + expand=open_deals',
  '/contacts?limit=50&fields=name,email&expand=open_deals',
);
// Without expand=, the same facts take more calls: the contacts, then their companies and deals.
await measure('second call: companies', '/companies?limit=50');
await measure('second call: deals', '/deals?limit=50&status=open');
const full = rows[0];
console.log('| request | text bytes | JSON bytes |');
console.log('|---|---|---|');
for (const row of rows) {
  const pct = (n, base) => (row === full ? '' : ` (${Math.round((100 * n) / base)}%)`);
  console.log(
    `| \`${row.url}\` | ${row.text}${pct(row.text, full.text)} | ${row.json}${pct(row.json, full.json)} |`,
  );
}
await app.services.meter.stop();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
