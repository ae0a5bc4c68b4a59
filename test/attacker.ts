import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What someone holding a copy of the data can do with it, written from the outside: the tables
 * read back from a copy of the SQLite files or from a `pg_dump`, and every way we know to derive a
 * key from them (the derivations agentcrm uses now and used before, with every key the copy holds).
 */
export type Row = Record<string, string | null>;
export type Tables = Record<'idempotency_keys' | 'server_keys' | 'webhooks' | 'audit_log', Row[]>;
const TABLES = ['idempotency_keys', 'server_keys', 'webhooks', 'audit_log'] as const;

/** The tables as a copy of the SQLite files shows them (the files are copied, then opened). */
export function readSqliteCopy(dataDir: string): Tables {
  const copy = mkdtempSync(path.join(tmpdir(), 'agentcrm-stolen-'));
  for (const name of readdirSync(dataDir).filter((n) => n.startsWith('agentcrm.sqlite'))) {
    copyFileSync(path.join(dataDir, name), path.join(copy, name));
  }
  const db = new Database(path.join(copy, 'agentcrm.sqlite'), { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((t) => [t, db.prepare(`select * from ${t}`).all() as Row[]]),
    ) as Tables;
  } finally {
    db.close();
  }
}

const unescapeCopy = (value: string) =>
  value === '\\N' ? null : value.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);

/** The tables as a plain `pg_dump` of the schema shows them (its COPY blocks, parsed). */
export function readPgDump(databaseUrl: string): Tables {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('options')!.match(/search_path=(\w+)/)![1]!;
  url.searchParams.delete('options');
  const dump = execFileSync('pg_dump', ['--dbname', url.toString(), '-n', schema, '--no-owner'], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const tables = {} as Tables;
  for (const table of TABLES) {
    const match = new RegExp(
      `^COPY ${schema}\\.${table} \\(([^)]*)\\) FROM stdin;\\n([\\s\\S]*?)^\\\\\\.$`,
      'm',
    ).exec(dump);
    if (!match) throw new Error(`no COPY block for ${table} in the dump`);
    const columns = match[1]!.split(', ').map((c) => c.replace(/"/g, ''));
    const lines = match[2]!.split('\n').filter((line) => line !== '');
    tables[table] = lines.map((line) =>
      Object.fromEntries(line.split('\t').map((v, i) => [columns[i]!, unescapeCopy(v)])),
    );
  }
  return tables;
}

/** Keys an agent might have used: the guide's literals, every character and number up to 999. */
export function guessableKeys(): string[] {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const keys = ['idem_', 'idem_1', 'key1', 'idem_key1', 'idem_<uuid>', 'idem_<random>', 'idem_123'];
  for (const c of chars) keys.push(c, `idem_${c}`);
  for (let n = 0; n < 1000; n++) keys.push(String(n), `idem_${n}`, `key${n}`);
  return keys;
}

/** Every key material found in server_keys, as the bytes each derivation might take. */
function masterCandidates(tables: Tables): Buffer[] {
  return tables.server_keys.flatMap((row) => [Buffer.from(row.secret!, 'base64'), Buffer.from(row.secret!)]);
}

function gcmOpen(key: Buffer, data: Buffer, aad?: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const hkdf = (master: Buffer, purpose: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `agentcrm ${purpose}`, 32));
const body = (sealed: string) =>
  sealed.startsWith('k1.') ? Buffer.from(sealed.split('.')[2]!, 'base64url') : Buffer.from(sealed, 'base64');

/** Tries to open every stored idempotent answer; returns the plaintexts it opened. */
export function openStoredAnswers(tables: Tables, extraKeys: string[] = []): string[] {
  const opened: string[] = [];
  const answerKeys = masterCandidates(tables).map((master) => hkdf(master, 'idempotency answer'));
  const guesses = [...extraKeys, ...guessableKeys()];
  for (const row of tables.idempotency_keys) {
    if (!row.response) continue;
    const data = body(row.response);
    // Any key the row itself holds comes first (the raw key, as before issue 19).
    const keys = row.key ? [row.key, ...guesses] : guesses;
    const attempt = (): string | null => {
      for (const key of keys) {
        const scope = `${row.workspace_id}\n${row.principal}\n${key}`;
        // The derivation before issue 19: from the row's own values only.
        const old = createHash('sha256').update(`agentcrm-idempotency\n${scope}`).digest();
        const plain = gcmOpen(old, data) ?? gcmOpen(old, data, row.key_hash ?? '');
        if (plain) return plain;
        for (const base of answerKeys) {
          const answerKey = createHmac('sha256', base).update(scope).digest();
          const found = gcmOpen(answerKey, data, row.key_hash ?? '');
          if (found) return found;
        }
      }
      return null;
    };
    const plain = attempt();
    if (plain) opened.push(plain);
  }
  return opened;
}

/** Tries to open every webhook signing secret with the keys in server_keys; returns the secrets. */
export function openWebhookSecrets(tables: Tables): string[] {
  const opened: string[] = [];
  for (const row of tables.webhooks) {
    const data = body(row.secret_sealed!);
    const aad = `${row.workspace_id}/${row.id}`;
    for (const master of masterCandidates(tables)) {
      const legacy = createHash('sha256').update(`agentcrm-webhook-secret\n${master.toString()}`).digest();
      const plain = gcmOpen(legacy, data, aad) ?? gcmOpen(hkdf(master, 'webhook secret'), data, aad);
      if (plain) {
        opened.push(plain);
        break;
      }
    }
  }
  return opened;
}
